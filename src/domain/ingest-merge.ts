import type { Recording } from './types.js';

/**
 * What an ingested record makes of an existing recording. The recycle-bin state belongs to
 * recvault: a record that leaves `status` out keeps the current state (so a recording system
 * re-sending its catalogue does not undo an admin's soft delete), and an admin delete is kept.
 */
export function mergeIngested(existing: Recording, incoming: { readonly recording: Recording; readonly statusGiven: boolean }): Recording {
  const kept = mergeImported(existing, incoming.recording);
  return incoming.statusGiven && !existing.adminDeleted ? { ...kept, status: incoming.recording.status } : kept;
}

/**
 * What a file import makes of an existing recording: the record's fields with the stored
 * recycle-bin state and admin delete, whatever `status` the record gives. An import is an
 * unaudited bulk load; only the audited lifecycle API and ingest change that state.
 */
export function mergeImported(stored: Pick<Recording, 'status' | 'adminDeleted'>, incoming: Recording): Recording {
  return { ...incoming, status: stored.status, adminDeleted: stored.adminDeleted };
}

/** Field-by-field equality, integration tags compared in order. */
export function sameRecording(a: Recording, b: Recording): boolean {
  const keys = Object.keys(a) as (keyof Recording)[];
  for (const key of keys) {
    if (key === 'integrationTags') continue;
    if (a[key] !== b[key]) return false;
  }
  if (a.integrationTags.length !== b.integrationTags.length) return false;
  return a.integrationTags.every((t, i) => t.tag === b.integrationTags[i]?.tag && t.clientId === b.integrationTags[i]?.clientId);
}

/** A lifecycle-neutral audit line an ingest writes for each recording it creates or changes. */
export interface IngestAuditLine {
  readonly action: 'ingest.create' | 'ingest.update';
  readonly recordingId: string;
  readonly from: Recording['status'] | null;
  readonly to: Recording['status'];
}

export interface IngestPlan {
  /** Recordings to upsert, in order (a repeated id appears once per change; the last wins). */
  readonly writes: Recording[];
  readonly audit: IngestAuditLine[];
  readonly counts: { readonly created: number; readonly updated: number; readonly unchanged: number };
}

/** The key a recording is unique under: ids are unique per org. */
export function recordingKey(orgId: string, id: string): string {
  return `${orgId}\u0000${id}`;
}

/**
 * Decides an ingest batch against what is stored (`stored`, by `recordingKey`): each record
 * creates, updates (merged by `mergeIngested`) or leaves a recording unchanged, in order, so a
 * record repeated later in the batch is merged with the earlier one's result. Both store engines
 * apply the plan in one transaction.
 */
export function planIngest(
  records: readonly { readonly recording: Recording; readonly statusGiven: boolean }[],
  stored: ReadonlyMap<string, Recording>,
): IngestPlan {
  const current = new Map(stored);
  const writes: Recording[] = [];
  const audit: IngestAuditLine[] = [];
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const record of records) {
    const key = recordingKey(record.recording.orgId, record.recording.id);
    const existing = current.get(key);
    if (existing === undefined) {
      current.set(key, record.recording);
      writes.push(record.recording);
      audit.push({ action: 'ingest.create', recordingId: record.recording.id, from: null, to: record.recording.status });
      created++;
      continue;
    }
    const next = mergeIngested(existing, record);
    if (sameRecording(existing, next)) {
      unchanged++;
      continue;
    }
    current.set(key, next);
    writes.push(next);
    audit.push({ action: 'ingest.update', recordingId: next.id, from: existing.status, to: next.status });
    updated++;
  }
  return { writes, audit, counts: { created, updated, unchanged } };
}
