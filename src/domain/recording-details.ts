import type { Store } from '../store/store.js';
import { SCOPES } from './constants.js';
import { forbidden, notFound } from './errors.js';
import { listRole, visibleSites, type Principal } from './principal.js';
import { rendererFor } from './render-instant.js';
import { renderRecording } from './render-recording.js';
import { assertStorableId } from './text-defects.js';
import { parseTimeZone } from './time-zone.js';
import type { RecordingItem } from './types.js';

const isOwnReader = (principal: Principal) => principal.scopes.has(SCOPES.ownRead) || principal.scopes.has(SCOPES.ownWrite);

/** The scope check alone, run by the route right after authentication (before the headers are read). */
export function assertMayReadDetails(principal: Principal): void {
  if (listRole(principal) === null && !isOwnReader(principal)) {
    throw forbidden(`Reading recording details needs ${SCOPES.adminRead}, ${SCOPES.complianceRead} or ${SCOPES.ownRead}.`);
  }
}

/**
 * GET /v1/recordings/{id}: a compliance officer sees any recording of the org (admin-deleted
 * ones as purged); an admin those of their sites except purged ones; a host with the own-read
 * scope their own. Anything else is a 404, so ids of other orgs look unknown.
 */
export async function getRecordingDetails(principal: Principal, id: string, timezoneHeader: string | undefined, store: Store): Promise<RecordingItem> {
  assertMayReadDetails(principal);
  const zone = parseTimeZone(timezoneHeader);
  const role = listRole(principal);
  const ownReader = isOwnReader(principal);
  assertStorableId('Recording id', id);
  const r = await store.getRecording(principal.person.orgId, id);
  const missing = () => notFound(`Recording ${JSON.stringify(id.slice(0, 200))} was not found.`);
  if (r === null || r.orgId !== principal.person.orgId) throw missing();
  const asCo = role === 'complianceOfficer';
  const asAdmin = role === 'admin' && visibleSites(principal).includes(r.siteUrl) && r.status !== 'purged';
  const asHost = ownReader && r.hostEmail.toLowerCase() === principal.person.email.toLowerCase() && r.status !== 'purged';
  if (!asCo && !asAdmin && !asHost) throw missing();
  return renderRecording(r, rendererFor(zone), principal.clientId);
}
