import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { topicKey } from '../../src/domain/topic-key.js';
import type { Recording } from '../../src/domain/types.js';
import { NOW, pageQuery, seedGenerated } from '../store/support.js';

/**
 * Site, meeting-id and tag pages and the token lookup run as named (plan-once) statements, on
 * sessions that take the generic plan from the first call. Results must not depend on it, and a
 * pooler that loses a connection's statements must cost a retry, never an error.
 */
const schema = `t_${randomBytes(6).toString('hex')}`;
let named: PostgresStore;
let unnamed: PostgresStore;
let all: Recording[];

const open = (preparedStatements: boolean, dropSchemaOnClose: boolean) =>
  PostgresStore.open({ connectionString: inject('pgUrl'), schema, poolSize: 1, preparedStatements, dropSchemaOnClose, now: () => NOW });

beforeAll(async () => {
  named = await open(true, true);
  all = await seedGenerated(named, { seed: 9, recordings: 3000, days: 60 });
  unnamed = await open(false, false);
});
afterAll(async () => {
  await unnamed.close();
  await named.close();
});

interface RawPool {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
}
const planOncePool = (store: PostgresStore) => (store as unknown as { planOncePool: RawPool }).planOncePool;
const mainPool = (store: PostgresStore) => (store as unknown as { pool: RawPool }).pool;

function sampleQueries() {
  const series = all.find((r) => r.meetingSeriesId !== null && r.status === 'available')?.meetingSeriesId as string;
  const tagged = all.find((r) => r.integrationTags.length > 0 && r.status === 'available' && r.siteUrl === pageQuery({}).siteUrls[0]);
  const tag = tagged?.integrationTags[0];
  const siteRecording = all.find((r) => r.status === 'available' && r.siteUrl === pageQuery({}).siteUrls[0]);
  expect(series).toBeTruthy();
  expect(tag).toBeTruthy();
  return [
    pageQuery({ meetingId: series, window: null, siteUrls: ['acme.webex.com', 'acme-eu.webex.com'] }),
    pageQuery({ integrationTag: { tag: tag?.tag as string, clientId: tag?.clientId ?? null }, window: null }),
    pageQuery({}),
    pageQuery({ status: 'deleted' }),
    pageQuery({ topicKey: topicKey(siteRecording?.topic as string) }),
    pageQuery({ after: { createTime: NOW - 20 * 86_400_000, id: '7fffffffffffffffffffffffffffffff' } }),
  ];
}

describe('PostgreSQL named statements', () => {
  it('give the same pages as unnamed statements, call after call', async () => {
    for (const q of sampleQueries()) {
      const expected = (await unnamed.listRecordings(q)).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(0);
      // Past the first five executions PostgreSQL may switch a named statement to its generic plan.
      for (let i = 0; i < 8; i++) expect((await named.listRecordings(q)).map((r) => r.id)).toEqual(expected);
    }
  });

  it('site, meeting-id and tag pages and the token lookup are prepared on the connection, one statement for every page size', async () => {
    const [meeting, tag, site] = sampleQueries() as [ReturnType<typeof pageQuery>, ReturnType<typeof pageQuery>, ReturnType<typeof pageQuery>];
    for (const limit of [2, 11, 51, 101]) {
      await named.listRecordings({ ...meeting, limit });
      await named.listRecordings({ ...tag, limit });
      await named.listRecordings({ ...site, limit });
    }
    await named.findToken(Buffer.alloc(32));
    const prepared = (await planOncePool(named).query("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'rv\\_%'")).rows.map((r) => r.statement as string);
    expect(prepared.filter((text) => text.includes('r.meeting_series_id = $'))).toHaveLength(1);
    expect(prepared.filter((text) => text.includes('recording_tags t'))).toHaveLength(1);
    expect(prepared.filter((text) => text.includes('token_hash'))).toHaveLength(1);
    expect(prepared.filter((text) => /FROM recordings r WHERE r\.org_id = \$1 AND r\.site_url = \$2 AND r\.status = \$3 AND r\.create_time >= \$4::bigint AND r\.create_time < \$5::bigint ORDER BY r\.create_time DESC, r\.id DESC LIMIT \$6$/.test(text))).toHaveLength(1);
    // A meeting id with another filter is rare and planned per call: not named.
    await named.listRecordings({ ...meeting, topicKey: 'weekly sync' });
    const after = (await planOncePool(named).query("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'rv\\_%'")).rows;
    expect(after).toHaveLength(prepared.length);
  });

  it('named statements run on sessions that take the generic plan; everything else keeps the default', async () => {
    const mode = async (pool: RawPool) => ((await pool.query('SHOW plan_cache_mode')).rows[0] as { plan_cache_mode: string }).plan_cache_mode;
    expect(await mode(planOncePool(named))).toBe('force_generic_plan');
    expect(await mode(mainPool(named))).not.toBe('force_generic_plan');
    // The named statements never planned with their values (PostgreSQL 14 and later count them).
    for (const q of sampleQueries()) await named.listRecordings(q);
    const counts = (await planOncePool(named).query("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'rv\\_%'")).rows as { generic_plans: string; custom_plans: string }[];
    expect(counts.length).toBeGreaterThan(3);
    for (const c of counts) {
      expect(Number(c.generic_plans)).toBeGreaterThan(0);
      expect(Number(c.custom_plans)).toBe(0);
    }
    // Turned off (a pooler without prepared statements), there are no such sessions.
    expect((unnamed as unknown as { planOncePool: RawPool | null }).planOncePool).toBeNull();
  });

  it('a plan made stale by a schema change (a migration under a running server) costs one retry, and naming goes on', async () => {
    const q = pageQuery({});
    const expected = (await named.listRecordings(q)).map((r) => r.id);
    const namedOnSession = async () =>
      (await planOncePool(named).query("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'rv\\_%'")).rows[0]?.['n'];
    expect(await namedOnSession()).toBeGreaterThan(0);
    // A column of the page's result changes type: the session's plan for the page is now stale (0A000).
    for (const type of ['varchar(500)', 'text']) {
      await mainPool(named).query(`ALTER TABLE recordings ALTER COLUMN host_display_name TYPE ${type}`);
      expect((await named.listRecordings(q)).map((r) => r.id)).toEqual(expected);
      // The stale session was closed; the next one prepared the page again, by name.
      expect((await named.listRecordings(q)).map((r) => r.id)).toEqual(expected);
      expect(await namedOnSession()).toBeGreaterThan(0);
    }
  });

  it('a statement the server no longer knows (as behind a transaction-mode pooler) is run again unnamed', async () => {
    const [meeting] = sampleQueries();
    const q = meeting as ReturnType<typeof pageQuery>;
    const expected = (await named.listRecordings(q)).map((r) => r.id);
    // One pooled connection: drop its prepared statements behind the client's back.
    await planOncePool(named).query('DEALLOCATE ALL');
    expect((await named.listRecordings(q)).map((r) => r.id)).toEqual(expected);
    expect((await named.listRecordings(q)).map((r) => r.id)).toEqual(expected);
    // From then on every statement runs unnamed, on the ordinary sessions.
    await named.findToken(Buffer.alloc(32));
    expect((await planOncePool(named).query("SELECT name FROM pg_prepared_statements WHERE name LIKE 'rv\\_%'")).rows).toEqual([]);
  });
});
