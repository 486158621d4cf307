import { DateTime, IANAZone } from 'luxon';

const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const UNKNOWN = 0x7fff_ffff;

/**
 * Converts wall-clock times of one IANA zone to UTC instants without calling Luxon per
 * recording: the zone's UTC offset is looked up once per UTC hour and cached. Every zone the
 * generator uses changes offset on a whole UTC hour, so an hourly bucket is exact.
 *
 * A "local day" is the number of days since 1970-01-01 of the wall-clock date, so a wall
 * time is `localDay * DAY_MS + msOfDay` read as if it were UTC.
 */
export class ZoneClock {
  private readonly firstHour: number;
  private readonly offsets: Int32Array;

  constructor(
    readonly zone: string,
    fromMs: number,
    toMs: number,
  ) {
    if (!IANAZone.isValidZone(zone)) throw new RangeError(`unknown time zone: ${zone}`);
    // Two days of margin either side: wall times near the window edges are converted too.
    this.firstHour = Math.floor(fromMs / HOUR_MS) - 48;
    const lastHour = Math.floor(toMs / HOUR_MS) + 48;
    this.offsets = new Int32Array(lastHour - this.firstHour + 1).fill(UNKNOWN);
  }

  /** UTC offset in ms at a UTC instant. */
  offsetAt(utcMs: number): number {
    const bucket = Math.floor(utcMs / HOUR_MS) - this.firstHour;
    const cached = this.offsets[bucket];
    if (cached !== undefined && cached !== UNKNOWN) return cached;
    const offset = DateTime.fromMillis(utcMs, { zone: this.zone }).offset * 60_000;
    if (cached !== undefined) this.offsets[bucket] = offset;
    return offset;
  }

  /** The UTC instant of a wall time (a wall time skipped by DST lands after the gap). */
  toUtc(localDay: number, msOfDay: number): number {
    const wall = localDay * DAY_MS + msOfDay;
    const guess = wall - this.offsetAt(wall);
    return wall - this.offsetAt(guess);
  }

  /** The local day containing a UTC instant. */
  localDayOf(utcMs: number): number {
    return Math.floor((utcMs + this.offsetAt(utcMs)) / DAY_MS);
  }
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(localDay: number): number {
  return (((localDay + 4) % 7) + 7) % 7;
}
