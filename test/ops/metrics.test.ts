/**
 * GET /metrics: Prometheus text with request counts and latency by route pattern and status
 * (never raw paths, ids or tokens), store call latency by operation, pool gauges when the
 * store has a pool, default process metrics; readable from loopback or with the metrics token.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import type { MetricsConfig } from '../../src/http/metrics-endpoint.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { PoolStats, Store } from '../../src/store/store.js';
import { auth, baseDocument, NOW, TOKENS } from '../helpers/fixture.js';

let app: App | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await app?.close();
  await store?.close();
});

async function start(metrics: MetricsConfig | false = {}, wrap: (real: Store) => Store = (s) => s): Promise<App> {
  store = SqliteStore.open(':memory:');
  await store.importDataset(parseImportDocument(baseDocument([{ id: 'rec-1', createTime: '2021-03-16T10:00:00Z' }]), await store.knownEntities(), NOW));
  app = await buildApp({ store: wrap(store), now: () => NOW, config: { cursorSecret: 'x', metrics } });
  return app;
}

/** Sample lines of the exposition as "name{labels}" → value. */
function samples(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    result.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return result;
}

async function scrape(a: App): Promise<Map<string, number>> {
  const res = await a.inject({ url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(res.headers['trackingid']).toBeTruthy();
  return samples(res.body);
}

describe('GET /metrics', () => {
  it('counts requests and their latency by method, route pattern and status code', async () => {
    const a = await start();
    for (let i = 0; i < 3; i++) expect((await a.inject({ url: '/v1/admin/recordings?from=2021-03-15&to=2021-03-17', headers: auth(TOKENS.co) })).statusCode).toBe(200);
    expect((await a.inject({ url: '/v1/recordings/rec-1', headers: auth(TOKENS.co) })).statusCode).toBe(200);
    expect((await a.inject({ url: '/v1/admin/recordings' })).statusCode).toBe(401);
    expect((await a.inject({ url: '/v1/no/such/path-secret-42' })).statusCode).toBe(404);
    const m = await scrape(a);
    expect(m.get('recvault_http_requests_total{method="GET",route="/v1/admin/recordings",status_code="200"}')).toBe(3);
    expect(m.get('recvault_http_requests_total{method="GET",route="/v1/admin/recordings",status_code="401"}')).toBe(1);
    expect(m.get('recvault_http_requests_total{method="GET",route="/v1/recordings/:recordingId",status_code="200"}')).toBe(1);
    expect(m.get('recvault_http_requests_total{method="GET",route="unmatched",status_code="404"}')).toBe(1);
    expect(m.get('recvault_http_request_duration_seconds_count{method="GET",route="/v1/admin/recordings",status_code="200"}')).toBe(3);
    expect(m.get('recvault_http_request_duration_seconds_bucket{method="GET",route="/v1/admin/recordings",status_code="200",le="+Inf"}')).toBe(3);
    expect(m.get('recvault_http_request_duration_seconds_sum{method="GET",route="/v1/admin/recordings",status_code="200"}')).toBeGreaterThan(0);
    // Buckets are cumulative.
    const buckets = [...m].filter(([k]) => k.startsWith('recvault_http_request_duration_seconds_bucket{method="GET",route="/v1/admin/recordings",status_code="200"')).map(([, v]) => v);
    expect(buckets).toEqual([...buckets].sort((x, y) => x - y));
    // Nothing of a raw path, id or token becomes a label.
    const body = [...m.keys()].join('\n');
    for (const leak of ['path-secret-42', 'rec-1', TOKENS.co, 'from=']) expect(body).not.toContain(leak);
  });

  it('counts requests refused before any hook: by the router (a malformed path) and by the HTTP parser (an oversized URL)', async () => {
    const a = await start();
    await a.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(a.server.address() as AddressInfo).port}`;
    const malformed = await fetch(`${base}/%761/recordings/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    // Refused by the router, so no hook set it: an answer about a broken URL is still never cached.
    expect(malformed.headers.get('cache-control')).toBe('no-store');
    expect(malformed.headers.get('trackingid')).toMatch(/^RECVAULT_/);
    const tooLong = await fetch(`${base}/v1/admin/recordings?topic=${'x'.repeat(20_000)}`);
    expect(tooLong.status).toBe(414);
    const m = samples(await (await fetch(`${base}/metrics`)).text());
    expect(m.get('recvault_http_requests_total{method="GET",route="unmatched",status_code="400"}')).toBe(1);
    expect(m.get('recvault_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="400"}')).toBe(1);
    expect(m.get('recvault_http_request_duration_seconds_sum{method="GET",route="unmatched",status_code="400"}')).toBeGreaterThan(0);
    expect(m.get('recvault_http_requests_unparsed_total{status_code="414"}')).toBe(1);
    expect([...m.keys()].join('\n')).not.toContain('%E0');
  });

  it('times store calls by operation, with failures apart', async () => {
    let pingFails = false;
    const flakyPing = (real: Store) => {
      const ping = () => (pingFails ? Promise.reject(new Error('down')) : real.ping());
      return new Proxy(real, { get: (target, property) => (property === 'ping' ? ping : Reflect.get(target, property, target)) });
    };
    const a = await start({}, flakyPing);
    expect((await a.inject({ url: '/v1/admin/recordings', headers: auth(TOKENS.co) })).statusCode).toBe(200);
    expect((await a.inject({ url: '/readyz' })).statusCode).toBe(200);
    pingFails = true;
    expect((await a.inject({ url: '/readyz' })).statusCode).toBe(503);
    const m = await scrape(a);
    expect(m.get('recvault_store_query_duration_seconds_count{operation="findToken",outcome="ok"}')).toBe(1);
    expect(m.get('recvault_store_query_duration_seconds_count{operation="listRecordings",outcome="ok"}')).toBe(1);
    expect(m.get('recvault_store_query_duration_seconds_count{operation="ping",outcome="ok"}')).toBe(1);
    expect(m.get('recvault_store_query_duration_seconds_count{operation="ping",outcome="error"}')).toBe(1);
  });

  it('exports the pool gauges of a store that has a pool, and default process metrics', async () => {
    const stats: Record<string, PoolStats> = { named: { total: 7, idle: 3, waiting: 2 }, other: { total: 2, idle: 2, waiting: 0 } };
    const a = await start({}, (real) => new Proxy(real, { get: (t, p) => (p === 'poolStats' ? () => stats : Reflect.get(t, p, t)) }));
    const m = await scrape(a);
    expect(m.get('recvault_store_pool_connections{pool="named"}')).toBe(7);
    expect(m.get('recvault_store_pool_idle_connections{pool="named"}')).toBe(3);
    expect(m.get('recvault_store_pool_waiting_requests{pool="named"}')).toBe(2);
    expect(m.get('recvault_store_pool_connections{pool="other"}')).toBe(2);
    expect(m.get('recvault_store_pool_waiting_requests{pool="other"}')).toBe(0);
    expect(m.has('process_cpu_user_seconds_total')).toBe(true);
    expect(m.has('nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('has no pool gauges for a store without a pool', async () => {
    const m = await scrape(await start());
    expect([...m.keys()].some((k) => k.startsWith('recvault_store_pool'))).toBe(false);
  });

  it('without a metrics token: loopback clients only, and not through a proxy', async () => {
    const a = await start();
    const remote = await a.inject({ url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().trackingId).toBe(remote.headers['trackingid']);
    expect((await a.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } })).statusCode).toBe(403);
    expect((await a.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
  });

  it('with a metrics token: the token is required, from anywhere', async () => {
    const a = await start({ token: 'scrape-secret' });
    expect((await a.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await a.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    const ok = await a.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: 'Bearer scrape-secret' } });
    expect(ok.statusCode).toBe(200);
  });

  it('is absent when metrics are off', async () => {
    const a = await start(false);
    const res = await a.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json().trackingId).toBe(res.headers['trackingid']);
  });
});
