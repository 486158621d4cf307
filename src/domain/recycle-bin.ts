import type { AuditContext, Store } from '../store/store.js';
import { MAX_BATCH_IDS, SCOPES } from './constants.js';
import { badRequest, forbidden } from './errors.js';
import { planEmptyRecycleBin, planLifecycle, type ActionScope, type LifecycleAction, type StatusChange } from './lifecycle.js';
import { listRole, matchSite, resolveSite, visibleSites, type Principal } from './principal.js';
import { assertStorableId } from './text-defects.js';

/** A bulk body after schema validation (BulkSoftDelete/Restore/PurgeRecordingObject). */
export interface BulkBody {
  readonly recordingIds?: readonly string[] | undefined;
  readonly siteUrl?: string | undefined;
  readonly restoreAll?: boolean | undefined;
  readonly purgeAll?: boolean | undefined;
}

export interface LifecycleDeps {
  readonly store: Store;
  readonly now: () => number;
}

const WRITE_SCOPES_MESSAGE = `needs ${SCOPES.adminWrite} (recordings of the sites you administer) or ${SCOPES.ownWrite} (your own recordings)`;

/**
 * The scope check of the recycle-bin actions alone, which needs no body: the routes run it
 * right after authentication, so a token without a write scope gets a 403 whatever it sent.
 */
export function assertMayChangeRecordings(principal: Principal): void {
  if (!principal.scopes.has(SCOPES.adminWrite) && !principal.scopes.has(SCOPES.ownWrite)) throw forbidden(`Changing recordings ${WRITE_SCOPES_MESSAGE}.`);
}

/** The scope check of an admin delete (see `assertMayChangeRecordings`). */
export function assertMayAdminDelete(principal: Principal): void {
  if (!principal.scopes.has(SCOPES.adminWrite)) throw forbidden(`Deleting a recording as an admin needs ${SCOPES.adminWrite}.`);
}

/**
 * Who may act on which recordings: an admin with the write-admin scope on the sites they
 * manage, optionally narrowed to one host by `hostEmail`; anyone else with the own-write scope
 * only on recordings they hosted.
 */
export function actionScope(principal: Principal, siteUrl: string | undefined, hostEmail: string | undefined): ActionScope {
  assertMayChangeRecordings(principal);
  const isAdminWriter = principal.scopes.has(SCOPES.adminWrite);
  const ownEmail = principal.person.email.toLowerCase();
  const requestedHost = hostEmail === undefined || hostEmail === '' ? null : hostEmail.toLowerCase();
  if (!isAdminWriter && requestedHost !== null && requestedHost !== ownEmail) {
    throw forbidden('Only an admin (meeting:admin_recordings_write) may act on another host’s recordings.');
  }
  // An admin acts on the sites they manage; a host on any site of their org (only on
  // recordings they hosted, enforced by the host restriction below).
  const site = isAdminWriter ? resolveSite(principal, siteUrl ?? null) : hostSite(principal, siteUrl);
  return {
    orgId: principal.person.orgId,
    siteUrls: [site],
    hostEmail: isAdminWriter ? requestedHost : ownEmail,
    seesAdminDeleted: listRole(principal) === 'complianceOfficer',
  };
}

function hostSite(principal: Principal, requested: string | undefined): string {
  const preferred = principal.person.preferredSiteUrl;
  const site =
    requested === undefined ? (preferred !== null && principal.orgSiteUrls.includes(preferred) ? preferred : principal.orgSiteUrls[0]) : matchSite(principal.orgSiteUrls, requested);
  if (site === undefined || site === null) {
    throw forbidden(`Access to site ${JSON.stringify((requested ?? '').slice(0, 200))} is not allowed for this caller.`);
  }
  return site;
}

/** POST /v1/recordings/softDelete | restore | purge. Size is checked before anything else is looked up. */
export async function runBulkAction(
  principal: Principal,
  action: 'softDelete' | 'restore' | 'purge',
  body: BulkBody,
  hostEmail: string | undefined,
  deps: LifecycleDeps,
  trackingId: string,
): Promise<StatusChange[]> {
  const all = action === 'restore' ? body.restoreAll === true : action === 'purge' ? body.purgeAll === true : false;
  const ids = body.recordingIds ?? [];
  const flag = action === 'restore' ? 'restoreAll' : 'purgeAll';
  if (all && ids.length > 0) throw badRequest(`recordingIds must be empty when ${flag} is true.`);
  if (!all && (ids.length < 1 || ids.length > MAX_BATCH_IDS)) {
    throw badRequest(`recordingIds must hold 1 to ${MAX_BATCH_IDS} ids${action === 'softDelete' ? '' : ` (or set ${flag} to true)`}; got ${ids.length}.`);
  }
  ids.forEach((id, i) => assertStorableId(`recordingIds[${i}]`, id));
  if (hostEmail !== undefined) assertStorableId('Parameter hostEmail', hostEmail);
  const scope = actionScope(principal, body.siteUrl, hostEmail);
  const audit = auditContext(principal, deps.now(), trackingId);
  if (all) {
    const emptyBin = action as 'restore' | 'purge';
    return deps.store.applyLifecycle(
      { kind: 'recycleBin', orgId: scope.orgId, siteUrls: scope.siteUrls },
      `${action}All`,
      (rows) => planEmptyRecycleBin(emptyBin, rows, scope),
      audit,
    );
  }
  return deps.store.applyLifecycle({ kind: 'ids', orgId: scope.orgId, ids }, action, (rows) => planLifecycle(action, ids, rows, scope), audit);
}

/** DELETE /v1/admin/recordings/{id}: the recording vanishes for admins; compliance officers see it as purged. */
export async function runAdminDelete(principal: Principal, recordingId: string, deps: LifecycleDeps, trackingId: string): Promise<void> {
  assertMayAdminDelete(principal);
  assertStorableId('Recording id', recordingId);
  const scope: ActionScope = { orgId: principal.person.orgId, siteUrls: visibleSites(principal), hostEmail: null, seesAdminDeleted: false };
  const action: LifecycleAction = 'adminDelete';
  await deps.store.applyLifecycle(
    { kind: 'ids', orgId: scope.orgId, ids: [recordingId] },
    action,
    (rows) => planLifecycle(action, [recordingId], rows, scope),
    auditContext(principal, deps.now(), trackingId),
  );
}

export function auditContext(principal: Principal, at: number, trackingId: string): AuditContext {
  return { at, orgId: principal.person.orgId, personId: principal.person.id, tokenId: principal.tokenId, trackingId };
}
