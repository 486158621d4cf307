/**
 * SIGTERM drains: a request in flight when the signal arrives still gets its 200, then the
 * process exits 0. Uses the built CLI (dist/) with fault-injected latency to hold the request.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, baseDocument, TOKENS } from '../helpers/fixture.js';
import { BIN, startServe, stopServe, waitFor, type ServeProcess } from './support.js';

const run = promisify(execFile);

describe('graceful shutdown of recvault serve', () => {
  let dir: string;
  let db: string;
  let server: ServeProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recvault-shutdown-'));
    db = join(dir, 'db.sqlite');
    const doc = join(dir, 'world.json');
    writeFileSync(doc, JSON.stringify(baseDocument([])));
    await run(process.execPath, [BIN, 'import', doc, '--db', db], { env: { ...process.env, RECVAULT_DB: '' } });
  });
  afterAll(async () => {
    if (server !== undefined) await stopServe(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM lets the in-flight request finish with 200, then exits 0', async () => {
    server = await startServe(['--db', db, '--log-level', 'info', '--fault-latency', '2000ms']);
    const s = server;
    const trackingId = 'ops-shutdown-inflight-1';
    const inFlight = fetch(`${s.base}/v1/meetingPreferences/sites`, { headers: { ...auth(TOKENS.adminAll), TrackingID: trackingId } });
    // Signal only once the server has the request (it logs it before the injected delay).
    await waitFor(() => s.stdout().includes(`"trackingId":"${trackingId}"`));
    s.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.get('trackingid')).toBe(trackingId);
    expect(((await res.json()) as { sites: unknown[] }).sites.length).toBeGreaterThan(0);
    // The answer came during the drain, not before the signal was handled.
    expect(s.stdout()).toContain('shutting down: draining in-flight requests');
    expect(await s.exited).toBe(0);
  });

  it('with --drain-delay, /readyz turns 503 at once while requests are still served; then the port closes and the process exits 0', async () => {
    server = await startServe(['--db', db, '--drain-delay', '5000']);
    const s = server;
    expect((await fetch(`${s.base}/readyz`)).status).toBe(200);
    s.child.kill('SIGTERM');
    await waitFor(async () => (await fetch(`${s.base}/readyz`)).status === 503);
    const during = await fetch(`${s.base}/v1/meetingPreferences/sites`, { headers: auth(TOKENS.adminAll) });
    expect(during.status).toBe(200);
    expect(await s.exited).toBe(0);
    expect(s.stdout()).toContain('closing the port after the drain delay');
  });
});
