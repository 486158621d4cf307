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
  if (value.length > 64 || !/^[+\d]/.test(value)) throw invalid();
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

/** The form every `Link` this server writes uses (and most clients send): extended, with an offset. */
const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Fast path for the canonical form, exact to the millisecond, without Luxon; `null` for anything
 * else (including impossible dates, which the general path then rejects with its message).
 */
function parseCanonicalInstant(value: string): number | null {
  const m = CANONICAL.exec(value);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  if (m[8] === undefined) return utc;
  const offsetHours = Number(m[9]);
  const offsetMinutes = Number(m[10]);
  if (offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > MAX_OFFSET_MINUTES) return null;
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return m[8] === '+' ? utc - offset : utc + offset;
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
