#!/usr/bin/env node
// Bounded burst against a real `recvault serve` process (docs/reliability.md, "Burst run").
//
//   npm run build && node bench/burst.mjs [--requests 20000] [--connections 50] [--db FILE]
//                                         [--rss-threshold-mib 100] [--settle-ms 2000]
//                                         [--per-token 1000] [--timeout 10] [--json]
//
// 1. Prepares a small demo database: `recvault generate --recordings 50000 --days 30 --seed 3`
//    (orgs acme and globex; acme has the sites acme.webex.com and acme-eu.webex.com), then
//    `recvault import` of one acme admin (both sites) and its tokens. Without --db the database
//    lives in a temporary directory that is removed at the end; with --db FILE it is generated
//    only if FILE does not exist, and it is kept.
// 2. Starts `recvault serve --db … --port <free> --log-level warn` as a child process, with its
//    default settings (the per-token rate limit included, if the build has one). The admin gets
//    one token per --per-token requests so that no token comes near that limit; requests
//    without a token are a small share of the mix.
// 3. Probes every request of the mix once (its status must be the expected one), reads the
//    server's VmRSS, then fires exactly --requests requests over --connections keep-alive
//    connections with autocannon (`amount`), in a separate process (this file, `--load-worker`),
//    so the load generator never shares an event loop with the server.
// 4. Reads VmRSS right after the burst and again after --settle-ms, stops the server with
//    SIGTERM (it drains and exits 0) and removes the temporary files.
//
// Exit status 1 when any response is a 5xx or not the status the mix expects, when a socket
// error, timeout or lost response occurs, when RSS after the burst exceeds RSS before by more
// than --rss-threshold-mib, or when the server does not exit 0 on SIGTERM. 2 on a usage error.
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const SELF = fileURLToPath(import.meta.url);

if (process.argv[2] === '--load-worker') {
  await loadWorker(JSON.parse(readFileSync(process.argv[3], 'utf8')));
} else {
  process.exitCode = await main();
}

// =============================================================================================
// Orchestration
// =============================================================================================

