import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitError, RecvaultClient, ServerError } from '../../src/client/index.js';
import { parseFaultSpec } from '../../src/http/fault-injection.js';
import { TOKENS } from '../helpers/fixture.js';
import { expectedIds, scriptedRandom, startLiveServer, YEAR_FROM, yearFixture, type LiveServer } from './helpers.js';

const FIXTURE = yearFixture();
const FROM = YEAR_FROM + 10 * 86_400_000;
const TO = FROM + 60 * 86_400_000;

let server: LiveServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('parseFaultSpec', () => {
  it('reads status:probability pairs and latency ranges', () => {
    expect(parseFaultSpec('429:0.05,503:0.01', '0-200ms')).toEqual({
      faults: [
        { status: 429, probability: 0.05 },
        { status: 503, probability: 0.01 },
      ],
      latency: { minMs: 0, maxMs: 200 },
    });
    expect(parseFaultSpec(' 500 : .5 ').faults).toEqual([{ status: 500, probability: 0.5 }]);
    expect(parseFaultSpec('').faults).toEqual([]);
    expect(parseFaultSpec('', '50ms').latency).toEqual({ minMs: 50, maxMs: 50 });
    expect(parseFaultSpec('', '1-2s').latency).toEqual({ minMs: 1000, maxMs: 2000 });
    expect(parseFaultSpec('', '100-300').latency).toEqual({ minMs: 100, maxMs: 300 });
    expect(parseFaultSpec('429:1').latency).toBeNull();
  });

  it('rejects bad input with a clear message', () => {
    expect(() => parseFaultSpec('429')).toThrow(/expected STATUS:PROBABILITY/);
    expect(() => parseFaultSpec('429:1.5')).toThrow(/between 0 and 1/);
    expect(() => parseFaultSpec('429:0.6,503:0.6')).toThrow(/add up to 1.2/);
    expect(() => parseFaultSpec('200:0.1')).toThrow(/cannot inject status 200/);
    expect(() => parseFaultSpec('502:0.1')).toThrow(/use one of .*429.*503/);
    expect(() => parseFaultSpec('429:0.1,429:0.2')).toThrow(/twice/);
    expect(() => parseFaultSpec('', '200-100ms')).toThrow(/minimum is above the maximum/);
    expect(() => parseFaultSpec('', 'soon')).toThrow(/bad fault latency/);
    expect(() => parseFaultSpec('', '5m')).toThrow(/bad fault latency/);
  });
});

describe('installFaultInjection on a live server', () => {
  it('answers the drawn status with the Webex error body, TrackingID and Retry-After, on /v1/ only', async () => {
    // Draws: 0.01 falls in 429's slice [0, 0.05), 0.055 in 503's [0.05, 0.06), 0.5 in neither.
    server = await startLiveServer(FIXTURE, { faults: '429:0.05,503:0.01', random: scriptedRandom([0.01, 0.055, 0.5]) });
    const get = (path: string) => fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${TOKENS.adminAll}` } });
    const limited = await get('/v1/meetingPreferences/sites');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    const body = (await limited.json()) as { message: string; errors: { description: string }[]; trackingId: string };
    expect(Object.keys(body).sort()).toEqual(['errors', 'message', 'trackingId']);
    expect(body.errors[0]?.description).toBe(body.message);
    expect(limited.headers.get('trackingid')).toBe(body.trackingId);
    const unavailable = await get('/v1/meetingPreferences/sites');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('1');
    expect((await get('/v1/meetingPreferences/sites')).status).toBe(200);
    // With a 100% fault rate, a non-API path still answers normally.
    await server.close();
    server = await startLiveServer(FIXTURE, { faults: '500:1' });
    expect((await fetch(`${server.url}/openapi.json`)).status).toBe(200);
    expect((await get('/v1/meetingPreferences/sites')).status).toBe(500);
  });

  it('is off when the spec is empty, and adds latency when asked', async () => {
    server = await startLiveServer(FIXTURE, { faults: parseFaultSpec('', '30ms') });
    const started = Date.now();
    const res = await fetch(`${server.url}/v1/meetingPreferences/sites`, { headers: { authorization: `Bearer ${TOKENS.adminAll}` } });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('the SDK waits out 429s and 503s (Retry-After: 1, injected sleep) and still lists exactly once each', async () => {
    // Every third request is rate limited, every seventh unavailable.
    let n = 0;
    server = await startLiveServer(FIXTURE, { faults: '429:0.5,503:0.25', random: () => (++n % 3 === 0 ? 0.1 : n % 7 === 0 ? 0.6 : 0.9) });
    const sleeps: number[] = [];
    const client = new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminAll, retry: { sleep: async (ms) => void sleeps.push(ms) } });
    const items = await client.recordings.list({ from: FROM, to: TO, max: 20 }).toArray({ limit: Infinity });
    expect(items.map((i) => i.id)).toEqual(expectedIds(FIXTURE, FROM, TO));
    expect(sleeps.length).toBeGreaterThan(2);
    expect(sleeps.every((ms) => ms === 1000)).toBe(true);
  });

  it('waits a real Retry-After of one second', async () => {
    server = await startLiveServer(FIXTURE, { faults: '429:0.5', random: scriptedRandom([0.1]) });
    const client = new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminAll });
    const started = Date.now();
    expect((await client.sites()).length).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up with RateLimitError / ServerError carrying the tracking id when faults persist', async () => {
    server = await startLiveServer(FIXTURE, { faults: '429:1' });
    const fast = { sleep: async () => undefined, maxRetries: 2 };
    const error = await new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminAll, retry: fast }).sites().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(1);
    expect((error as RateLimitError).trackingId).toMatch(/^recvault-sdk_.*\.2$/);
    await server.close();
    server = await startLiveServer(FIXTURE, { faults: '500:1' });
    await expect(new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminAll, retry: fast }).sites()).rejects.toBeInstanceOf(ServerError);
  });
});
