import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { RecordError } from '../../src/ingest/record-validator.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { openTestStore, testEngine } from '../helpers/test-store.js';
import { auth, baseDocument, NOW, recordingRecord, startTestServer, TOKENS, type TestServer } from '../helpers/fixture.js';

let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

function expectWebexError(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { message: string; errors: { description: string }[]; trackingId: string };
  expect(body.trackingId).toBeTruthy();
  expect(res.headers['trackingid']).toBe(body.trackingId);
  expect(body.errors[0]?.description).toBe(body.message);
}

describe('errors raised before routing', () => {
  it('a malformed percent-encoding in the path gets the Webex body and a TrackingID', async () => {
    s = await startTestServer([]);
    expectWebexError(await s.app.inject({ url: '/v1/%zz' }), 400);
  });

  it('an over-long path parameter gets a 400 from the schema in the Webex shape, and a 401 without a token', async () => {
    s = await startTestServer([]);
    expectWebexError(await s.app.inject({ url: `/v1/recordings/${'x'.repeat(600)}`, headers: auth(TOKENS.co) }), 400);
    expectWebexError(await s.app.inject({ url: `/v1/recordings/${'x'.repeat(600)}` }), 401);
  });
});

describe('a topic as long as the import allows (2,048 characters)', () => {
  it('can be found with the topic filter', async () => {
    const long = `Quarterly review ${'ä'.repeat(2030)}`.slice(0, 2048);
    s = await startTestServer([
      { id: 'long', createTime: '2021-03-16T10:00:00Z', topic: long },
      { id: 'short', createTime: '2021-03-16T11:00:00Z', topic: 'Quarterly review' },
    ]);
    const query = new URLSearchParams({ siteUrl: 'a.example.com', from: '2021-03-10T00:00:00Z', to: '2021-03-17T00:00:00Z', topic: long.toUpperCase() });
    const res = await s.app.inject({ url: `/v1/admin/recordings?${query}`, headers: auth(TOKENS.adminAll) });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(['long']);
  });

  it('is stored and found whatever its characters (2,048 random CJK characters: 6 KB of UTF-8)', async () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const long = Array.from({ length: 2048 }, () => String.fromCodePoint(0x4e00 + (next() % 20000))).join('');
    expect(long.length).toBe(2048);
    s = await startTestServer([]);
    const ingest = await s.app.inject({
      method: 'POST',
      url: '/v1/ingest/recordings',
      headers: { ...auth(TOKENS.ingest), 'content-type': 'application/x-ndjson' },
      payload: JSON.stringify(recordingRecord({ id: 'emoji', createTime: '2021-03-16T10:00:00Z', topic: long })),
    });
    expect(ingest.statusCode, ingest.body).toBe(200);
    const query = new URLSearchParams({ siteUrl: 'a.example.com', from: '2021-03-10T00:00:00Z', to: '2021-03-17T00:00:00Z', topic: long });
    const res = await s.app.inject({ url: `/v1/admin/recordings?${query}`, headers: auth(TOKENS.adminAll) });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(['emoji']);
  });
});

describe('authentication comes first on writes', () => {
  it('an anonymous caller gets 401, not 400 or 415, whatever the body', async () => {
    s = await startTestServer([]);
    for (const [type, payload] of [['application/json', '{bad'], ['text/plain', 'x'], ['application/x-ndjson', '{']] as const) {
      for (const url of ['/v1/recordings/softDelete', '/v1/ingest/recordings']) {
        expectWebexError(await s.app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload }), 401);
      }
    }
    expectWebexError(await s.app.inject({ method: 'DELETE', url: `/v1/admin/recordings/${'y'.repeat(300)}` }), 401);
  });

  it('a path-parameter error names the parameter, not the body', async () => {
    s = await startTestServer([]);
    const res = await s.app.inject({ method: 'DELETE', url: `/v1/admin/recordings/${'y'.repeat(300)}`, headers: auth(TOKENS.adminWriteAll) });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('params');
  });
});

