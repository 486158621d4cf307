/**
 * Acceptance: two `recvault serve` processes on one database and one Redis share each token's
 * limit — requests spread over both are refused once their sum reaches the limit.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serviceAvailable } from '../helpers/services.js';
import { BIN, documentWithFreshToken, startServe, stopServe, type ServeProcess } from './support.js';

const run = promisify(execFile);
const redisUrl = inject('redisUrl');
const available = serviceAvailable('Redis', redisUrl);
const SITES = '/v1/meetingPreferences/sites';
const LIMIT = 6;

describe.runIf(available)('two instances sharing Redis', () => {
  let dir: string;
  let token: string;
  const servers: ServeProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recvault-ops-'));
    const fixture = documentWithFreshToken();
    token = fixture.token;
    const doc = join(dir, 'world.json');
    const db = join(dir, 'shared.db');
    writeFileSync(doc, JSON.stringify(fixture.document));
    await run(process.execPath, [BIN, 'import', doc, '--db', db], { env: { ...process.env, RECVAULT_DB: '' } });
    const args = ['--db', db, '--log-level', 'warn', '--rate-limit', String(LIMIT), '--redis-url', redisUrl as string];
    servers.push(await startServe(args), await startServe(args));
  });
  afterAll(async () => {
    await Promise.all(servers.map(stopServe));
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (server: ServeProcess, secret: string) => fetch(`${server.base}${SITES}`, { headers: { authorization: `Bearer ${secret}` } });

  it('requests alternating between the instances hit 429 at the shared limit, on both', async () => {
    const [a, b] = servers as [ServeProcess, ServeProcess];
    const remaining: string[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await get(i % 2 === 0 ? a : b, token);
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-ratelimit-remaining') ?? '');
    }
    // One count for both instances: each request sees the other instance's requests too.
    expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, i) => String(LIMIT - 1 - i)));

    for (const server of [a, b]) {
      const limited = await get(server, token);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      const body = (await limited.json()) as { message: string; errors: { description: string }[]; trackingId: string };
      expect(body.trackingId).toBe(limited.headers.get('trackingid'));
      expect(body.errors[0]?.description).toBe(body.message);
    }
  });

  it('health checks are not limited', async () => {
    const [a] = servers as [ServeProcess];
    for (let i = 0; i < LIMIT + 2; i++) expect((await fetch(`${a.base}/healthz`)).status).toBe(200);
  });
});
