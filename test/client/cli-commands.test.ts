import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingsCommand } from '../../src/cli/commands/recordings.js';
import { sitesCommand } from '../../src/cli/commands/sites.js';
import { RecvaultClient } from '../../src/client/index.js';
import { TOKENS, type RecordingSpec } from '../helpers/fixture.js';
import { runCli } from './cli-harness.js';
import { recordingFetch, startLiveServer, type LiveServer } from './helpers.js';

const BULK: RecordingSpec[] = Array.from({ length: 250 }, (_, i) => ({ id: `bulk-${String(i).padStart(3, '0')}`, createTime: '2021-03-15T10:00:00Z' }));
const FIXTURE: RecordingSpec[] = [
  ...BULK,
  { id: 'one', createTime: '2021-03-16T08:30:00Z', topic: 'Quarterly review' },
  { id: 'other-host', createTime: '2021-03-16T09:00:00Z', hostEmail: 'bob@acme.example' },
  { id: 'purged-one', createTime: '2021-03-16T09:30:00Z', status: 'purged' },
];

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer(FIXTURE);
});
afterAll(async () => {
  await server.close();
});

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const rec = (args: string[], token: string | undefined = TOKENS.adminWriteAll, extra: Parameters<typeof runCli>[2] extends infer O ? Partial<O> : never = {}) =>
  runCli(recordingsCommand, args, { url: server.url, ...(token === undefined ? {} : { token }), ...extra });

