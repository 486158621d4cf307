import { DateTime } from 'luxon';

/** Calendar dates as `YYYY-MM-DD` strings; arithmetic in UTC so no zone or DST shifts a day. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function toUtcMs(date: string): number {
  const m = DATE.exec(date) as RegExpExecArray;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

export function addDays(date: string, days: number): string {
  return new Date(toUtcMs(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included: the same day is 1. */
export function daysInclusive(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / 86_400_000) + 1;
}

/** Today's date in `zone` at instant `nowMs`. */
export function todayIn(zone: string, nowMs: number): string {
  const today = DateTime.fromMillis(nowMs, { zone }).toISODate();
  return today ?? new Date(nowMs).toISOString().slice(0, 10);
}

/** Every zone the browser knows, with `UTC` first (some engines list it, some do not) and `extra` kept. */
export function timeZoneChoices(extra: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zones = new Set(['UTC', ...known]);
  zones.add(extra);
  return [...zones];
}

/** The browser's zone, or UTC when it reports none. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether `zone` is an IANA zone name the runtime accepts. */
export function isTimeZone(zone: string): boolean {
  if (zone === '' || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
