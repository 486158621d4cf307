import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { baseDocument, recordingRecord } from '../helpers/fixture.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/recvault');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, RECVAULT_DB: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function countRecordings(db: string): number {
  const store = SqliteStore.open(db);
  const n = (store as unknown as { db: { prepare(sql: string): { get(): { n: number } } } }).db.prepare('SELECT count(*) AS n FROM recordings').get().n;
  void store.close();
  return n;
}

describe('recvault import', () => {
  it('imports a JSON document and is idempotent', async () => {
    const db = join(dir, 'import.db');
    const file = join(dir, 'doc.json');
    writeFileSync(file, JSON.stringify(baseDocument([{ id: 'r1', createTime: '2021-03-16T10:00:00Z' }, { id: 'r2', createTime: '2021-03-16T11:00:00Z' }])));
    const first = await cli(['import', file, '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('imported 2 recordings');
    expect((await cli(['import', file, '--db', db])).code).toBe(0);
    expect(countRecordings(db)).toBe(2);
  });

  it('a bad NDJSON record names its line and field, and nothing from the file is written', async () => {
    const db = join(dir, 'ndjson.db');
    const world = join(dir, 'world.json');
    writeFileSync(world, JSON.stringify({ ...baseDocument([]), tokens: [] }));
    expect((await cli(['import', world, '--db', db])).code).toBe(0);
    const lines = Array.from({ length: 12_000 }, (_, i) => JSON.stringify(recordingRecord({ id: `n${i}`, createTime: '2021-03-16T10:00:00Z' })));
    lines[11_000] = JSON.stringify({ ...recordingRecord({ id: 'bad', createTime: '2021-03-16T10:00:00Z' }), durationSeconds: 'long' });
    const file = join(dir, 'recs.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const res = await cli(['import', file, '--db', db]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('line 11001');
    expect(res.stderr).toContain('durationSeconds');
    expect(res.stderr).toContain('nothing written');
    expect(countRecordings(db)).toBe(0);
    lines[11_000] = JSON.stringify(recordingRecord({ id: 'good', createTime: '2021-03-16T10:00:00Z' }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect((await cli(['import', file, '--db', db])).code).toBe(0);
    expect(countRecordings(db)).toBe(12_000);
  });

  it('a file that is not one record per line fails fast on its first over-long line', async () => {
    const db = join(dir, 'long-line.db');
    const world = join(dir, 'world-long.json');
    writeFileSync(world, JSON.stringify({ ...baseDocument([]), tokens: [] }));
    expect((await cli(['import', world, '--db', db])).code).toBe(0);
    const file = join(dir, 'one-line.ndjson');
    const first = JSON.stringify(recordingRecord({ id: 'fine', createTime: '2021-03-16T10:00:00Z' }));
    // A pretty-printed array saved without line breaks: 5 MiB on one line.
    writeFileSync(file, `${first}\n[${Array.from({ length: 8000 }, () => first).join(',')}]`);
    const res = await cli(['import', file, '--db', db]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('line 2: field (record) is longer than 4 MiB');
    expect(countRecordings(db)).toBe(0);
  });

  it('a file that starts with a byte-order mark (as Windows editors write) imports like one without', async () => {
    const db = join(dir, 'bom.db');
    const doc = join(dir, 'bom.json');
    writeFileSync(doc, `\ufeff${JSON.stringify({ ...baseDocument([]), tokens: [] })}`);
    expect((await cli(['import', doc, '--db', db])).code).toBe(0);
    const file = join(dir, 'bom.ndjson');
    const lines = ['b1', 'b2'].map((id) => JSON.stringify(recordingRecord({ id, createTime: '2021-03-16T10:00:00Z' })));
    writeFileSync(file, `\ufeff${lines.join('\n')}\n`);
    const res = await cli(['import', file, '--db', db]);
    expect(res.code).toBe(0);
    expect(countRecordings(db)).toBe(2);
  });

  it('a bad JSON document names the section, position and field', async () => {
    const db = join(dir, 'bad.db');
    const file = join(dir, 'bad.json');
    const doc = baseDocument([{ id: 'r1', createTime: '2021-03-16T10:00:00Z' }, { id: 'r2', createTime: '2021-03-16T10:00:00Z', site: 'nowhere.example.com' }]);
    writeFileSync(file, JSON.stringify(doc));
    const res = await cli(['import', file, '--db', db]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/recordings\[1\]: field siteUrl/);
    expect(countRecordings(db)).toBe(0);
  });
});

describe('recvault tokens', () => {
  it('create prints the secret once, list never shows it, revoke gives 401 on the very next request', async () => {
    const db = join(dir, 'tokens.db');
    const file = join(dir, 'people.json');
    writeFileSync(file, JSON.stringify({ ...baseDocument([{ id: 'r1', createTime: '2021-03-16T10:00:00Z' }]), tokens: [] }));
    await cli(['import', file, '--db', db]);
    const created = await cli(['tokens', 'create', '--person', 'admin-all@acme.example', '--scopes', 'meeting:admin_recordings_read', '--client-id', 'zendesk-app', '--expires-in', '30d', '--db', db]);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^rvt_[A-Za-z0-9_-]{43}$/);
    const listed = await cli(['tokens', 'list', '--db', db, '--format', 'json']);
    expect(listed.stdout).not.toContain(secret);
    const tokens = JSON.parse(listed.stdout) as { id: string; personId: string; scopes: string[]; clientId: string; expiresAt: number }[];
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ personId: 'admin-all', scopes: ['meeting:admin_recordings_read'], clientId: 'zendesk-app' });
    expect((await cli(['tokens', 'list', '--db', db])).stdout).toContain(tokens[0]!.id);

    const store = SqliteStore.open(db);
    const app = await buildApp({ store, now: () => Date.parse('2021-03-17T00:00:00Z'), config: { cursorSecret: 'x' } });
    const request = () => app.inject({ url: '/v1/admin/recordings', headers: { authorization: `Bearer ${secret}` } });
    expect((await request()).statusCode).toBe(200);
    expect((await cli(['tokens', 'revoke', tokens[0]!.id, '--db', db])).code).toBe(0);
    expect((await request()).statusCode).toBe(401);
    await app.close();
    await store.close();
  });

  it('rejects unknown people, scopes and durations with a usage exit code', async () => {
    const db = join(dir, 'tokens.db');
    expect((await cli(['tokens', 'create', '--person', 'nobody', '--scopes', 'meeting:admin_recordings_read', '--db', db])).code).toBe(4);
    expect((await cli(['tokens', 'create', '--person', 'admin-all', '--scopes', 'meeting:everything', '--db', db])).code).toBe(2);
    expect((await cli(['tokens', 'create', '--person', 'admin-all', '--scopes', 'meeting:admin_recordings_read', '--expires-in', 'soon', '--db', db])).code).toBe(2);
    expect((await cli(['tokens', 'revoke', 'tok_nope', '--db', db])).code).toBe(4);
  });
});

describe('recvault usage errors', () => {
  it.each([
    [['tokens', 'list', '--bogus'], 'unknown option'],
    [['tokens', 'create', '--person', 'admin@acme.com'], 'required option'],
    [['audit', '--limit'], 'argument missing'],
    [['nosuch'], 'unknown command'],
  ])('%j exits 2 with the reason and the usage', async (args, reason) => {
    const res = await cli(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(reason);
    expect(res.stderr).toMatch(/Usage: recvault/);
  });
});

describe('recvault generate and audit', () => {
  it('generate is deterministic for a seed and --help works on every command', async () => {
    const a = await cli(['generate', '--ndjson', '--recordings', '300', '--seed', '7', '--days', '10']);
    const b = await cli(['generate', '--ndjson', '--recordings', '300', '--seed', '7', '--days', '10']);
    expect(a.code).toBe(0);
    const ids = (out: string) => out.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids(a.stdout)).toHaveLength(300);
    expect(ids(a.stdout)).toEqual(ids(b.stdout));
    for (const command of [[], ['serve'], ['import'], ['tokens'], ['tokens', 'create'], ['tokens', 'list'], ['tokens', 'revoke'], ['generate'], ['audit'], ['recordings'], ['recordings', 'list'], ['recordings', 'get'], ['recordings', 'delete'], ['recordings', 'restore'], ['recordings', 'purge'], ['sites']]) {
      const help = await cli([...command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: recvault');
    }
  });

  it('generate writes into the database and audit prints an empty trail', async () => {
    const db = join(dir, 'gen.db');
    const res = await cli(['generate', '--recordings', '2000', '--seed', '3', '--db', db]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/generated 2000 recordings/);
    expect(countRecordings(db)).toBe(2000);
    const audit = await cli(['audit', '--db', db, '--format', 'json']);
    expect(JSON.parse(audit.stdout)).toEqual([]);
    expect((await cli(['audit', '--db', db, '--since', 'yesterday'])).code).toBe(2);
  });
});

describe('recvault migrate', () => {
  it('on a new SQLite file it says which migrations it applied, then that the schema is up to date', async () => {
    const db = join(dir, 'migrate.db');
    const first = await cli(['migrate', '--db', db]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^sqlite: applied migration\(s\) 1, 2, 3; schema is at version 3\n$/);
    const second = await cli(['migrate', '--db', db]);
    expect(second.stdout).toBe('sqlite: schema is up to date at version 3\n');
  });
});

describe('recvault start-up', () => {
  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    const res = await cli(['--version']);
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe(version);
  });

  it('building the command line loads no database driver, HTTP server or Redis client', async () => {
    // CommonJS packages imported from ES modules land in require's cache, which the child prints.
    const script = `
      const { createRequire } = await import('node:module');
      const { buildProgram } = await import(${JSON.stringify(join(import.meta.dirname, '../../dist/cli/main.js'))});
      buildProgram();
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(['/node_modules/pg/', '/node_modules/better-sqlite3/', '/node_modules/fastify/', '/node_modules/ioredis/', '/node_modules/ajv/']
        .filter((p) => loaded.some((file) => file.includes(p)))));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(JSON.parse(stdout)).toEqual([]);
  });
});
