import { SCOPES } from './constants.js';
import { listRole, type Principal } from './principal.js';
import type { CallerProfile, Org } from './types.js';

/**
 * What the recycle-bin endpoints let this token do: act on recordings of the sites it
 * administers (`sites`), only on recordings the person hosted (`own`), or nothing (`none`).
 * Derived from the same scopes `actionScope` checks, so a client never guesses from the token.
 */
export function recycleBinAccess(principal: Principal): CallerProfile['recycleBin'] {
  if (principal.scopes.has(SCOPES.adminWrite)) return 'sites';
  if (principal.scopes.has(SCOPES.ownWrite)) return 'own';
  return 'none';
}

/**
 * The caller as the token resolves: person, org, list role, scopes and recycle-bin access, plus
 * the server's clock so a client's relative date ranges ("last 7 days") agree with the API's
 * own default window. Only the caller's own facts: nothing here is visible to another token.
 */
export function callerProfile(principal: Principal, org: Org | null, now: number): CallerProfile {
  const { person } = principal;
  return {
    person: { id: person.id, displayName: person.displayName, email: person.email },
    // A token's person always belongs to a stored org; the id stands in for a missing name.
    org: { id: person.orgId, name: org?.name ?? person.orgId },
    role: listRole(principal) ?? 'none',
    scopes: [...principal.scopes].sort(),
    integrationClientId: principal.clientId,
    recycleBin: recycleBinAccess(principal),
    serverTime: new Date(now).toISOString(),
  };
}
