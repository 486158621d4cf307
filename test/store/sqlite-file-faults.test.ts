/**
 * A SQLite file that goes away or stops taking writes under a running server: the store says it
 * is unavailable (503 and not ready) instead of acknowledging writes that are then lost with the
 * process, or answering 500 with a stack trace.
 */
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planLifecycle } from '../../src/domain/lifecycle.js';
import { buildApp } from '../../src/http/app.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Recording } from '../../src/domain/types.js';
import { StoreUnavailableError, type AuditContext } from '../../src/store/store.js';
import { NOW, seedGenerated } from './support.js';

const audit: AuditContext = { at: NOW, orgId: 'acme', personId: null, tokenId: null, trackingId: null };
const scope = { orgId: 'acme', siteUrls: ['acme.webex.com', 'acme-eu.webex.com'], hostEmail: null, seesAdminDeleted: true };

let dir: string;
let store: SqliteStore;
let file: string;
let someId: string;
let all: Recording[];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-file-faults-'));
  file = join(dir, 'catalogue.db');
  store = SqliteStore.open(file);
  all = await seedGenerated(store, { seed: 3, recordings: 50, days: 30 });
  someId = (all.find((r) => r.status === 'available' && r.orgId === 'acme') as { id: string }).id;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const softDelete = (ids: string[]) => store.applyLifecycle({ kind: 'ids', orgId: 'acme', ids }, 'softDelete', (rows) => planLifecycle('softDelete', ids, rows, scope), audit);

describe('the SQLite file under a running store', () => {
  it.each([
    ['deleted', () => rmSync(file)],
    ['moved away', () => renameSync(file, `${file}.moved`)],
  ])('%s: writes are refused as unavailable instead of acknowledged, and the readiness ping fails', async (_what, remove) => {
    await store.ping();
    remove();
    await expect(softDelete([someId])).rejects.toThrow(StoreUnavailableError);
    await expect(softDelete([someId])).rejects.toThrow(/was deleted or replaced while the server ran; restart it/);
    await expect(store.ping()).rejects.toThrow(StoreUnavailableError);
    const app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'x' } });
    try {
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    } finally {
      await app.close();
    }
  });

  it('a file that no longer takes writes (read-only, full disk) makes a write 503, not 500', async () => {
    // `query_only` refuses writes with SQLITE_READONLY, as a file system remounted read-only does.
    (store as unknown as { db: { pragma(sql: string): unknown } }).db.pragma('query_only = ON');
    await expect(softDelete([someId])).rejects.toThrow(StoreUnavailableError);
    await expect(softDelete([someId])).rejects.toThrow(/The catalogue cannot be written: attempt to write a readonly database/);
    (store as unknown as { db: { pragma(sql: string): unknown } }).db.pragma('query_only = OFF');
    // A file that may not grow is a full disk to SQLite (SQLITE_FULL).
    const db = (store as unknown as { db: { pragma(sql: string, options?: { simple: boolean }): unknown } }).db;
    const limit = db.pragma('max_page_count', { simple: true });
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    const grown = all.map((r) => ({ recording: { ...r, topic: `${'x'.repeat(2000)} ${r.id}` }, statusGiven: false }));
    await expect(store.ingestRecordings(grown, audit)).rejects.toThrow(StoreUnavailableError);
    await expect(store.ingestRecordings(grown, audit)).rejects.toThrow(/The catalogue cannot be written: database or disk is full/);
    db.pragma(`max_page_count = ${Number(limit)}`);
    await expect(softDelete([someId])).resolves.toHaveLength(1);
  });
});
