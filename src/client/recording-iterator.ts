import type { RecordingItem } from '../domain/types.js';

/**
 * An async iterable of recordings that also collects into an array — but only up to an
 * explicit limit, so a forgotten filter cannot pull a whole catalogue into memory.
 *
 * @example
 * for await (const recording of client.recordings.list({ from, to })) console.log(recording.id);
 * const first500 = await client.recordings.list({ from, to }).toArray({ limit: 500 });
 */
export class RecordingIterator implements AsyncIterable<RecordingItem> {
  constructor(private readonly source: () => AsyncGenerator<RecordingItem, void, undefined>) {}

  [Symbol.asyncIterator](): AsyncGenerator<RecordingItem, void, undefined> {
    return this.source();
  }

  /**
   * Collects at most `limit` items (use `Infinity` to mean "all", deliberately) and stops
   * fetching as soon as the limit is reached.
   *
   * @example
   * const all = await client.recordings.list({ from: '2024-01-01', to: '2025-01-01' }).toArray({ limit: Infinity });
   */
  async toArray(options: { readonly limit: number }): Promise<RecordingItem[]> {
    // Plain JavaScript callers can leave the options out, which the types forbid.
    const limit = (options as { readonly limit?: unknown } | undefined)?.limit;
    if (typeof limit !== 'number' || !(limit === Infinity || (Number.isInteger(limit) && limit >= 0))) {
      throw new RangeError(`toArray needs a limit: a whole number ≥ 0 or Infinity, got ${String(limit)}`);
    }
    const out: RecordingItem[] = [];
    if (limit === 0) return out;
    for await (const item of this) {
      out.push(item);
      if (out.length >= limit) break;
    }
    return out;
  }
}
