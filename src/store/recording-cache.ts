import type { Recording } from '../domain/types.js';

/**
 * Recordings recently read, found by their clustered key (site, createTime, id) and a version
 * that changes whenever the stored row does. Each engine keeps it honest its own way:
 * - SQLite clears it whenever the database may have changed (any local write, or a new
 *   `data_version`), so an entry is never older than the last commit seen; its version is `''`.
 * - PostgreSQL reads the row's version with every page (`xmin`, the transaction that wrote
 *   that tuple: any update writes a new tuple), and reuses an entry only when it matches.
 *
 * Returning the same (immutable) objects lets the renderer memoise their JSON per object, and
 * spares converting a row's columns again. Bounded, oldest entries evicted first.
 */
export class RecordingCache {
  /**
   * Keyed by id alone, the rest of the key checked on the way out: building a composite string
   * key per lookup cost more than the lookup (profiled, ~3 µs per page of 10). Ids are unique
   * per org only, so two orgs' recordings with one id take turns in the slot; the site check
   * keeps them apart (a site belongs to one org).
   */
  private readonly entries = new Map<string, CachedRecording>();

  /** The default capacity: a few hundred pages' worth, some 15 MB. */
  constructor(private readonly capacity = 10_000) {}

  get(siteUrl: string, createTime: number, id: string, version = ''): Recording | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.version !== version) return undefined;
    const { recording } = entry;
    return recording.siteUrl === siteUrl && recording.createTime === createTime ? recording : undefined;
  }

  add(recording: Recording, version = ''): void {
    const known = this.entries.get(recording.id);
    if (known !== undefined && known.recording === recording && known.version === version) return;
    if (known === undefined && this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(recording.id, { recording, version });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

interface CachedRecording {
  readonly recording: Recording;
  readonly version: string;
}
