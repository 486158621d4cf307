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
      // Re-inserted on every new window, so the map stays ordered by window start (oldest first).
      if (window !== undefined) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.evict(now);
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { current: window.count, ttl: window.resetAt - now };
  }

  /**
   * Drops windows from the front (the oldest): every expired one there, and then more until
   * there is room. It stops at the first live window once there is room, so a flood of new keys
   * costs amortised O(1) per key, not a scan of the map.
   */
  private evict(now: number): void {
    for (const [key, window] of this.windows) {
      if (this.windows.size < this.maxKeys && window.resetAt > now) break;
      this.windows.delete(key);
    }
  }
}
