/**
 * Two `recvault serve` processes on one PostgreSQL database: identical answers, links made by
 * one followed on the other, a write through one seen at once by the other, and a token revoked
 * from the CLI refused by both on their next request.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { auth, baseDocument, TOKENS, type RecordingSpec } from '../helpers/fixture.js';
import { BIN, startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { withPostgresClient } from '../helpers/test-store.js';

const run = promisify(execFile);
const DAY = 86_400_000;
const START = Date.parse('2021-03-16T12:00:00Z');
const recordings: RecordingSpec[] = Array.from({ length: 25 }, (_, i) => ({
  id: `r${String(i).padStart(2, '0')}`,
  createTime: new Date(START - i * DAY).toISOString().replace('.000Z', 'Z'),
  meetingSeriesId: i % 3 === 0 ? 'series-shared' : undefined,
  integrationTags: i % 4 === 0 ? ['crm'] : [],
}));

let databaseUrl: string;
let dbName: string;
let dir: string;
let a: ServeProcess;
let b: ServeProcess;

beforeAll(async () => {
  dbName = `instances_${process.pid}_${Date.now()}`;
  await withPostgresClient((c) => c.query(`CREATE DATABASE ${dbName}`));
  const url = new URL(inject('pgUrl'));
  url.pathname = `/${dbName}`;
  databaseUrl = url.toString();
  dir = mkdtempSync(join(tmpdir(), 'recvault-instances-'));
  const file = join(dir, 'fixture.json');
  writeFileSync(file, JSON.stringify(baseDocument(recordings)));
  await run(process.execPath, [BIN, 'import', file, '--database-url', databaseUrl]);
  // No cursor secret configured: the instances share the one kept in the database.
  const env = { RECVAULT_CURSOR_SECRET: '' };
  [a, b] = await Promise.all([
    startServeProcess(['--database-url', databaseUrl, '--rate-limit', '0'], env),
    startServeProcess(['--database-url', databaseUrl, '--rate-limit', '0'], env),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await withPostgresClient((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  rmSync(dir, { recursive: true, force: true });
});

async function get(server: ServeProcess, path: string, token: string = TOKENS.adminAll): Promise<{ status: number; link: string | null; body: string }> {
  const res = await fetch(`${server.url}${path}`, { headers: auth(token) });
  return { status: res.status, link: res.headers.get('link'), body: await res.text() };
}

/** A Link as the other instance would have written it (links carry the serving host). */
const portless = (link: string | null, server: ServeProcess) => link?.replaceAll(server.url, 'http://server') ?? null;
const nextPath = (link: string | null) => (link === null ? null : new URL(/<([^>]+)>/.exec(link)?.[1] as string).pathname + new URL(/<([^>]+)>/.exec(link)?.[1] as string).search);

const WINDOW = 'from=2021-02-20T00:00:00Z&to=2021-03-17T00:00:00Z';

describe('two instances on one PostgreSQL database', () => {
  it('give identical answers', async () => {
    for (const path of [
      `/v1/admin/recordings?siteUrl=a.example.com&${WINDOW}&max=7`,
      `/v1/admin/recordings?siteUrl=a.example.com&${WINDOW}&meetingId=series-shared`,
      `/v1/admin/recordings?siteUrl=a.example.com&${WINDOW}&integrationTag=crm`,
      `/v1/admin/recordings?siteUrl=a.example.com&${WINDOW}&topic=Topic%20r03`,
      '/v1/meetingPreferences/sites',
      '/v1/recordings/r05',
    ]) {
      const [fromA, fromB] = await Promise.all([get(a, path), get(b, path)]);
      expect(fromA.status, path).toBe(fromB.status);
      expect(fromA.body, path).toBe(fromB.body);
      expect(portless(fromA.link, a), path).toBe(portless(fromB.link, b));
    }
  });

  it('follow each other\'s links: paging alternately through both sees every recording once', async () => {
    const seen: string[] = [];
    let path: string | null = `/v1/admin/recordings?siteUrl=a.example.com&${WINDOW}&max=4`;
    let turn = 0;
    while (path !== null) {
      const page = await get(turn++ % 2 === 0 ? a : b, path);
      expect(page.status).toBe(200);
      seen.push(...(JSON.parse(page.body) as { items: { id: string }[] }).items.map((r) => r.id));
      path = nextPath(page.link);
    }
    const inWindow = recordings.filter((r) => Date.parse(r.createTime) >= Date.parse('2021-02-20T00:00:00Z')).map((r) => r.id);
    expect(seen).toEqual(inWindow);
    expect(turn).toBeGreaterThan(2);
  });

  it('see each other\'s writes at once', async () => {
    const res = await fetch(`${b.url}/v1/recordings/softDelete`, {
      method: 'POST',
      headers: { ...auth(TOKENS.adminWriteAll), 'content-type': 'application/json' },
      body: JSON.stringify({ recordingIds: ['r01'] }),
    });
    expect(res.status).toBe(204);
    const bin = await get(a, `/v1/admin/recordings?siteUrl=a.example.com&${WINDOW}&status=deleted`);
    expect((JSON.parse(bin.body) as { items: { id: string }[] }).items.map((r) => r.id)).toEqual(['r01']);
  });

  it('refuse a token revoked from the CLI on their very next request', async () => {
    const created = await run(process.execPath, [BIN, 'tokens', 'create', '--person', 'admin-all', '--scopes', 'meeting:admin_recordings_read', '--database-url', databaseUrl]);
    const secret = created.stdout.trim();
    const path = `/v1/admin/recordings?siteUrl=a.example.com&${WINDOW}&max=1`;
    expect((await get(a, path, secret)).status).toBe(200);
    expect((await get(b, path, secret)).status).toBe(200);
    const listed = await run(process.execPath, [BIN, 'tokens', 'list', '--format', 'json', '--database-url', databaseUrl]);
    const newest = (JSON.parse(listed.stdout) as { id: string; createdAt: string | number }[]).at(-1) as { id: string };
    await run(process.execPath, [BIN, 'tokens', 'revoke', newest.id, '--database-url', databaseUrl]);
    expect((await get(a, path, secret)).status).toBe(401);
    expect((await get(b, path, secret)).status).toBe(401);
  });
});
