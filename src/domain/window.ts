import { DateTime } from 'luxon';
import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS } from './constants.js';
import { badRequest } from './errors.js';
import { isSupportedInstant, parseIsoInstant } from './iso8601.js';
import { UTC_ZONE } from './time-zone.js';

/** A half-open `[from, to)` interval of epoch milliseconds on `createTime`. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** Adds calendar days at the same wall-clock time in `zone`, so a day across a DST change is 23 or 25 hours. */
export function addCalendarDays(instant: number, days: number, zone: string): number {
  if (zone === UTC_ZONE) return instant + days * 86_400_000;
  return DateTime.fromMillis(instant, { zone }).plus({ days }).toMillis();
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
