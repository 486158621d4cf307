import { DateTime, IANAZone } from 'luxon';

const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const UNKNOWN = 0x7fff_ffff;

/**
 * Converts wall-clock times of one IANA zone to UTC instants without calling Luxon per
 * recording: the zone's UTC offset is cached per UTC hour. Every zone the generator uses
 * changes offset on a whole UTC hour, and never twice in a day, so the cache is exact.
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
    if (cached === undefined) return this.luxonOffset(utcMs); // outside the window's range
    if (cached === UNKNOWN) {
      this.fillDayAround(bucket);
      return this.offsets[bucket] ?? this.luxonOffset(utcMs);
    }
    return cached;
  }

  /**
   * Fills the 24 hourly buckets from `bucket` on. Most days have no offset change, so asking
   * Luxon at both ends of the day usually settles all 24 (Luxon is slow to ask per hour).
   */
  private fillDayAround(bucket: number): void {
    const hours = Math.min(24, this.offsets.length - bucket);
    const hourMs = (i: number): number => (this.firstHour + bucket + i) * HOUR_MS;
    const first = this.luxonOffset(hourMs(0));
    const last = this.luxonOffset(hourMs(hours - 1));
    for (let i = 0; i < hours; i++) {
      this.offsets[bucket + i] = first === last || i === 0 ? first : i === hours - 1 ? last : this.luxonOffset(hourMs(i));
    }
  }

  private luxonOffset(utcMs: number): number {
    return DateTime.fromMillis(utcMs, { zone: this.zone }).offset * 60_000;
  }

  /**
   * The UTC instant of a wall time. A wall time inside a DST gap (e.g. 02:30 on a spring-forward
   * night) comes out an hour early; generated meetings never start at that hour.
   */
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
