import { hashToken, newTokenId, newTokenSecret } from '../domain/token-secret.js';
import { generateRecordings, generateWorld } from '../generate/generator.js';
import type { Store } from '../store/store.js';
import { DEMO_PEOPLE } from './demo-people.js';

export interface DemoToken {
  readonly role: string;
  readonly email: string;
  readonly secret: string;
}

export const DEMO_RECORDINGS = 5_000;
export const DEMO_DAYS = 60;
const DEMO_SEED = 20_201;

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
  const tokens = DEMO_PEOPLE.map((p) => ({ ...p, secret: newTokenSecret() }));
  const session = await store.beginImport();
  try {
    // Looked at again under the session's lock: a server starting at the same moment may have seeded first.
    if (!(await session.catalogueIsEmpty())) {
      await session.rollback();
      return null;
    }
    await session.write({
      orgs: world.orgs,
      sites: world.sites,
      people: [...world.people, ...DEMO_PEOPLE.map((p) => p.person)],
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

