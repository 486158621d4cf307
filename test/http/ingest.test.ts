import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { MAX_CONCURRENT_INGESTS } from '../../src/http/ingest-gate.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { auth, baseDocument, NOW, recordingRecord, startTestServer, TOKENS, type TestServer } from '../helpers/fixture.js';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer([{ id: 'old', createTime: '2021-03-10T10:00:00Z', status: 'deleted' }]);
});
afterEach(async () => {
  await s.close();
});

const rec = (id: string, extra: Record<string, unknown> = {}) => ({ ...recordingRecord({ id, createTime: '2021-03-16T10:00:00Z' }), ...extra });
const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n');

async function ingest(payload: string, token: string = TOKENS.ingest, contentType = 'application/x-ndjson') {
  return s.app.inject({ method: 'POST', url: '/v1/ingest/recordings', headers: { ...auth(token), 'content-type': contentType }, payload });
}

describe('POST /v1/ingest/recordings', () => {
  it('creates from NDJSON, then the same body again is unchanged (idempotent)', async () => {
    const body = ndjson([rec('n1'), rec('n2', { integrationTags: ['T-1', { tag: 'ZD-1', clientId: 'zendesk-app' }] })]);
    const first = await ingest(body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const again = await ingest(body);
    expect(again.json()).toEqual({ created: 0, updated: 0, unchanged: 2 });
    const got = await s.store.getRecording('acme', 'n2');
    expect(got?.integrationTags).toEqual([{ tag: 'T-1', clientId: null }, { tag: 'ZD-1', clientId: 'zendesk-app' }]);
  });

  it('ignores a leading byte-order mark on NDJSON, as the file import does (Windows tools write one)', async () => {
    const res = await ingest(`\ufeff${ndjson([rec('bom1'), rec('bom2')])}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 2, updated: 0, unchanged: 0 });
    // Only at the very start: elsewhere it is part of a line, which is then not JSON.
    const inner = await ingest(`${ndjson([rec('bom3')])}\n\ufeff${ndjson([rec('bom4')])}`);
    expect(inner.statusCode).toBe(400);
  });

  it('accepts a JSON array; a changed record is updated', async () => {
    expect((await ingest(JSON.stringify([rec('j1')]), TOKENS.ingest, 'application/json')).json()).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const changed = await ingest(JSON.stringify([rec('j1', { topic: 'Renamed' }), rec('j2')]), TOKENS.ingest, 'application/json');
    expect(changed.json()).toEqual({ created: 1, updated: 1, unchanged: 0 });
    expect((await s.store.getRecording('acme', 'j1'))?.topic).toBe('Renamed');
  });

  it('a record without status keeps the recycle-bin state; an explicit status changes it', async () => {
    const { status: _omit, ...withoutStatus } = rec('old');
    expect((await ingest(JSON.stringify(withoutStatus))).json()).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await s.store.getRecording('acme', 'old'))?.status).toBe('deleted');
    expect((await ingest(JSON.stringify(withoutStatus))).json()).toEqual({ created: 0, updated: 0, unchanged: 1 });
    await ingest(JSON.stringify({ ...withoutStatus, status: 'available' }));
    expect((await s.store.getRecording('acme', 'old'))?.status).toBe('available');
  });

  it('a bad record → 400 naming its line and field, and nothing is written', async () => {
    const body = ndjson([rec('g1'), rec('g2'), { ...rec('g3'), createTime: '2021-02-29T10:00:00Z' }]);
    const res = await ingest(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('line 3');
    expect(res.json().message).toContain('createTime');
    expect(await s.store.getRecording('acme', 'g1')).toBeNull();
    const missing = await ingest(ndjson([rec('g1'), { ...rec('g2'), format: 'MOV' }]));
    expect(missing.json().message).toMatch(/line 2.*format/);
    // A closed list names what it accepts.
    expect(missing.json().message).toContain('field format must be one of MP4, ARF, UPLOADED');
    const badStatus = await ingest(JSON.stringify({ ...rec('g1'), status: 'gone' }));
    expect(badStatus.json().message).toMatch(/field status must be one of available, deleted, purged/);
    const notJson = await ingest(`${JSON.stringify(rec('g1'))}\n{oops`);
    expect(notJson.json().message).toContain('line 2');
    const unknownField = await ingest(JSON.stringify({ ...rec('g1'), bogus: 1 }));
    expect(unknownField.json().message).toMatch(/line 1.*bogus/);
    expect(await s.store.getRecording('acme', 'g1')).toBeNull();
  });

  it('is limited to the token\'s org: another org\'s site → 400 and nothing written; ids are per org', async () => {
    const foreignSite = await ingest(ndjson([rec('f1'), { ...rec('f2'), siteUrl: 'z.example.com' }]));
    expect(foreignSite.statusCode).toBe(400);
    expect(foreignSite.json().message).toMatch(/line 2.*siteUrl/);
    expect(await s.store.getRecording('acme', 'f1')).toBeNull();
    // Ids are unique per org: the other org may use 'old' too; it gets its own recording and
    // neither learns nor touches acme's.
    const sameId = await ingest(ndjson([{ ...rec('f3'), siteUrl: 'z.example.com' }, { ...rec('old'), siteUrl: 'z.example.com' }]), TOKENS.otherIngest);
    expect(sameId.statusCode).toBe(200);
    expect(sameId.json()).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect((await s.store.getRecording('other', 'old'))?.siteUrl).toBe('z.example.com');
    expect((await s.store.getRecording('acme', 'old'))?.siteUrl).toBe('a.example.com');
    expect((await s.store.getRecording('acme', 'old'))?.status).toBe('deleted');
  });

  it('needs the ingest scope; 401 without a token', async () => {
    expect((await ingest(JSON.stringify(rec('s1')), TOKENS.adminWriteAll)).statusCode).toBe(403);
    const anon = await s.app.inject({ method: 'POST', url: '/v1/ingest/recordings', headers: { 'content-type': 'application/x-ndjson' }, payload: JSON.stringify(rec('s1')) });
    expect(anon.statusCode).toBe(401);
    expect(await s.store.getRecording('acme', 's1')).toBeNull();
  });

  it('415 for other media types, 413 over the body limit, 400 for an empty body or repeated ids', async () => {
    expect((await ingest(JSON.stringify(rec('m1')), TOKENS.ingest, 'text/csv')).statusCode).toBe(415);
    const big = 'x'.repeat(17 * 1024 * 1024);
    expect((await ingest(big)).statusCode).toBe(413);
    expect((await ingest('\n\n')).statusCode).toBe(400);
    expect((await ingest(ndjson([rec('m1'), rec('m1')]))).json().message).toMatch(/line 2.*id/);
  });

  it('audits each created and updated recording with the tracking id', async () => {
    const res = await ingest(ndjson([rec('a1'), rec('a2')]));
    await ingest(ndjson([rec('a1', { topic: 'x' }), rec('a2')]));
    const rows = (await s.store.listAudit(null, 100)).map((r) => [r.action, r.recordingId, r.fromStatus, r.toStatus]);
    expect(rows).toEqual([
      ['ingest.create', 'a1', null, 'available'],
      ['ingest.create', 'a2', null, 'available'],
      ['ingest.update', 'a1', 'available', 'available'],
    ]);
    expect((await s.store.listAudit(null, 1))[0]?.trackingId).toBe(res.headers['trackingid']);
  });

  it('refuses recording links that are not absolute http(s) URLs (stored XSS in clients that render them), naming the field', async () => {
    for (const [extra, field] of [
      [{ downloadUrl: 'javascript:alert(document.domain)' }, 'downloadUrl'],
      [{ downloadUrl: 'data:text/html,<script>alert(1)</script>' }, 'downloadUrl'],
      [{ playbackUrl: 'JAVASCRIPT:alert(1)' }, 'playbackUrl'],
      [{ playbackUrl: '//evil.example/x' }, 'playbackUrl'],
      [{ playbackUrl: 'https://' }, 'playbackUrl'],
      [{ playbackUrl: 'https://x.example"onmouseover="alert(1)' }, 'playbackUrl'],
    ] as const) {
      const res = await ingest(ndjson([rec('x1', extra)]));
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json().message).toBe(`line 1: field ${field} must be an absolute http:// or https:// URL.`);
    }
    expect(await s.store.getRecording('acme', 'x1')).toBeNull();
    expect((await ingest(ndjson([rec('x2', { playbackUrl: 'HTTP://a.example.com/ldr.php?RCID=x2' })]))).statusCode).toBe(200);
  });
  it('refuses JSON nested deeper than 32 levels before parsing it, as a body or as an NDJSON line', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const json = await ingest(deep, TOKENS.ingest, 'application/json');
    expect(json.statusCode).toBe(400);
    expect(json.json().message).toBe('The body nests more than 32 arrays or objects.');
    const line = await ingest(`${ndjson([rec('d1')])}\n${deep}`);
    expect(line.statusCode).toBe(400);
    expect(line.json().message).toBe('line 2: the line nests more than 32 arrays or objects.');
    // Brackets inside strings do not count.
    const bracketed = await ingest(ndjson([rec('d2', { topic: `${'['.repeat(200)} "quoted \\" ${'{'.repeat(200)}` })]));
    expect(bracketed.statusCode, bracketed.body).toBe(200);
    expect(await s.store.getRecording('acme', 'd1')).toBeNull();
  });

  it('NDJSON: blank lines and CRLF keep line numbers; the record limit stops reading at the first record over it', async () => {
    const crlf = await ingest(`\r\n\n${JSON.stringify(rec('c1'))}\r\n\r\n${JSON.stringify({ ...rec('c2'), durationSeconds: 'long' })}\r\n`);
    expect(crlf.statusCode).toBe(400);
    expect(crlf.json().message).toMatch(/^line 5: field durationSeconds /);
    const many = `${Array.from({ length: 10_001 }, (_, i) => JSON.stringify(rec(`m${i}`))).join('\n')}\n${'\n'.repeat(100_000)}`;
    const over = await ingest(many);
    expect(over.statusCode).toBe(400);
    expect(over.json().message).toBe('At most 10000 recordings per request; line 10001 is one more.');
  });
});

describe('concurrent ingests', () => {
  /** An upload whose headers promise more body than was sent: the server holds it, reading. */
  async function openUpload(port: number, body: string): Promise<{ socket: Socket; finish: () => Promise<string> }> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += String(chunk)));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `POST /v1/ingest/recordings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKENS.ingest}\r\n` +
        `Content-Type: application/x-ndjson\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    return {
      socket,
      finish: async () => {
        socket.write(body.slice(10));
        await ended;
        return received;
      },
    };
  }

  async function ingestsInProgress(): Promise<number> {
    const text = (await s.app.inject({ url: '/metrics' })).body;
    return Number(/^recvault_ingests_in_progress (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
  }

  async function until(condition: () => Promise<boolean>): Promise<void> {
    for (let i = 0; !(await condition()); i++) {
      if (i > 400) throw new Error('timed out waiting for the ingest gauge');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it(`at most ${MAX_CONCURRENT_INGESTS} at a time: the next gets 429 with Retry-After before its body is read; a finished or aborted upload frees its slot`, async () => {
    await s.close();
    s = await startTestServer([], { metrics: true });
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (s.app.server.address() as AddressInfo).port;
    expect(await ingestsInProgress()).toBe(0);
    const uploads: Array<{ socket: Socket; finish: () => Promise<string> }> = [];
    try {
      await holdAndRelease(uploads, port);
    } finally {
      // Before afterEach closes the server, which would wait for these connections.
      for (const upload of uploads) upload.socket.destroy();
    }
  });

  async function holdAndRelease(uploads: Array<{ socket: Socket; finish: () => Promise<string> }>, port: number): Promise<void> {
    for (let i = 0; i < MAX_CONCURRENT_INGESTS; i++) uploads.push(await openUpload(port, ndjson([rec(`c${i}`)])));
    // Once both hold their slots (the gauge says so), the next is refused before its body is read.
    await until(async () => (await ingestsInProgress()) === MAX_CONCURRENT_INGESTS);
    const refused = await ingest(ndjson([rec('late')]));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().message).toContain('ingests are already in progress');
    expect(await s.store.getRecording('acme', 'late')).toBeNull();

    const [first, second] = uploads;
    expect(await first?.finish()).toMatch(/^HTTP\/1\.1 200 /);
    expect((await ingest(ndjson([rec('after-finish')]))).statusCode).toBe(200);
    // An upload abandoned half-way frees its slot too.
    second?.socket.destroy();
    await until(async () => (await ingestsInProgress()) === 0);
    const statuses = (await Promise.all([ingest(ndjson([rec('p1')])), ingest(ndjson([rec('p2')]))])).map((r) => r.statusCode);
    expect(statuses).toEqual([200, 200]);
  }

  it('an upload abandoned while its token is still being looked up takes no slot (it used to keep one for good)', async () => {
    const real = SqliteStore.open(':memory:');
    await real.importDataset(parseImportDocument(baseDocument([]), await real.knownEntities(), NOW));
    // A store slow to authenticate (a remote database under load), so the client leaves first.
    const slow = new Proxy(real, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (property === 'findToken') {
          return async (hash: Buffer) => {
            await new Promise((resolve) => setTimeout(resolve, 300));
            return target.findToken(hash);
          };
        }
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const app = await buildApp({ store: slow, now: () => NOW, config: { cursorSecret: 'x', metrics: {} } });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as AddressInfo).port;
      const body = ndjson([rec('gone')]);
      for (let i = 0; i < MAX_CONCURRENT_INGESTS; i++) {
        const socket = connect(port, '127.0.0.1');
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        socket.write(`POST /v1/ingest/recordings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKENS.ingest}\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${body.length}\r\n\r\n`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        socket.destroy();
        await closed;
      }
      // Both lookups finish (300 ms each) after their clients left; neither may hold a slot then.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const gauge = /^recvault_ingests_in_progress (\d+)$/m.exec((await app.inject({ url: '/metrics' })).body)?.[1];
      expect(gauge).toBe('0');
      const next = await app.inject({ method: 'POST', url: '/v1/ingest/recordings', headers: { ...auth(TOKENS.ingest), 'content-type': 'application/x-ndjson' }, payload: ndjson([rec('after')]) });
      expect(next.statusCode).toBe(200);
    } finally {
      await app.close();
      await real.close();
    }
  });
});
