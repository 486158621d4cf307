/** One key's count in its current window and the milliseconds left until the window resets. */
export interface WindowCount {
  readonly current: number;
  readonly ttl: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window request counts per key, in this process only. Bounded: past `maxKeys` the
 * expired windows are dropped, then the oldest ones, so a flood of distinct keys cannot grow
 * memory without limit.
 */
export class MemoryRateCounter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  incr(key: string, windowMs: number): WindowCount {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      if (window === undefined && this.windows.size >= this.maxKeys) this.evict(now);
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { current: window.count, ttl: window.resetAt - now };
  }

  private evict(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Map iteration follows insertion order, so the first keys are the oldest windows.
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
