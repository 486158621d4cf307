import { DateTime, FixedOffsetZone } from 'luxon';
import { MAX_WINDOW_DAYS } from '../domain/constants.js';
import { parseIsoInstant } from '../domain/iso8601.js';
import { wholeMinutes } from '../domain/render-instant.js';

/** A date-time the SDK accepts: a `Date`, epoch milliseconds, or any ISO 8601 string the API accepts. */
export type InstantInput = Date | number | string;

/** One request window as sent on the wire; `null` leaves the bound to the server's default. */
export interface WireWindow {
  readonly from: string | null;
  readonly to: string | null;
}

/**
 * Reads an instant exactly as the server would (same parser, same zone rules), or `null` when it
 * cannot: the value is then sent untouched and the server's 400 names it.
 */
export function toEpochMs(value: InstantInput, zone: string): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  try {
    return parseIsoInstant('value', value, zone);
  } catch {
    return null;
  }
}

/**
 * An instant as ISO 8601 with the zone's offset (`Z` in UTC); milliseconds only when non-zero.
 * An offset of local mean time (not whole minutes, e.g. Monrovia before 1972) is rounded and the
 * wall time shown with that same offset, as the server does, so the text names the instant.
 */
export function renderInstant(epochMs: number, zone: string): string {
  const inZone = DateTime.fromMillis(epochMs, { zone });
  const shown = !inZone.isValid || Number.isInteger(inZone.offset) ? inZone : inZone.setZone(FixedOffsetZone.instance(wholeMinutes(inZone.offset)));
  return shown.toISO({ suppressMilliseconds: true }) ?? new Date(epochMs).toISOString();
}

/**
 * Splits `[from, to)` into windows the API accepts (at most 30 calendar days in `zone`), newest
 * first, as the API orders items. Bounds are chained forward from `from` with the server's own
 * rule (same wall-clock time 30 days later), so each window passes the server's check exactly,
 * across daylight-saving changes too, and consecutive windows share a bound: no gap, no overlap.
 *
 * @example
 * splitWindow(Date.parse('2024-01-01Z'), Date.parse('2024-03-01Z'), 'UTC');
 * // [[2024-01-31, 2024-03-01), [2024-01-01, 2024-01-31)] as epoch-ms pairs
 */
export function splitWindow(from: number, to: number, zone: string, maxDays: number = MAX_WINDOW_DAYS): { from: number; to: number }[] {
  const bounds = [from];
  let at = from;
  while (at < to) {
    const next = DateTime.fromMillis(at, { zone }).plus({ days: maxDays }).toMillis();
    if (!(next > at)) throw new RangeError(`cannot split the window in zone ${zone}`);
    at = Math.min(next, to);
    bounds.push(at);
  }
  if (bounds.length === 1) bounds.push(to);
  const windows: { from: number; to: number }[] = [];
  for (let i = bounds.length - 2; i >= 0; i--) windows.push({ from: bounds[i] as number, to: bounds[i + 1] as number });
  return windows;
}

/**
 * The wire windows for a list call: one pass-through window when a bound is missing, unreadable
 * or the span fits the API's limit (values sent as given), else the split windows with explicit
 * offsets. An invalid zone or a reversed window is passed through for the server to reject.
 */
export function planWindows(from: InstantInput | undefined, to: InstantInput | undefined, zone: string): WireWindow[] {
  const raw = (value: InstantInput | undefined): string | null =>
    value === undefined ? null : typeof value === 'string' ? value : renderInstantSafe(value, zone);
  const passThrough: WireWindow[] = [{ from: raw(from), to: raw(to) }];
  if (from === undefined || to === undefined) return passThrough;
  const fromMs = toEpochMs(from, zone);
  const toMs = toEpochMs(to, zone);
  if (fromMs === null || toMs === null || fromMs >= toMs) return passThrough;
  const limit = DateTime.fromMillis(fromMs, { zone }).plus({ days: MAX_WINDOW_DAYS });
  if (!limit.isValid || toMs <= limit.toMillis()) return passThrough;
  return splitWindow(fromMs, toMs, zone).map((w) => ({ from: renderInstant(w.from, zone), to: renderInstant(w.to, zone) }));
}

function renderInstantSafe(value: Date | number, zone: string): string {
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms)) return String(value);
  const dt = DateTime.fromMillis(ms, { zone });
  return dt.isValid ? renderInstant(ms, zone) : new Date(ms).toISOString();
}
