import { describe, expect, it } from 'vitest';
import {
  abortableSleep,
  AuthenticationError,
  ConnectionError,
  NotFoundError,
  RateLimitError,
  RecvaultClient,
  RetryPolicy,
  ServerError,
  type AttemptFailure,
} from '../../src/client/index.js';

const response = (status: number, retryAfterSeconds: number | null = null): AttemptFailure => ({ kind: 'response', status, retryAfterSeconds });

describe('RetryPolicy', () => {
  it('never retries 400, 401, 403, 404, 409 (or other 4xx, or 501)', () => {
    const policy = new RetryPolicy({ random: () => 0.5 });
    for (const status of [400, 401, 403, 404, 405, 409, 413, 415, 501]) {
      expect(policy.delayBeforeRetry(0, response(status)), String(status)).toBeNull();
      expect(policy.delayBeforeRetry(0, response(status, 1)), `${status} with Retry-After`).toBeNull();
    }
  });

  it('honours Retry-After seconds exactly on 429, 423 and 503', () => {
    const policy = new RetryPolicy({ random: () => 0.9, maxDelayMs: 100 });
    expect(policy.delayBeforeRetry(0, response(429, 1))).toBe(1000);
    expect(policy.delayBeforeRetry(2, response(423, 7))).toBe(7000);
    expect(policy.delayBeforeRetry(3, response(503, 0))).toBe(0);
    // A Retry-After on another 5xx is not authoritative: backoff applies.
    expect(policy.delayBeforeRetry(0, response(500, 30))).toBeLessThanOrEqual(100);
  });

  it('gives up when Retry-After is longer than maxRetryAfterMs', () => {
    const policy = new RetryPolicy({ maxRetryAfterMs: 5000 });
    expect(policy.delayBeforeRetry(0, response(429, 5))).toBe(5000);
    expect(policy.delayBeforeRetry(0, response(429, 6))).toBeNull();
  });

  it('backs off exponentially on 5xx and connection errors, capped at maxDelay', () => {
    const policy = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, maxRetries: 50, random: () => 0.999999 });
    const waits = [0, 1, 2, 3, 4, 5, 10, 40].map((n) => policy.delayBeforeRetry(n, { kind: 'connection' }));
    expect(waits).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
    expect(policy.delayBeforeRetry(1, response(502))).toBe(200);
    expect(policy.delayBeforeRetry(1, response(429))).toBe(200); // 429 without Retry-After
  });

  it('keeps jitter within [cap/2, cap]', () => {
    let r = 0;
    const policy = new RetryPolicy({ baseDelayMs: 1000, maxDelayMs: 8000, random: () => r });
    for (const retry of [0, 1, 2, 3, 6]) {
      const cap = Math.min(8000, 1000 * 2 ** retry);
      for (r of [0, 0.1, 0.5, 0.999, 1]) {
        const wait = policy.backoff(retry);
        expect(wait).toBeGreaterThanOrEqual(cap / 2);
        expect(wait).toBeLessThanOrEqual(cap);
      }
    }
    r = 0;
    expect(policy.backoff(2)).toBe(2000);
    r = 0.5;
    expect(policy.backoff(2)).toBe(3000);
  });

  it('stops after maxRetries', () => {
    const policy = new RetryPolicy({ maxRetries: 2 });
    expect(policy.delayBeforeRetry(1, response(503, 1))).toBe(1000);
    expect(policy.delayBeforeRetry(2, response(503, 1))).toBeNull();
    expect(new RetryPolicy({ maxRetries: 0 }).delayBeforeRetry(0, { kind: 'connection' })).toBeNull();
  });

  it('rejects nonsense settings', () => {
    expect(() => new RetryPolicy({ maxRetries: -1 })).toThrow(RangeError);
    expect(() => new RetryPolicy({ baseDelayMs: Number.NaN })).toThrow(RangeError);
  });
});

/** A fetch that answers from a script of [status, headers] and counts calls. */
function scriptedFetch(script: (number | 'network')[], headers: Record<string, string> = {}) {
  const calls: string[] = [];
  return {
    calls,
    fetch: async (url: string): Promise<Response> => {
      calls.push(url);
      const step = script[Math.min(calls.length - 1, script.length - 1)];
      if (step === 'network') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      const status = step as number;
      const body = status === 200 ? '{"sites":[{"siteUrl":"a.example.com","default":true}]}' : JSON.stringify({ message: `failure ${status}`, errors: [{ description: 'x' }], trackingId: `T-${calls.length}` });
      return new Response(body, { status, headers: { 'content-type': 'application/json', trackingid: `T-${calls.length}`, ...headers } });
    },
  };
}

