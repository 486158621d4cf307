import { WeightedTable, type Prng } from './prng.js';
import { DAY_MS, weekdayOf } from './zone-clock.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const MIN_DURATION_S = 5 * 60;
const MAX_DURATION_S = 3 * 60 * 60;

// Start hours (local) of one-off meetings: a morning peak, a lunch dip, a long afternoon.
const ONE_OFF_HOURS = WeightedTable.of<number>([
  [8, 2], [9, 8], [10, 10], [11, 9], [12, 4], [13, 7], [14, 9], [15, 9], [16, 7], [17, 4],
]);
// Recurring meetings cluster in the morning (standups) and early afternoon.
const RECURRING_HOURS = WeightedTable.of<number>([
  [8, 1], [9, 6], [10, 5], [11, 3], [13, 2], [14, 3], [15, 3], [16, 2], [17, 1],
]);
// Early calls with another continent, evening calls, the odd late incident.
const OFF_HOURS = WeightedTable.of<number>([[6, 3], [19, 3], [20, 2], [21, 1], [22, 1]]);
const START_MINUTES = WeightedTable.of<number>([[0, 12], [30, 8], [15, 2], [45, 2], [5, 1], [10, 1]]);

export type SlotKind = 'oneOff' | 'recurring' | 'offHours';

/** A scheduled start as ms after local midnight. */
export function randomStartOfDay(prng: Prng, kind: SlotKind): number {
  const hours = kind === 'oneOff' ? ONE_OFF_HOURS : kind === 'recurring' ? RECURRING_HOURS : OFF_HOURS;
  return hours.pick(prng) * HOUR_MS + START_MINUTES.pick(prng) * MINUTE_MS;
}

/** Local days of the window weighted so that weekends see few meetings. */
export function weekdayWeightedDays(firstDay: number, lastDay: number): WeightedTable<number> {
  const days: number[] = [];
  const weights: number[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = weekdayOf(day);
    days.push(day);
    weights.push(weekday === 6 ? 0.05 : weekday === 0 ? 0.04 : 1);
  }
  return new WeightedTable(days, weights);
}

/** Whole seconds, log-normal around the median (a long tail of long meetings), within 5 min–3 h. */
export function randomDurationSeconds(prng: Prng, medianMinutes: number): number {
  const seconds = Math.round(medianMinutes * 60 * Math.exp(0.55 * prng.normal()));
  return Math.min(MAX_DURATION_S, Math.max(MIN_DURATION_S, seconds));
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Gregorian date of a day number (days since 1970-01-01), by Howard Hinnant's civil_from_days.
 * Plain arithmetic because `Date#toISOString` per meeting was a measurable share of the run.
 */
function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // March = 0
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1 };
}

/** `yyyyMMddTHHmmssZ` of a UTC instant, as in Webex scheduled meeting ids. */
export function compactUtc(ms: number): string {
  const dayNumber = Math.floor(ms / DAY_MS);
  const { year, month, day } = civilFromDays(dayNumber);
  const secondOfDay = Math.floor((ms - dayNumber * DAY_MS) / 1000);
  const hh = Math.floor(secondOfDay / 3600);
  const mm = Math.floor(secondOfDay / 60) % 60;
  const ss = secondOfDay % 60;
  return `${year}${TWO_DIGITS[month]}${TWO_DIGITS[day]}T${TWO_DIGITS[hh]}${TWO_DIGITS[mm]}${TWO_DIGITS[ss]}Z`;
}

/**
 * `compactUtc` memoized: scheduled starts sit on a few thousand distinct minutes of the
 * window, so formatting each once instead of once per meeting saves ~15 % of a 1M-row run.
 */
export class CompactUtcCache {
  private readonly cache = new Map<number, string>();

  constructor(private readonly prefix: string) {}

  /** `prefix` + `compactUtc(ms)`. */
  format(ms: number): string {
    let text = this.cache.get(ms);
    if (text === undefined) {
      text = this.prefix + compactUtc(ms);
      this.cache.set(ms, text);
    }
    return text;
  }
}

/** Year and quarter of a local day, for topics such as "Q3 Pipeline Review". */
export function yearAndQuarter(localDay: number): { year: number; quarter: number } {
  const { year, month } = civilFromDays(localDay);
  return { year, quarter: Math.floor((month - 1) / 3) + 1 };
}
