import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingStatus } from '../../src/domain/constants.js';
import { planLifecycle } from '../../src/domain/lifecycle.js';
import { tagVisible } from '../../src/domain/principal.js';
import { topicKey } from '../../src/domain/topic-key.js';
import type { Recording } from '../../src/domain/types.js';
import { NOW, pageQuery, seedGenerated } from './support.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore } from '../helpers/test-store.js';
import type { RecordingPageQuery } from '../../src/store/store.js';

/**
 * Every access path of the store (site, topic, meeting id at three levels, integration tag) walked
 * page by page with the keyset, compared with a brute-force filter and sort of the same rows.
 */
let store: Store;
let all: Recording[] = [];

beforeAll(async () => {
  store = await openTestStore();
  all = await seedGenerated(store, { seed: 99, recordings: 6000, days: 40 });
  // Soft-delete a slice through the lifecycle path so tag rows must follow status changes.
  const victims = all.filter((r, i) => r.orgId === 'acme' && r.status === 'available' && r.integrationTags.length > 0 && i % 3 === 0).slice(0, 150);
  const ids = victims.map((r) => r.id);
  const scope = { orgId: 'acme', siteUrls: [...new Set(victims.map((r) => r.siteUrl))], hostEmail: null, seesAdminDeleted: false };
  await store.applyLifecycle({ kind: 'ids', orgId: 'acme', ids }, 'softDelete', (rows) => planLifecycle('softDelete', ids, rows, scope), {
    at: NOW, orgId: 'acme', personId: null, tokenId: null, trackingId: null,
  });
  const moved = new Set(ids);
  all = all.map((r) => (moved.has(r.id) ? { ...r, status: 'deleted' as RecordingStatus } : r));
});
afterAll(async () => {
  await store.close();
});

function expected(q: Omit<RecordingPageQuery, 'after' | 'limit'>): string[] {
  return all
    .filter((r) => r.orgId === q.orgId && q.siteUrls.includes(r.siteUrl) && r.status === q.status)
    .filter((r) => q.meetingId === null || [r.meetingId, r.scheduledMeetingId, r.meetingSeriesId].includes(q.meetingId))
    .filter((r) => q.window === null || (r.createTime >= q.window.from && r.createTime < q.window.to))
    .filter((r) => q.topicKey === null || topicKey(r.topic) === q.topicKey)
    .filter((r) => q.format === null || r.format === q.format)
    .filter((r) => q.serviceType === null || r.serviceType === q.serviceType)
    .filter((r) => q.integrationTag === null || r.integrationTags.some((t) => t.tag === q.integrationTag!.tag && tagVisible(t.clientId, q.integrationTag!.clientId)))
    .sort((a, b) => b.createTime - a.createTime || (a.id < b.id ? 1 : -1))
    .map((r) => r.id);
}

async function walk(q: Omit<RecordingPageQuery, 'after' | 'limit'>, max: number): Promise<string[]> {
  const seen: string[] = [];
  let after: RecordingPageQuery['after'] = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const rows = await store.listRecordings({ ...q, after, limit: max + 1 });
    const page = rows.slice(0, max);
    seen.push(...page.map((r) => r.id));
    const last = page[page.length - 1];
    if (rows.length <= max || last === undefined) return seen;
    after = { createTime: last.createTime, id: last.id };
  }
  throw new Error('walk did not end');
}

const base = (over: Partial<RecordingPageQuery>): Omit<RecordingPageQuery, 'after' | 'limit'> => {
  const { after: _after, limit: _limit, ...rest } = pageQuery(over);
  return rest;
};

describe('store access paths against a brute-force expectation', () => {
  it('site + window, every status, several page sizes', async () => {
    for (const status of ['available', 'deleted', 'purged'] as const) {
      for (const max of [1, 7, 100]) {
        const q = base({ status });
        expect(await walk(q, max)).toEqual(expected(q));
      }
    }
  });

  it('random combinations of filters on every access path', async () => {
    const acme = all.filter((r) => r.orgId === 'acme');
    const pick = <T,>(xs: T[]) => fc.constantFrom(...xs);
    const tags = [...new Set(acme.flatMap((r) => r.integrationTags.map((t) => t.tag)))];
    const meetingIds = [...new Set(acme.flatMap((r) => [r.meetingId, r.scheduledMeetingId ?? r.meetingId, r.meetingSeriesId ?? r.meetingId]))];
    const topics = [...new Set(acme.map((r) => r.topic))];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          site: pick(['acme.webex.com', 'acme-eu.webex.com']),
          status: pick(['available', 'deleted', 'purged'] as const),
          mode: pick(['site', 'meeting', 'tag', 'topic'] as const),
          meetingId: pick(meetingIds.slice(0, 400)),
          tag: pick(tags),
          client: pick([null, 'zendesk-app', 'jira-cloud']),
          topic: pick(topics.slice(0, 200)),
          format: fc.option(pick(['MP4', 'ARF', 'UPLOADED'] as const), { nil: null }),
          days: fc.integer({ min: 1, max: 30 }),
          offsetDays: fc.integer({ min: 0, max: 12 }),
          max: fc.integer({ min: 1, max: 12 }),
        }),
        async (p) => {
          const to = NOW - p.offsetDays * 86_400_000;
          const q = base({
            // Meeting queries cover every visible site: both (a compliance officer) or one (an admin of one site).
            siteUrls: p.mode === 'meeting' ? (p.site === 'acme.webex.com' ? ['acme.webex.com', 'acme-eu.webex.com'] : [p.site]) : [p.site],
            status: p.status,
            meetingId: p.mode === 'meeting' ? p.meetingId : null,
            window: p.mode === 'meeting' ? null : { from: to - p.days * 86_400_000, to },
            integrationTag: p.mode === 'tag' ? { tag: p.tag, clientId: p.client } : null,
            topicKey: p.mode === 'topic' ? topicKey(p.topic.toUpperCase()) : null,
            format: p.format,
          });
          expect(await walk(q, p.max)).toEqual(expected(q));
        },
      ),
      { numRuns: 150, seed: 20260115 },
    );
  });

  it('another org never matches, whatever the filters', async () => {
    const globexSite = all.find((r) => r.orgId === 'globex')!.siteUrl;
    expect(await walk(base({ siteUrls: [globexSite] }), 50)).toEqual([]);
    const globexMeeting = all.find((r) => r.orgId === 'globex')!.meetingSeriesId!;
    expect(await walk(base({ meetingId: globexMeeting, window: null, siteUrls: ['acme.webex.com', 'acme-eu.webex.com'] }), 50)).toEqual([]);
  });
});
