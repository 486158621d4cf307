import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { pageSql } from '../../src/store/postgres/page-sql.js';
import type { RecordingPageQuery } from '../../src/store/store.js';
import { openTestPostgresStore } from '../helpers/test-store.js';
import { NOW, pageQuery, seedGenerated } from '../store/support.js';

/**
 * Guards PostgreSQL's access paths: each hot query must be an index range scan in the window's
 * partitions, never a sequential scan and never a sort of a whole site's window. A sort is
 * allowed only over the few rows a meeting-id or tag branch already limited to one page.
 */
let store: PostgresStore;

beforeAll(async () => {
  store = await openTestPostgresStore({ now: () => NOW });
  await seedGenerated(store, { seed: 5, recordings: 20_000, days: 60 });
  await (store as unknown as { pool: { query(sql: string): Promise<unknown> } }).pool.query('ANALYZE');
});
afterAll(async () => {
  await store.close();
});

const deep = { createTime: NOW - 20 * 86_400_000, id: '7fffffffffffffffffffffffffffffff' };

/** Sequential scans of relations that hold rows (the planner may seq-scan an empty future partition: it has no pages). */
async function seqScansOfNonEmpty(plan: string): Promise<string[]> {
  const scanned = [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1] as string);
  const nonEmpty: string[] = [];
  for (const relation of scanned) {
    const rows = (await (store as unknown as { pool: { query(sql: string): Promise<{ rows: { n: number }[] }> } }).pool.query(
      `SELECT count(*)::int AS n FROM ${relation}`,
    )).rows;
    if ((rows[0]?.n ?? 0) > 0) nonEmpty.push(relation);
  }
  return nonEmpty;
}

describe('PostgreSQL query plans', () => {
  it.each<[string, RecordingPageQuery, RegExp]>([
    ['site page 1', pageQuery({}), /Index Scan Backward using recordings_y\w+_(pkey|site_url_status_create_time_id_idx)/],
    ['site, deep page', pageQuery({ after: deep }), /Index Scan Backward using recordings_y\w+_(pkey|site_url_status_create_time_id_idx)/],
    ['site, no window, page of 100', pageQuery({ window: null, limit: 101 }), /Index Scan Backward using recordings_y\w+_(pkey|site_url_status_create_time_id_idx)/],
    ['site, format and service type', pageQuery({ format: 'MP4', serviceType: 'MeetingCenter' }), /Index Scan Backward using recordings_y\w+_(pkey|site_url_status_create_time_id_idx)/],
    ['recycle bin', pageQuery({ status: 'deleted' }), /Index Scan Backward using recordings_y\w+_site_url_status_create_time_id_idx/],
    ['topic', pageQuery({ topicKey: 'weekly sync' }), /Index Scan Backward using recordings_y\w+_site_url_status_hashtextextended_\w*idx/],
    ['tag', pageQuery({ integrationTag: { tag: 'crm', clientId: 'client-a' } }), /Index Only Scan Backward using recording_tags_keyset/],
    ['tag, deep page', pageQuery({ integrationTag: { tag: 'crm', clientId: 'client-a' }, after: deep }), /Index Only Scan Backward using recording_tags_keyset/],
    ['client-less tag, page of 100', pageQuery({ integrationTag: { tag: 'crm', clientId: null }, limit: 101 }), /Index Only Scan Backward using recording_tags_keyset/],
  ])('%s: a backward index range scan, never a sort of the window', async (_name, q, expected) => {
    // Statements that run named (plan once) may get a generic plan (no parameter values known)
    // after a few executions: that plan must take the same path. The others run unnamed, so
    // they are always planned with their values.
    const modes = pageSql(q).reusablePlan === true ? (['custom', 'generic'] as const) : (['custom'] as const);
    for (const mode of modes) {
      const plan = await store.explainPage(q, mode);
      expect(plan).toMatch(expected);
      expect(plan).not.toMatch(/(^|->\s+)Sort\s+\(/m);
      expect(await seqScansOfNonEmpty(plan)).toEqual([]);
    }
  });

  it('site, meeting-id and tag pages run as plan-once statements; the rare mixed shapes are planned per call', () => {
    expect(pageSql(pageQuery({})).reusablePlan).toBe(true);
    expect(pageSql(pageQuery({ status: 'deleted' })).reusablePlan).toBe(true);
    expect(pageSql(pageQuery({ topicKey: 'weekly sync' })).reusablePlan).toBe(true);
    expect(pageSql(pageQuery({ integrationTag: { tag: 'crm', clientId: 'client-a' } })).reusablePlan).toBe(true);
    expect(pageSql(pageQuery({ meetingId: 'abc', window: null })).reusablePlan).toBe(true);
    expect(pageSql(pageQuery({ meetingId: 'abc', window: null, topicKey: 'weekly sync' })).reusablePlan).toBeFalsy();
    expect(pageSql(pageQuery({ integrationTag: { tag: 'crm', clientId: null }, siteUrls: ['acme.webex.com', 'acme-eu.webex.com'] })).reusablePlan).toBeFalsy();
  });

  it('a deep page starts its index range at the cursor', async () => {
    const plan = await store.explainPage(pageQuery({ after: deep }));
    expect(plan).toMatch(/Index Cond: \(.*ROW\(create_time, id\) < ROW\(/);
    expect(plan).not.toMatch(/(^|->\s+)Sort\s+\(/m);
  });

  it('a window reads only the partitions it overlaps', async () => {
    const plan = await store.explainPage(pageQuery({ window: { from: NOW - 10 * 86_400_000, to: NOW } }));
    const partitions = new Set([...plan.matchAll(/on (recordings_y\d{4}m\d{2})/g)].map((m) => m[1]));
    expect([...partitions]).toEqual(['recordings_y2026m01']);
  });

  it.each([
    ['custom', 'one site', pageQuery({ meetingId: 'abc', window: null })],
    ['generic', 'one site', pageQuery({ meetingId: 'abc', window: null })],
    ['generic', 'two sites, deep page, page of 100', pageQuery({ meetingId: 'abc', window: null, siteUrls: ['acme.webex.com', 'acme-eu.webex.com'], after: deep, limit: 101 })],
  ] as const)('meetingId reads each meeting-id level from its own index (%s plan, %s)', async (mode, _name, q) => {
    const plan = await store.explainPage(q, mode);
    for (const level of ['meeting_series_id', 'scheduled_meeting_id', 'meeting_id']) {
      expect(plan).toMatch(new RegExp(`Index Scan Backward using recordings_y\\w+_${level}_org_id_status_\\w*idx`));
    }
    expect(plan).not.toMatch(/recordings_y\w+_(pkey|site_url_status_create_time_id_idx)/);
    expect(await seqScansOfNonEmpty(plan)).toEqual([]);
  });
});