describe('the scope is checked before the body, the path and the headers', () => {
  it('a token without the scope gets 403 whatever it sent (as the list does before its parameters)', async () => {
    s = await startTestServer([{ id: 'a1', createTime: '2021-03-16T10:00:00Z' }]);
    const ids = (n: number) => JSON.stringify({ recordingIds: Array.from({ length: n }, (_, i) => `r${i}`) });
    for (const [type, payload] of [['application/json', '{bad'], ['text/plain', 'x'], ['application/json', ids(101)], ['application/json', ids(0)], ['application/json', ids(1)]] as const) {
      for (const action of ['softDelete', 'restore', 'purge']) {
        // adminAll reads only; ingest has no recycle-bin scope either.
        for (const token of [TOKENS.adminAll, TOKENS.ingest]) {
          expectWebexError(await s.app.inject({ method: 'POST', url: `/v1/recordings/${action}`, headers: { ...auth(token), 'content-type': type }, payload }), 403);
        }
      }
      expectWebexError(await s.app.inject({ method: 'POST', url: '/v1/ingest/recordings', headers: { ...auth(TOKENS.adminAll), 'content-type': type }, payload }), 403);
    }
    for (const id of ['a1', 'y'.repeat(300)]) {
      expectWebexError(await s.app.inject({ method: 'DELETE', url: `/v1/admin/recordings/${id}`, headers: auth(TOKENS.host) }), 403);
      expectWebexError(await s.app.inject({ url: `/v1/recordings/${id}`, headers: { ...auth(TOKENS.ingest), timezone: 'Bad/Zone' } }), 403);
    }
    // Nothing moved.
    expect((await s.store.getRecording('acme', 'a1'))?.status).toBe('available');
  });
});

describe('a compressed body on a write', () => {
  it('is a 415 with Accept-Encoding: identity (not a 400 for bad JSON), after the token and scope checks, and changes nothing', async () => {
    s = await startTestServer([{ id: 'a1', createTime: '2021-03-16T10:00:00Z' }]);
    const body = JSON.stringify({ recordingIds: ['a1'], siteUrl: 'a.example.com' });
    const send = (token: string | null, coding: string, url = '/v1/recordings/softDelete', payload = body, type = 'application/json') =>
      s!.app.inject({ method: 'POST', url, headers: { ...(token === null ? {} : auth(token)), 'content-type': type, 'content-encoding': coding }, payload });
    for (const coding of ['gzip', 'br', 'deflate, gzip']) {
      const res = await send(TOKENS.adminWriteAll, coding);
      expectWebexError(res, 415);
      expect(res.headers['accept-encoding']).toBe('identity');
      expect(res.json().message).toContain('Content-Encoding');
      expectWebexError(await send(TOKENS.ingest, coding, '/v1/ingest/recordings', JSON.stringify(recordingRecord({ id: 'n1', createTime: '2021-03-16T10:00:00Z' })), 'application/x-ndjson'), 415);
    }
    expectWebexError(await send(null, 'gzip'), 401);
    expectWebexError(await send(TOKENS.adminAll, 'gzip'), 403);
    expect((await s.store.getRecording('acme', 'a1'))?.status).toBe('available');
    expect(await s.store.getRecording('acme', 'n1')).toBeNull();
    // identity is no coding at all
    expect((await send(TOKENS.adminWriteAll, 'identity')).statusCode).toBe(204);
  });
});

describe('DELETE with a JSON content type and no body', () => {
  it('is accepted: the body of a DELETE is ignored', async () => {
    s = await startTestServer([{ id: 'a1', createTime: '2021-03-16T10:00:00Z' }]);
    const res = await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a1', headers: { ...auth(TOKENS.adminWriteAll), 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(204);
  });
});

