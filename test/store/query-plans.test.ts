import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, pageQuery, seedGenerated } from './support.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { RecordingPageQuery } from '../../src/store/store.js';

/**
 * Guards the access paths: each hot query must be an index range (or a keyed lookup), never a
 * scan of the table and never a sort of a whole site's window. Page depth must not change the plan.
 */
let store: SqliteStore;

beforeAll(async () => {
  store = SqliteStore.open(':memory:');
  await seedGenerated(store, { seed: 5, recordings: 20_000, days: 60 });
});
afterAll(async () => {
  await store.close();
});

const query = pageQuery;

function planOf(q: RecordingPageQuery): string {
  return store.explainPage(q).map((lines) => lines.join(' | ')).join(' || ');
}

const deep = { createTime: NOW - 20 * 86_400_000, id: '7fffffffffffffffffffffffffffffff' };

describe('query plans', () => {
  it.each([
    ['site page 1', query({}), /SEARCH r USING PRIMARY KEY \(site_url=\? AND create_time>\? AND create_time<\?\)/],
    ['site deep page', query({ after: deep }), /SEARCH r USING PRIMARY KEY \(site_url=\? AND create_time>\? AND create_time<\?\)/],
    ['recycle bin', query({ status: 'deleted', after: deep }), /USING INDEX recordings_by_site \(site_url=\? AND status=\? AND create_time>\? AND create_time<\?\)/],
    ['purged', query({ status: 'purged' }), /USING INDEX recordings_by_site \(site_url=\? AND status=\? AND create_time>\? AND create_time<\?\)/],
    ['topic', query({ topicKey: 'daily scrum', after: deep }), /USING INDEX recordings_by_topic \(site_url=\? AND status=\? AND topic_key=\? AND create_time>\? AND create_time<\?\)/],
    ['format filter', query({ format: 'ARF' }), /SEARCH r USING PRIMARY KEY \(site_url=\? AND create_time>\? AND create_time<\?\)/],
    ['tag', query({ integrationTag: { tag: 'ZD-1', clientId: 'zendesk-app' }, after: deep }), /USING (COVERING )?INDEX recording_tags_keyset \(tag=\? AND client_id=\? AND site_url=\? AND status=\? AND create_time>\? AND create_time<\?\)/],
  ])('%s reads an index range in order, with no sort and no scan', (_name, q, expected) => {
    const plan = planOf(q);
    expect(plan).toMatch(expected);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(plan).not.toMatch(/\bSCAN\b/);
  });

  it('meetingId reads each meeting-id level in page order from its covering index: no sort, no scan, depth-independent', () => {
    for (const after of [null, deep]) {
      const plans = store.explainPage(query({ meetingId: 'abc', window: null, siteUrls: ['acme.webex.com', 'acme-eu.webex.com'], after }));
      expect(plans).toHaveLength(3);
      const joined = plans.map((lines) => lines.join(' ')).join(' || ');
      expect(joined).toMatch(/COVERING INDEX recordings_by_series \(meeting_series_id=\? AND org_id=\? AND status=\?/);
      expect(joined).toMatch(/COVERING INDEX recordings_by_scheduled \(scheduled_meeting_id=\? AND org_id=\? AND status=\?/);
      expect(joined).toMatch(/COVERING INDEX recordings_by_instance \(meeting_id=\? AND org_id=\? AND status=\?/);
      expect(joined).not.toMatch(/TEMP B-TREE|\bSCAN\b|recordings_by_site/);
    }
  });

  it('meetingId with another filter looks the meeting up by id and sorts only that meeting', () => {
    const plan = planOf(query({ meetingId: 'abc', window: null, format: 'MP4', siteUrls: ['acme.webex.com', 'acme-eu.webex.com'] }));
    expect(plan).toMatch(/recordings_by_series \(meeting_series_id=\?\)/);
    expect(plan).toMatch(/SEARCH r USING INDEX sqlite_autoindex_recordings_\d \(org_id=\? AND id=\?\)/);
    expect(plan).not.toMatch(/recordings_by_site|\bSCAN\b/);
  });

  it('page keys (read before the rows, for the recording cache) use the same plan as the rows', () => {
    for (const q of [
      query({}),
      query({ after: deep }),
      query({ status: 'deleted', after: deep }),
      query({ topicKey: 'daily scrum' }),
      query({ format: 'ARF' }),
      query({ integrationTag: { tag: 'ZD-1', clientId: 'zendesk-app' }, after: deep }),
      query({ meetingId: 'abc', window: null, format: 'MP4', siteUrls: ['acme.webex.com', 'acme-eu.webex.com'] }),
    ]) {
      const keys = store.explainPage(q, 'keys').map((lines) => lines.join(' | ').replace(/COVERING INDEX/g, 'INDEX'));
      const rows = store.explainPage(q, 'rows').map((lines) => lines.join(' | ').replace(/COVERING INDEX/g, 'INDEX'));
      expect(keys).toEqual(rows);
    }
  });

  it('the tag path with the client-less owner is a second range scan, also sort-free', () => {
    const plans = store.explainPage(query({ integrationTag: { tag: 'X', clientId: 'jira-cloud' } }));
    expect(plans).toHaveLength(2);
    for (const lines of plans) expect(lines.join(' ')).not.toMatch(/TEMP B-TREE|\bSCAN\b/);
  });
});
