/** Display formatting for the recordings table and drawer; pure, so unit tests pin it down. */

/**
 * A duration as `h:mm:ss` (hours unbounded, minutes and seconds two digits).
 *
 * @example
 * formatDuration(3725); // '1:02:05'
 */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '—';
  const s = Math.floor(totalSeconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * A byte count in decimal (SI) units with three significant digits, as file managers show them
 * (the exact count is shown in the details drawer).
 *
 * @example
 * formatSize(123_456_789); // '123 MB'
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${Math.floor(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${SIZE_UNITS[unit]}`;
}

/** Thousands separators that do not depend on the browser's locale (tests and screenshots stay stable). */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const RENDERED_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An API instant (already in the chosen zone, e.g. `2021-03-17T08:00:00-04:00`) as
 * `2021-03-17 08:00 −04:00`. The API did the zone conversion; the console only reformats, so
 * what is shown is exactly what the API answered. Anything unexpected is shown as it came.
 */
export function formatInstant(iso: string): string {
  const m = RENDERED_INSTANT.exec(iso);
  if (m === null) return iso;
  const offset = m[4] === 'Z' ? 'UTC' : (m[4] as string).replace('-', '−');
  return `${m[1]} ${m[2]} ${offset}`;
}

/**
 * The URL when it is http(s), else `null`: recording URLs come from ingest, and a
 * `javascript:` URL must never become a clickable link.
 */
export function safeHttpUrl(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export const ROLE_LABELS = { complianceOfficer: 'Compliance officer', admin: 'Admin', none: 'No list role' } as const;
