/**
 * Hygiene: tokens never reach the logs; a failing store gives a clean 500 (no stack, no SQL)
 * that is logged with its tracking id; CORS is off; security headers suit an API and the docs.
 */
import { Writable } from 'node:stream';
import type { LoggerOptions } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { withSafeLogging } from '../../src/http/log-redaction.js';
import { API_CSP, installSecurityHeaders } from '../../src/http/security-headers.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { baseDocument, NOW, recordingRecord, startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import { checkAnswer, expectNoInternals, send, type Sent } from './support.js';

const R: RecordingSpec[] = [
  { id: 'h-a1', createTime: '2021-03-16T10:00:00Z' },
  { id: 'h-a2', createTime: '2021-03-16T09:00:00Z', status: 'deleted' },
  { id: 'h-z1', site: 'z.example.com', createTime: '2021-03-16T10:00:00Z' },
];

/** Builds the app the way `serve` does, but with a pino logger writing into memory. */
async function appWithMemoryLog(store: Store, level = 'trace'): Promise<{ app: App; lines: () => string[] }> {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  // Fastify's logger option takes pino options plus `stream` (see fastify/lib/logger-pino.js);
  // AppConfig types it as pino's LoggerOptions, which has no `stream`, hence the cast.
  const logger = { level, stream } as unknown as LoggerOptions;
  const app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'log-test-secret', logger } });
  await app.ready();
  return { app, lines: () => chunks.join('').split('\n').filter((l) => l !== '') };
}

async function openStore(recordings: RecordingSpec[]): Promise<SqliteStore> {
  const store = SqliteStore.open(':memory:');
  await store.importDataset(parseImportDocument(baseDocument(recordings), await store.knownEntities(), NOW));
  return store;
}

/** One request of every kind for every token: successes, 4xx, bad bodies, bad tokens. */
function everyRequest(): Sent[] {
  const out: Sent[] = [];
  const tokens = [...Object.values(TOKENS), 'rvt_unknownsecretvalue0000000000000000000000', `${TOKENS.adminAll}x`];
  for (const token of tokens) {
    const headers = { authorization: `Bearer ${token}` };
    const json = { ...headers, 'content-type': 'application/json' };
    out.push(
      { method: 'GET', url: '/v1/admin/recordings?max=1', headers },
      { method: 'GET', url: '/v1/admin/recordings?max=0', headers },
      { method: 'GET', url: '/v1/admin/recordings?siteUrl=z.example.com', headers },
      { method: 'GET', url: '/v1/meetingPreferences/sites', headers },
      { method: 'GET', url: '/v1/recordings/h-a1', headers: { ...headers, timezone: 'Nowhere/Land' } },
      { method: 'GET', url: '/v1/recordings/h-a1', headers },
      { method: 'POST', url: '/v1/recordings/softDelete', headers: json, payload: '{"recordingIds":["nope"]}' },
      { method: 'POST', url: '/v1/recordings/restore', headers: json, payload: '{not json' },
      { method: 'POST', url: '/v1/recordings/purge', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'x' },
      { method: 'DELETE', url: '/v1/admin/recordings/nope', headers },
      { method: 'POST', url: '/v1/ingest/recordings', headers: { ...headers, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify(recordingRecord({ id: 'h-new', createTime: '2021-03-16T10:00:00Z' })) },
      { method: 'PUT', url: '/v1/admin/recordings', headers },
      { method: 'GET', url: '/v1/nothing-here', headers },
      // The secret in the wrong place: a token pasted into a query string must not be logged either.
      { method: 'GET', url: `/v1/admin/recordings?access_token=${token}`, headers },
    );
  }
  // Malformed Authorization headers that embed a real secret.
  out.push(
    { method: 'GET', url: '/v1/admin/recordings', headers: { authorization: `Basic ${TOKENS.co}` } },
    { method: 'GET', url: '/v1/admin/recordings', headers: { authorization: `Bearer ${TOKENS.co} ${TOKENS.adminAll}` } },
    { method: 'GET', url: '/v1/admin/recordings', headers: { authorization: TOKENS.co } },
  );
  return out;
}

describe('logs', () => {
  let store: SqliteStore;
  let logged: string[];
  beforeAll(async () => {
    store = await openStore(R);
    const { app, lines } = await appWithMemoryLog(store);
    for (const req of everyRequest()) {
      // Some requests deliberately carry a secret in the URL; those are excluded from the scan below.
      await send(app, req);
    }
    await app.close();
    logged = lines();
  });
  afterAll(async () => {
    await store.close();
  });

  it('the in-memory logger captured request lines (the check below is not vacuous)', () => {
    expect(logged.length).toBeGreaterThan(100);
    expect(logged.some((l) => l.includes('"trackingId"'))).toBe(true);
  });

  it('no token secret appears in any log line at trace level (Authorization header, malformed headers)', () => {
    // The query-string requests above put the secret in the URL on purpose; Fastify logs URLs.
    // Report that separately: here only lines that are not about those URLs are checked.
    const lines = logged.filter((l) => !l.includes('access_token='));
    for (const secret of Object.values(TOKENS)) {
      const hits = lines.filter((l) => l.includes(secret));
      expect(hits, `secret ${secret} in log lines`).toEqual([]);
    }
  });

  it('a secret sent in the query string (?access_token=) is not written to the logs either (FAIL until withSafeLogging is wired into src/http/app.ts)', () => {
    // Not a supported way to authenticate, but scripts do it; the URL is logged by Fastify's
    // request serializer, so the secret would be at rest in the log files.
    for (const secret of Object.values(TOKENS)) {
      const hits = logged.filter((l) => l.includes(secret));
      expect(hits.slice(0, 1), `secret ${secret} in log lines`).toEqual([]);
    }
  });

  it('every request-scoped log line carries the trackingId', () => {
    const requestLines = logged.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => 'req' in l || 'res' in l);
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect(typeof line.trackingId, JSON.stringify(line)).toBe('string');
  });
});

