/**
 * `recvault serve --workers 2` as a real process tree (the built CLI in dist/): both workers
 * answer on the one port, a killed worker is replaced and logged, and SIGTERM lets in-flight
 * requests finish before everything exits 0.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseDocument, TOKENS } from '../helpers/fixture.js';

const BIN = join(import.meta.dirname, '../../bin/recvault');
const LATENCY_MS = 400;
const LIST = '/v1/admin/recordings?siteUrl=a.example.com&from=2021-03-16T00:00:00Z&to=2021-03-17T00:00:00Z';

let dir: string;
let server: { child: ChildProcess; port: number; stdout: () => string; stderr: () => string; exited: Promise<number | null> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstderr:\n${server.stderr()}\nstdout (last 4 KB):\n${server.stdout().slice(-4096)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One request on its own connection (so the primary hands it to the next worker). */
function request(path: string): Promise<{ status: number; trackingId: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port: server.port, path, agent: false, headers: { authorization: `Bearer ${TOKENS.co}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, trackingId: String(res.headers['trackingid']), body }));
    });
    req.on('error', reject);
  });
}

/** The pid of the process that logged the request with this tracking id. */
function pidOf(trackingId: string): number | null {
  for (const line of server.stdout().split('\n')) {
    if (!line.includes(trackingId)) continue;
    const pid = (JSON.parse(line) as { pid?: number }).pid;
    if (typeof pid === 'number') return pid;
  }
  return null;
}

async function pidsAnswering(n: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < n; i++) {
    const res = await request(LIST);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).items).toHaveLength(2);
    await waitFor('the request log line', () => pidOf(res.trackingId) !== null);
    pids.add(pidOf(res.trackingId) as number);
  }
  return pids;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-workers-'));
  const db = join(dir, 'workers.db');
  const doc = join(dir, 'doc.json');
  writeFileSync(doc, JSON.stringify(baseDocument([{ id: 'r1', createTime: '2021-03-16T10:00:00Z' }, { id: 'r2', createTime: '2021-03-16T11:00:00Z' }])));
  await promisify(execFile)(process.execPath, [BIN, 'import', doc, '--db', db], { env: { ...process.env, RECVAULT_DB: '' } });

  const port = await freePort();
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--db', db, '--port', String(port), '--host', '127.0.0.1', '--workers', '2', '--log-level', 'info', '--fault-latency', `${LATENCY_MS}ms`],
    { env: { ...process.env, RECVAULT_DB: '', RECVAULT_WORKERS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += String(c)));
  child.stderr?.on('data', (c: Buffer) => (stderr += String(c)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  server = { child, port, stdout: () => stdout, stderr: () => stderr, exited };
  await waitFor('the banner', () => stderr.includes('recvault is serving'));
}, 60_000);

/** The primary's own log lines: JSON on stdout, like the workers' request logs. */
function supervisorLines(): Array<Record<string, unknown>> {
  return server.stdout().split('\n').filter((line) => line.includes('"role":"supervisor"')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterAll(() => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('serve --workers 2', () => {
  it('prints the banner once, naming the worker count', () => {
    expect(server.stderr().split('recvault is serving').length - 1).toBe(1);
    expect(server.stderr()).toContain('with 2 worker processes');
  });

  it('both workers answer on the one port, neither of them the primary', async () => {
    const pids = await pidsAnswering(6);
    expect(pids.size).toBe(2);
    expect(pids.has(server.child.pid as number)).toBe(false);
  }, 60_000);

  it('a worker that dies is logged and replaced, and requests keep being answered', async () => {
    const [victim] = await pidsAnswering(1);
    process.kill(victim as number, 'SIGKILL');
    await waitFor('the restart message', () => supervisorLines().some((l) => l.msg === `worker ${victim} exited (signal SIGKILL); starting a new one` && l.workerPid === victim && l.signal === 'SIGKILL' && l.level === 40));
    await waitFor('the replacement to listen', () => supervisorLines().some((l) => l.replacedPid === victim && String(l.msg).endsWith(`is listening in place of worker ${victim}`)));
    const pids = await pidsAnswering(6);
    expect(pids.size).toBe(2);
    expect(pids.has(victim as number)).toBe(false);
  }, 60_000);

  it('SIGTERM drains in-flight requests, then every process exits and the primary exits 0', async () => {
    const logged = () => server.stdout().split('incoming request').length - 1;
    const before = logged();
    const inFlight = request(LIST);
    // The request is inside a worker, held by the injected latency, when the signal arrives.
    await waitFor('the request to reach a worker', () => logged() > before);
    server.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await server.exited).toBe(0);
    expect(supervisorLines()).toContainEqual(expect.objectContaining({ msg: 'SIGTERM: draining 2 worker(s)', signal: 'SIGTERM', workers: 2, pid: server.child.pid }));
    expect(server.stderr()).not.toContain('draining');
  }, 60_000);
});