describe('a host with only meeting:recordings_write', () => {
  it('acts on their own recordings on any site of the org, even with no administered site', async () => {
    const store = await openTestStore();
    const doc = baseDocument([{ id: 'h1', createTime: '2021-03-16T10:00:00Z', hostEmail: 'h2@acme.example' }]);
    (doc.people as unknown[]).push({ id: 'h2', email: 'h2@acme.example', displayName: 'H2', orgId: 'acme', siteUrls: [], preferredSiteUrl: null });
    (doc.tokens as unknown[]).push({ token: 'tok-h2-host-only-write-000', personId: 'h2', scopes: ['meeting:recordings_write'] });
    await store.importDataset(parseImportDocument(doc, await store.knownEntities(), NOW));
    const app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'x' } });
    const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: auth('tok-h2-host-only-write-000'), payload });
    expect((await post({ recordingIds: ['h1'], siteUrl: 'a.example.com' })).statusCode).toBe(204);
    expect((await store.getRecording('acme', 'h1'))?.status).toBe('deleted');
    expect((await post({ recordingIds: ['h1'], siteUrl: 'z.example.com' })).statusCode).toBe(403);
    await app.close();
    await store.close();
  });
});

// SQLite-specific: PostgreSQL has row locks, and its outage path is tested in test/postgres.
describe.skipIf(testEngine() !== 'sqlite')('a SQLite database locked by a long write', () => {
  it('answers writes with 503 and Retry-After quickly instead of freezing or failing with 500', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recvault-busy-'));
    const file = join(dir, 'busy.db');
    const store = SqliteStore.open(file);
    await store.importDataset(parseImportDocument(baseDocument([{ id: 'a1', createTime: '2021-03-16T10:00:00Z' }]), await store.knownEntities(), NOW));
    const app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'x' } });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const res = await app.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: auth(TOKENS.adminWriteAll), payload: { recordingIds: ['a1'] } });
      expectWebexError(res, 503);
      expect(res.headers['retry-after']).toBe('1');
      expect(Date.now() - started).toBeLessThan(3000);
      // Reads keep working while the writer holds its lock (WAL).
      expect((await app.inject({ url: '/v1/admin/recordings?siteUrl=a.example.com', headers: auth(TOKENS.adminAll) })).statusCode).toBe(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await app.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: auth(TOKENS.adminWriteAll), payload: { recordingIds: ['a1'] } })).statusCode).toBe(204);
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('instants outside the years 0001–9999', () => {
  it('are rejected in queries and at ingest, so nothing renders a 5- or 6-digit year', async () => {
    s = await startTestServer([]);
    for (const from of ['+275760-09-13T00:00:00Z', '+010000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z']) {
      const res = await s.app.inject({ url: `/v1/admin/recordings?from=${encodeURIComponent(from)}`, headers: auth(TOKENS.co) });
      expectWebexError(res, 400);
    }
    const far = { ...recordingRecord({ id: 'far', createTime: '2021-03-16T10:00:00Z' }), createTime: '+275760-09-13T00:00:00Z' };
    const res = await s.app.inject({ method: 'POST', url: '/v1/ingest/recordings', headers: { ...auth(TOKENS.ingest), 'content-type': 'application/x-ndjson' }, payload: JSON.stringify(far) });
    expectWebexError(res, 400);
    expect(res.json().message).toContain('createTime');
    const edge = await s.app.inject({ url: `/v1/admin/recordings?from=9999-12-02T00:00:00Z&to=9999-12-31T23:59:59Z`, headers: auth(TOKENS.co) });
    expect(edge.statusCode).toBe(200);
  });
});

describe('import document checks', () => {
  it('a person email used twice is reported with its position and field', async () => {
    const store = await openTestStore();
    const doc = baseDocument([]);
    (doc.people as { email: string }[])[1]!.email = (doc.people as { email: string }[])[0]!.email.toUpperCase();
    expect(() => parseImportDocument(doc, { orgIds: new Set(), sites: new Map(), people: new Map(), emails: new Map() }, NOW)).toThrow(RecordError);
    try {
      parseImportDocument(doc, await store.knownEntities(), NOW);
    } catch (error) {
      expect((error as RecordError).position).toBe('people[1]');
      expect((error as RecordError).field).toBe('email');
    }
    await store.close();
  });
});

