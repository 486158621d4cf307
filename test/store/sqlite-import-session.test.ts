import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecordings, generateWorld } from '../../src/generate/generator.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ImportSession } from '../../src/store/store.js';
import { testEngine } from '../helpers/test-store.js';

const require = createRequire(import.meta.url);

/** How a bulk load leaves the connection that ran it: as it found it, whatever happened. */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-import-session-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = { seed: 3, recordings: 400, days: 30, now: Date.parse('2026-11-01T00:00:00Z') };

function pragmas(store: SqliteStore): { cacheSize: number; threads: number; busyTimeout: number; journal: string; synchronous: number; inTransaction: boolean } {
  const db = (store as unknown as { db: Database.Database }).db;
  return {
    cacheSize: db.pragma('cache_size', { simple: true }) as number,
    threads: db.pragma('threads', { simple: true }) as number,
    busyTimeout: db.pragma('busy_timeout', { simple: true }) as number,
    journal: db.pragma('journal_mode', { simple: true }) as string,
    synchronous: db.pragma('synchronous', { simple: true }) as number,
    inTransaction: db.inTransaction,
  };
}

/**
 * Opens the file read-only and holds a read transaction (saying so on stdout); once told on
 * stdin, it keeps holding it for 600 ms more, then ends it.
 */
const READ_UNTIL_TOLD_AND_600_MS = `
  const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
  const { readSync } = require('node:fs');
  const db = new Database(process.argv[1], { readonly: true });
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM orgs').get();
  process.stdout.write('reading\\n');
  readSync(0, Buffer.alloc(1));
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
  db.exec('COMMIT');
  db.close();
`;

/** The journal mode as another connection sees it in the file. */
function journalSeenFromOutside(file: string): string {
  const other = new Database(file, { readonly: true });
  try {
    return other.pragma('journal_mode', { simple: true }) as string;
  } finally {
    other.close();
  }
}

/** A bulk load of generated recordings into an empty store, every part written, not yet ended. */
async function loadUnended(store: SqliteStore): Promise<ImportSession> {
  const world = generateWorld(options);
  const session = await store.beginImport();
  await session.write({ orgs: world.orgs, sites: world.sites, people: world.people });
  for (const batch of generateRecordings(options, world)) await session.write({ recordings: batch });
  return session;
}

/** The same load, committed or rolled back. */
async function bulkLoad(store: SqliteStore, end: 'commit' | 'rollback'): Promise<void> {
  await (await loadUnended(store))[end]();
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

  it('a bulk load run alone writes through a rollback journal, refuses other openers, and leaves the file in WAL', async () => {
    const file = join(dir, 'alone.db');
    const store = SqliteStore.open(file);
    const before = pragmas(store);
    expect(before.journal).toBe('wal');
    const session = await loadUnended(store);
    expect(journalSeenFromOutside(file)).toBe('delete');
    expect(pragmas(store).synchronous).toBe(2); // FULL: a power cut must not corrupt the existing pages
    // A server started now would only see an empty catalogue and then lose its reads to the commit.
    expect(() => SqliteStore.open(file)).toThrow(/locked by another process.*import into an empty catalogue/);
    await session.commit();
    expect(journalSeenFromOutside(file)).toBe('wal');
    expect(pragmas(store)).toEqual(before);
    const reader = SqliteStore.open(file);
    expect(await reader.countRecordings()).toBe(400);
    await reader.close();
    await store.close();
  });

  it('a bulk load rolled back from the rollback journal leaves nothing and the file in WAL', async () => {
    const file = join(dir, 'alone-rollback.db');
    const store = SqliteStore.open(file);
    const before = pragmas(store);
    const session = await loadUnended(store);
    expect(journalSeenFromOutside(file)).toBe('delete');
    await session.rollback();
    expect(journalSeenFromOutside(file)).toBe('wal');
    expect(pragmas(store)).toEqual(before);
    expect(await store.countRecordings()).toBe(0);
    await store.close();
  });

  it('a commit out of WAL waits for another program that is reading the file instead of losing the load', async () => {
    const file = join(dir, 'reader.db');
    const store = SqliteStore.open(file);
    const session = await loadUnended(store);
    expect(journalSeenFromOutside(file)).toBe('delete');
    // Another program (a backup, the sqlite3 shell) holds a read transaction until 600 ms after
    // the commit starts: six times the 100 ms a request waits for a lock.
    const reader = spawn(process.execPath, ['-e', READ_UNTIL_TOLD_AND_600_MS, file], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        reader.stdout.once('data', () => resolve());
        reader.once('exit', (code) => reject(new Error(`reader exited early (${code})`)));
      });
      reader.stdin.write('go');
      const started = performance.now();
      await session.commit();
      expect(performance.now() - started).toBeGreaterThanOrEqual(300); // it did wait for the reader
      expect(await store.countRecordings()).toBe(400);
      expect(journalSeenFromOutside(file)).toBe('wal');
    } finally {
      reader.kill();
      await store.close();
    }
  });

  it('a bulk load while another process has the file open stays in WAL, so that process reads on', async () => {
    const file = join(dir, 'shared.db');
    const store = SqliteStore.open(file);
    const server = SqliteStore.open(file);
    expect(await server.countRecordings()).toBe(0);
    const session = await loadUnended(store);
    expect(journalSeenFromOutside(file)).toBe('wal');
    expect(await server.countRecordings()).toBe(0);
    await session.commit();
    expect(await server.countRecordings()).toBe(400);
    await server.close();
    await store.close();
  });
});
