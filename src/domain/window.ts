import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS } from './constants.js';
import { badRequest } from './errors.js';
import { isSupportedInstant, parseIsoInstant } from './iso8601.js';
import { rendererFor, type InstantRenderer } from './render-instant.js';
import { UTC_ZONE } from './time-zone.js';

const DAY_MS = 86_400_000;

/** A half-open `[from, to)` interval of epoch milliseconds on `createTime`. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** Adds calendar days at the same wall-clock time in `zone`, so a day across a DST change is 23 or 25 hours. */
export function addCalendarDays(instant: number, days: number, zone: string): number {
  if (zone === UTC_ZONE) return instant + days * DAY_MS;
  // Luxon's DateTime.plus({days}) without building DateTimes: shift the local wall time, then
  // find the instant showing it. The zone's offsets come from the renderer's memo, so a request
  // in a non-UTC zone pays no Intl look-up once its quarter hours are known.
  const offsets = rendererFor(zone);
  const before = offsets.offsetAt(instant);
  return instantOfLocal(instant + before * 60_000 + days * DAY_MS, before, offsets);
}

/**
 * The instant whose wall time in the zone is `localMs` (a wall time written as if it were UTC),
 * starting from a guessed offset. A wall time skipped by a DST change moves forward by the gap;
 * an ambiguous one takes the earlier instant — Luxon's `fixOffset`, which the SPEC's rules follow.
 */
function instantOfLocal(localMs: number, guessOffset: number, offsets: InstantRenderer): number {
  let utcGuess = localMs - guessOffset * 60_000;
  const o2 = offsets.offsetAt(utcGuess);
  if (o2 === guessOffset) return utcGuess;
  utcGuess -= (o2 - guessOffset) * 60_000;
  const o3 = offsets.offsetAt(utcGuess);
  if (o2 === o3) return utcGuess;
  return localMs - Math.min(o2, o3) * 60_000;
}

/**
 * Resolves `from`/`to` with the SPEC's defaults (a 7-day window ending now) and enforces the
 * 30-calendar-day limit in the request's zone. `now` is truncated to whole seconds so that the
 * defaulted window can be written into a `Link` exactly and does not slide while a client pages.
 */
export function resolveWindow(rawFrom: string | undefined, rawTo: string | undefined, zone: string, now: number): TimeWindow {
  const parsedFrom = rawFrom === undefined ? undefined : parseIsoInstant('from', rawFrom, zone);
  const parsedTo = rawTo === undefined ? undefined : parseIsoInstant('to', rawTo, zone);
  let from: number;
  let to: number;
  if (parsedFrom === undefined && parsedTo === undefined) {
    to = Math.floor(now / 1000) * 1000;
    from = addCalendarDays(to, -DEFAULT_WINDOW_DAYS, zone);
  } else if (parsedFrom === undefined) {
    to = parsedTo as number;
    from = addCalendarDays(to, -DEFAULT_WINDOW_DAYS, zone);
  } else if (parsedTo === undefined) {
    from = parsedFrom;
    to = addCalendarDays(from, DEFAULT_WINDOW_DAYS, zone);
  } else {
    from = parsedFrom;
    to = parsedTo;
  }
  if (!isSupportedInstant(from) || !isSupportedInstant(to)) throw badRequest('The from/to window must lie between the years 0001 and 9999.');
  if (from > to) throw badRequest(`from (${rawFrom ?? 'default'}) must not be after to (${rawTo ?? 'default'}).`);
  const limit = addCalendarDays(from, MAX_WINDOW_DAYS, zone);
  if (!Number.isFinite(limit) || to > limit) {
    throw badRequest(`The interval between from and to must be within ${MAX_WINDOW_DAYS} days.`);
  }
  return { from, to };
}
