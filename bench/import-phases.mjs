// Where a bulk load's time goes: generates N recordings into a fresh SQLite file through the
// store's import session (what `recvault generate` does) and times each phase — generating,
// staging, and every statement of the commit (the key-ordered copy, each index build, COMMIT).
// The source of the breakdown tables in BENCHMARKS.md.
// Usage: node bench/import-phases.mjs [--recordings 1000000] [--days 180] [--seed 7] [--db FILE] [--keep]
// Needs `npm run build` (it loads dist/).
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStore } from '../dist/store/sqlite/sqlite-store.js';
import { generateRecordings, generateWorld } from '../dist/generate/generator.js';
import { checkOptions } from '../dist/generate/generate-options.js';

const { values: opt } = parseArgs({
  options: {
    recordings: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '180' },
    seed: { type: 'string', default: '7' },
    db: { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write('usage: node bench/import-phases.mjs [--recordings N] [--days D] [--seed S] [--db FILE] [--keep]\n');
  process.exit(0);
}
const n = Number(opt.recordings);
if (!Number.isSafeInteger(n) || n < 1) {
  process.stderr.write(`--recordings must be a positive integer, got ${JSON.stringify(opt.recordings)}\n`);
  process.exit(2);
}
const options = { recordings: n, days: Number(opt.days), seed: Number(opt.seed), orgs: 2, now: Date.now() };
try {
  checkOptions(options);
} catch (error) {
  process.stderr.write(`${error instanceof RangeError ? error.message : error}\n`);
  process.exit(2);
}
const file = opt.db ?? join(tmpdir(), `recvault-import-phases-${process.pid}.db`);
// A bulk load needs an empty catalogue, and a file given by mistake must not be deleted.
if (existsSync(file)) {
  process.stderr.write(`${file} exists: give --db a path that does not\n`);
  process.exit(2);
}
const removeFile = () => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
};

const t0 = performance.now();
const store = SqliteStore.open(file);
// The statements of the commit are timed at the connection: the store's `db` is private in
// TypeScript but a plain property at run time, and a benchmark may look inside.
const db = store.db;
const statements = [];
const exec = db.exec.bind(db);
db.exec = (sql) => {
  const start = performance.now();
  try {
    return exec(sql);
  } finally {
    statements.push({ sql: sql.replace(/\s+/g, ' ').trim(), ms: performance.now() - start });
  }
};

const world = generateWorld(options);
const session = await store.beginImport();
await session.write({ orgs: world.orgs, sites: world.sites, people: world.people });
let generating = 0;
let staging = 0;
let mark = performance.now();
for (const batch of generateRecordings(options, world)) {
  const generated = performance.now();
  generating += generated - mark;
  await session.write({ recordings: batch });
  mark = performance.now();
  staging += mark - generated;
}
const commitStart = statements.length;
const c0 = performance.now();
await session.commit();
const c1 = performance.now();
await store.close();
const total = performance.now() - t0;

const s = (ms) => (ms / 1000).toFixed(2).padStart(7);
const out = [
  `${n.toLocaleString('en-US')} recordings generated into a fresh ${file}`,
  `${s(generating)} s  generating (the generator alone)`,
  `${s(staging)} s  staging (writing the batches into the temporary table)`,
  `${s(c1 - c0)} s  commit, of which:`,
];
for (const { sql, ms } of statements.slice(commitStart)) if (ms >= 20) out.push(`  ${s(ms)} s  ${sql.slice(0, 90)}`);
out.push(`${s(total)} s  in all (opening the file and the world included): ${Math.round(n / (total / 1000)).toLocaleString('en-US')} recordings/s`);
process.stdout.write(`${out.join('\n')}\n`);
if (!opt.keep) removeFile();
