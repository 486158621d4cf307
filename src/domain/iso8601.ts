import { DateTime, IANAZone } from 'luxon';
import { badRequest, quoteValue } from './errors.js';

/** Luxon accepts any offset that fits its pattern; real offsets never exceed ±18:00. */
const MAX_OFFSET_MINUTES = 18 * 60;
const OFFSET_SUFFIX = /(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/;
/** A date part followed by one space and a time part, as many scripts send instead of `T`. */
const SPACE_SEPARATED = /^(\d{4}-?\d{2}-?\d{2}|\d{4}-?W\d{2}-?\d|\d{4}-?\d{3}) (\d{2}.*)$/;

/**
 * Parses one ISO 8601 date or date-time into an epoch-ms instant.
 *
 * A value without an offset is read as wall time in `zone`: a wall time skipped by a
 * daylight-saving change moves forward by the gap; an ambiguous one takes the earlier instant.
 * Throws a 400 naming the parameter and the value for anything else.
 */
export function parseIsoInstant(param: string, value: string, zone: string): number {
  const instant = parseAnyIsoInstant(param, value, zone);
  if (!isSupportedInstant(instant)) {
    throw badRequest(`Invalid ${param} ${quoteValue(value)}: years must be between 0001 and 9999.`);
  }
  return instant;
}

const MIN_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const MAX_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** Instants that render as a four-digit year (the ISO 8601 basic range every client understands). */
export function isSupportedInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_INSTANT && ms <= MAX_INSTANT;
}

function parseAnyIsoInstant(param: string, value: string, zone: string): number {
  const fast = parseCanonicalInstant(value);
  if (fast !== null) return fast;
  const invalid = () =>
    badRequest(`Invalid ${param} ${quoteValue(value)}: expected an ISO 8601 date or date-time, for example 2020-07-13T17:11:35Z.`);
  // Expanded years (`+002026-11-20`) are ISO 8601 only "by agreement"; the SPEC lists the forms it accepts.
  if (value.length > 64 || !/^\d/.test(value)) throw invalid();
  // RFC 3339 allows lower-case `t` and `z`; upper-casing is safe (no other letters are valid but `W`).
  const text = value.replace(SPACE_SEPARATED, '$1T$2').toUpperCase();
  // Luxon reads bare digit runs of some lengths as basic-format dates; an epoch number is not ISO 8601.
  if (/^\d+$/.test(text) && text.length !== 4 && text.length !== 7 && text.length !== 8) throw invalid();

  const offset = text.includes('T') ? OFFSET_SUFFIX.exec(text) : null;
  if (offset !== null) {
    // Luxon accepts offset minutes of 60 and more; ISO 8601 does not.
    if (offset[3] !== undefined && Number(offset[3]) > 59) throw invalid();
    const parsed = DateTime.fromISO(text, { setZone: true });
    if (!parsed.isValid || Math.abs(parsed.offset) > MAX_OFFSET_MINUTES) throw invalid();
    return parsed.toMillis();
  }
  const wall = DateTime.fromISO(text, { zone: 'UTC' });
  if (!wall.isValid) throw invalid();
  return wallTimeToInstant(wall.toMillis(), zone);
}

const DAY_MS = 86_400_000;

/**
 * Fast path for the form every `Link` this server writes uses (and most clients send), extended
 * with `Z` or an offset: `YYYY-MM-DDTHH:MM:SS[.s{1,3}](Z|±HH:MM)`. Exact to the millisecond,
 * without Luxon or a regular expression (it runs twice on every windowed request); `null` for
 * anything else, including impossible dates, which the general path then rejects with its message.
 */
function parseCanonicalInstant(value: string): number | null {
  const length = value.length;
  if (length < 20 || length > 29) return null;
  if (value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH || value.charCodeAt(10) !== LETTER_T
    || value.charCodeAt(13) !== COLON || value.charCodeAt(16) !== COLON) return null;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  let at = 19;
  let millis = 0;
  if (value.charCodeAt(at) === DOT) {
    at += 1;
    let scale = 100;
    while (scale >= 1 && at < length && isDigit(value.charCodeAt(at))) {
      millis += (value.charCodeAt(at) - ZERO) * scale;
      scale /= 10;
      at += 1;
    }
    if (scale === 100) return null;
  }
  let offsetMs = 0;
  const sign = value.charCodeAt(at);
  if (sign === LETTER_Z) {
    if (at + 1 !== length) return null;
  } else if ((sign === PLUS || sign === DASH) && at + 6 === length && value.charCodeAt(at + 3) === COLON) {
    const offsetHours = digitsAt(value, at + 1, 2);
    const offsetMinutes = digitsAt(value, at + 4, 2);
    if (offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > MAX_OFFSET_MINUTES) return null;
    offsetMs = (sign === PLUS ? 1 : -1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  } else {
    return null;
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 02-30 over to 03-02 (and maps years 0-99 to 1900-1999): read the date back.
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return utc - offsetMs;
}

const ZERO = 0x30;
const DASH = 0x2d;
const PLUS = 0x2b;
const COLON = 0x3a;
const DOT = 0x2e;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** The decimal number written by `count` digits at `start`, or -1 if any of them is not a digit. */
function digitsAt(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const code = value.charCodeAt(i);
    if (!isDigit(code)) return -1;
    n = n * 10 + (code - ZERO);
  }
  return n;
}

/**
 * Converts a wall-clock time (given as the epoch ms it would have in UTC) to an instant in `zone`.
 * Luxon resolves ambiguous wall times to the later instant; the SPEC wants the earlier one, so
 * the candidates are worked out here from the offsets in force a day before and a day after.
 */
export function wallTimeToInstant(wallMs: number, zoneName: string): number {
  const zone = IANAZone.create(zoneName);
  const before = zone.offset(wallMs - DAY_MS);
  const after = zone.offset(wallMs + DAY_MS);
  const candidates = [before, after]
    .map((offset) => wallMs - offset * 60_000)
    .filter((instant) => wallMs - zone.offset(instant) * 60_000 === instant);
  if (candidates.length > 0) return Math.min(...candidates);
  // The wall time was skipped: reading it with the offset in force before the change lands
  // exactly "gap" later on the new wall clock.
  return wallMs - before * 60_000;
}
