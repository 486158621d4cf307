import type { Recording } from './types.js';

/**
 * What an ingested record makes of an existing recording. The recycle-bin state belongs to
 * recvault: a record that leaves `status` out keeps the current state (so a recording system
 * re-sending its catalogue does not undo an admin's soft delete), and an admin delete is kept.
 */
export function mergeIngested(existing: Recording, incoming: { readonly recording: Recording; readonly statusGiven: boolean }): Recording {
  return {
    ...incoming.recording,
    status: existing.adminDeleted ? existing.status : incoming.statusGiven ? incoming.recording.status : existing.status,
    adminDeleted: existing.adminDeleted,
  };
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
