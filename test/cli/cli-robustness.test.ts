/**
 * The store commands as a user runs them (bin/recvault in a child process), on inputs a
 * hurried operator gives: empty or mistyped database paths, lifetimes without a unit, import
 * files that would move a site or person to another org or repeat a record, bad serve options.
 * Each must end in one line and a usage exit code, with nothing written.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { baseDocument } from '../helpers/fixture.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/recvault');

let dir: string;
let world: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recvault-cli-robust-'));
  world = join(dir, 'world.json');
  writeFileSync(world, JSON.stringify({ ...baseDocument([{ id: 'r1', createTime: '2021-03-16T10:00:00Z' }]), tokens: [] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, RECVAULT_DB: '', DATABASE_URL: '', REDIS_URL: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A catalogue with the fixture's orgs, sites, people and one recording. */
async function catalogue(name: string): Promise<string> {
  const db = join(dir, name);
  const res = await cli(['import', world, '--db', db]);
  expect(res.code, res.stderr).toBe(0);
  return db;
}

function rows(db: string): { sites: [string, string][]; people: [string, string][]; recordings: number; tokens: number; orgs: number } {
  const store = SqliteStore.open(db);
  const sql = (store as unknown as { db: { prepare(q: string): { raw(): { all(): unknown[][] } } } }).db;
  const all = (q: string) => sql.prepare(q).raw().all();
  const result = {
    sites: all('SELECT site_url, org_id FROM sites ORDER BY 1') as [string, string][],
    people: all('SELECT id, org_id FROM people ORDER BY 1') as [string, string][],
    recordings: (all('SELECT count(*) FROM recordings')[0] as [number])[0],
    tokens: (all('SELECT count(*) FROM tokens')[0] as [number])[0],
    orgs: (all('SELECT count(*) FROM orgs')[0] as [number])[0],
  };
  void store.close();
  return result;
}

