// recvault benchmark harness: `npm run bench` (see bench/README.md).
//
//   node bench/run.mjs [--duration 10] [--warmup 2] [--connections 10] [--workers 1]
//                      [--cases a,b] [--skip-import] [--profile] [--profile-engine sqlite|postgres]
//                      [--recordings 1000000]
//                      [--days 180] [--seed 42] [--import-recordings 200000] [--deep-page 5000]
//                      [--rounds 1]
//
// Every goal is a ratio measured in the same run (the machine is noisy): each recvault case is
// compared with a "ceiling" server that returns the very same bytes without doing any work.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { prepareDataset, removeDb, TOKENS, worldDocument, exportNdjson, datasetName } from './lib/dataset.mjs';
import { freePort, memoryOf, runCommand, startChild, stopChild, waitForHttp, waitIdle } from './lib/proc.mjs';
import { evaluateGoals, renderMarkdown, renderSvg } from './lib/report.mjs';
import { summariseProfile, formatProfileSummary } from './cpuprofile-top.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const CACHE = join(BENCH_DIR, '.cache');
const RESULTS = join(BENCH_DIR, 'results');
const RECVAULT = [process.execPath, join(ROOT, 'bin', 'recvault')];
const PATH = '/v1/admin/recordings';

const { values: opt } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    workers: { type: 'string', default: '1' },
    cases: { type: 'string' },
    'skip-import': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-engine': { type: 'string' },
    recordings: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '180' },
    seed: { type: 'string', default: '42' },
    'import-recordings': { type: 'string', default: '200000' },
    'deep-page': { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write(
    'usage: node bench/run.mjs [--duration S] [--warmup S] [--connections N] [--workers N] [--cases a,b]\n' +
      '                          [--skip-import] [--profile] [--profile-engine sqlite|postgres]\n' +
      '                          [--recordings N] [--days D] [--seed S]\n' +
      '                          [--import-recordings N] [--deep-page P] [--rounds R]\n',
  );
  process.exit(0);
}
// The engine whose server runs under the profiler (the other runs as usual: the ceiling needs
// SQLite's bytes, so SQLite always runs first).
if (opt['profile-engine'] !== undefined && !opt.profile) {
  process.stderr.write('--profile-engine chooses what --profile profiles: give both\n');
  process.exit(2);
}
const profiled = opt.profile ? (opt['profile-engine'] ?? 'sqlite') : null;
if (profiled !== null && profiled !== 'sqlite' && profiled !== 'postgres') {
  process.stderr.write(`--profile-engine must be sqlite or postgres, got ${JSON.stringify(profiled)}\n`);
  process.exit(2);
}
if (profiled === 'postgres' && !process.env.DATABASE_URL) {
  process.stderr.write('--profile-engine postgres needs DATABASE_URL (the PostgreSQL cases run only with it)\n');
  process.exit(2);
}
const settings = {
  duration: Number(opt.duration),
  warmup: Number(opt.warmup),
  connections: Number(opt.connections),
  workersRequested: Math.max(1, Number(opt.workers)),
  recordings: Number(opt.recordings),
  days: Number(opt.days),
  seed: Number(opt.seed),
  importRecordings: Number(opt['import-recordings']),
  deepPage: Number(opt['deep-page']),
  rounds: Math.max(1, Math.floor(Number(opt.rounds)) || 1),
};
const log = (message) => process.stderr.write(`[bench] ${message}\n`);
mkdirSync(CACHE, { recursive: true });
mkdirSync(RESULTS, { recursive: true });

// ---------------------------------------------------------------------------------------------
// What the CLI supports decides what is passed through.
const serveHelp = (await runCommand(RECVAULT[0], [...RECVAULT.slice(1), 'serve', '--help'])).stdout;
const serveSupports = { workers: /--workers\b/.test(serveHelp), databaseUrl: /--database-url\b/.test(serveHelp) };
const workers = serveSupports.workers ? settings.workersRequested : 1;
if (profiled === 'postgres' && !serveSupports.databaseUrl) {
  process.stderr.write('--profile-engine postgres: `recvault serve` has no --database-url option\n');
  process.exit(2);
}
const notes = [];
if (settings.workersRequested > 1 && !serveSupports.workers) {
  notes.push(`--workers ${settings.workersRequested} ignored: \`recvault serve\` has no --workers option; recvault and the ceiling run as 1 process.`);
}

