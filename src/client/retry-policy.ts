import { abortableSleep, type Sleep } from './sleep.js';

export interface RetryOptions {
  /** Retries after the first attempt; 0 disables retrying. Default 4. */
  readonly maxRetries?: number;
  /** First backoff step in ms, doubled on every retry. Default 500. */
  readonly baseDelayMs?: number;
  /** Backoff ceiling in ms. Default 20 000. */
  readonly maxDelayMs?: number;
  /** A `Retry-After` longer than this (ms) is not waited out: the error is thrown. Default 120 000. */
  readonly maxRetryAfterMs?: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Injected for tests; default a real timer that an `AbortSignal` cancels. */
  readonly sleep?: Sleep;
  /** Injected clock (epoch ms), used to read HTTP-date `Retry-After` values. Default `Date.now`. */
  readonly now?: () => number;
}

/** What went wrong with one attempt. */
export type AttemptFailure =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfterSeconds: number | null }
  | { readonly kind: 'connection' };

/** Statuses whose `Retry-After` is honoured (rate limited, locked, unavailable). */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([423, 429, 503]);

/**
 * When to try a request again and how long to wait first, as a small pure object.
 *
 * - 429, 423 and 503 wait the server's `Retry-After` seconds exactly (backoff when absent).
 * - Other 5xx (except 501, which no retry can fix) and connection errors back off exponentially:
 *   `min(maxDelay, base·2^retry)` with "equal jitter", i.e. a wait in `[cap/2, cap]`, so many
 *   clients failing together do not retry in lockstep yet each still waits at least half the step.
 * - Every other status (400, 401, 403, 404, 409, …) is final.
 *
 * @example
 * const policy = new RetryPolicy({ maxRetries: 2, baseDelayMs: 100 });
 * policy.delayBeforeRetry(0, { kind: 'response', status: 503, retryAfterSeconds: 1 }); // 1000
 * policy.delayBeforeRetry(0, { kind: 'response', status: 404, retryAfterSeconds: null }); // null
 */
export class RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly sleep: Sleep;
  readonly now: () => number;
  private readonly random: () => number;

  constructor(options: RetryOptions = {}) {
    this.maxRetries = nonNegative('maxRetries', options.maxRetries ?? 4);
    this.baseDelayMs = nonNegative('baseDelayMs', options.baseDelayMs ?? 500);
    this.maxDelayMs = nonNegative('maxDelayMs', options.maxDelayMs ?? 20_000);
    this.maxRetryAfterMs = nonNegative('maxRetryAfterMs', options.maxRetryAfterMs ?? 120_000);
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
  }

  /** Whether a status is worth another attempt at all (before counting retries). */
  static isRetryableStatus(status: number): boolean {
    return RETRY_AFTER_STATUSES.has(status) || (status >= 500 && status !== 501);
  }

  /**
   * The wait in ms before retry number `retriesDone + 1`, or `null` to give up.
   *
   * @example
   * new RetryPolicy().delayBeforeRetry(4, { kind: 'connection' }); // null: maxRetries (4) used up
   */
  delayBeforeRetry(retriesDone: number, failure: AttemptFailure): number | null {
    if (retriesDone >= this.maxRetries) return null;
    if (failure.kind === 'connection') return this.backoff(retriesDone);
    if (!RetryPolicy.isRetryableStatus(failure.status)) return null;
    if (RETRY_AFTER_STATUSES.has(failure.status) && failure.retryAfterSeconds !== null) {
      const wait = failure.retryAfterSeconds * 1000;
      return wait > this.maxRetryAfterMs ? null : wait;
    }
    return this.backoff(retriesDone);
  }

  /**
   * Capped exponential backoff with equal jitter: a value in `[cap/2, cap]`.
   *
   * @example
   * new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 }).backoff(5); // 500
   */
  backoff(retriesDone: number): number {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(retriesDone, 30));
    const r = Math.min(Math.max(this.random(), 0), 1);
    return Math.round(cap / 2 + (cap / 2) * r);
  }
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`retry.${name} must be a finite number ≥ 0, got ${value}`);
  return value;
}
