import { SCOPES } from '../domain/constants.js';
import { hashToken, newTokenId, newTokenSecret } from '../domain/token-secret.js';
import type { Person } from '../domain/types.js';
import { generateRecordings, generateWorld } from '../generate/generator.js';
import type { Store } from '../store/store.js';

export interface DemoToken {
  readonly role: string;
  readonly email: string;
  readonly secret: string;
}

export const DEMO_RECORDINGS = 5_000;
export const DEMO_DAYS = 60;
const DEMO_SEED = 20_201;

const ALL_READ = [SCOPES.preferencesRead, SCOPES.adminPreferencesRead];

/**
 * Seeds the demo organization on an empty database: the generator's two orgs (Acme with two
 * sites, Globex with one) and ~5,000 recordings over the last 60 days, plus an admin, a
 * compliance officer and a regular user for Acme and an admin for Globex, each with a token.
 * Returns the token secrets, which exist nowhere else (only hashes are stored).
 */
export async function seedDemo(store: Store, now: number): Promise<DemoToken[] | null> {
  if ((await store.knownEntities()).orgIds.size > 0) return null;
  const options = { seed: DEMO_SEED, recordings: DEMO_RECORDINGS, days: DEMO_DAYS, now, orgs: 2 };
  const world = generateWorld(options);
  const demoPeople: { person: Person; role: string; scopes: string[]; clientId: string | null }[] = [
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
  const tokens = demoPeople.map((p) => ({ ...p, secret: newTokenSecret() }));
  const session = await store.beginImport();
  try {
    await session.write({
      orgs: world.orgs,
      sites: world.sites,
      people: [...world.people, ...demoPeople.map((p) => p.person)],
      tokens: tokens.map((t) => ({
        id: newTokenId(),
        hash: hashToken(t.secret),
        personId: t.person.id,
        scopes: t.scopes,
        clientId: t.clientId,
        createdAt: now,
        expiresAt: null,
      })),
    });
    for (const batch of generateRecordings(options, world)) await session.write({ recordings: batch });
    await session.commit();
  } catch (error) {
    await session.rollback();
    throw error;
  }
  return tokens.map((t) => ({ role: t.role, email: t.person.email, secret: t.secret }));
}

function demoPerson(id: string, orgId: string, displayName: string, email: string, siteUrls: string[], preferredSiteUrl: string): Person {
  return { id, orgId, displayName, email, siteUrls, preferredSiteUrl };
}