describe('withSafeLogging (the module itself)', () => {
  it('masks token-like query parameters in logged URLs and keeps the rest', async () => {
    const store = await openStore(R);
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const logger = withSafeLogging({ level: 'trace', stream } as unknown as LoggerOptions);
    const app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'x', logger } });
    await app.ready();
    await send(app, { method: 'GET', url: `/v1/admin/recordings?max=1&access_token=${TOKENS.co}&Token=${TOKENS.adminAll}`, headers: { authorization: `Bearer ${TOKENS.co}` } });
    await app.close();
    await store.close();
    const text = chunks.join('');
    expect(text).toContain('max=1');
    expect(text).toContain('access_token=[REDACTED]');
    expect(text).not.toContain(TOKENS.co);
    expect(text).not.toContain(TOKENS.adminAll);
  });
});

describe('a failing store', () => {
  /** A store whose reads throw an error full of internals, as a corrupted database would. */
  function brokenStore(inner: Store): Store {
    const boom = () => {
      const error = new Error('SQLITE_CORRUPT: database disk image is malformed while running SELECT * FROM recordings WHERE org_id = ?');
      (error as { code?: string }).code = 'SQLITE_CORRUPT';
      throw error;
    };
    return new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'listRecordings' || prop === 'getRecording' || prop === 'applyLifecycle' || prop === 'ingestRecordings') return async () => boom();
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  it('answers 500 (or 503) in the Webex shape with no stack trace or SQL, and logs the error with the tracking id', async () => {
    const store = await openStore(R);
    const { app, lines } = await appWithMemoryLog(brokenStore(store), 'info');
    const requests: Sent[] = [
      { method: 'GET', url: '/v1/admin/recordings', headers: { authorization: `Bearer ${TOKENS.adminAll}` } },
      { method: 'GET', url: '/v1/recordings/h-a1', headers: { authorization: `Bearer ${TOKENS.adminAll}` } },
      { method: 'POST', url: '/v1/recordings/softDelete', headers: { authorization: `Bearer ${TOKENS.adminWriteAll}`, 'content-type': 'application/json' }, payload: '{"recordingIds":["h-a1"]}' },
      { method: 'POST', url: '/v1/ingest/recordings', headers: { authorization: `Bearer ${TOKENS.ingest}`, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify(recordingRecord({ id: 'h-x', createTime: '2021-03-16T10:00:00Z' })) },
    ];
    for (const req of requests) {
      const res = await send(app, req);
      expect([500, 503], res.body).toContain(res.status);
      const body = JSON.parse(res.body) as { message: string; trackingId: string };
      expect(Object.keys(body).sort()).toEqual(['errors', 'message', 'trackingId']);
      expect(body.trackingId).toBe(res.headers['trackingid']);
      expectNoInternals(res.body, `${req.method} ${req.url}`);
      expect(res.body).not.toContain('CORRUPT');
      const errorLine = lines().find((l) => l.includes(body.trackingId) && l.includes('SQLITE_CORRUPT'));
      expect(errorLine, `error logged with tracking id ${body.trackingId}`).toBeDefined();
    }
    await app.close();
    await store.close();
  });
});

describe('CORS is off by default', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(R);
  });
  afterAll(async () => {
    await s.close();
  });

  const PATHS = ['/v1/admin/recordings', '/v1/meetingPreferences/sites', '/v1/recordings/h-a1', '/v1/recordings/softDelete', '/v1/recordings/restore', '/v1/recordings/purge', '/v1/admin/recordings/h-a1', '/v1/ingest/recordings', '/openapi.json', '/docs', '/nope'];

  it.each(PATHS)('preflight OPTIONS %s has no Access-Control-* headers and is not a 2xx', async (path) => {
    const req: Sent = {
      method: 'OPTIONS',
      url: path,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    };
    const res = await send(s.app, req);
    checkAnswer(req, res);
    expect(res.status).toBeGreaterThanOrEqual(400);
    for (const name of Object.keys(res.headers)) expect(name.toLowerCase().startsWith('access-control-'), name).toBe(false);
  });

  it.each(PATHS)('a cross-origin GET/POST to %s gets no Access-Control-Allow-Origin', async (path) => {
    for (const method of ['GET', 'POST']) {
      const res = await send(s.app, { method, url: path, headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKENS.co}`, 'content-type': 'application/json' }, payload: method === 'POST' ? '{"recordingIds":["h-a1"]}' : undefined });
      expect(res.status).toBeLessThan(500);
      for (const name of Object.keys(res.headers)) expect(name.toLowerCase().startsWith('access-control-'), `${method} ${path}: ${name}`).toBe(false);
    }
  });
});

/** What every response must carry, and what depends on the path. */
function expectSecurityHeaders(path: string, headers: Record<string, unknown>): void {
  expect(headers['x-content-type-options'], path).toBe('nosniff');
  expect(headers['referrer-policy'], path).toBe('no-referrer');
  expect(headers['x-frame-options'], path).toBe('DENY');
  if (path.startsWith('/v1/')) expect(headers['cache-control'], path).toBe('no-store');
  if (path.startsWith('/docs')) {
    // Swagger UI needs its own scripts and styles: the API policy must not replace the docs' CSP.
    expect(String(headers['content-security-policy']), path).not.toBe(API_CSP);
    expect(String(headers['content-security-policy']), path).toContain("script-src 'self'");
  } else {
    expect(headers['content-security-policy'], path).toBe(API_CSP);
  }
}

const HEADER_CASES: [string, Sent][] = [
  ['200 list', { method: 'GET', url: '/v1/admin/recordings', headers: { authorization: `Bearer ${TOKENS.adminAll}` } }],
  ['200 sites', { method: 'GET', url: '/v1/meetingPreferences/sites', headers: { authorization: `Bearer ${TOKENS.adminAll}` } }],
  ['200 details', { method: 'GET', url: '/v1/recordings/h-a1', headers: { authorization: `Bearer ${TOKENS.adminAll}` } }],
  ['204 softDelete', { method: 'POST', url: '/v1/recordings/softDelete', headers: { authorization: `Bearer ${TOKENS.adminWriteAll}`, 'content-type': 'application/json' }, payload: '{"recordingIds":["h-a2"]}' }],
  ['400', { method: 'GET', url: '/v1/admin/recordings?max=0', headers: { authorization: `Bearer ${TOKENS.adminAll}` } }],
  ['401', { method: 'GET', url: '/v1/admin/recordings', headers: {} }],
  ['404 unknown path', { method: 'GET', url: '/v1/nope', headers: {} }],
  ['405', { method: 'PUT', url: '/v1/admin/recordings', headers: {} }],
  ['415', { method: 'POST', url: '/v1/recordings/purge', headers: { authorization: `Bearer ${TOKENS.adminWriteAll}`, 'content-type': 'text/plain' }, payload: 'x' }],
  ['openapi.json', { method: 'GET', url: '/openapi.json', headers: {} }],
  ['docs html', { method: 'GET', url: '/docs', headers: {} }],
  ['docs script', { method: 'GET', url: '/docs/static/swagger-ui-bundle.js', headers: {} }],
];

describe('security headers, as served by buildApp (FAIL until installSecurityHeaders is wired into src/http/app.ts)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(R);
  });
  afterAll(async () => {
    await s.close();
  });

  it.each(HEADER_CASES)('%s', async (_label, req) => {
    const res = await send(s.app, req);
    expect(res.status).toBeLessThan(500);
    expectSecurityHeaders(req.url, res.headers);
  });
});

describe('installSecurityHeaders (the module itself, installed on a built app)', () => {
  let app: App;
  let store: SqliteStore;
  beforeAll(async () => {
    store = await openStore(R);
    app = await buildApp({ store, now: () => NOW, config: { cursorSecret: 'x' } });
    installSecurityHeaders(app);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it.each(HEADER_CASES)('%s', async (_label, req) => {
    const res = await send(app, req);
    expect(res.status).toBeLessThan(500);
    expectSecurityHeaders(req.url, res.headers);
  });

  it('/docs still works: the HTML page loads and every script and stylesheet it references is served', async () => {
    const page = await send(app, { method: 'GET', url: '/docs/', headers: {} });
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toMatch(/^text\/html/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string).filter((u) => !u.startsWith('http'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const url = new URL(asset, 'http://localhost/docs/').pathname;
      const res = await send(app, { method: 'GET', url, headers: {} });
      expect(res.status, url).toBe(200);
    }
    const spec = await send(app, { method: 'GET', url: '/docs/json', headers: {} });
    expect(spec.status).toBe(200);
    expect(JSON.parse(spec.body)).toHaveProperty('openapi');
  });
});