describe('database paths', () => {
  it('an empty --db is a usage error for every store command (it used to write into a throw-away database)', async () => {
    for (const args of [['import', world], ['generate', '--recordings', '5'], ['tokens', 'list'], ['audit'], ['migrate']]) {
      const res = await cli([...args, '--db', '']);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toBe('recvault: --db must name a file\n');
    }
  });

  it('an empty RECVAULT_DB counts as unset, like DATABASE_URL: the default file is used', async () => {
    const cwd = join(dir, 'default-db');
    mkdirSync(cwd);
    const res = await cli(['import', world], { RECVAULT_DB: '' }, cwd);
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(cwd, 'data', 'recvault.db'))).toBe(true);
  });

  it('audit and tokens refuse a database file that does not exist, and create none', async () => {
    for (const args of [['audit'], ['tokens', 'list'], ['tokens', 'revoke', 'tok_x'], ['tokens', 'create', '--person', 'x', '--scopes', 'meeting:admin_recordings_read']]) {
      const db = join(dir, 'typo', 'nothing.db');
      const res = await cli([...args, '--db', db]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toBe(`recvault: no database at ${db} (check --db or RECVAULT_DB)\n`);
      expect(existsSync(join(dir, 'typo'))).toBe(false);
    }
  });

  it('an import file that is missing, a directory or unreadable is refused before the database is created', async () => {
    const db = join(dir, 'never', 'created.db');
    const missing = await cli(['import', join(dir, 'missing.json'), '--db', db]);
    expect(missing).toMatchObject({ code: 2, stderr: `recvault: no such file: ${join(dir, 'missing.json')}\n` });
    const directory = await cli(['import', dir, '--db', db]);
    expect(directory).toMatchObject({ code: 2, stderr: `recvault: ${dir} is a directory, not an import file\n` });
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('--db (or RECVAULT_DB) naming a directory is a usage error for every store command', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    for (const args of [['tokens', 'list', '--db', folder], ['audit', '--db', folder], ['migrate', '--db', folder], ['import', world, '--db', folder]]) {
      const res = await cli(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toBe(`recvault: ${folder} is a directory: --db (or RECVAULT_DB) names the database file\n`);
    }
    const fromEnv = await cli(['migrate'], { RECVAULT_DB: folder });
    expect(fromEnv.code).toBe(2);
  });

  it('a database URL with another scheme is a usage error', async () => {
    const res = await cli(['tokens', 'list', '--database-url', 'mysql://x/y']);
    expect(res).toMatchObject({ code: 2, stderr: 'recvault: the database URL (--database-url or DATABASE_URL) must start with postgres:// or postgresql://\n' });
  });
});

describe('tokens create --expires-in', () => {
  it('needs a unit and a lifetime from a minute to a hundred years; a refused lifetime stores no token', async () => {
    const db = await catalogue('expiry.db');
    for (const [value, message] of [
      ['30', 'must be a duration with a unit such as 30d, 12h or 90m, got "30"'],
      ['1ms', 'must be from 1 minute to 100 years, got "1ms"'],
      ['999999999y', 'must be from 1 minute to 100 years, got "999999999y"'],
      ['soon', 'must be a duration with a unit such as 30d, 12h or 90m, got "soon"'],
    ] as const) {
      const res = await cli(['tokens', 'create', '--person', 'admin-all', '--scopes', 'meeting:admin_recordings_read', '--expires-in', value, '--db', db]);
      expect(res.code, value).toBe(2);
      expect(res.stderr).toBe(`recvault: --expires-in ${message}\n`);
      expect(res.stdout).toBe('');
    }
    expect(rows(db).tokens).toBe(0);
    const ok = await cli(['tokens', 'create', '--person', 'admin-all', '--scopes', 'meeting:admin_recordings_read', '--expires-in', '90m', '--db', db]);
    expect(ok.code, ok.stderr).toBe(0);
    const list = await cli(['tokens', 'list', '--db', db]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
  });
});

describe('import documents that would corrupt the catalogue', () => {
  it('refuses to move a site or a person to another org, naming the record; nothing is written', async () => {
    const db = await catalogue('move.db');
    const before = rows(db);
    const moveSite = join(dir, 'move-site.json');
    writeFileSync(moveSite, JSON.stringify({ orgs: [{ id: 'newco', name: 'New' }], sites: [{ siteUrl: 'a.example.com', orgId: 'newco' }] }));
    const site = await cli(['import', moveSite, '--db', db]);
    expect(site.code).toBe(1);
    expect(site.stderr).toBe(
      'recvault: import failed, nothing written: sites[0]: field orgId would move site "a.example.com" from org "acme", which holds its recordings; sites cannot change org\n',
    );
    const movePerson = join(dir, 'move-person.json');
    writeFileSync(movePerson, JSON.stringify({ people: [{ id: 'admin-all', email: 'admin-all@acme.example', displayName: 'A', orgId: 'other', siteUrls: [] }] }));
    const person = await cli(['import', movePerson, '--db', db]);
    expect(person.code).toBe(1);
    expect(person.stderr).toMatch(/people\[0\]: field orgId would move person "admin-all" from org "acme"; people cannot change org\n$/);
    expect(rows(db)).toEqual(before);
  });

  it('refuses a record given twice in one document (orgs, sites, people, tokens), without echoing a token', async () => {
    const db = await catalogue('dups.db');
    const before = rows(db);
    const cases: [Record<string, unknown>, string][] = [
      [{ orgs: [{ id: 'n', name: 'N' }, { id: 'n', name: 'Other' }] }, 'orgs[1]: field id repeats an id given earlier in the file'],
      [{ sites: [{ siteUrl: 'q.example.com', orgId: 'acme' }, { siteUrl: 'q.example.com', orgId: 'acme' }] }, 'sites[1]: field siteUrl repeats a siteUrl given earlier in the file'],
      [
        { people: [1, 2].map(() => ({ id: 'p', email: 'p@acme.example', displayName: 'P', orgId: 'acme', siteUrls: [] })) },
        'people[1]: field id repeats an id given earlier in the file',
      ],
      [
        { tokens: ['admin-all', 'co'].map((personId) => ({ token: 'secret-token-value-1234', personId, scopes: ['meeting:admin_recordings_read'] })) },
        'tokens[1]: field token repeats a token given earlier in the file',
      ],
    ];
    for (const [doc, message] of cases) {
      const file = join(dir, 'dup.json');
      writeFileSync(file, JSON.stringify(doc));
      const res = await cli(['import', file, '--db', db]);
      expect(res.code, message).toBe(1);
      expect(res.stderr).toBe(`recvault: import failed, nothing written: ${message}\n`);
      expect(res.stderr).not.toContain('secret-token-value');
    }
    expect(rows(db)).toEqual(before);
  });

  it('generate into a catalogue whose people clash with the generated ones is one line, nothing written', async () => {
    const db = join(dir, 'clash.db');
    const orgs = join(dir, 'clash-orgs.json');
    writeFileSync(orgs, JSON.stringify({ orgs: [{ id: 'acme', name: 'Acme' }], sites: [{ siteUrl: 'acme.webex.com', orgId: 'acme' }] }));
    expect((await cli(['import', orgs, '--db', db])).code).toBe(0);
    // Seed 7 generates this person; here another id already holds the email.
    const ndjson = await cli(['generate', '--recordings', '20', '--seed', '7', '--ndjson']);
    const email = (JSON.parse(ndjson.stdout.split('\n')[0] as string) as { hostEmail: string }).hostEmail;
    const clash = join(dir, 'clash-person.json');
    writeFileSync(clash, JSON.stringify({ people: [{ id: 'someone-else', email, displayName: 'X', orgId: 'acme', siteUrls: [] }] }));
    expect((await cli(['import', clash, '--db', db])).code).toBe(0);
    const before = rows(db);
    const res = await cli(['generate', '--recordings', '20', '--seed', '7', '--db', db]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'recvault: generate failed, nothing written: the generated people or sites clash with what this catalogue already holds (e.g. an email of another person); generate into a new database\n',
    );
    expect(rows(db)).toEqual(before);
  });
});

describe('serve options', () => {
  it.each([
    [['--log-level', 'verbose'], {}, '--log-level (env LOG_LEVEL) must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
    [[], { LOG_LEVEL: 'bogus' }, '--log-level (env LOG_LEVEL) must be one of fatal, error, warn, info, debug, trace, silent, got "bogus"'],
    [['--rate-limit', '-1'], {}, '--rate-limit (env RECVAULT_RATE_LIMIT) must be a whole number from 0 to 100000000, got "-1"'],
    [[], { RECVAULT_RATE_LIMIT: 'x' }, '--rate-limit (env RECVAULT_RATE_LIMIT) must be a whole number from 0 to 100000000, got "x"'],
    [['--drain-delay', '-1'], {}, '--drain-delay (env RECVAULT_DRAIN_DELAY_MS) must be a whole number from 0 to 600000, got "-1"'],
  ])('%j %j is one line and exit 2', async (args, env, message) => {
    const res = await cli(['serve', '--db', join(dir, 'serve.db'), '--port', '1', ...args], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`recvault: ${message}\n`);
  });

  it('a host name that does not resolve is one line and exit 1', async () => {
    // `.invalid` never resolves (RFC 2606); without a reachable resolver the lookup fails as "try again" instead.
    const res = await cli(['serve', '--db', join(dir, 'serve.db'), '--port', '18999', '--host', 'no-such-host.invalid']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^recvault: cannot listen on no-such-host\.invalid:18999: the host name (does not resolve|could not be resolved just now): check --host( and DNS)?\n$/);
  });
});