describe('recvault recordings get / sites', () => {
  it('prints one recording as JSON, times in the requested zone', async () => {
    const res = await rec(['get', 'one', '--timezone', 'America/New_York']);
    expect(res.code, res.stderr).toBe(0);
    const item = JSON.parse(res.stdout) as { id: string; createTime: string; topic: string };
    expect(item).toMatchObject({ id: 'one', topic: 'Quarterly review', createTime: '2021-03-16T04:30:00-04:00' });
  });

  it('lists sites as a table or JSON, taking the token from --token', async () => {
    const table = await runCli(sitesCommand, ['--token', TOKENS.adminAll], { url: server.url });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toBe('SITE           DEFAULT\na.example.com  yes\nb.example.com\n');
    const json = await runCli(sitesCommand, ['--format', 'json', '--url', server.url], { url: 'http://127.0.0.1:1', token: TOKENS.adminAll });
    expect(JSON.parse(json.stdout)).toEqual({ sites: [{ siteUrl: 'a.example.com', default: true }, { siteUrl: 'b.example.com', default: false }] });
  });

  it('maps failures to exit codes with one line naming the tracking id', async () => {
    const notFound = await rec(['get', 'no-such-recording']);
    expect(notFound.code).toBe(4);
    expect(notFound.stderr).toMatch(/^recvault: .*not found.* \(HTTP 404, trackingId recvault-sdk_[\w.-]+\)\n$/i);
    const badToken = await runCli(sitesCommand, [], { url: server.url, token: 'wrong-token' });
    expect(badToken.code).toBe(3);
    expect(badToken.stderr).toMatch(/\(HTTP 401, trackingId /);
    const forbidden = await rec(['list', '--site-url', 'z.example.com'], TOKENS.adminAll);
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toMatch(/\(HTTP 403, trackingId /);
    const noToken = await runCli(sitesCommand, [], { url: server.url });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toBe('recvault: no token: pass --token or set RECVAULT_TOKEN\n');
    const badUrl = await runCli(sitesCommand, ['--url', 'ftp://x'], { url: server.url, token: 't' });
    expect(badUrl.code).toBe(2);
  });

  it('refuses a malformed token or zone at once: exit 2, no request, no retry, the token never echoed', async () => {
    const secret = `${TOKENS.adminAll.slice(0, 8)}SECRET-PART${TOKENS.adminAll.slice(8)}`;
    const requests: string[] = [];
    const counting = (url: string, init: RequestInit) => {
      requests.push(url);
      return fetch(url, init);
    };
    for (const token of [`${secret}\n`, `${secret.slice(0, 10)}\n${secret.slice(10)}`, `${secret} x`, `${secret}é`]) {
      const res = await runCli(sitesCommand, [], { url: server.url, token, fetch: counting });
      expect(res.code, JSON.stringify(token)).toBe(2);
      expect(res.stderr).toBe('recvault: the token (--token or RECVAULT_TOKEN) must be printable ASCII without spaces or line breaks (a line break often comes with a token read from a file)\n');
      expect(res.stderr).not.toContain('SECRET-PART');
    }
    const prefixed = await runCli(sitesCommand, [], { url: server.url, token: `Bearer ${secret}`, fetch: counting });
    expect(prefixed.code).toBe(2);
    expect(prefixed.stderr).toBe('recvault: the token (--token or RECVAULT_TOKEN) must be the token alone, without the "Bearer " prefix\n');
    const zone = await rec(['get', 'one', '--timezone', 'Europe/Zürich'], TOKENS.adminWriteAll, { fetch: counting });
    expect(zone.code).toBe(2);
    expect(zone.stderr).toBe('recvault: --timezone must be an IANA zone name such as America/New_York, got "Europe/Zürich"\n');
    expect(requests).toEqual([]);
  });

  it('exits 5 when the server cannot be reached (after retrying)', async () => {
    const closed = await closedPort();
    const retries: number[] = [];
    const res = await runCli(sitesCommand, ['--max-retries', '2'], {
      url: `http://127.0.0.1:${closed}`,
      token: 't',
      retry: { sleep: async (ms) => void retries.push(ms) },
    });
    expect(res.code).toBe(5);
    expect(retries).toHaveLength(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^recvault: Cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED; retry 1 in \d+\.\d s$/);
    expect(lines[2]).toBe(`recvault: Cannot reach http://127.0.0.1:${closed}: ECONNREFUSED`);
  });

  it('prints help and exits 0', async () => {
    const res = await rec(['list', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('--recording-format');
    expect(res.stdout).toContain('--resume');
  });
});

describe('recvault recordings delete | restore | purge', () => {
  it('soft-deletes 250 ids read from stdin in 3 batches, restores them with --all, and purges by id', async () => {
    const fetchLog = recordingFetch();
    const ids = BULK.map((r) => r.id);
    const del = await rec(['delete', '-'], TOKENS.adminWriteAll, { stdin: `${ids.join('\n')}\n${ids[0]}\n`, fetch: fetchLog.fetch });
    expect(del.code, del.stderr).toBe(0);
    expect(del.stderr).toBe('250 recordings moved to the recycle bin (3 requests)\n');
    expect(fetchLog.urls.filter((u) => u.endsWith('/v1/recordings/softDelete'))).toHaveLength(3);
    const client = new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminWriteAll });
    const deleted = await client.recordings.list({ status: 'deleted', from: '2021-03-10', to: '2021-03-17' }).toArray({ limit: 1000 });
    expect(deleted).toHaveLength(250);

    const restoreAll = await rec(['restore', '--all', '--site-url', 'a.example.com']);
    expect(restoreAll.code, restoreAll.stderr).toBe(0);
    expect(await client.recordings.list({ status: 'deleted', from: '2021-03-10', to: '2021-03-17' }).toArray({ limit: 10 })).toEqual([]);

    // Purging an available recording is an impossible transition: 409, exit 1, nothing changes.
    const conflict = await rec(['purge', 'bulk-001', 'bulk-002']);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/\(HTTP 409, trackingId /);
    expect((await rec(['delete', 'bulk-001', 'bulk-002'])).code).toBe(0);
    const purge = await rec(['purge', '-'], TOKENS.adminWriteAll, { stdin: 'bulk-001,bulk-002' });
    expect(purge.stderr).toBe('2 recordings purged (1 request)\n');
    expect((await client.recordings.get('bulk-001').catch((e: { status: number }) => e)).status).toBe(404);
  });

  it('acts on one host with --host-email, and admin-deletes with --admin', async () => {
    const wrongHost = await rec(['delete', 'one', '--host-email', 'bob@acme.example']);
    expect(wrongHost.code).toBe(4);
    expect((await rec(['delete', 'other-host', '--host-email', 'bob@acme.example'])).code).toBe(0);
    const admin = await rec(['delete', '--admin', 'one']);
    expect(admin.code, admin.stderr).toBe(0);
    expect(admin.stderr).toBe('deleted 1 recording as an admin\n');
    expect((await rec(['get', 'one'])).code).toBe(4);
  });

  it('a batch refused with a 4xx still reports the batches already applied', async () => {
    const ids = BULK.slice(100, 250).map((r) => r.id);
    const res = await rec(['delete', '-'], TOKENS.adminWriteAll, { stdin: `${ids.join('\n')}\nnonexistent1\n` });
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/^recvault: .*not found.* \(HTTP 404, trackingId [^)]+\); 100 of 151 were done before the failure\n$/i);
    const client = new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminWriteAll });
    const deleted = await client.recordings.list({ status: 'deleted', siteUrl: 'a.example.com', from: '2021-03-10', to: '2021-03-17' }).toArray({ limit: 1000 });
    expect(deleted.map((r) => r.id).filter((id) => ids.includes(id)).sort()).toEqual(ids.slice(0, 100));
    expect((await rec(['restore', '-'], TOKENS.adminWriteAll, { stdin: ids.slice(0, 100).join(' ') })).code).toBe(0);

    const admin = await rec(['delete', '--admin', 'bulk-003', 'nonexistent2']);
    expect(admin.code).toBe(4);
    expect(admin.stderr).toMatch(/\(HTTP 404, trackingId [^)]+\); 1 of 2 were done before the failure\n$/);
  });

  it('rejects missing or mixed arguments', async () => {
    expect((await rec(['restore'])).code).toBe(2);
    expect((await rec(['purge', 'x', '--all'])).code).toBe(2);
    expect((await rec(['delete', 'a', '-'])).code).toBe(2);
    expect((await rec(['delete', '-'], TOKENS.adminWriteAll, { stdin: ' \n' })).code).toBe(2);
  });
});
