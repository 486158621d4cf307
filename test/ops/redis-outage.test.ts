/**
 * A Redis outage never turns into errors: the rate limit falls back to counting in memory (one
 * warning for the whole outage), and goes back to Redis when it returns. The Redis here is a
 * throwaway server of this file's own, since the test kills it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { NOW } from '../helpers/fixture.js';
import { redisServerBinary, serviceAvailable, startThrowawayRedis, type ThrowawayRedis } from '../helpers/services.js';
import { captureLogs, documentWithFreshToken, waitFor, type LogCapture } from './support.js';

const available = serviceAvailable('Redis (redis-server binary)', redisServerBinary());
const SITES = '/v1/meetingPreferences/sites';
const MAX = 3;

interface RedisApp {
  readonly logs: LogCapture;
  redis: ThrowawayRedis;
  store: SqliteStore;
  app: App;
  token: string;
}

/**
 * Set-up and tear-down for one describe block: a throwaway Redis of its own (stopped before the
 * app starts when `downAtStart`) and an app on an in-memory catalogue that counts in it, with a
 * token of its own. The fields are filled in by `beforeAll`.
 */
function withRedisApp(options: { downAtStart: boolean }): RedisApp {
  const ctx = { logs: captureLogs('info') } as RedisApp;
  beforeAll(async () => {
    ctx.redis = await startThrowawayRedis();
    if (options.downAtStart) await ctx.redis.stop();
    ctx.store = SqliteStore.open(':memory:');
    const fixture = documentWithFreshToken();
    ctx.token = fixture.token;
    await ctx.store.importDataset(parseImportDocument(fixture.document, await ctx.store.knownEntities(), NOW));
    const rateLimit = { max: MAX, windowMs: 60_000, redisUrl: ctx.redis.url };
    ctx.app = await buildApp({ store: ctx.store, now: () => NOW, config: { cursorSecret: 'x', logger: ctx.logs.logger, rateLimit } });
  });
  afterAll(async () => {
    await ctx.app?.close();
    await ctx.store?.close();
    ctx.redis?.destroy();
  });
  return ctx;
}

describe.runIf(available)('rate limit during a Redis outage', () => {
  const ctx = withRedisApp({ downAtStart: false });

  const get = () => ctx.app.inject({ url: SITES, headers: { authorization: `Bearer ${ctx.token}` } });
  const warnings = () => ctx.logs.lines().filter((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('Redis is unavailable'));

  it('counts in Redis while it is up', async () => {
    const first = await get();
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-ratelimit-remaining']).toBe(String(MAX - 1));
    expect(warnings()).toHaveLength(0);
  });

  it('when Redis dies, requests still succeed, the in-memory limit applies, and one warning is logged', async () => {
    await ctx.redis.stop();
    const statuses: number[] = [];
    for (let i = 0; i < MAX + 5; i++) {
      const res = await get();
      statuses.push(res.statusCode);
      expect(res.headers['trackingid']).toBeTruthy();
      if (res.statusCode === 429) {
        expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
        const body = res.json();
        expect(body.trackingId).toBe(res.headers['trackingid']);
        expect(body.errors[0].description).toBe(body.message);
      }
    }
    // The memory counter starts afresh: MAX more requests pass, then the limit holds.
    expect(statuses).toEqual([...Array<number>(MAX).fill(200), ...Array<number>(5).fill(429)]);
    const warned = warnings();
    expect(warned).toHaveLength(1);
    expect(warned[0]?.['level']).toBe(40);
  });

  it('when Redis returns, counting goes back to it', async () => {
    await ctx.redis.start();
    // This token is over its in-memory limit; the restarted Redis holds no count for it, so the
    // first 200 shows the limiter is asking Redis again.
    await waitFor(async () => (await get()).statusCode === 200, 100);
    expect(ctx.logs.lines().some((l) => l['msg'] === 'Redis is reachable again: rate limits are shared across instances again')).toBe(true);
    const next = await get();
    expect(next.statusCode).toBe(200);
    expect(next.headers['x-ratelimit-remaining']).toBe(String(MAX - 2));
    expect(warnings()).toHaveLength(1);
  });
});

describe.runIf(available)('rate limit when Redis is down at start-up', () => {
  const ctx = withRedisApp({ downAtStart: true });

  const get = () => ctx.app.inject({ url: SITES, headers: { authorization: `Bearer ${ctx.token}` } });
  const messages = () => ctx.logs.lines().map((l) => String(l['msg']));

  it('says so once, never claims the limits are shared, and says when Redis answers', async () => {
    for (let i = 0; i < MAX; i++) expect((await get()).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(429);
    expect(messages().filter((m) => m.startsWith('Redis is unreachable at start-up'))).toHaveLength(1);
    expect(messages().filter((m) => m.startsWith('Redis is unavailable'))).toEqual([]);
    expect(messages()).not.toContain('rate limits are shared through Redis');
    await ctx.redis.start();
    await waitFor(async () => (await get()).statusCode === 200, 100);
    expect(messages()).toContain('Redis is reachable again: rate limits are shared across instances again');
  });
});
