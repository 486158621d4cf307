import { DAY_MS } from './zone-clock.js';

export interface GenerateOptions {
  /** Same seed + options => byte-identical output. */
  readonly seed: number;
  /** Total recordings across all orgs. */
  readonly recordings: number;
  /** createTime is spread over [now - days, now). */
  readonly days: number;
  /** Epoch ms; the generator never reads the clock itself, so output is reproducible. */
  readonly now: number;
  /** Number of organizations; default 2. */
  readonly orgs?: number;
}

export interface CheckedOptions {
  readonly seed: number;
  readonly recordings: number;
  readonly orgs: number;
  /** Inclusive start of the createTime window, epoch ms. */
  readonly windowStart: number;
  /** Exclusive end of the createTime window, epoch ms. */
  readonly windowEnd: number;
}

export function checkOptions(opts: GenerateOptions): CheckedOptions {
  const orgs = opts.orgs ?? 2;
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError(`seed must be a safe integer, got ${opts.seed}`);
  if (!Number.isSafeInteger(opts.recordings) || opts.recordings < 0) {
    throw new RangeError(`recordings must be a non-negative integer, got ${opts.recordings}`);
  }
  // Under a day, business hours may not occur at all and meetings would not fit the window.
  if (!Number.isFinite(opts.days) || opts.days < 1) throw new RangeError(`days must be at least 1, got ${opts.days}`);
  if (!Number.isFinite(opts.now)) throw new RangeError(`now must be epoch milliseconds, got ${opts.now}`);
  if (!Number.isInteger(orgs) || orgs < 1 || orgs > 999) throw new RangeError(`orgs must be 1..999, got ${orgs}`);
  return {
    seed: opts.seed,
    recordings: opts.recordings,
    orgs,
    windowStart: opts.now - opts.days * DAY_MS,
    windowEnd: opts.now,
  };
}
