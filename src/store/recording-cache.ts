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
 * spares converting a row's columns again.
 *
 * Bounded, with second-chance (CLOCK) eviction: the oldest entry goes first unless it was read
 * since it was added or last spared, in which case it is spared once more and moved to the back.
 * A hit costs one flag write; a crawler walking thousands of pages read once each no longer
 * pushes out the first pages that clients keep polling (plain first-in-first-out did).
 */
export class RecordingCache {
  /**
   * Keyed by id alone, the rest of the key checked on the way out: building a composite string
   * key per lookup cost more than the lookup (profiled, ~3 µs per page of 10). Ids are unique
   * per org only, so two orgs' recordings with one id take turns in the slot; the site check
   * keeps them apart (a site belongs to one org).
   */
  private readonly entries = new Map<string, CachedRecording>();

  /**
   * The default capacity: a few hundred pages' worth, some 15 MB, plus the rendered views each
   * cached recording keeps (at most MAX_VIEWS_PER_RECORDING of ~1 KB: up to ~40 MB more).
   */
  constructor(private readonly capacity = 10_000) {}

  get(siteUrl: string, createTime: number, id: string, version = ''): Recording | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.version !== version) return undefined;
    const { recording } = entry;
    if (recording.siteUrl !== siteUrl || recording.createTime !== createTime) return undefined;
    entry.readAgain = true;
    return recording;
  }

  add(recording: Recording, version = ''): void {
    const known = this.entries.get(recording.id);
    if (known !== undefined && known.recording === recording && known.version === version) return;
    // A replaced entry keeps its place (Map.set on a present key does not move it).
    if (known === undefined && this.entries.size >= this.capacity) this.evictOne();
    this.entries.set(recording.id, { recording, version, readAgain: false });
  }

  /** Ends after at most one pass: every entry spared on the way has had its flag cleared. */
  private evictOne(): void {
    for (const [id, entry] of this.entries) {
      this.entries.delete(id);
      if (!entry.readAgain) return;
      entry.readAgain = false;
      this.entries.set(id, entry);
    }
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
  /** Read since it was added or last spared by eviction. */
  readAgain: boolean;
}
