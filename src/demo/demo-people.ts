import { SCOPES } from '../domain/constants.js';
import type { Person } from '../domain/types.js';

/** One person of the demo organization and the token `--demo` creates for them. */
export interface DemoPerson {
  readonly role: string;
  readonly person: Person;
  readonly scopes: readonly string[];
  readonly clientId: string | null;
}

const ALL_READ = [SCOPES.preferencesRead, SCOPES.adminPreferencesRead];

function demoPerson(id: string, orgId: string, displayName: string, email: string, siteUrls: string[], preferredSiteUrl: string): Person {
  return { id, orgId, displayName, email, siteUrls, preferredSiteUrl };
}

/**
 * An admin, a compliance officer and a regular user for Acme, an admin for Globex and an
 * integration's admin token. Kept apart from the seeding (which loads the generator) so that
 * `serve` can print, on a restart, `tokens create` commands with exactly these scopes.
 */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    role: 'admin (both Acme sites)',
    person: demoPerson('demo-admin', 'acme', 'Avery Admin', 'admin@acme.com', ['acme.webex.com', 'acme-eu.webex.com'], 'acme.webex.com'),
    scopes: [SCOPES.adminRead, SCOPES.adminWrite, ...ALL_READ],
    clientId: null,
  },
  {
    role: 'compliance officer (all of Acme)',
    person: demoPerson('demo-co', 'acme', 'Casey Compliance', 'compliance@acme.com', [], 'acme.webex.com'),
    scopes: [SCOPES.complianceRead, SCOPES.adminWrite, ...ALL_READ],
    clientId: null,
  },
  {
    role: 'regular user (no admin rights: gets 403 on the admin list)',
    person: demoPerson('demo-user', 'acme', 'Riley User', 'user@acme.com', ['acme.webex.com'], 'acme.webex.com'),
    scopes: [SCOPES.ownWrite, SCOPES.preferencesRead],
    clientId: null,
  },
  {
    role: 'admin of the second org (Globex)',
    person: demoPerson('demo-globex-admin', 'globex', 'Gale Globex', 'admin@globex.com', ['globex.webex.com'], 'globex.webex.com'),
    scopes: [SCOPES.adminRead, SCOPES.adminWrite, ...ALL_READ],
    clientId: null,
  },
  {
    role: 'admin via the zendesk-app integration (sees its own integration tags)',
    person: demoPerson('demo-zendesk', 'acme', 'Zendesk Integration', 'zendesk-bot@acme.com', ['acme.webex.com', 'acme-eu.webex.com'], 'acme.webex.com'),
    scopes: [SCOPES.adminRead, ...ALL_READ],
    clientId: 'zendesk-app',
  },
];
