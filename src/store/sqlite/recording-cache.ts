import type { Recording } from '../../domain/types.js';

/**
 * Recordings recently read, by their clustered key (site, createTime, id). A page is first read
 * as keys only — an index range with no row decoding, the bulk of a page's SQL cost being the
 * conversion of 21 columns per row into JavaScript values — and served from here when every key
 * is known. The owner clears it whenever the database may have changed (any local write, or a
 * new SQLite `data_version`), so an entry is never older than the last commit seen.
 *
 * Returning the same (immutable) objects also lets the renderer memoise their JSON per object.
 * Bounded, oldest entries evicted first.
 */
export class RecordingCache {
  private readonly entries = new Map<string, Recording>();

  constructor(private readonly capacity: number) {}

  static key(siteUrl: string, createTime: number, id: string): string {
    return `${siteUrl}\u0000${createTime}\u0000${id}`;
  }

  get(key: string): Recording | undefined {
    return this.entries.get(key);
  }

  add(recording: Recording): void {
    const key = RecordingCache.key(recording.siteUrl, recording.createTime, recording.id);
    if (this.entries.has(key)) return;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, recording);
  }

  clear(): void {
    this.entries.clear();
  }
}
