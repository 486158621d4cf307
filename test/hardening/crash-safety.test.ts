/**
 * Crash safety with real processes (the built CLI in dist/, through bin/recvault): `kill -9`
 * during a 300,000-line NDJSON import (early, mid-file and during the commit), during an ingest
 * request and during a lifecycle batch against a running server. After each kill the database
 * passes `PRAGMA integrity_check`, and each batch is fully applied or not at all — never partial.
 * Kill moments are observed, not timed: the import's read offset in /proc/PID/fdinfo, the WAL
 * file growing, the request body having been sent.
 */
import Database from 'better-sqlite3';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseDocument, recordingRecord, TOKENS } from '../helpers/fixture.js';
import { BIN, startServeProcess } from '../helpers/serve-process.js';

const run = promisify(execFile);
// BIN: the built CLI, shared with the other multi-process tests.
const LINES = 300_000;
const PRE = 100; // recordings in the world document (lifecycle targets)

let dir: string;
let world: string;
let ndjson: string;
let ndjsonSize: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-crash-'));
  world = join(dir, 'world.json');
  const pre = Array.from({ length: PRE }, (_, i) => ({ id: `pre-${i}`, createTime: new Date(Date.now() - 3_600_000 - i * 1000).toISOString() }));
  writeFileSync(world, JSON.stringify(baseDocument(pre)));
  ndjson = join(dir, 'bulk.ndjson');
  const out = createWriteStream(ndjson);
  const base = Date.parse('2021-03-01T00:00:00Z');
  for (let i = 0; i < LINES; i += 5000) {
    const chunk: string[] = [];
    for (let j = i; j < Math.min(LINES, i + 5000); j++) {
      chunk.push(JSON.stringify(recordingRecord({ id: `bulk-${j}`, site: j % 2 === 0 ? 'a.example.com' : 'b.example.com', createTime: new Date(base + j * 1000).toISOString() })));
    }
    if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  ndjsonSize = statSync(ndjson).size;
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function freshDb(name: string): Promise<string> {
  const db = join(dir, `${name}.db`);
  const { stderr } = await run(process.execPath, [BIN, 'import', world, '--db', db], { env: { ...process.env, RECVAULT_DB: '' } });
  expect(stderr).toContain(`imported ${PRE} recordings`);
  return db;
}

/** Opens the database after the crash (recovering the WAL, as the next process would) and inspects it. */
function inspect(db: string): { integrity: string; recordings: number; statuses: Record<string, number>; audit: number } {
  const conn = new Database(db);
  try {
    const integrity = (conn.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const recordings = (conn.prepare('SELECT count(*) AS n FROM recordings').get() as { n: number }).n;
    const statuses = Object.fromEntries(
      (conn.prepare("SELECT status, count(*) AS n FROM recordings WHERE id LIKE 'pre-%' GROUP BY status").all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
    );
    const audit = (conn.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    return { integrity, recordings, statuses, audit };
  } finally {
    conn.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The read offset of `file` in process `pid` (Linux /proc), or null while it is not open. */
function readOffset(pid: number, file: string): number | null {
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target === file) {
        const m = /^pos:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
        return m === null ? null : Number(m[1]);
      }
    }
  } catch {
    return null;
  }
  return null;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function killNow(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await exited(child);
}

/** With CRASH_STATS=1, prints which outcome each kill produced (to see both outcomes are reached). */
function report(outcome: Record<string, unknown>): void {
  if (process.env['CRASH_STATS'] === '1') console.log(JSON.stringify(outcome));
}

const CAN_OBSERVE = existsSync('/proc/self/fdinfo');

describe.skipIf(!CAN_OBSERVE)('kill -9 during a 300,000-line NDJSON import', () => {
  const points: [string, (pid: number, db: string) => boolean][] = [
    ['as soon as the file is being read', (pid) => (readOffset(pid, ndjson) ?? 0) > 0],
    ['half-way through the file', (pid) => (readOffset(pid, ndjson) ?? 0) > ndjsonSize / 2],
    [
      'during the commit (file fully read, WAL growing)',
      (pid, db) => {
        const offset = readOffset(pid, ndjson);
        const wal = existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0;
        // The read stream closes at the end of the file; by then the commit is writing the WAL.
        return (offset === null || offset >= ndjsonSize) && wal > 4 * 1024 * 1024;
      },
    ],
  ];

  it.each(points)('killed %s: integrity ok, and all 300,000 rows or none', async (_label, when) => {
    const db = await freshDb(`import-${points.findIndex((p) => p[1] === when)}`);
    const child = spawn(process.execPath, [BIN, 'import', ndjson, '--db', db], { env: { ...process.env, RECVAULT_DB: '' }, stdio: 'ignore' });
    const pid = child.pid as number;
    let killed = false;
    for (;;) {
      if (child.exitCode !== null) break; // finished before the moment came: "fully applied" is then expected
      if (when(pid, db)) {
        await killNow(child);
        killed = true;
        break;
      }
      await sleep(5);
    }
    await exited(child);
    const after = inspect(db);
    report({ case: _label, killed, recordings: after.recordings });
    expect(after.integrity).toBe('ok');
    expect([PRE, PRE + LINES], `rows after kill (killed=${killed})`).toContain(after.recordings);
    if (!killed) expect(after.recordings).toBe(PRE + LINES);
  }, 240_000);
});

describe.skipIf(!CAN_OBSERVE)('kill -9 during a first load into an empty catalogue (rollback journal, not WAL)', () => {
  /** Orgs, sites, people and tokens only: the NDJSON import that follows is a bulk load. */
  async function emptyCatalogue(name: string): Promise<string> {
    const db = join(dir, `${name}.db`);
    const doc = join(dir, `${name}-world.json`);
    writeFileSync(doc, JSON.stringify(baseDocument([])));
    await run(process.execPath, [BIN, 'import', doc, '--db', db], { env: { ...process.env, RECVAULT_DB: '' } });
    return db;
  }

  const points: [string, (pid: number, db: string, sizeBefore: number) => boolean][] = [
    ['half-way through the file', (pid) => (readOffset(pid, ndjson) ?? 0) > ndjsonSize / 2],
    [
      // With the small cache of the index builds, pages reach the file before the commit itself.
      'after the file was read (index builds or commit: pages going into the database file)',
      (pid, db, sizeBefore) => {
        const offset = readOffset(pid, ndjson);
        return (offset === null || offset >= ndjsonSize) && existsSync(`${db}-journal`) && statSync(db).size > sizeBefore + 4 * 1024 * 1024;
      },
    ],
  ];

  it.each(points)('killed %s: integrity ok, all rows or none, and the next process finds the file in WAL', async (label, when) => {
    const db = await emptyCatalogue(`bulk-${points.findIndex((p) => p[0] === label)}`);
    const sizeBefore = statSync(db).size;
    const child = spawn(process.execPath, [BIN, 'import', ndjson, '--db', db], { env: { ...process.env, RECVAULT_DB: '' }, stdio: 'ignore' });
    const pid = child.pid as number;
    let killed = false;
    let sawJournal = false;
    for (;;) {
      if (child.exitCode !== null) break;
      sawJournal ||= existsSync(`${db}-journal`);
      if (when(pid, db, sizeBefore)) {
        await killNow(child);
        killed = true;
        break;
      }
      await sleep(5);
    }
    await exited(child);
    report({ case: label, killed, sawJournal });
    // The load ran through a rollback journal: nothing else had the file open.
    expect(sawJournal || !killed).toBe(true);
    // The next recvault process recovers the file (rolls the hot journal back, switches to WAL).
    await run(process.execPath, [BIN, 'tokens', 'list', '--db', db], { env: { ...process.env, RECVAULT_DB: '' } });
    expect(existsSync(`${db}-journal`) ? statSync(`${db}-journal`).size : 0).toBe(0);
    const after = inspect(db);
    expect(after.integrity).toBe('ok');
    expect([0, LINES], `rows after kill (killed=${killed})`).toContain(after.recordings);
    if (!killed) expect(after.recordings).toBe(LINES);
    const conn = new Database(db, { readonly: true });
    try {
      expect(conn.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      conn.close();
    }
  }, 240_000);
});

// ---------------------------------------------------------------------------------------------
// A running server.

async function serve(db: string): Promise<{ child: ChildProcess; port: number }> {
  const server = await startServeProcess(['--db', db]);
  return { child: server.child, port: server.port };
}

/** Sends a request and resolves once the whole body has been handed to the socket (the response may never come). */
function sendBody(port: number, path: string, token: string, contentType: string, body: string): Promise<{ response: Promise<number | null> }> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': Buffer.byteLength(body) } });
    const response = new Promise<number | null>((done) => {
      req.on('response', (res) => {
        res.resume();
        done(res.statusCode ?? null);
      });
      req.on('error', () => done(null));
    });
    req.end(body, () => resolve({ response }));
  });
}

describe('kill -9 of a running server', () => {
  const ingestBody = Array.from({ length: 10_000 }, (_, i) =>
    JSON.stringify(recordingRecord({ id: `ing-${i}`, site: 'a.example.com', createTime: new Date(Date.parse('2021-03-10T00:00:00Z') + i * 1000).toISOString() })),
  ).join('\n');

  it.each([0, 5, 25, 100, 1500])('during a 10,000-record ingest request (killed %i ms after the body was sent): integrity ok, all or nothing', async (delay) => {
    const db = await freshDb(`ingest-${delay}`);
    const { child, port } = await serve(db);
    const { response } = await sendBody(port, '/v1/ingest/recordings', TOKENS.ingest, 'application/x-ndjson', ingestBody);
    if (delay > 0) await sleep(delay);
    await killNow(child);
    const status = await response;
    const after = inspect(db);
    report({ case: `ingest +${delay} ms`, status, recordings: after.recordings });
    expect(after.integrity).toBe('ok');
    expect([PRE, PRE + 10_000]).toContain(after.recordings);
    // Audit rows come with the recordings in the same transaction.
    expect(after.audit).toBe(after.recordings - PRE);
    // If the server answered 200 before dying, the write must have been durable.
    if (status === 200) expect(after.recordings).toBe(PRE + 10_000);
  }, 120_000);

  it.each([0, 5, 25])('during a 100-id softDelete batch (killed %i ms after the body was sent): integrity ok, all or nothing', async (delay) => {
    const db = await freshDb(`lifecycle-${delay}`);
    const { child, port } = await serve(db);
    const body = JSON.stringify({ recordingIds: Array.from({ length: PRE }, (_, i) => `pre-${i}`), siteUrl: 'a.example.com' });
    const { response } = await sendBody(port, '/v1/recordings/softDelete', TOKENS.adminWriteAll, 'application/json', body);
    if (delay > 0) await sleep(delay);
    await killNow(child);
    const status = await response;
    const after = inspect(db);
    report({ case: `softDelete +${delay} ms`, status, statuses: after.statuses });
    expect(after.integrity).toBe('ok');
    expect([{ available: PRE }, { deleted: PRE }]).toContainEqual(after.statuses);
    expect(after.audit).toBe(after.statuses.deleted === PRE ? PRE : 0);
    if (status === 204) expect(after.statuses).toEqual({ deleted: PRE });
  }, 120_000);

  it('after a kill the server starts again on the same database and serves the data', async () => {
    const db = await freshDb('restart');
    const first = await serve(db);
    const { response } = await sendBody(first.port, '/v1/ingest/recordings', TOKENS.ingest, 'application/x-ndjson', ingestBody);
    await sleep(10);
    await killNow(first.child);
    await response;
    const second = await serve(db);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port: second.port, path: '/v1/meetingPreferences/sites', headers: { authorization: `Bearer ${TOKENS.adminAll}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
    } finally {
      await killNow(second.child);
    }
    expect(inspect(db).integrity).toBe('ok');
  }, 120_000);
});
