/** Migrations under concurrency, the migrate command, and monthly partitions as rows come and move. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it, inject } from 'vitest';
import { MIGRATION_LOCK, PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { baseDocument, NOW, recordingRecord } from '../helpers/fixture.js';
import { BIN } from '../helpers/serve-process.js';
import { openTestPostgresStore, withPostgresClient } from '../helpers/test-store.js';

const run = promisify(execFile);

function schemaUrl(schema: string): string {
  const url = new URL(inject('pgUrl'));
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

describe('migrations', () => {
  it('several instances starting at once apply each step exactly once', async () => {
    const schema = `m_${randomBytes(5).toString('hex')}`;
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => PostgresStore.open({ connectionString: inject('pgUrl'), schema, poolSize: 2 })),
    );
    try {
      const rows = await withPostgresClient(async (c) => (await c.query(`SELECT version, count(*)::int AS n FROM ${schema}.schema_migrations GROUP BY version ORDER BY version`)).rows);
      expect(rows).toEqual([
        { version: 1, n: 1 },
        { version: 2, n: 1 },
        { version: 3, n: 1 },
      ]);
      for (const store of stores) expect(await store.appliedMigrations()).toEqual([1, 2, 3]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await withPostgresClient((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    }
  });

  it('a catalogue upgraded by a newer release is refused with a clear message, by servers and by `recvault migrate`', async () => {
    const schema = `m_${randomBytes(5).toString('hex')}`;
    const store = await PostgresStore.open({ connectionString: inject('pgUrl'), schema, poolSize: 1 });
    await store.close();
    try {
      const newer = PG_MIGRATIONS.length + 1;
      await withPostgresClient((c) => c.query(`INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES ($1, 'from-a-newer-release', 0)`, [newer]));
      await expect(PostgresStore.open({ connectionString: inject('pgUrl'), schema, poolSize: 1 })).rejects.toThrow(
        new RegExp(`schema version ${newer} \\("from-a-newer-release"\\), from a newer recvault; this build knows versions up to ${PG_MIGRATIONS.length}`),
      );
      const refused = await run(process.execPath, [BIN, 'migrate', '--database-url', schemaUrl(schema)]).then(() => null, (error: { code: number; stderr: string }) => error);
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toMatch(/from a newer recvault/);
      // A known version recorded under another name: made by a build whose steps differ.
      await withPostgresClient(async (c) => {
        await c.query(`DELETE FROM ${schema}.schema_migrations WHERE version = $1`, [newer]);
        await c.query(`UPDATE ${schema}.schema_migrations SET name = 'renamed-step' WHERE version = 1`);
      });
      await expect(PostgresStore.open({ connectionString: inject('pgUrl'), schema, poolSize: 1 })).rejects.toThrow(/schema version 1 as "renamed-step", which this build calls .*: it was made by a different build/);
    } finally {
      await withPostgresClient((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    }
  });

  it('`recvault migrate` applies pending steps once and then reports the schema up to date', async () => {
    const schema = `m_${randomBytes(5).toString('hex')}`;
    await withPostgresClient((c) => c.query(`CREATE SCHEMA ${schema}`));
    try {
      const first = await run(process.execPath, [BIN, 'migrate', '--database-url', schemaUrl(schema)]);
      expect(first.stdout).toMatch(/applied migration\(s\) 1, 2, 3; schema is at version 3/);
      const second = await run(process.execPath, [BIN, 'migrate', '--database-url', schemaUrl(schema)]);
      expect(second.stdout).toMatch(/schema is up to date at version 3/);
      const tables = await withPostgresClient(async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'audit_log'`, [schema])).rows[0]);
      expect(tables).toEqual({ n: 1 });
    } finally {
      await withPostgresClient((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    }
  });

  it('migrating is not bound by the statement timeout: an instance waits for another one\'s long migration', async () => {
    const schema = `m_${randomBytes(5).toString('hex')}`;
    const holder = new pg.Client({ connectionString: inject('pgUrl') });
    await holder.connect();
    try {
      // Another instance migrating: it holds the migration lock for longer than the timeout below.
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const opening = PostgresStore.open({ connectionString: inject('pgUrl'), schema, poolSize: 2, statementTimeoutMs: 200, dropSchemaOnClose: true });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      const store = await opening;
      try {
        expect(await store.appliedMigrations()).toEqual([1, 2, 3]);
        // Requests keep their limit.
        await expect(store.ping().then(() => (store as unknown as { pool: pg.Pool }).pool.query('SELECT pg_sleep(1)'))).rejects.toMatchObject({ code: '57014' });
      } finally {
        await store.close();
      }
    } finally {
      await holder.end();
    }
  });

  it('step 3 (the topic index by hash) upgrades a version-2 catalogue that holds recordings', async () => {
    const schema = `m_${randomBytes(5).toString('hex')}`;
    const first = await PostgresStore.open({ connectionString: inject('pgUrl'), schema, poolSize: 2, now: () => NOW });
    const doc = baseDocument([
      { id: 'weekly', createTime: '2021-03-16T10:00:00Z', topic: 'Weekly Sync' },
      { id: 'other', createTime: '2021-03-16T11:00:00Z', topic: 'Other' },
      { id: 'feb', createTime: '2021-02-16T11:00:00Z', topic: 'WEEKLY sync' },
    ]);
    await first.importDataset(parseImportDocument(doc, await first.knownEntities(), NOW));
    await first.close();
    const indexDef = async () =>
      (await withPostgresClient((c) => c.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [schema, 'recordings_by_topic']))).rows[0]?.indexdef;
    try {
      // Back to version 2: its topic index, and no record of step 3.
      await withPostgresClient((c) =>
        c.query(`SET search_path = ${schema}; DROP INDEX recordings_by_topic;
          CREATE INDEX recordings_by_topic ON recordings (site_url, status, topic_key, create_time, id);
          DELETE FROM schema_migrations WHERE version = 3;`),
      );
      expect(await indexDef()).toContain('topic_key, create_time');
      const upgraded = await PostgresStore.open({ connectionString: inject('pgUrl'), schema, poolSize: 2, now: () => NOW });
      try {
        expect(await upgraded.appliedMigrations()).toEqual([1, 2, 3]);
        expect(await indexDef()).toContain('hashtextextended(topic_key');
        const page = await upgraded.listRecordings({
          orgId: 'acme', siteUrls: ['a.example.com'], meetingId: null, window: null, status: 'available', topicKey: 'weekly sync',
          format: null, serviceType: null, integrationTag: null, after: null, limit: 11,
        });
        expect(page.map((r) => r.id)).toEqual(['weekly', 'feb']);
      } finally {
        await upgraded.close();
      }
    } finally {
      await withPostgresClient((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    }
  });

  it('an unreachable database is one clear CLI error, not a stack trace', async () => {
    const url = new URL(inject('pgUrl'));
    url.port = '1';
    const failed = await run(process.execPath, [BIN, 'migrate', '--database-url', url.toString()]).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/^recvault: cannot open the database: .*unavailable/);
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('monthly partitions', () => {
  async function partitions(store: PostgresStore): Promise<Record<string, number>> {
    const pool = (store as unknown as { pool: pg.Pool }).pool;
    const names = (await pool.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'recordings'::regclass`)).rows.map((r) => r.name);
    const counts: Record<string, number> = {};
    for (const name of names.sort()) counts[name] = Number((await pool.query(`SELECT count(*) AS n FROM ${name}`)).rows[0].n);
    return counts;
  }

  it('are created for the months rows arrive in, and a recording whose createTime moves changes partition', async () => {
    const store = await openTestPostgresStore({ now: () => NOW });
    try {
      const doc = baseDocument([
        { id: 'jan', createTime: '2021-01-31T23:59:59Z' },
        { id: 'feb', createTime: '2021-02-01T00:00:00Z' },
      ]);
      await store.importDataset(parseImportDocument(doc, await store.knownEntities(), NOW));
      expect(await partitions(store)).toMatchObject({ recordings_y2021m01: 1, recordings_y2021m02: 1, recordings_y2021m03: 0 });

      const moved = parseImportDocument({ recordings: [recordingRecord({ id: 'jan', createTime: '2020-12-15T10:00:00Z' })] }, await store.knownEntities(), NOW);
      await store.ingestRecordings(moved.recordings.map((recording) => ({ recording, statusGiven: true })), { at: NOW, orgId: 'acme', personId: null, tokenId: null, trackingId: null });
      expect(await partitions(store)).toMatchObject({ recordings_y2020m12: 1, recordings_y2021m01: 0, recordings_y2021m02: 1 });
      expect((await store.getRecording('acme', 'jan'))?.createTime).toBe(Date.parse('2020-12-15T10:00:00Z'));
      expect(await store.countRecordings()).toBe(2);
    } finally {
      await store.close();
    }
  });
});
