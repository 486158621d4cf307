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

  /** Runs a `bin/recvault tokens create …` line the banner printed, and returns the new secret. */
  async function runPrinted(line: string): Promise<string> {
    const args = line.trim().split(/\s+/).slice(1);
    const { stdout } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, RECVAULT_DB: '', DATABASE_URL: '' } });
    const secret = /rvt_[\w-]+/.exec(stdout)?.[0];
    if (secret === undefined) throw new Error(`no token in: ${stdout}`);
    return secret;
  }

  const bannerLine = (stderr: string, person: string) => {
    const line = stderr.split('\n').find((l) => l.includes('tokens create') && l.includes(`--person ${person}`));
    if (line === undefined) throw new Error(`no tokens create line for ${person} in:\n${stderr}`);
    return line;
  };

  it('the compliance officer command printed on a restart gives a token that can do what the first one could', async () => {
    const db = join(dir, 'demo-scopes.db');
    const first = await startServeProcess(['--demo', '--db', db]);
    await first.stop();
    const second = await startServeProcess(['--demo', '--db', db]);
    try {
      const secret = await runPrinted(bannerLine(second.stderr(), 'compliance@acme.com'));
      const auth = { authorization: `Bearer ${secret}` };
      const list = await fetch(`${second.url}/v1/admin/recordings?siteUrl=acme.webex.com`, { headers: auth });
      expect(list.status).toBe(200);
      const [item] = ((await list.json()) as { items: { id: string }[] }).items;
      expect(item).toBeDefined();
      // The recycle bin, as the README's examples use it with the first run's compliance token.
      const del = await fetch(`${second.url}/v1/recordings/softDelete`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ recordingIds: [item?.id], siteUrl: 'acme.webex.com' }),
      });
      expect(del.status).toBe(204);
    } finally {
      await second.stop();
    }
  });

  it('on a generated catalogue without tokens, it names a real person, and the printed command works', async () => {
    const db = join(dir, 'generated.db');
    await run(process.execPath, [BIN, 'generate', '--recordings', '300', '--days', '30', '--seed', '5', '--db', db], { env: { ...process.env, RECVAULT_DB: '' } });
    const server = await startServeProcess(['--db', db]);
    try {
      const text = server.stderr();
      expect(text).toContain('No API tokens exist yet, so every request gets 401');
      expect(text).toMatch(/Create one for a person of this catalogue \(it has \d+ people\)/);
      expect(text).not.toContain('--person EMAIL');
      const line = text.split('\n').find((l) => l.includes('tokens create'));
      expect(line).toBeDefined();
      const secret = await runPrinted(line as string);
      const list = await fetch(`${server.url}/v1/admin/recordings`, { headers: { authorization: `Bearer ${secret}` } });
      expect(list.status).toBe(200);
    } finally {
      await server.stop();
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

  it('--public-url with a path and a trailing slash: the banner and the Link headers join it without a double slash', async () => {
    // With the stray newline an env file can leave: it must not reach the Link header.
    const server = await startServeProcess(['--demo', '--db', join(dir, 'public-url.db'), '--public-url', 'https://rec.example.com/base/\n']);
    try {
      expect(server.stderr()).toContain('(API reference: https://rec.example.com/base/docs,');
      expect(server.stderr()).not.toContain('base//');
      const secret = /rvt_[\w-]+/.exec(server.stderr())?.[0];
      const res = await fetch(`${server.url}/v1/admin/recordings`, { headers: { authorization: `Bearer ${secret}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('link')).toMatch(/^<https:\/\/rec\.example\.com\/base\/v1\/admin\/recordings\?/);
    } finally {
      await server.stop();
    }
  });

  it.each(['rec.example.com', 'ftp://rec.example.com', 'https://rec.example.com/?x=1', 'https://user:pw@rec.example.com'])(
    '--public-url %s is a usage error (exit 2), not a server with broken links',
    async (value) => {
      const result = await run(process.execPath, [BIN, 'serve', '--db', join(dir, 'bad-url.db'), '--port', '1', '--public-url', value], {
        env: { ...process.env, RECVAULT_DB: '', DATABASE_URL: '', REDIS_URL: '' },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--public-url must be an absolute http:// or https:// URL');
    },
  );

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
