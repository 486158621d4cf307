import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecordings, generateWorld } from '../../src/generate/generator.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { testEngine } from '../helpers/test-store.js';

/** How a bulk load leaves the connection that ran it: as it found it, whatever happened. */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-import-session-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = { seed: 3, recordings: 400, days: 30, now: Date.parse('2026-11-01T00:00:00Z') };

function pragmas(store: SqliteStore): { cacheSize: number; threads: number; inTransaction: boolean } {
  const db = (store as unknown as { db: Database.Database }).db;
  return {
    cacheSize: db.pragma('cache_size', { simple: true }) as number,
    threads: db.pragma('threads', { simple: true }) as number,
    inTransaction: db.inTransaction,
  };
}

/** A bulk load of generated recordings into an empty store, committed or rolled back. */
async function bulkLoad(store: SqliteStore, end: 'commit' | 'rollback'): Promise<void> {
  const world = generateWorld(options);
  const session = await store.beginImport();
  await session.write({ orgs: world.orgs, sites: world.sites, people: world.people });
  for (const batch of generateRecordings(options, world)) await session.write({ recordings: batch });
  await session[end]();
}

describe.skipIf(testEngine() !== 'sqlite')('SQLite import session', () => {
  it('an import that cannot begin (another writer holds the lock) changes nothing, and the next one runs', async () => {
    const file = join(dir, 'busy.db');
    const store = SqliteStore.open(file);
    const before = pragmas(store);
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    await expect(store.beginImport()).rejects.toThrow(/locked|busy/i);
    expect(pragmas(store)).toEqual(before);
    other.exec('ROLLBACK');
    other.close();

    await bulkLoad(store, 'commit');
    expect(await store.countRecordings()).toBe(400);
    expect(pragmas(store)).toEqual(before);
    await store.close();
  });

  it('a bulk load that is rolled back leaves no recordings, every index, and the settings as they were', async () => {
    const file = join(dir, 'rollback.db');
    const store = SqliteStore.open(file);
    const before = pragmas(store);
    const indexes = () =>
      ((store as unknown as { db: Database.Database }).db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    const indexesBefore = indexes();
    await bulkLoad(store, 'rollback');
    expect(await store.countRecordings()).toBe(0);
    expect(indexes()).toEqual(indexesBefore);
    expect(pragmas(store)).toEqual(before);
    await store.close();
  });
});