function fakeClient(fetchImpl: (url: string) => Promise<Response>, retry: ConstructorParameters<typeof RecvaultClient>[0]['retry']) {
  return new RecvaultClient({ baseUrl: 'http://recvault.test', token: 't', fetch: fetchImpl, retry });
}

describe('retries through the client (injected sleep and clock)', () => {
  it('waits Retry-After on 429 and 503, backs off on 500 and network errors, then succeeds', async () => {
    const sleeps: number[] = [];
    const f = scriptedFetch([429, 503, 500, 'network', 200], { 'retry-after': '2' });
    const sites = await fakeClient(f.fetch, { sleep: async (ms) => void sleeps.push(ms), random: () => 0, baseDelayMs: 100 }).sites();
    expect(sites).toEqual([{ siteUrl: 'a.example.com', default: true }]);
    expect(f.calls).toHaveLength(5);
    expect(sleeps).toEqual([2000, 2000, 200, 400]);
  });

  it('reads an HTTP-date Retry-After with the injected clock', async () => {
    const sleeps: number[] = [];
    const now = Date.parse('2021-03-17T12:00:00Z');
    const f = scriptedFetch([429, 200], { 'retry-after': 'Wed, 17 Mar 2021 12:00:05 GMT' });
    await fakeClient(f.fetch, { sleep: async (ms) => void sleeps.push(ms), now: () => now }).sites();
    expect(sleeps).toEqual([5000]);
  });

  it('does not retry 401 or 404 and throws the matching class with the tracking id', async () => {
    const sleep = async () => {
      throw new Error('must not sleep');
    };
    const unauthorized = scriptedFetch([401]);
    const error = await fakeClient(unauthorized.fetch, { sleep }).sites().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).trackingId).toBe('T-1');
    expect(unauthorized.calls).toHaveLength(1);
    const missing = scriptedFetch([404]);
    await expect(fakeClient(missing.fetch, { sleep }).recordings.get('x')).rejects.toBeInstanceOf(NotFoundError);
    expect(missing.calls).toHaveLength(1);
  });

  it('throws RateLimitError (with retryAfter) or ServerError once retries are used up', async () => {
    const sleep = async () => undefined;
    const limited = scriptedFetch([429], { 'retry-after': '3' });
    const e = await fakeClient(limited.fetch, { sleep, maxRetries: 2 }).sites().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitError);
    expect((e as RateLimitError).retryAfter).toBe(3);
    expect(limited.calls).toHaveLength(3);
    const failing = scriptedFetch([502]);
    await expect(fakeClient(failing.fetch, { sleep, maxRetries: 1 }).sites()).rejects.toBeInstanceOf(ServerError);
    const offline = scriptedFetch(['network']);
    const c = await fakeClient(offline.fetch, { sleep, maxRetries: 1 }).sites().catch((x: unknown) => x);
    expect(c).toBeInstanceOf(ConnectionError);
    expect((c as ConnectionError).message).toContain('ECONNRESET');
    expect((c as ConnectionError).status).toBe(0);
  });

  it('an abort during a Retry-After wait rejects promptly (real timer)', async () => {
    const f = scriptedFetch([503], { 'retry-after': '60' });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    const error = await fakeClient(f.fetch, {}).sites({ signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(f.calls).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const f = scriptedFetch([200]);
    await expect(fakeClient(f.fetch, {}).sites({ signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(f.calls).toHaveLength(0);
  });

  it('abortableSleep resolves after the time, rejects on abort and clears its timer', async () => {
    await expect(abortableSleep(5)).resolves.toBeUndefined();
    const controller = new AbortController();
    const pending = abortableSleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('a per-attempt timeout is a retryable connection error', async () => {
    let calls = 0;
    const hanging = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        calls++;
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const client = new RecvaultClient({ baseUrl: 'http://recvault.test', token: 't', fetch: hanging, timeoutMs: 20, retry: { maxRetries: 1, sleep: async () => undefined } });
    const error = await client.sites().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/timed out after 20 ms/);
    expect(calls).toBe(2);
  });
});
