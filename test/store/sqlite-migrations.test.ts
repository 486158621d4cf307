import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { pageQuery, seedGenerated } from './support.js';

/**
 * A database written by an earlier release is upgraded in place when it is opened: the data stays,
 * and the pages read through the upgraded indexes give the same answers as before.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-migrate-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Rolls a current file back to how version 2 left it (the full recycle-bin index). */
function backToVersion2(file: string): void {
  const db = new Database(file);
  db.exec(`DROP INDEX recordings_by_site;
    CREATE INDEX recordings_by_site ON recordings (site_url, status, create_time, id);
    DELETE FROM schema_migrations WHERE version >= 3;`);
  db.close();
}

function indexSql(file: string, name: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(name) as { sql: string }).sql;
  } finally {
    db.close();
  }
}

describe('SQLite migrations', () => {
  it('version 3 turns the recycle-bin index partial on a populated version 2 file, and pages read the same', async () => {
    const file = join(dir, 'v2.db');
    const seeding = SqliteStore.open(file);
    const all = await seedGenerated(seeding, { seed: 21, recordings: 2000, days: 30 });
    await seeding.close();
    backToVersion2(file);
    expect(indexSql(file, 'recordings_by_site')).not.toMatch(/WHERE/);

    const store = SqliteStore.open(file);
    try {
      expect(await store.appliedMigrations()).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
      expect(indexSql(file, 'recordings_by_site')).toMatch(/WHERE status <> 'available'/);
      expect(await store.countRecordings()).toBe(all.length);
      for (const status of ['deleted', 'purged'] as const) {
        const q = pageQuery({ status, limit: 1000 });
        const expected = all
          .filter((r) => r.status === status && r.siteUrl === q.siteUrls[0] && r.createTime >= (q.window?.from ?? 0) && r.createTime < (q.window?.to ?? Infinity))
          .sort((a, b) => b.createTime - a.createTime || (a.id < b.id ? 1 : -1))
          .map((r) => r.id);
        expect(expected.length).toBeGreaterThan(0);
        expect((await store.listRecordings(q)).map((r) => r.id)).toEqual(expected);
        expect(store.explainPage(q).flat().join(' ')).toMatch(/USING INDEX recordings_by_site/);
      }
    } finally {
      await store.close();
    }
  });

  it('a catalogue upgraded by a newer release, or made by a build whose steps differ, is refused with a clear message', async () => {
    const file = join(dir, 'newer.db');
    await SqliteStore.open(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(SQLITE_MIGRATIONS.length + 1, 'from-a-newer-release', 0);
    db.close();
    expect(() => SqliteStore.open(file)).toThrow(new RegExp(`schema version ${SQLITE_MIGRATIONS.length + 1} .*from a newer recvault; this build knows versions up to ${SQLITE_MIGRATIONS.length}`));

    const other = join(dir, 'other-build.db');
    await SqliteStore.open(other).close();
    const db2 = new Database(other);
    db2.prepare("UPDATE schema_migrations SET name = 'tag-keyset' WHERE version = 3").run();
    db2.close();
    expect(() => SqliteStore.open(other)).toThrow(/schema version 3 as "tag-keyset", which this build calls "partial-recycle-bin-index": it was made by a different build/);
  });

  it('an up-to-date file opens, and its stored cursor secret is read, while another process holds the write lock', async () => {
    const file = join(dir, 'locked.db');
    const first = SqliteStore.open(file);
    const secret = await first.initMeta('cursor_secret', 'one');
    await first.close();
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const store = SqliteStore.open(file);
      expect(await store.initMeta('cursor_secret', 'two')).toBe(secret);
      expect(Date.now() - started).toBeLessThan(5_000);
      await store.close();
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('two processes upgrading the same file at once both succeed: the second waits for the lock, then finds the work done', async () => {
    const source = join(dir, 'race-source.db');
    const seeding = SqliteStore.open(source);
    await seedGenerated(seeding, { seed: 5, recordings: 500, days: 30 });
    await seeding.close();
    backToVersion2(source);
    const file = join(dir, 'race.db');
    copyFileSync(source, file);
    // Both find version 3 pending and queue for the lock this connection holds (they used to give up after 100 ms).
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    const bin = join(import.meta.dirname, '../../bin/recvault');
    const migrate = () => promisify(execFile)(process.execPath, [bin, 'migrate', '--db', file], { env: { ...process.env, RECVAULT_DB: '' } });
    const runs = Promise.allSettled([migrate(), migrate()]);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    holder.exec('ROLLBACK');
    holder.close();
    const results = await runs;
    for (const result of results) expect(result.status, result.status === 'rejected' ? String(result.reason) : '').toBe('fulfilled');
    const outputs = results.map((r) => (r.status === 'fulfilled' ? r.value.stdout : '')).sort();
    expect(outputs).toEqual([`sqlite: applied migration(s) 3; schema is at version 3\n`, `sqlite: schema is up to date at version 3\n`]);
    expect(indexSql(file, 'recordings_by_site')).toMatch(/WHERE status <> 'available'/);
  }, 30_000);

  it('a command that upgrades an existing catalogue says so on stderr; one that creates a catalogue does not', async () => {
    const bin = join(import.meta.dirname, '../../bin/recvault');
    const run = (...args: string[]) => promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, RECVAULT_DB: '' } });
    const file = join(dir, 'announce.db');
    const created = await run('migrate', '--db', file);
    expect(created.stderr).not.toMatch(/upgraded/);
    backToVersion2(file);
    const upgraded = await run('tokens', 'list', '--db', file);
    expect(upgraded.stderr).toContain("recvault: upgraded the sqlite catalogue's schema to version 3 (step 3); older releases must not be used on it any more");
    const again = await run('tokens', 'list', '--db', file);
    expect(again.stderr).not.toMatch(/upgraded/);
  }, 30_000);
});