// ---------------------------------------------------------------------------------------------
// Dataset and case definitions.
const dataset = await prepareDataset({ cacheDir: CACHE, recordings: settings.recordings, days: settings.days, seed: settings.seed, recvault: RECVAULT });
const picks = dataset.meta.picks;
log(`dataset ${relative(ROOT, dataset.dbFile)}: site ${picks.site}, window ${picks.window.from} .. ${picks.window.to} (${picks.windowAvailable} available)`);

const windowParams = { siteUrl: picks.site, from: picks.window.from, to: picks.window.to };
const query = (params) => `${PATH}?${new URLSearchParams(params).toString()}`;
const NY = { timezone: 'America/New_York' };

/** Every recvault case: a fixed URL, a token, optional headers, its page size (for its ceiling). */
const CASES = [
  { name: 'p10-utc', title: 'page 1, max=10, UTC', page: 10, path: query({ max: '10', ...windowParams }) },
  { name: 'p100-utc', title: 'page 1, max=100, UTC', page: 100, path: query({ max: '100', ...windowParams }) },
  { name: 'p10-ny', title: 'page 1, max=10, America/New_York', page: 10, path: query({ max: '10', ...windowParams }), headers: NY },
  { name: 'p100-ny', title: 'page 1, max=100, America/New_York', page: 100, path: query({ max: '100', ...windowParams }), headers: NY },
  { name: `p${settings.deepPage}`, title: `page ${settings.deepPage} via cursor, max=10`, page: 10, deep: true },
  { name: 'meeting-series', title: `meetingId = series (${picks.meetingSeries?.n} rec.)`, page: 10, path: query({ max: '10', meetingId: picks.meetingSeries?.id ?? '' }) },
  { name: 'meeting-scheduled', title: `meetingId = scheduled meeting (${picks.scheduledMeeting?.n} rec.)`, page: 10, path: query({ max: '10', meetingId: picks.scheduledMeeting?.id ?? '' }) },
  { name: 'meeting-instance', title: `meetingId = instance (${picks.meetingInstance?.n} rec.)`, page: 10, path: query({ max: '10', meetingId: picks.meetingInstance?.id ?? '' }) },
  { name: 'topic', title: `topic = "${picks.topic?.topic}" (${picks.topic?.n} in window)`, page: 10, path: query({ max: '10', ...windowParams, topic: picks.topic?.topic ?? '' }) },
  { name: 'integration-tag', title: `integrationTag = ${picks.zendeskTag?.tag} (zendesk-app token)`, page: 10, path: query({ max: '10', ...windowParams, integrationTag: picks.zendeskTag?.tag ?? '' }), token: TOKENS.coZendesk },
  { name: 'status-deleted', title: 'status=deleted, max=10', page: 10, path: query({ max: '10', ...windowParams, status: 'deleted' }) },
];
const CEILINGS = [
  { name: 'ceiling-10', title: 'ceiling, same bytes as p10-utc', page: 10, of: 'p10-utc' },
  { name: 'ceiling-100', title: 'ceiling, same bytes as p100-utc', page: 100, of: 'p100-utc' },
];
const wanted = opt.cases === undefined ? null : new Set(opt.cases.split(',').map((s) => s.trim()).filter(Boolean));
const known = new Set([...CASES, ...CEILINGS].map((c) => c.name));
for (const name of wanted ?? []) if (!known.has(name)) throw new Error(`unknown case ${name}; known: ${[...known].join(', ')}`);
const selectedCases = CASES.filter((c) => wanted === null || wanted.has(c.name));
// A ceiling runs whenever a selected case needs it for its ratio.
const selectedCeilings = CEILINGS.filter((c) => wanted === null || wanted.has(c.name) || selectedCases.some((s) => s.page === c.page));

