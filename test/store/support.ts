import type { Recording } from '../../src/domain/types.js';
import { generateRecordings, generateWorld } from '../../src/generate/generator.js';
import type { RecordingPageQuery } from '../../src/store/store.js';
import type { Store } from '../../src/store/store.js';

export const NOW = Date.parse('2026-01-15T00:00:00Z');

/** Seeds a store with the generator's world and recordings; returns every recording written. */
export async function seedGenerated(store: Store, options: { seed: number; recordings: number; days: number }): Promise<Recording[]> {
  const opts = { ...options, now: NOW, orgs: 2 };
  const world = generateWorld(opts);
  await store.importDataset({ orgs: world.orgs, sites: world.sites, people: world.people, tokens: [], recordings: [] });
  const all: Recording[] = [];
  for (const batch of generateRecordings(opts, world)) {
    await store.insertRecordings(batch);
    all.push(...batch);
  }
  return all;
}

/** A page query on acme's largest site over the last 30 days, with overrides. */
export function pageQuery(over: Partial<RecordingPageQuery>): RecordingPageQuery {
  return {
    orgId: 'acme',
    siteUrls: ['acme.webex.com'],
    meetingId: null,
    window: { from: NOW - 30 * 86_400_000, to: NOW },
    status: 'available',
    topicKey: null,
    format: null,
    serviceType: null,
    integrationTag: null,
    after: null,
    limit: 11,
    ...over,
  };
}
