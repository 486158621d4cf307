import { SCOPES } from './constants.js';
import { forbidden } from './errors.js';
import type { Person } from './types.js';

/** The authenticated caller: one person of one org, with the token's scopes and client. */
export interface Principal {
  readonly tokenId: string;
  readonly person: Person;
  readonly scopes: ReadonlySet<string>;
  readonly clientId: string | null;
  /** Every site of the caller's org, sorted. */
  readonly orgSiteUrls: readonly string[];
}

export type ListRole = 'complianceOfficer' | 'admin';

/** A token with both read scopes is treated as a compliance officer, as the SPEC says. */
export function listRole(principal: Principal): ListRole | null {
  if (principal.scopes.has(SCOPES.complianceRead)) return 'complianceOfficer';
  if (principal.scopes.has(SCOPES.adminRead)) return 'admin';
  return null;
}

export function hasAnyScope(principal: Principal, scopes: readonly string[]): boolean {
  return scopes.some((scope) => principal.scopes.has(scope));
}

export function requireScope(principal: Principal, scopes: readonly string[], action: string): void {
  if (!hasAnyScope(principal, scopes)) {
    throw forbidden(`The token is not allowed to ${action}: it needs one of the scopes ${scopes.join(', ')}.`);
  }
}

/** Sites the caller may see: a compliance officer every site of the org, anyone else the sites on their person record. */
export function visibleSites(principal: Principal): readonly string[] {
  if (principal.scopes.has(SCOPES.complianceRead)) return principal.orgSiteUrls;
  const own = new Set(principal.person.siteUrls);
  return principal.orgSiteUrls.filter((site) => own.has(site));
}

/** The preferred site when the caller may see it, else the first visible site, else none. */
export function defaultSite(principal: Principal): string | null {
  const sites = visibleSites(principal);
  const preferred = principal.person.preferredSiteUrl;
  if (preferred !== null && sites.includes(preferred)) return preferred;
  return sites[0] ?? null;
}

/**
 * The site a request acts on. An unknown site and a site the caller may not see get the same
 * 403, so nobody learns whether another org's site exists.
 */
export function resolveSite(principal: Principal, requested: string | null): string {
  if (requested === null) {
    const site = defaultSite(principal);
    if (site === null) throw forbidden('The caller has no site to list recordings from.');
    return site;
  }
  const site = matchSite(visibleSites(principal), requested);
  if (site === null) throw forbidden(`Access to site ${JSON.stringify(requested.slice(0, 200))} is not allowed for this caller.`);
  return site;
}

/**
 * The site of `sites` that `requested` names, spelled as stored. Site URLs are host names, which
 * are case-insensitive (RFC 4343): `ACME.webex.com` names `acme.webex.com`. An exact match wins,
 * so two stored spellings of one name (which a catalogue could hold) stay distinct.
 */
export function matchSite(sites: readonly string[], requested: string): string | null {
  if (sites.includes(requested)) return requested;
  const folded = requested.toLowerCase();
  return sites.find((site) => site.toLowerCase() === folded) ?? null;
}

/** Tags the caller may see: those without a client, and those its own integration client created. */
export function tagVisible(tagClientId: string | null, callerClientId: string | null): boolean {
  return tagClientId === null || tagClientId === callerClientId;
}