// ---------------------------------------------------------------------------------------------
// Running servers and load.
async function startRecvault(engine, extraNodeFlags = []) {
  const port = await freePort();
  const target = engine === 'postgres' ? ['--database-url', process.env.DATABASE_URL] : ['--db', dataset.dbFile];
  const args = [...extraNodeFlags, ...RECVAULT.slice(1), 'serve', ...target, '--port', String(port), '--log-level', 'warn'];
  if (serveSupports.workers && workers > 1) args.push('--workers', String(workers));
  // The benchmark measures serving, not the per-token limiter (which would answer 429).
  if (serveHelp.includes('--rate-limit')) args.push('--rate-limit', '0');
  const child = startChild(RECVAULT[0], args, { cwd: ROOT });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}${PATH}`, child);
  return { child, base, port };
}

async function startCeiling(fixtures) {
  const port = await freePort();
  const file = join(CACHE, 'ceiling-fixtures.json');
  writeFileSync(file, JSON.stringify(fixtures));
  const child = startChild(process.execPath, [join(BENCH_DIR, 'ceiling-server.mjs'), '--fixtures', file, '--port', String(port), '--workers', String(workers)], { cwd: ROOT });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/`, child);
  return { child, base };
}

async function load(url, headers, serverPid) {
  const waited = await waitIdle(serverPid);
  if (waited > 1) log(`  (waited ${waited.toFixed(1)} s for the server to drain the previous case)`);
  const config = { url, headers, connections: settings.connections, duration: settings.duration, warmup: settings.warmup, serverPid };
  const out = await runCommand(process.execPath, [join(BENCH_DIR, 'load.mjs'), JSON.stringify(config)], { cwd: ROOT });
  if (out.code !== 0) throw new Error(`load generator failed (${out.code}):\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1));
}

const authHeaders = (c) => ({ authorization: `Bearer ${c.token ?? TOKENS.co}`, ...(c.headers ?? {}) });

async function probe(base, c) {
  const res = await fetch(`${base}${c.path}`, { headers: authHeaders(c) });
  const body = Buffer.from(await res.arrayBuffer());
  let items = null;
  try {
    items = JSON.parse(body.toString('utf8')).items?.length ?? null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body, items };
}

/** Follows `rel="next"` from page 1 (max=10) to page `page`; returns the path+query of that page. */
async function walkToPage(base, page) {
  let path = query({ max: '10', ...windowParams });
  const started = Date.now();
  for (let p = 1; p < page; p++) {
    const res = await fetch(`${base}${path}`, { headers: authHeaders({}) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`walking to page ${page}: page ${p} answered ${res.status}`);
    const link = res.headers.get('link');
    const next = link === null ? null : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
    if (!next) throw new Error(`walking to page ${page}: page ${p} has no next link (window too small?)`);
    const url = new URL(next);
    path = url.pathname + url.search;
    if (p % 1000 === 0) log(`  … page ${p + 1} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  return path;
}

/**
 * Runs every selected case `settings.rounds` times against one server. With `ceilingFixtures`
 * absent (the first engine), the ceiling server is started next to it on the bytes recvault
 * returns and measured inside each round, right after the cases, so a ratio compares loads taken
 * minutes apart at most. A case's reported load is its median round (by req/s); every round's
 * figures are kept in `runs`.
 */
async function runEngine(engine, { profile = false, ceilingFixtures = null } = {}) {
  const results = [];
  const ceilingResults = [];
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${join(CACHE, 'profiles')}`] : [];
  if (profile) rmSync(join(CACHE, 'profiles'), { recursive: true, force: true });
  log(`starting recvault (${engine}${profile ? ', --cpu-prof' : ''})`);
  const server = await startRecvault(engine, flags);
  let ceiling = null;
  await new Promise((r) => setTimeout(r, 500));
  const idle = memoryOf(server.child.pid);
  try {
    // The deep page URL: cached (cursors are signed with the secret kept in the database).
    const deep = CASES.find((c) => c.deep);
    if (selectedCases.includes(deep)) {
      const cacheKey = `${engine}:${settings.deepPage}:${picks.window.from}:${picks.window.to}`;
      const cached = dataset.meta.deepPage?.[cacheKey];
      if (picks.windowAvailable < settings.deepPage * 10) {
        deep.skip = `the window holds ${picks.windowAvailable} available recordings, fewer than ${settings.deepPage * 10}`;
      } else if (cached && (await probe(server.base, { path: cached })).status === 200) {
        deep.path = cached;
      } else {
        log(`walking ${settings.deepPage - 1} next links to page ${settings.deepPage}…`);
        deep.path = await walkToPage(server.base, settings.deepPage);
        dataset.meta.deepPage = { ...(dataset.meta.deepPage ?? {}), [cacheKey]: deep.path };
        dataset.save();
      }
    }

    // The ceiling needs recvault's bytes for the same URLs (taken from the first engine only);
    // every engine's run measures it again in each of its rounds, next to its own cases.
    const fixtures = ceilingFixtures ?? (await captureFixtures(server.base));
    if (selectedCeilings.length > 0) {
      log('starting the ceiling server');
      ceiling = await startCeiling(fixtures);
    }

    for (const c of selectedCases) {
      const result = { name: c.name, title: c.title, engine, page: c.page, path: c.path ?? null };
      results.push(result);
      if (c.skip) {
        result.skipped = c.skip;
        log(`${engine} ${c.name}: skipped (${c.skip})`);
        continue;
      }
      const first = await probe(server.base, c);
      Object.assign(result, { probeStatus: first.status, items: first.items, bodyBytes: first.body.length, hasNext: first.headers.has('link') });
      if (first.status !== 200) {
        result.error = `probe answered ${first.status}: ${first.body.toString('utf8').slice(0, 300)}`;
        log(`${engine} ${c.name}: ${result.error}`);
      }
    }
    if (ceiling !== null) {
      for (const c of selectedCeilings) {
        const of = CASES.find((x) => x.name === c.of);
        const fixture = fixtures[of.path];
        ceilingResults.push({ name: c.name, title: c.title, engine: 'ceiling', run: engine, page: c.page, path: of.path, bodyBytes: Buffer.from(fixture.bodyBase64, 'base64').length, items: c.page, of });
      }
    }

    const measured = results.filter((r) => !r.skipped && !r.error);
    for (let round = 1; round <= settings.rounds; round++) {
      if (settings.rounds > 1) log(`round ${round} of ${settings.rounds}`);
      // Each round starts further down the list, so no case is always the one run first.
      const shift = Math.floor(((round - 1) * measured.length) / settings.rounds);
      for (const result of [...measured.slice(shift), ...measured.slice(0, shift)]) {
        const c = CASES.find((x) => x.name === result.name);
        log(`${engine} ${c.name}: ${result.items} items, ${result.bodyBytes} B — loading ${settings.warmup}+${settings.duration} s`);
        const l = await load(`${server.base}${c.path}`, authHeaders(c), server.child.pid);
        (result.runs ??= []).push(l);
        result.serverRssAfter = Math.max(result.serverRssAfter ?? 0, memoryOf(server.child.pid).rss);
        log(`  ${l.rps} req/s, p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms, non-2xx ${l.non2xx}, server CPU ${l.serverCpuMsPerRequest} ms/req`);
      }
      for (const result of ceilingResults) {
        log(`ceiling ${result.name}: ${result.bodyBytes} B — loading ${settings.warmup}+${settings.duration} s`);
        const l = await load(`${ceiling.base}${result.of.path}`, authHeaders(result.of), ceiling.child.pid);
        (result.runs ??= []).push(l);
        log(`  ${l.rps} req/s, p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms, non-2xx ${l.non2xx}`);
      }
    }
    for (const result of [...measured, ...ceilingResults]) {
      result.load = medianRun(result.runs);
      if (settings.rounds === 1) delete result.runs;
    }
    for (const result of ceilingResults) delete result.of;
    const memory = { ...memoryOf(server.child.pid), idle };
    return { results, memory, fixtures, ceilings: ceilingResults };
  } finally {
    await stopChild(server.child);
    if (ceiling !== null) await stopChild(ceiling.child);
  }
}

/** The round with the median req/s (the lower middle one for an even count). */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** recvault's exact responses (body, content-type, Link, TrackingID) for the ceilings' URLs. */
async function captureFixtures(base) {
  const fixtures = {};
  for (const c of CEILINGS) {
    const of = CASES.find((x) => x.name === c.of);
    const res = await probe(base, of);
    const headers = { 'content-type': res.headers.get('content-type') };
    if (res.headers.has('link')) headers.link = res.headers.get('link');
    if (res.headers.has('trackingid')) headers.trackingid = res.headers.get('trackingid');
    fixtures[of.path] = { status: res.status, headers, bodyBase64: res.body.toString('base64') };
  }
  return fixtures;
}

// ---------------------------------------------------------------------------------------------
// Import rates.
function parseRate(stderr) {
  const m = /in ([\d.]+) s \((\d+) recordings\/s\)/.exec(stderr);
  return m ? { seconds: Number(m[1]), rate: Number(m[2]) } : null;
}

async function importBenchmarks() {
  const n = settings.importRecordings;
  const out = { recordings: n };
  // 1. The generator writing into a fresh database.
  const genDb = join(CACHE, 'import-generate.db');
  removeDb(genDb);
  log(`import rate: generate ${n} recordings into a fresh database…`);
  const gen = await runCommand(RECVAULT[0], [...RECVAULT.slice(1), 'generate', '--recordings', String(n), '--days', String(settings.days), '--seed', '7', '--db', genDb]);
  if (gen.code !== 0) throw new Error(`generate failed:\n${gen.stderr}`);
  out.generate = { wallSeconds: round(gen.seconds, 2), rate: Math.round(n / gen.seconds), reported: parseRate(gen.stderr), command: `recvault generate --recordings ${n} --days ${settings.days} --seed 7 --db <fresh>` };
  log(`  ${out.generate.rate} recordings/s (wall clock, ${out.generate.wallSeconds} s); the CLI reports ${out.generate.reported?.rate}/s`);

  // 2. `recvault import` of an NDJSON file into a database that already has the orgs and sites.
  const ndjson = join(CACHE, `import-${n}-${settings.days}d-s7.ndjson`);
  if (!existsSync(ndjson) || statSync(ndjson).size === 0) {
    log(`  writing ${relative(ROOT, ndjson)} (generate --ndjson)…`);
    const fd = openSync(`${ndjson}.tmp`, 'w');
    const res = await runCommand(RECVAULT[0], [...RECVAULT.slice(1), 'generate', '--ndjson', '--recordings', String(n), '--days', String(settings.days), '--seed', '7'], { stdoutFd: fd });
    closeSync(fd);
    if (res.code !== 0) throw new Error(`generate --ndjson failed:\n${res.stderr}`);
    const { renameSync } = await import('node:fs');
    renameSync(`${ndjson}.tmp`, ndjson);
  }
  const worldFile = join(CACHE, 'import-world.json');
  writeFileSync(worldFile, JSON.stringify(worldDocument(genDb)));
  const impDb = join(CACHE, 'import-ndjson.db');
  removeDb(impDb);
  const world = await runCommand(RECVAULT[0], [...RECVAULT.slice(1), 'import', worldFile, '--db', impDb]);
  if (world.code !== 0) throw new Error(`import of orgs/sites failed:\n${world.stderr}`);
  log(`import rate: recvault import of ${n} NDJSON recordings…`);
  const imp = await runCommand(RECVAULT[0], [...RECVAULT.slice(1), 'import', ndjson, '--db', impDb]);
  if (imp.code !== 0) throw new Error(`import failed:\n${imp.stderr}`);
  out.ndjsonImport = { wallSeconds: round(imp.seconds, 2), rate: Math.round(n / imp.seconds), reported: parseRate(imp.stderr), fileBytes: statSync(ndjson).size, command: `recvault import ${relative(ROOT, ndjson)} --db <fresh db with orgs/sites>` };
  log(`  ${out.ndjsonImport.rate} recordings/s (wall clock, ${out.ndjsonImport.wallSeconds} s); the CLI reports ${out.ndjsonImport.reported?.rate}/s`);
  removeDb(genDb);
  removeDb(impDb);
  return out;
}

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------------------------------------
// PostgreSQL: the same cases when DATABASE_URL is set and the CLI can use it.
async function preparePostgres() {
  if (!process.env.DATABASE_URL) return 'DATABASE_URL is not set';
  if (!serveSupports.databaseUrl) return '`recvault serve` has no --database-url option yet';
  const importHelp = (await runCommand(RECVAULT[0], [...RECVAULT.slice(1), 'import', '--help'])).stdout;
  if (!/--database-url\b/.test(importHelp)) return '`recvault import` has no --database-url option yet (needed to load the data)';
  // Load exactly the SQLite dataset (same ids and times, so the same picks apply), once per URL.
  const key = createHash('sha256').update(`${process.env.DATABASE_URL}|${datasetName(settings)}`).digest('hex').slice(0, 16);
  const marker = join(CACHE, `postgres-${key}.loaded`);
  if (!existsSync(marker)) {
    const ndjson = join(CACHE, `${datasetName(settings)}.ndjson`);
    if (!existsSync(ndjson)) {
      log(`exporting the dataset to ${relative(ROOT, ndjson)} for PostgreSQL…`);
      exportNdjson(dataset.dbFile, `${ndjson}.tmp`);
      const { renameSync } = await import('node:fs');
      renameSync(`${ndjson}.tmp`, ndjson);
    }
    const worldFile = join(CACHE, `${datasetName(settings)}.world.json`);
    writeFileSync(worldFile, JSON.stringify(worldDocument(dataset.dbFile)));
    const steps = [worldFile, join(CACHE, `${datasetName(settings)}.people.json`), ndjson];
    for (const file of steps) {
      log(`postgres: importing ${relative(ROOT, file)}…`);
      const res = await runCommand(RECVAULT[0], [...RECVAULT.slice(1), 'import', file, '--database-url', process.env.DATABASE_URL]);
      if (res.code !== 0) return `loading PostgreSQL failed: ${res.stderr.trim().slice(0, 500)}`;
    }
    writeFileSync(marker, new Date().toISOString());
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
const startedAt = new Date();
log(`settings: ${settings.duration} s per case after ${settings.warmup} s warm-up, ${settings.rounds} round(s), ${settings.connections} connections, ${workers} process(es)`);

const sqlite = await runEngine('sqlite', { profile: profiled === 'sqlite' });
const ceilings = sqlite.ceilings;

let postgres = null;
const pgSkip = await preparePostgres();
if (pgSkip === null) {
  postgres = await runEngine('postgres', { ceilingFixtures: sqlite.fixtures, profile: profiled === 'postgres' });
} else {
  log(`postgres: skipped — ${pgSkip}`);
  notes.push(`PostgreSQL cases skipped: ${pgSkip}.`);
}

const imports = opt['skip-import'] ? null : await importBenchmarks();

const report = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length, platform: `${process.platform}-${process.arch}` },
  settings: { ...settings, workers, serveSupports, profiled: profiled ?? false },
  dataset: { file: relative(ROOT, dataset.dbFile), ...dataset.meta.params, generatedAt: dataset.meta.generatedAt, generateSeconds: dataset.meta.generateSeconds, picks },
  ceilings,
  // Each engine's cases against the ceiling measured in its own rounds.
  engineCeilings: { sqlite: sqlite.ceilings, ...(postgres ? { postgres: postgres.ceilings } : {}) },
  cases: [...sqlite.results, ...(postgres?.results ?? [])],
  memory: { sqlite: sqlite.memory, ...(postgres ? { postgres: postgres.memory } : {}) },
  imports,
  postgres: pgSkip === null ? 'ran' : `skipped: ${pgSkip}`,
  notes,
};
report.goals = evaluateGoals(report);

if (profiled === 'postgres' && postgres === null) {
  log(`no PostgreSQL profile: ${pgSkip}`);
  // Asked for and not made (e.g. loading PostgreSQL failed): not a successful run.
  process.exitCode = 1;
} else if (profiled !== null) {
  const dir = join(CACHE, 'profiles');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (files.length === 0) {
    log('no .cpuprofile was written');
  } else {
    const file = join(dir, files.sort().at(-1));
    const engineResults = (profiled === 'postgres' ? postgres : sqlite).results;
    const requests = engineResults.reduce((a, r) => a + (r.runs ?? (r.load ? [r.load] : [])).reduce((n, l) => n + l.requests + l.warmupRequests, 0), 0);
    const names = selectedCases.map((c) => c.name);
    const summary = formatProfileSummary(summariseProfile(file), { title: `recvault server CPU profile (${profiled}) — cases ${names.join(', ')}`, requests });
    // SQLite profiles keep their original names; PostgreSQL ones say so.
    const out = join(RESULTS, `profile-${profiled === 'postgres' ? 'postgres-' : ''}${names.join('+')}.md`);
    writeFileSync(out, summary);
    process.stdout.write(`${summary}\n`);
    log(`profile: ${relative(ROOT, file)}; summary in ${relative(ROOT, out)}`);
  }
}

const markdown = renderMarkdown(report);
if (opt.profile) {
  log('profiled run: throughput is distorted by the profiler, bench/results/latest.* left untouched');
} else {
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS, 'latest.md'), markdown);
  writeFileSync(join(RESULTS, 'chart.svg'), renderSvg(report));
  log('wrote bench/results/latest.json, latest.md, chart.svg');
}
process.stdout.write(`\n${markdown}`);
