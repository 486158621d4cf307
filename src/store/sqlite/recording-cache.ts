import type { Recording } from '../../domain/types.js';

/**
 * Recordings recently read, found by their clustered key (site, createTime, id). A page is first read
 * as keys only — an index range with no row decoding, the bulk of a page's SQL cost being the
 * conversion of 21 columns per row into JavaScript values — and served from here when every key
 * is known. The owner clears it whenever the database may have changed (any local write, or a
 * new SQLite `data_version`), so an entry is never older than the last commit seen.
 *
 * Returning the same (immutable) objects also lets the renderer memoise their JSON per object.
 * Bounded, oldest entries evicted first.
 */
export class RecordingCache {
  /**
   * Keyed by id alone, the rest of the key checked on the way out: building a composite string
   * key per lookup cost more than the lookup (profiled, ~3 µs per page of 10). Ids are unique
   * per org only, so two orgs' recordings with one id take turns in the slot; the site check
   * keeps them apart (a site belongs to one org).
   */
  private readonly entries = new Map<string, Recording>();

  constructor(private readonly capacity: number) {}

  get(siteUrl: string, createTime: number, id: string): Recording | undefined {
    const recording = this.entries.get(id);
    return recording !== undefined && recording.siteUrl === siteUrl && recording.createTime === createTime ? recording : undefined;
  }

  add(recording: Recording): void {
    if (this.entries.get(recording.id) === recording) return;
    if (this.entries.size >= this.capacity && !this.entries.has(recording.id)) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(recording.id, recording);
  }

  clear(): void {
    this.entries.clear();
  }
}