async function main() {
  let opt;
  try {
    ({ values: opt } = parseArgs({
      options: {
        requests: { type: 'string', default: '20000' },
        connections: { type: 'string', default: '50' },
        db: { type: 'string' },
        'rss-threshold-mib': { type: 'string', default: '100' },
        'settle-ms': { type: 'string', default: '2000' },
        'per-token': { type: 'string', default: '1000' },
        timeout: { type: 'string', default: '10' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (opt.help) {
    process.stdout.write(
      'usage: node bench/burst.mjs [--requests 20000] [--connections 50] [--db FILE]\n' +
        '                            [--rss-threshold-mib 100] [--settle-ms 2000] [--per-token 1000]\n' +
        '                            [--timeout 10] [--json]\n',
    );
    return 0;
  }
  const settings = {
    requests: Number(opt.requests),
    connections: Number(opt.connections),
    rssThresholdMiB: Number(opt['rss-threshold-mib']),
    settleMs: Number(opt['settle-ms']),
    perToken: Number(opt['per-token']),
    timeoutSeconds: Number(opt.timeout),
  };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value < 0 || (name !== 'settleMs' && value === 0)) {
      process.stderr.write(`invalid --${name}: ${value}\n`);
      return 2;
    }
  }
  if (!Number.isInteger(settings.requests) || !Number.isInteger(settings.connections) || settings.connections > settings.requests) {
    process.stderr.write('--requests and --connections must be whole numbers, connections ≤ requests\n');
    return 2;
  }
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('recvault is not built: run `npm run build` first\n');
    return 2;
  }

  // Imported here so the load worker (above) loads nothing but autocannon.
  const { freePort, memoryOf, runCommand, startChild, stopChild, waitForHttp } = await import('./lib/proc.mjs');
  const RECVAULT = [join(ROOT, 'bin', 'recvault')];
  const cli = (args) => runCommand(process.execPath, [...RECVAULT, ...args], { cwd: ROOT });
  const log = (message) => process.stderr.write(`[burst] ${message}\n`);

  const tmp = mkdtempSync(join(tmpdir(), 'recvault-burst-'));
  const dbFile = opt.db === undefined ? join(tmp, 'burst.db') : resolve(opt.db);
  // Runs on every exit path (proc.mjs kills the children first, on exit and on Ctrl-C).
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

  let server = null;
  try {
    // ------------------------------------------------------------------------------- dataset
    if (existsSync(dbFile)) {
      log(`reusing ${dbFile}`);
    } else {
      log(`generating 50,000 recordings over 30 days (seed 3) into ${dbFile}`);
      const gen = await cli(['generate', '--recordings', '50000', '--days', '30', '--seed', '3', '--db', dbFile]);
      if (gen.code !== 0) throw new Error(`generate failed (${gen.code}):\n${gen.stderr}`);
      log(gen.stderr.trim().split('\n').at(-1) ?? '');
    }
    // Requests with a token get one token per `perToken` of them: the server's per-token rate
    // limit must not turn a burst into 429s (one token per 1,000 requests is far below it).
    const tokenCount = Math.max(1, Math.ceil(settings.requests / settings.perToken));
    const tokens = Array.from({ length: tokenCount }, (_, i) => `recvault-burst-admin-${String(i + 1).padStart(4, '0')}`);
    const peopleFile = join(tmp, 'burst-people.json');
    writeFileSync(
      peopleFile,
      `${JSON.stringify(
        {
          people: [
            {
              id: 'burst-admin',
              email: 'burst-admin@acme.invalid',
              displayName: 'Burst Admin',
              orgId: 'acme',
              siteUrls: ['acme.webex.com', 'acme-eu.webex.com'],
              preferredSiteUrl: 'acme.webex.com',
            },
          ],
          tokens: tokens.map((token) => ({
            token,
            personId: 'burst-admin',
            scopes: ['meeting:admin_recordings_read', 'meeting:admin_preferences_read'],
          })),
        },
        null,
        2,
      )}\n`,
    );
    const imp = await cli(['import', peopleFile, '--db', dbFile]);
    if (imp.code !== 0) throw new Error(`import of the burst admin failed (${imp.code}):\n${imp.stderr}${imp.stdout}`);
    log(`imported admin burst-admin (acme, both sites) with ${tokenCount} token(s)`);

    // -------------------------------------------------------------------------------- server
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    server = startChild(process.execPath, [...RECVAULT, 'serve', '--db', dbFile, '--port', String(port), '--log-level', 'warn'], { cwd: ROOT });
    await waitForHttp(`${origin}/openapi.json`, server);
    log(`server pid ${server.pid} listening on ${origin}`);

    // ------------------------------------------------------------------------------- the mix
    const mix = await buildMix(origin, tokens[0], log);
    const probeToken = tokens.at(-1); // cursors and ids were obtained with tokens[0]
    let rateLimit = 'off (no x-ratelimit-limit header)';
    for (const entry of mix) {
      const res = await fetch(`${origin}${entry.path}`, { method: entry.method, headers: headersFor(entry, probeToken) });
      await res.arrayBuffer();
      const limit = res.headers.get('x-ratelimit-limit');
      if (limit !== null && !entry.noToken) rateLimit = `${limit} requests per token per window (x-ratelimit-limit)`;
      if (res.status !== entry.expect) {
        throw new Error(`probe ${entry.kind}: ${entry.method} ${entry.path} answered ${res.status}, expected ${entry.expect}`);
      }
    }
    log(`probed the ${mix.length} requests of one mix cycle: every status as expected; rate limit ${rateLimit}`);

    // ------------------------------------------------------------------------------- burst
    const before = memoryOf(server.pid);
    const perConnection = Math.ceil(settings.requests / settings.connections);
    // Entry j of every connection: kind j mod |mix|, token j mod |tokens| — kinds and tokens are
    // spread evenly over the whole burst (all connections walk the same sequence).
    const sequence = Array.from({ length: perConnection }, (_, j) => {
      const entry = mix[j % mix.length];
      return { kind: entry.kind, expect: entry.expect, method: entry.method, path: entry.path, headers: headersFor(entry, tokens[j % tokens.length]) };
    });
    const configFile = join(tmp, 'load.json');
    writeFileSync(configFile, JSON.stringify({ origin, connections: settings.connections, amount: settings.requests, timeout: settings.timeoutSeconds, sequence }));
    log(`firing ${settings.requests} requests over ${settings.connections} connections…`);
    const loadAvgBefore = loadavg()[0];
    const load = await runCommand(process.execPath, [SELF, '--load-worker', configFile], { cwd: ROOT });
    if (load.code !== 0) throw new Error(`load generator failed (${load.code}):\n${load.stderr}`);
    const result = JSON.parse(load.stdout.trim().split('\n').at(-1));
    const after = memoryOf(server.pid);
    await new Promise((r) => setTimeout(r, settings.settleMs));
    const settled = memoryOf(server.pid);
    const aliveAfterBurst = server.exitCode === null && server.signalCode === null;

    // --------------------------------------------------------------------------- shutdown
    const stopStarted = Date.now();
    const exit = await stopChild(server, 15_000);
    const stopMs = Date.now() - stopStarted;
    server = null;

    // ------------------------------------------------------------------------------ verdict
    const MiB = 1024 * 1024;
    const growthMiB = (Math.max(after.rss, settled.rss) - before.rss) / MiB;
    const failures = [];
    if (!aliveAfterBurst) failures.push('the server exited during the burst');
    if (result.status5xx > 0) failures.push(`${result.status5xx} 5xx response(s)`);
    if (result.unexpected > 0) failures.push(`${result.unexpected} response(s) with an unexpected status: ${JSON.stringify(result.unexpectedByKind)}`);
    if (result.socketErrors > 0) failures.push(`${result.socketErrors} socket error(s): ${result.errorSamples.join('; ')}`);
    if (result.timeouts > 0) failures.push(`${result.timeouts} timeout(s) (> ${settings.timeoutSeconds} s)`);
    if (result.lost > 0) failures.push(`${result.lost} request(s) without a response (connection closed under them)`);
    if (growthMiB > settings.rssThresholdMiB) failures.push(`RSS grew by ${growthMiB.toFixed(1)} MiB (> ${settings.rssThresholdMiB} MiB)`);
    if (exit.code !== 0) failures.push(`the server exited with ${exit.signal ?? exit.code} on SIGTERM, not 0`);

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, loadAverage1m: [round(loadAvgBefore, 2), round(loadavg()[0], 2)] },
      command: `node bench/burst.mjs --requests ${settings.requests} --connections ${settings.connections}${opt.db === undefined ? '' : ` --db ${opt.db}`}`,
      dataset: { db: opt.db === undefined ? '(temporary)' : dbFile, tokens: tokenCount, rateLimit },
      mix: Object.fromEntries(mix.map((e) => [e.kind, `${e.method} ${e.path.length > 110 ? `${e.path.slice(0, 107)}...` : e.path} -> ${e.expect}`])),
      requests: result.amount,
      responses: result.responses,
      errors: result.status5xx + result.unexpected + result.socketErrors + result.timeouts + result.lost,
      status5xx: result.status5xx,
      socketErrors: result.socketErrors,
      timeouts: result.timeouts,
      lost: result.lost,
      unexpected: result.unexpected,
      status2xx: result.status2xx,
      non2xxByStatus: result.non2xxByStatus,
      byKind: result.byKind,
      seconds: result.seconds,
      requestsPerSecond: result.rps,
      latencyMs: result.latencyMs,
      latency2xxMs: result.latency2xxMs,
      rssMiB: {
        before: round(before.rss / MiB, 1),
        after: round(after.rss / MiB, 1),
        afterSettle: round(settled.rss / MiB, 1),
        settleMs: settings.settleMs,
        peak: round(settled.hwm / MiB, 1),
        growth: round(growthMiB, 1),
        threshold: settings.rssThresholdMiB,
      },
      shutdown: { signal: 'SIGTERM', exitCode: exit.code, exitSignal: exit.signal, ms: stopMs },
      failures,
      pass: failures.length === 0,
    };
    process.stdout.write(opt.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
    return report.pass ? 0 : 1;
  } catch (error) {
    log(`FAILED: ${error.message}`);
    if (server?.output) log(`server output (tail):\n${server.output.slice(-4000)}`);
    return 1;
  } finally {
    if (server !== null) await stopChild(server, 15_000);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The request mix: every kind has a fixed request and the status it must get. Cursors (`Link`
 * rel="next"), recording ids and the topic are taken from real first pages.
 */
async function buildMix(origin, token, log) {
  const PATH = '/v1/admin/recordings';
  const DAY = 86_400_000;
  const iso = (ms) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
  const now = Math.floor(Date.now() / 1000) * 1000;
  // 14 days: well inside the 30-day rule in every zone, and the generator's data covers it.
  const window = { from: iso(now - 14 * DAY), to: iso(now) };
  const q = (params) => `${PATH}?${new URLSearchParams(params).toString()}`;
  const get = async (path, headers = {}) => {
    const res = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(body)}`);
    const link = res.headers.get('link');
    const next = link === null ? null : /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
    return { items: body.items ?? [], next: next === null ? null : (({ pathname, search }) => `${pathname}${search}`)(new URL(next)) };
  };
  const follow = async (path, headers, pages) => {
    let current = path;
    for (let i = 1; i < pages; i++) {
      const { next } = await get(current, headers);
      if (next === null) return null;
      current = next;
    }
    return current;
  };

  const US = { timezone: 'America/New_York' };
  const IN = { timezone: 'Asia/Kolkata' };
  const site = 'acme.webex.com';
  const p10 = q({ max: '10', siteUrl: site, ...window });
  const p100 = q({ max: '100', siteUrl: site, ...window });
  const deleted = q({ max: '10', siteUrl: site, status: 'deleted', ...window });
  const eu = q({ max: '10', siteUrl: 'acme-eu.webex.com', ...window });

  // The most frequent topic of a 100-item page (a recurring meeting, so it spans pages).
  const sample = await get(p100);
  const counts = new Map();
  for (const item of sample.items) counts.set(item.topic, (counts.get(item.topic) ?? 0) + 1);
  const topicName = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  if (topicName === undefined || sample.items.length < 3) throw new Error('the demo database has no recordings in the window');
  const topic = q({ max: '10', siteUrl: site, topic: topicName, ...window });
  log(`window ${window.from} .. ${window.to}; topic "${topicName}"`);

  const mix = [
    { kind: 'list max=10', path: p10 },
    { kind: 'list max=100', path: p100 },
    { kind: 'list max=10 tz=America/New_York', path: p10, headers: US },
    { kind: 'list max=100 tz=Asia/Kolkata', path: p100, headers: IN },
    { kind: 'list default window', path: PATH },
    { kind: 'list acme-eu max=10', path: eu },
    { kind: 'list topic', path: topic },
    { kind: 'list status=deleted', path: deleted },
    { kind: 'sites', path: '/v1/meetingPreferences/sites' },
    { kind: 'details', path: `/v1/recordings/${encodeURIComponent(sample.items[0].id)}` },
    { kind: 'details tz=America/New_York', path: `/v1/recordings/${encodeURIComponent(sample.items[1].id)}`, headers: US },
    { kind: 'details', path: `/v1/recordings/${encodeURIComponent(sample.items[2].id)}` },
    { kind: 'list max=10', path: p10 },
  ];
  const followUps = [
    ['cursor max=10 page 2', p10, {}, 2],
    ['cursor max=10 page 5', p10, {}, 5],
    ['cursor max=100 tz page 2', p100, IN, 2],
    ['cursor topic page 2', topic, {}, 2],
    ['cursor deleted page 2', deleted, {}, 2],
    ['cursor acme-eu tz page 3', eu, US, 3],
  ];
  for (const [kind, first, headers, page] of followUps) {
    const path = await follow(first, headers, page);
    if (path === null) log(`no page ${page} for "${kind}" in the demo data: left out of the mix`);
    else mix.push({ kind, path, headers });
  }
  for (const entry of mix) entry.expect = 200;

  const p10Page2 = mix.find((e) => e.kind === 'cursor max=10 page 2')?.path;
  const bad = [
    { kind: 'bad max=0', path: q({ max: '0', siteUrl: site, ...window }), expect: 400 },
    { kind: 'bad max=abc', path: q({ max: 'abc' }), expect: 400 },
    { kind: 'bad date from=2026-02-30', path: q({ from: '2026-02-30T00:00:00Z', to: window.to }), expect: 400 },
    { kind: 'bad window 31 days', path: q({ from: iso(now - 31 * DAY), to: iso(now) }), expect: 400 },
    { kind: 'unknown path', path: '/v1/no-such-endpoint', expect: 404 },
    { kind: 'unknown recording', path: '/v1/recordings/burst-no-such-recording', expect: 404 },
    { kind: 'wrong method', method: 'PUT', path: PATH, expect: 405 },
    { kind: 'missing token', path: p10, noToken: true, expect: 401 },
  ];
  if (p10Page2 !== undefined) {
    // The same cursor with another site: the cursor no longer matches the filters.
    bad.push({ kind: 'cursor reused with other filters', path: p10Page2.replace('siteUrl=acme.webex.com', 'siteUrl=acme-eu.webex.com'), expect: 400 });
  }
  // One cycle: every good request twice, the bad ones spread evenly between them (~1 in 5).
  const good = [...mix, ...mix];
  const cycle = [];
  const every = good.length / bad.length;
  let b = 0;
  good.forEach((entry, i) => {
    cycle.push(entry);
    if (b < bad.length && i + 1 >= (b + 1) * every) cycle.push(bad[b++]);
  });
  cycle.push(...bad.slice(b));
  return cycle.map((e) => ({ method: 'GET', ...e, headers: e.headers ?? {} }));
}

function headersFor(entry, token) {
  return entry.noToken ? { ...entry.headers } : { ...entry.headers, authorization: `Bearer ${token}` };
}

function round(x, digits = 3) {
  return x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits;
}

function renderReport(r) {
  const lines = [];
  const pad = (s, n) => String(s).padEnd(n);
  lines.push('', `recvault burst — ${r.date}`, `  ${r.command}`, `  ${r.machine.cpus} CPU(s), Node ${r.machine.node}, load average ${r.machine.loadAverage1m.join(' -> ')}`, '');
  lines.push(`  requests            ${r.requests} (${r.responses} responses), ${r.dataset.tokens} admin token(s); server rate limit: ${r.dataset.rateLimit}`);
  lines.push(`  errors              ${r.errors}  (5xx ${r.status5xx}, socket errors ${r.socketErrors}, timeouts ${r.timeouts}, lost ${r.lost}, unexpected status ${r.unexpected})`);
  lines.push(`  2xx                 ${r.status2xx}`);
  lines.push(`  non-2xx by status   ${Object.entries(r.non2xxByStatus).map(([s, n]) => `${s}: ${n}`).join(', ') || 'none'} (all expected)`.replace(' (all expected)', r.unexpected === 0 ? ' (all expected)' : ''));
  lines.push(`  throughput          ${r.requestsPerSecond} req/s over ${r.seconds} s`);
  lines.push(`  latency, all        p50 ${r.latencyMs.p50} ms, p90 ${r.latencyMs.p90} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`);
  lines.push(`  latency, 2xx        p50 ${r.latency2xxMs.p50} ms, p99 ${r.latency2xxMs.p99} ms`);
  lines.push(`  server RSS          before ${r.rssMiB.before} MiB, after ${r.rssMiB.after} MiB, after ${r.rssMiB.settleMs} ms ${r.rssMiB.afterSettle} MiB (peak ${r.rssMiB.peak} MiB; growth ${r.rssMiB.growth} MiB, limit ${r.rssMiB.threshold})`);
  lines.push(`  shutdown            SIGTERM -> exit ${r.shutdown.exitSignal ?? r.shutdown.exitCode} after ${r.shutdown.ms} ms`);
  lines.push('', `  ${pad('kind', 34)}${pad('n', 7)}${pad('statuses', 18)}p50 ms  p99 ms`);
  for (const [kind, k] of Object.entries(r.byKind)) {
    lines.push(`  ${pad(kind, 34)}${pad(k.n, 7)}${pad(Object.entries(k.statuses).map(([s, n]) => `${s}×${n}`).join(' '), 18)}${pad(k.p50, 8)}${k.p99}`);
  }
  lines.push('', r.pass ? '  PASS' : `  FAIL\n${r.failures.map((f) => `   - ${f}`).join('\n')}`, '');
  return `${lines.join('\n')}\n`;
}

// =============================================================================================
// Load worker (its own process): exactly `amount` requests over `connections` connections.
// =============================================================================================

async function loadWorker(config) {
  const { default: autocannon } = await import('autocannon');
  const requests = config.sequence.map((s) => ({ method: s.method, path: s.path, headers: s.headers, kind: s.kind, expect: s.expect }));
  const latencies = new Float64Array(config.amount + config.connections);
  const ok = new Float64Array(config.amount + config.connections);
  let n = 0;
  let nOk = 0;
  const byKind = {};
  const statuses = {};
  const unexpectedByKind = {};
  let unexpected = 0;
  let status5xx = 0;
  let socketErrors = 0;
  const errorSamples = new Set();
  let lastResponseAt = null;

  const started = process.hrtime.bigint();
  const result = await new Promise((resolvePromise, reject) => {
    const instance = autocannon(
      {
        url: config.origin,
        connections: config.connections,
        amount: config.amount,
        pipelining: 1,
        timeout: config.timeout,
        requests,
      },
      (error, res) => (error ? reject(error) : resolvePromise(res)),
    );
    instance.on('response', (client, statusCode, _bytes, responseTime) => {
      lastResponseAt = process.hrtime.bigint();
      // With pipelining 1 the client's current request is the one just answered.
      const req = client.requestIterator.currentRequest;
      const kind = (byKind[req.kind] ??= { n: 0, statuses: {}, latencies: [] });
      kind.n++;
      kind.statuses[statusCode] = (kind.statuses[statusCode] ?? 0) + 1;
      kind.latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      latencies[n++] = responseTime;
      if (statusCode >= 200 && statusCode < 300) ok[nOk++] = responseTime;
      if (statusCode >= 500) status5xx++;
      else if (statusCode !== req.expect) {
        unexpected++;
        const key = `${req.kind}: ${statusCode}`;
        unexpectedByKind[key] = (unexpectedByKind[key] ?? 0) + 1;
      }
    });
    instance.on('reqError', (error) => {
      if (error?.message !== 'request timed out') socketErrors++;
      if (errorSamples.size < 5) errorSamples.add(String(error?.code ?? error?.message ?? error));
    });
  });
  const end = lastResponseAt ?? process.hrtime.bigint();
  const seconds = Number(end - started) / 1e9;

  const pct = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
  const summary = (values) => {
    const sorted = Float64Array.from(values).sort();
    return {
      p50: round(pct(sorted, 50)),
      p90: round(pct(sorted, 90)),
      p99: round(pct(sorted, 99)),
      max: round(sorted.length === 0 ? null : sorted[sorted.length - 1]),
      mean: round(sorted.length === 0 ? null : sorted.reduce((a, v) => a + v, 0) / sorted.length),
    };
  };
  const timeouts = result.timeouts;
  const status2xx = Object.entries(statuses).reduce((a, [s, c]) => a + (Number(s) < 300 && Number(s) >= 200 ? c : 0), 0);
  const non2xxByStatus = Object.fromEntries(Object.entries(statuses).filter(([s]) => Number(s) < 200 || Number(s) >= 300));
  const out = {
    amount: config.amount,
    responses: n,
    status2xx,
    non2xxByStatus,
    status5xx,
    unexpected,
    unexpectedByKind,
    socketErrors,
    timeouts,
    // A request whose connection closed under it gets neither a response nor an error event.
    lost: Math.max(0, config.amount - n - socketErrors - timeouts),
    errorSamples: [...errorSamples],
    seconds: round(seconds, 2),
    rps: round(n / seconds, 0),
    latencyMs: summary(latencies.subarray(0, n)),
    latency2xxMs: summary(ok.subarray(0, nOk)),
    byKind: Object.fromEntries(
      Object.entries(byKind).map(([kind, k]) => {
        const s = summary(k.latencies);
        return [kind, { n: k.n, statuses: k.statuses, p50: s.p50, p99: s.p99 }];
      }),
    ),
    autocannon: { requestsSent: result.requests?.sent ?? null, non2xx: result.non2xx, errors: result.errors, resets: result.resets },
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
