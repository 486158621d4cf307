import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
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
});
