import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import pg from 'pg';
import { auth, baseDocument, NOW, recordingRecord, TOKENS } from '../helpers/fixture.js';
import { expectWebexError, request } from '../helpers/http.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../helpers/services.js';

/**
 * PostgreSQL goes away mid-run: requests get 503 + Retry-After promptly (never a 500, never a
 * hang), and the same server process recovers by itself once the database is back.
 */
let server: ThrowawayPostgres;
const serverUrl = () => server.url;
let store: PostgresStore;
let app: App;

/** Repeats `send` until it answers 200 (the pool reconnects on its own), for at most 30 s. */
async function untilOk<T extends { status: number }>(send: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  let res = await send();
  while (res.status !== 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    res = await send();
  }
  return res;
}

const list = () => request(app, 'GET', '/v1/admin/recordings?siteUrl=a.example.com&from=2021-03-01T00:00:00Z&to=2021-03-17T00:00:00Z', auth(TOKENS.adminAll));

beforeAll(async () => {
  server = await startThrowawayPostgres();
  store = await PostgresStore.open({ connectionString: server.url, now: () => NOW });
  const doc = baseDocument([
    { id: 'a1', createTime: '2021-03-16T10:00:00Z' },
    { id: 'a2', createTime: '2021-03-15T10:00:00Z' },
  ]);
  await store.importDataset(parseImportDocument(doc, await store.knownEntities(), NOW));
  app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'outage-secret' } });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  server?.destroy();
});

describe('a PostgreSQL outage', () => {
  it('turns into 503 with Retry-After while the database is down, and recovers without a restart', async () => {
    const before = await list();
    expect(before.status).toBe(200);
    const items = before.json.items;
    expect(items.map((r: { id: string }) => r.id)).toEqual(['a1', 'a2']);

    server.stop();
    for (const send of [
      list,
      () => request(app, 'GET', '/v1/recordings/a1', auth(TOKENS.adminAll)),
      () => request(app, 'POST', '/v1/recordings/softDelete', { ...auth(TOKENS.adminWriteAll), 'content-type': 'application/json' }, JSON.stringify({ recordingIds: ['a1'] })),
    ]) {
      const started = Date.now();
      const res = await send();
      // Bounded: a refused or dropped connection fails at once; a silent one at the 2 s connect timeout.
      expect(Date.now() - started).toBeLessThan(15_000);
      expectWebexError(res, 503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['trackingid']).toBeTruthy();
    }

    server.start();
    const after = await untilOk(list);
    expect(after.status).toBe(200);
    expect(after.json.items).toEqual(items);
    // Writes work again too, and nothing was half-applied while the database was down.
    const del = await app.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: auth(TOKENS.adminWriteAll), payload: { recordingIds: ['a1'] } });
    expect(del.statusCode).toBe(204);
    expect((await store.listAudit(null, 10)).map((e) => e.action)).toEqual(['softDelete']);
  });

  it('over a Unix socket too: a stopped server (its socket file gone) is a 503, and the process recovers', async () => {
    const socketStore = await PostgresStore.open({ connectionString: server.socketUrl, now: () => NOW });
    const socketApp = await buildApp({ store: socketStore, now: () => NOW, config: { cursorSecret: 'outage-secret' } });
    try {
      await socketApp.ready();
      const read = () => request(socketApp, 'GET', '/v1/meetingPreferences/sites', auth(TOKENS.adminAll));
      expect((await read()).status).toBe(200);
      server.stop();
      try {
        for (const send of [read, () => request(socketApp, 'GET', '/v1/recordings/a1', auth(TOKENS.adminAll))]) {
          const res = await send();
          expectWebexError(res, 503);
          expect(res.headers['retry-after']).toMatch(/^\d+$/);
        }
      } finally {
        server.start();
      }
      expect((await untilOk(read)).status).toBe(200);
    } finally {
      await socketApp.close();
      await socketStore.close();
    }
  });

  it('a connection killed in the middle of a transaction is a 503, not a crash, and the next write works', async () => {
    const ingest = () =>
      request(
        app,
        'POST',
        '/v1/ingest/recordings',
        { ...auth(TOKENS.ingest), 'content-type': 'application/x-ndjson' },
        JSON.stringify(recordingRecord({ id: 'n1', createTime: '2021-03-16T09:00:00Z' })),
      );
    // Another session holds the org's write lock, so the ingest's transaction waits inside it.
    const holder = new pg.Client({ connectionString: serverUrl() });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext('recvault.recordings:' || 'acme'))");
      const pending = ingest();
      let terminated = false;
      for (let i = 0; i < 300 && !terminated; i++) {
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
            WHERE pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'`,
        );
        terminated = (rows[0]?.n ?? 0) > 0;
        if (!terminated) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(terminated).toBe(true);
      const res = await pending;
      expectWebexError(res, 503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      await holder.query("SELECT pg_advisory_unlock(hashtext('recvault.recordings:' || 'acme'))");
    } finally {
      await holder.end();
    }
    // The process is still serving (an unhandled 'error' event would have crashed the run).
    const again = await ingest();
    expect(again.status, again.body).toBe(200);
    expect((await store.getRecording('acme', 'n1'))?.id).toBe('n1');
  });

  it('a server that refuses writes (a standby after a failover) makes a write 503 with Retry-After, not 500; reads still work', async () => {
    const url = new URL(serverUrl());
    url.searchParams.set('options', '-c default_transaction_read_only=on');
    const readOnly = await PostgresStore.open({ connectionString: url.toString(), now: () => NOW, migrate: false });
    const readOnlyApp = await buildApp({ store: readOnly, now: () => NOW, config: { cursorSecret: 'outage-secret' } });
    try {
      const res = await request(
        readOnlyApp,
        'POST',
        '/v1/ingest/recordings',
        { ...auth(TOKENS.ingest), 'content-type': 'application/x-ndjson' },
        JSON.stringify(recordingRecord({ id: 'ro1', createTime: '2021-03-16T09:30:00Z' })),
      );
      expectWebexError(res, 503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect((await request(readOnlyApp, 'GET', '/v1/admin/recordings?siteUrl=a.example.com&from=2021-03-01T00:00:00Z&to=2021-03-17T00:00:00Z', auth(TOKENS.adminAll))).status).toBe(200);
    } finally {
      await readOnlyApp.close();
      await readOnly.close();
    }
  });
});
