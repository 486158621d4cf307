/**
 * GET /healthz and GET /readyz: no authentication, a TrackingID on every answer, never rate
 * limited; readyz follows the store (and a shutdown), in the Webex error shape when not ready.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreUnavailableError, type Store } from '../../src/store/store.js';
import { baseDocument, NOW } from '../helpers/fixture.js';
import { captureLogs } from './support.js';

let app: App | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await app?.close();
  await store?.close();
  app = undefined;
});

/** The store with its `ping` replaced. */
function withPing(real: Store, ping: () => Promise<void>): Store {
  return new Proxy(real, { get: (target, property) => (property === 'ping' ? ping : Reflect.get(target, property, target)) });
}

async function start(ping?: () => Promise<void>, rateLimit = 1): Promise<App> {
  store = SqliteStore.open(':memory:');
  await store.importDataset(parseImportDocument(baseDocument([]), await store.knownEntities(), NOW));
  app = await buildApp({
    store: ping === undefined ? store : withPing(store, ping),
    now: () => NOW,
    config: { cursorSecret: 'x', rateLimit: { max: rateLimit, windowMs: 60_000 }, metrics: {} },
  });
  return app;
}

function expectWebexError(res: { headers: Record<string, unknown>; json: () => unknown }): void {
  const body = res.json() as { message: string; errors: { description: string }[]; trackingId: string };
  expect(body.trackingId).toBe(res.headers['trackingid']);
  expect(body.errors).toEqual([{ description: body.message }]);
}

describe('GET /healthz', () => {
  it('answers 200 {"status":"ok"} without a token, with a TrackingID, even when the store is down', async () => {
    const a = await start(() => Promise.reject(new StoreUnavailableError()));
    const res = await a.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.headers['trackingid']).toMatch(/^RECVAULT_/);
  });
});

describe('GET /readyz', () => {
  it('answers 200 {"status":"ready"} when the store answers', async () => {
    const a = await start();
    const res = await a.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready' });
    expect(res.headers['trackingid']).toMatch(/^RECVAULT_/);
  });

  it('answers 503 with Retry-After in the Webex shape when the store fails', async () => {
    const a = await start(() => Promise.reject(new StoreUnavailableError('connection refused at 10.0.0.5:5432')));
    const res = await a.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expectWebexError(res);
    expect(res.body).not.toContain('10.0.0.5');
  });

  it('answers 503 when the store does not answer at all (bounded wait)', async () => {
    const a = await start(() => new Promise<void>(() => undefined));
    const res = await a.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expectWebexError(res);
  });

  it('answers 503 once the app is closing, while in-flight requests drain', async () => {
    const a = await start();
    let during: Response | undefined;
    let duringBody: unknown;
    // preClose hooks run in order after the one buildApp adds, while the server still listens.
    a.addHook('preClose', async () => {
      during = await fetch(`${address}/readyz`);
      duringBody = await during.json();
    });
    const address = await a.listen({ host: '127.0.0.1', port: 0 });
    expect((await fetch(`${address}/readyz`)).status).toBe(200);
    await a.close();
    app = undefined;
    expect(during?.status).toBe(503);
    expect(during?.headers.get('retry-after')).toBe('1');
    const body = duringBody as { message: string; trackingId: string };
    expect(body.trackingId).toBe(during?.headers.get('trackingid'));
    expect(body.message).toMatch(/shutting down/);
  });

  it('a 503 while draining or during a store outage is one warning line without a stack, not an error', async () => {
    const logs = captureLogs();
    store = SqliteStore.open(':memory:');
    await store.importDataset(parseImportDocument(baseDocument([]), await store.knownEntities(), NOW));
    let up = false;
    app = await buildApp({
      store: withPing(store, async () => {
        if (!up) throw new StoreUnavailableError('database is restarting');
      }),
      now: () => NOW,
      config: { cursorSecret: 'x', logger: logs.logger },
    });
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    up = true;
    app.markDraining?.();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    const refusals = logs.lines().filter((l) => l['msg'] === 'request refused: unavailable');
    expect(refusals).toHaveLength(2);
    for (const line of refusals) {
      expect(line['level']).toBe(40);
      expect(line['status']).toBe(503);
      expect(JSON.stringify(line)).not.toContain('stack');
    }
    expect(refusals[1]?.['reason']).toMatch(/shutting down/);
    expect(logs.lines().filter((l) => (l['level'] as number) >= 50)).toEqual([]);
  });

  it('health checks are neither rate-limited nor listed in the OpenAPI document', async () => {
    const a = await start(undefined, 1);
    for (let i = 0; i < 5; i++) {
      expect((await a.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await a.inject({ url: '/readyz' })).statusCode).toBe(200);
    }
    const paths = Object.keys((await a.inject({ url: '/openapi.json' })).json().paths as object);
    expect(paths.filter((p) => ['/healthz', '/readyz', '/metrics'].includes(p))).toEqual([]);
  });
});
