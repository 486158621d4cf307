import type { RecordingStatus } from './constants.js';
import { conflict, notFound } from './errors.js';
import type { Recording } from './types.js';

export type LifecycleAction = 'softDelete' | 'restore' | 'purge' | 'adminDelete';

/** One recording's move, as applied and audited. */
export interface StatusChange {
  readonly id: string;
  readonly from: RecordingStatus;
  readonly to: RecordingStatus;
  /** An admin delete: the recording vanishes for admins and stays visible to compliance officers as purged. */
  readonly adminDelete: boolean;
}

/** Which recordings a caller may act on: one org, some sites, optionally one host's recordings only. */
export interface ActionScope {
  readonly orgId: string;
  readonly siteUrls: readonly string[];
  /** Lower-cased host email the action is narrowed to, or `null` for every host. */
  readonly hostEmail: string | null;
  /** Compliance officers still see admin-deleted recordings (as purged); admins and hosts do not. */
  readonly seesAdminDeleted: boolean;
}

type Outcome = RecordingStatus | 'noop' | 'conflict';

/** The recycle-bin state machine: a transition already done is a no-op, an impossible one a conflict. */
const TRANSITIONS: Readonly<Record<Exclude<LifecycleAction, 'adminDelete'>, Readonly<Record<RecordingStatus, Outcome>>>> = {
  softDelete: { available: 'deleted', deleted: 'noop', purged: 'conflict' },
  restore: { available: 'noop', deleted: 'available', purged: 'conflict' },
  purge: { available: 'conflict', deleted: 'purged', purged: 'noop' },
};

export function withinScope(r: Recording, scope: ActionScope): boolean {
  return (
    r.orgId === scope.orgId &&
    scope.siteUrls.includes(r.siteUrl) &&
    (scope.hostEmail === null || r.hostEmail.toLowerCase() === scope.hostEmail) &&
    (!r.adminDeleted || scope.seesAdminDeleted)
  );
}

/**
 * Plans a batch, all or nothing: any requested id that is unknown or outside the caller's scope
 * is a 404 (foreign ids look unknown), any impossible transition a 409 — checked before anything
 * changes. Returns only the real changes (no-ops dropped).
 */
export function planLifecycle(action: LifecycleAction, requestedIds: readonly string[], rows: readonly Recording[], scope: ActionScope): StatusChange[] {
  const byId = new Map(rows.filter((r) => withinScope(r, scope)).map((r) => [r.id, r]));
  const ids = [...new Set(requestedIds)];
  const missing = ids.find((id) => !byId.has(id));
  if (missing !== undefined) throw notFound(`Recording ${JSON.stringify(missing.slice(0, 200))} was not found.`);
  const changes: StatusChange[] = [];
  for (const id of ids) {
    const r = byId.get(id) as Recording;
    if (action === 'adminDelete') {
      if (r.adminDeleted) continue;
      changes.push({ id, from: r.status, to: 'purged', adminDelete: true });
      continue;
    }
    const outcome = TRANSITIONS[action][r.status];
    if (outcome === 'conflict') {
      throw conflict(`Recording ${JSON.stringify(id)} is ${r.status}; it cannot be ${pastTense(action)}.`);
    }
    if (outcome !== 'noop') changes.push({ id, from: r.status, to: outcome, adminDelete: false });
  }
  return changes;
}

/**
 * `restoreAll` / `purgeAll`: every recording in the recycle bin within scope, newest first (the
 * listing's order), so the audit trail of one batch reads the same on every engine whatever
 * order the store read the bin in.
 */
export function planEmptyRecycleBin(action: 'restore' | 'purge', rows: readonly Recording[], scope: ActionScope): StatusChange[] {
  const to: RecordingStatus = action === 'restore' ? 'available' : 'purged';
  return rows
    .filter((r) => r.status === 'deleted' && withinScope(r, scope))
    .sort((a, b) => b.createTime - a.createTime || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((r) => ({ id: r.id, from: r.status, to, adminDelete: false }));
}

function pastTense(action: Exclude<LifecycleAction, 'adminDelete'>): string {
  return { softDelete: 'moved to the recycle bin', restore: 'restored', purge: 'purged' }[action];
}
