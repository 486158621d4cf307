import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startServeProcess } from '../helpers/serve-process.js';

/** What `recvault serve` tells the operator when it starts, or cannot. */
const run = promisify(execFile);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-serve-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recvault serve start-up', () => {
  it('restarted on its demo database, it prints token commands that name that database', async () => {
    const db = join(dir, 'demo.db');
    const first = await startServeProcess(['--demo', '--db', db]);
    expect(first.stderr()).toContain('Seeded the demo organization');
    await first.stop();
    const second = await startServeProcess(['--demo', '--db', db]);
    try {
      expect(second.stderr()).toContain(`bin/recvault tokens create --db ${db} --person admin@acme.com`);
      expect(second.stderr()).toContain(`bin/recvault tokens create --db ${db} --person compliance@acme.com`);
    } finally {
      await second.stop();
    }
  });

  it('with no token in the database, it says every request will get 401 and how to create one', async () => {
    const db = join(dir, 'no-tokens.db');
    const server = await startServeProcess(['--db', db]);
    try {
      expect(server.stderr()).toContain('No API tokens exist yet, so every request gets 401');
      expect(server.stderr()).toContain(`bin/recvault tokens create --db ${db} --person EMAIL`);
    } finally {
      await server.stop();
    }
    // The demo database has tokens: no such hint.
    const demo = await startServeProcess(['--demo', '--db', join(dir, 'demo.db')]);
    try {
      expect(demo.stderr()).not.toContain('No API tokens exist yet');
    } finally {
      await demo.stop();
    }
  });

  it('a port already in use is one clear line and exit status 1, not a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await run(process.execPath, [BIN, 'serve', '--db', join(dir, 'busy.db'), '--port', String(port)], {
        env: { ...process.env, RECVAULT_DB: '', DATABASE_URL: '', REDIS_URL: '' },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`recvault: cannot listen on 127.0.0.1:${port}: the port is in use`);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
