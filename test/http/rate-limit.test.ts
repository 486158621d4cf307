import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { StoreUnavailableError, type Store } from '../../src/store/store.js';
import { openTestStore } from '../helpers/test-store.js';
import { auth, baseDocument, NOW, TOKENS } from '../helpers/fixture.js';

let app: App | undefined;
let store: Store | undefined;
afterEach(async () => {
  await app?.close();
  await store?.close();
});

async function start(max: number): Promise<App> {
  store = await openTestStore();
  await store.importDataset(parseImportDocument(baseDocument([{ id: 'r1', createTime: '2021-03-16T10:00:00Z' }]), await store.knownEntities(), NOW));
  app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'x', rateLimit: { max, windowMs: 60_000 } } });
  return app;
}

describe('per-token rate limit', () => {
  it('answers 429 with Retry-After in whole seconds and the Webex body once a token is over its limit', async () => {
    const a = await start(3);
    for (let i = 0; i < 3; i++) expect((await a.inject({ url: '/v1/admin/recordings', headers: auth(TOKENS.co) })).statusCode).toBe(200);
    const limited = await a.inject({ url: '/v1/admin/recordings', headers: auth(TOKENS.co) });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    const body = limited.json();
    expect(body.trackingId).toBe(limited.headers['trackingid']);
    expect(body.errors[0].description).toBe(body.message);
  });

  it('counts per token: another token is not affected; docs are never limited', async () => {
    const a = await start(2);
    for (let i = 0; i < 3; i++) await a.inject({ url: '/v1/admin/recordings', headers: auth(TOKENS.co) });
    expect((await a.inject({ url: '/v1/admin/recordings', headers: auth(TOKENS.co) })).statusCode).toBe(429);
    expect((await a.inject({ url: '/v1/admin/recordings', headers: auth(TOKENS.adminAll) })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await a.inject({ url: '/openapi.json' })).statusCode).toBe(200);
  });

  it('counts a token once however its header is spelled (scheme case, runs of spaces)', async () => {
    const a = await start(3);
    const spellings = [`Bearer ${TOKENS.co}`, `bearer ${TOKENS.co}`, `BEARER  ${TOKENS.co}`, `Bearer   ${TOKENS.co}`, `bEaReR ${TOKENS.co}`];
    const statuses: number[] = [];
    for (const authorization of spellings) statuses.push((await a.inject({ url: '/v1/recvault/me', headers: { authorization } })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('a percent-encoded or absolute-form path to a /v1/ route is limited (and not cacheable) like the plain one', async () => {
    const a = await start(2);
    const plain = await a.inject({ url: '/v1/recvault/me', headers: auth(TOKENS.co) });
    expect(plain.statusCode).toBe(200);
    const encoded = await a.inject({ url: '/%761/recvault/me', headers: auth(TOKENS.co) });
    expect(encoded.statusCode).toBe(200);
    expect(encoded.headers['x-ratelimit-remaining']).toBe('0');
    expect(encoded.headers['cache-control']).toBe('no-store');
    expect((await a.inject({ url: '/v%31/recvault/me', headers: auth(TOKENS.co) })).statusCode).toBe(429);
    // An absolute-form request target (as sent to a proxy) reaches the route too: over a socket.
    const address = await a.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET http://127.0.0.1:${port}/v1/recvault/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKENS.co}\r\nConnection: close\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (chunk) => (text += String(chunk)));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(head).toMatch(/^HTTP\/1\.1 429 /);
  });

  it('made-up tokens share their address\'s budget instead of getting one each; a valid token keeps its own', async () => {
    const a = await start(3);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await a.inject({ url: '/v1/recvault/me', headers: { authorization: `Bearer made-up-token-${i}-${'x'.repeat(20)}` } })).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Without a token at all, the same address is over its budget too.
    expect((await a.inject({ url: '/v1/recvault/me' })).statusCode).toBe(429);
    const valid = await a.inject({ url: '/v1/recvault/me', headers: auth(TOKENS.co) });
    expect(valid.statusCode).toBe(200);
    expect(valid.headers['x-ratelimit-remaining']).toBe('2');
  });

  it('routes that check the caller themselves count refused callers too (the check runs after the limiter)', async () => {
    const a = await start(3);
    const bogus = { authorization: `Bearer made-up-token-${'y'.repeat(20)}` };
    const statuses: number[] = [];
    statuses.push((await a.inject({ url: '/v1/recordings/r1', headers: bogus })).statusCode);
    statuses.push((await a.inject({ method: 'POST', url: '/v1/ingest/recordings', headers: { ...bogus, 'content-type': 'application/json' }, payload: '[]' })).statusCode);
    statuses.push((await a.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: bogus, payload: { recordingIds: ['r1'] } })).statusCode);
    statuses.push((await a.inject({ method: 'DELETE', url: '/v1/admin/recordings/r1', headers: bogus })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // A valid token without the scope: 403s count against the token.
    const b = await start(2);
    const forbidden: number[] = [];
    for (let i = 0; i < 3; i++) forbidden.push((await b.inject({ method: 'POST', url: '/v1/ingest/recordings', headers: { ...auth(TOKENS.co), 'content-type': 'application/json' }, payload: '[]' })).statusCode);
    expect(forbidden).toEqual([403, 403, 429]);
  });

  it('a store outage is a 503, not a 429 against the address; health checks never look a token up', async () => {
    store = await openTestStore();
    await store.importDataset(parseImportDocument(baseDocument([{ id: 'r1', createTime: '2021-03-16T10:00:00Z' }]), await store.knownEntities(), NOW));
    let down = false;
    let lookups = 0;
    const real = store;
    const flaky = new Proxy(real, {
      get: (target, property) =>
        property === 'findToken'
          ? async (hash: Buffer) => {
              lookups++;
              if (down) throw new StoreUnavailableError('database is restarting');
              return real.findToken(hash);
            }
          : Reflect.get(target, property, target),
    });
    app = await buildApp({ store: flaky, now: () => NOW, config: { cursorSecret: 'x', rateLimit: { max: 1, windowMs: 60_000 } } });
    down = true;
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/v1/admin/recordings', headers: auth(TOKENS.co) })).statusCode).toBe(503);
    lookups = 0;
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/healthz', headers: auth(TOKENS.co) })).statusCode).toBe(200);
    expect(lookups).toBe(0);
  });

  it('a rate-limited write changes nothing', async () => {
    const a = await start(1);
    await a.inject({ url: '/v1/admin/recordings', headers: auth(TOKENS.adminWriteAll) });
    const res = await a.inject({ method: 'POST', url: '/v1/recordings/softDelete', headers: auth(TOKENS.adminWriteAll), payload: { recordingIds: ['r1'] } });
    expect(res.statusCode).toBe(429);
    expect((await store!.getRecording('acme', 'r1'))?.status).toBe('available');
  });
});
