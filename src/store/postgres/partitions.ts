/**
 * Monthly partitions of `recordings` (UTC calendar months of createTime). Pure helpers here;
 * the store creates partitions on demand before it writes rows of a month it has not seen.
 */

export interface MonthPartition {
  /** e.g. `recordings_y2026m01` */
  readonly name: string;
  /** Inclusive lower bound, UTC epoch milliseconds. */
  readonly from: number;
  /** Exclusive upper bound, UTC epoch milliseconds. */
  readonly to: number;
}

/** The partition that holds an instant. Years 0001–9999 (the API's range) give fixed-width names. */
export function monthPartitionOf(epochMs: number): MonthPartition {
  const date = new Date(epochMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return {
    name: `recordings_y${String(year).padStart(4, '0')}m${String(month + 1).padStart(2, '0')}`,
    from: utcMonthStart(year, month),
    to: utcMonthStart(year, month + 1),
  };
}

/** The distinct partitions that rows with these createTimes go into. */
export function partitionsFor(createTimes: Iterable<number>): MonthPartition[] {
  const byName = new Map<string, MonthPartition>();
  for (const t of createTimes) {
    const p = monthPartitionOf(t);
    if (!byName.has(p.name)) byName.set(p.name, p);
  }
  return [...byName.values()];
}

/** The month of `now` and the `ahead` months after it: created at start so writes rarely wait. */
export function upcomingPartitions(now: number, ahead: number): MonthPartition[] {
  const date = new Date(now);
  const result: MonthPartition[] = [];
  for (let i = 0; i <= ahead; i++) {
    result.push(monthPartitionOf(utcMonthStart(date.getUTCFullYear(), date.getUTCMonth() + i)));
  }
  return result;
}

/** Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not. */
function utcMonthStart(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 1);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}
