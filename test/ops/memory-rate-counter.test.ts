import { describe, expect, it } from 'vitest';
import { MemoryRateCounter } from '../../src/http/memory-rate-counter.js';

describe('in-memory rate counter', () => {
  it('counts per key within a window and starts a new window after it', () => {
    let now = 0;
    const counter = new MemoryRateCounter(() => now, 100);
    expect(counter.incr('a', 1000)).toEqual({ current: 1, ttl: 1000 });
    now = 400;
    expect(counter.incr('a', 1000)).toEqual({ current: 2, ttl: 600 });
    now = 1000;
    expect(counter.incr('a', 1000)).toEqual({ current: 1, ttl: 1000 });
  });

  it('when full, evicts the oldest windows first — a restarted window counts as new', () => {
    let now = 0;
    const counter = new MemoryRateCounter(() => now, 3);
    counter.incr('a', 1000);
    now = 10;
    counter.incr('b', 1000);
    now = 20;
    counter.incr('c', 1000);
    // a's window restarts: it is now the newest, so b goes first when room is needed.
    now = 1005;
    expect(counter.incr('a', 1000).current).toBe(1);
    counter.incr('a', 1000);
    now = 1006;
    counter.incr('d', 1000); // full: b and c have expired and are dropped, a is kept
    expect(counter.incr('a', 1000).current).toBe(3);
    expect(counter.incr('b', 1000).current).toBe(1);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const counter = new MemoryRateCounter(() => 0, 50);
    for (let i = 0; i < 10_000; i++) counter.incr(`k${i}`, 60_000);
    expect((counter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(50);
    // The newest keys survive; the oldest were evicted.
    expect(counter.incr('k9999', 60_000).current).toBe(2);
    expect(counter.incr('k0', 60_000).current).toBe(1);
  });
});