describe('text no catalogue can hold: U+0000 and unpaired surrogates (PostgreSQL refused them with a 500)', () => {
  it('search parameters, path ids, body ids and hostEmail with U+0000 get a 400 naming them, on every engine', async () => {
    s = await startTestServer([{ id: 'r1', createTime: '2021-03-16T10:00:00Z' }]);
    const get = (url: string) => s!.app.inject({ url, headers: auth(TOKENS.coWrite) });
    for (const name of ['topic', 'meetingId', 'integrationTag']) {
      const res = await get(`/v1/admin/recordings?${name}=a%00b`);
      expectWebexError(res, 400);
      expect((res.json() as { message: string }).message).toBe(`Parameter ${name} must not contain U+0000 (NUL).`);
    }
    // With meetingId, siteUrl is not read: no 400, and no 500 from an engine that cannot hold it.
    expect((await get('/v1/admin/recordings?meetingId=m1&siteUrl=a%00b')).statusCode).toBe(200);
    const details = await get('/v1/recordings/a%00b');
    expectWebexError(details, 400);
    expect((details.json() as { message: string }).message).toBe('Recording id must not contain U+0000 (NUL).');
    const soft = await s.app.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: auth(TOKENS.adminWriteAll), payload: { recordingIds: ['r1', 'a\u0000b'] } });
    expectWebexError(soft, 400);
    expect((soft.json() as { message: string }).message).toBe('recordingIds[1] must not contain U+0000 (NUL).');
    const host = await s.app.inject({ method: 'POST', url: '/v1/recordings/softDelete?hostEmail=a%00b', headers: auth(TOKENS.adminWriteAll), payload: { recordingIds: ['r1'] } });
    expectWebexError(host, 400);
    expect((host.json() as { message: string }).message).toBe('Parameter hostEmail must not contain U+0000 (NUL).');
    const admin = await s.app.inject({ method: 'DELETE', url: '/v1/admin/recordings/a%00b', headers: auth(TOKENS.adminWriteAll) });
    expectWebexError(admin, 400);
    expect((admin.json() as { message: string }).message).toBe('Recording id must not contain U+0000 (NUL).');
    expect((await s.store.getRecording('acme', 'r1'))?.status).toBe('available');
  });

  it('ingest refuses a record with U+0000 or an unpaired surrogate in any text field, naming it, and stores nothing', async () => {
    s = await startTestServer([]);
    const record = (extra: Record<string, unknown>) => JSON.stringify({ ...recordingRecord({ id: 'x1', createTime: '2021-03-16T10:00:00Z' }), ...extra });
    for (const [body, message] of [
      [record({ topic: 'Weekly \u0000 sync' }), 'line 1: field topic must not contain U+0000 (NUL).'],
      [record({ id: 'x\u0000' }), 'line 1: field id must not contain U+0000 (NUL).'],
      [record({ topic: 'Weekly \ud83d sync' }), 'line 1: field topic must be valid Unicode (it holds an unpaired surrogate).'],
      [record({ integrationTags: ['ok', { tag: 'T-\udc00', clientId: 'zendesk-app' }] }), 'line 1: field integrationTags.1.tag must be valid Unicode (it holds an unpaired surrogate).'],
    ] as const) {
      const res = await s.app.inject({ method: 'POST', url: '/v1/ingest/recordings', headers: { ...auth(TOKENS.ingest), 'content-type': 'application/x-ndjson' }, payload: body });
      expectWebexError(res, 400);
      expect((res.json() as { message: string }).message).toBe(message);
    }
    expect(await s.store.getRecording('acme', 'x1')).toBeNull();
    // A well-formed pair (an emoji) is fine.
    const ok = await s.app.inject({ method: 'POST', url: '/v1/ingest/recordings', headers: { ...auth(TOKENS.ingest), 'content-type': 'application/x-ndjson' }, payload: record({ topic: 'Weekly 🎥 sync' }) });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
