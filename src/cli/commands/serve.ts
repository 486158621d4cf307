import cluster from 'node:cluster';
import { Command } from 'commander';
import { openCliStore, withStoreOptions, type StoreCliOptions } from '../store-options.js';
import { superviseWorkers } from '../../cluster/supervise-workers.js';
import { DEMO_PEOPLE } from '../../demo/demo-people.js';
import type { DemoToken } from '../../demo/seed-demo.js';
import { SCOPES } from '../../domain/constants.js';
import { installFaultInjection, parseFaultSpec, type FaultSpec } from '../../http/fault-injection.js';
import { DEFAULT_RATE_LIMIT, parseRedisUrl, type RateLimitConfig } from '../../http/rate-limit-config.js';
import { cursorSecret } from '../../store/open-store.js';
import { CliError, parsePositiveInt, parseWholeNumber } from '../cli-error.js';

interface ServeOptions extends StoreCliOptions {
  port: string;
  host: string;
  publicUrl?: string;
  demo?: boolean;
  logLevel: string;
  faults?: string;
  faultLatency?: string;
  rateLimit: string;
  redisUrl?: string;
  metrics: boolean;
  workers: string;
  drainDelay: string;
}

/** Most worker processes `--workers` accepts; more than the machine's cores only adds contention. */
const MAX_WORKERS = 64;
/** pino's levels; anything else made pino throw a stack trace at start-up. */
const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** Why `listen` failed, for the failures that are the operator's to fix (others are bugs and keep their stack). */
const LISTEN_FAILURES: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is in use (another server?): stop it or pass --port',
  EACCES: 'permission denied: use a port above 1023',
  EADDRNOTAVAIL: 'no such address on this machine: check --host',
  ENOTFOUND: 'the host name does not resolve: check --host',
  EAI_AGAIN: 'the host name could not be resolved just now: check --host and DNS',
};

export function serveCommand(): Command {
  return withStoreOptions(new Command('serve')
    .description('Serve the API (and docs) over HTTP.')
    .option('--port <port>', 'TCP port (env PORT)', process.env['PORT'] ?? '8080')
    .option('--host <host>', 'interface to listen on (env HOST)', process.env['HOST'] ?? '127.0.0.1')
    .option('--public-url <url>', 'base URL for absolute links, e.g. https://recordings.example.com (env RECVAULT_PUBLIC_URL)', process.env['RECVAULT_PUBLIC_URL'])
    .option('--demo', 'seed the demo organization when the database is empty and print its tokens')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')} (env LOG_LEVEL)`, process.env['LOG_LEVEL'] ?? 'info')
    .option('--rate-limit <perMinute>', 'requests per minute per token; 0 turns the limit off (env RECVAULT_RATE_LIMIT)', process.env['RECVAULT_RATE_LIMIT'] ?? String(DEFAULT_RATE_LIMIT.max))
    .option('--redis-url <url>', 'Redis that shares rate limits across instances, e.g. redis://127.0.0.1:6379 (env REDIS_URL; default: each instance counts alone)', process.env['REDIS_URL'] || undefined)
    .option('--no-metrics', 'do not serve Prometheus metrics at /metrics (served by default to loopback clients, or to anyone with RECVAULT_METRICS_TOKEN)')
    .option('--faults <spec>', 'inject API failures for client testing, e.g. 429:0.05,503:0.01 (env RECVAULT_FAULTS; off by default)', process.env['RECVAULT_FAULTS'])
    .option('--fault-latency <range>', 'random extra latency on /v1/ requests, e.g. 0-200ms (env RECVAULT_FAULT_LATENCY)', process.env['RECVAULT_FAULT_LATENCY'])
    .option('--drain-delay <ms>', 'on SIGTERM, report not ready at /readyz for this long before closing the port (env RECVAULT_DRAIN_DELAY_MS)', process.env['RECVAULT_DRAIN_DELAY_MS'] ?? '0')
    .option('--workers <n>', 'processes serving requests (node:cluster), sharing the port and the SQLite file; the rate limit is per process (env RECVAULT_WORKERS)', process.env['RECVAULT_WORKERS'] ?? '1')
    .action(async (opts: ServeOptions) => {
      const port = parsePositiveInt('--port', opts.port, 65_535);
      const workers = parsePositiveInt('--workers', opts.workers, MAX_WORKERS);
      const drainDelayMs = parseWholeNumber('--drain-delay (env RECVAULT_DRAIN_DELAY_MS)', opts.drainDelay, 0, 600_000);
      if (!LOG_LEVELS.includes(opts.logLevel)) {
        throw new CliError(`--log-level (env LOG_LEVEL) must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(opts.logLevel)}`, 2);
      }
      const rateLimit = rateLimitFrom(opts.rateLimit, opts.redisUrl);
      const publicUrl = publicUrlFrom(opts.publicUrl);
      let faults: FaultSpec | undefined;
      if (opts.faults !== undefined || opts.faultLatency !== undefined) {
        try {
          faults = parseFaultSpec(opts.faults ?? '', opts.faultLatency);
        } catch (error) {
          throw new CliError(`--faults: ${(error as Error).message}`, 2);
        }
      }
      // The HTTP stack is loaded once the options are known to be good, and only by this
      // command, so that the others start quickly.
      const [{ buildApp }, { findConsoleDir }, { listen }] = await Promise.all([
        import('../../http/app.js'),
        import('../../http/console.js'),
        import('../../server.js'),
      ]);
      // A cluster worker only serves: the primary has migrated, seeded and printed already.
      const isWorker = cluster.isWorker;
      const store = await openCliStore(opts);
      let demoTokens: DemoToken[] | null = null;
      if (opts.demo === true && !isWorker) {
        process.stderr.write('checking for demo data…\n');
        const { seedDemo } = await import('../../demo/seed-demo.js');
        demoTokens = await seedDemo(store, Date.now());
      }
      // Without a single token every request is a 401: say so, and how to make one.
      const noTokens = demoTokens === null && !isWorker && (await store.listTokens()).length === 0;
      const people = noTokens ? peopleSample([...(await store.knownEntities()).emails.keys()]) : null;
      const consoleDir = findConsoleDir() ?? undefined;
      if (workers > 1 && !isWorker) {
        // Created once here, so every worker signs and accepts the same cursors.
        await cursorSecret(store);
        await store.close();
        // JSON lines on stdout like the workers' own logs, so one collector reads both.
        const { pino } = await import('pino');
        const log = pino({ level: opts.logLevel, base: { pid: process.pid, role: 'supervisor' } });
        const listening = await superviseWorkers({ workers, drainMs: drainDelayMs + 15_000, log }).catch((error: unknown) => {
          throw new CliError(`${(error as Error).message} (its error is above)`, 1);
        });
        announce(opts, { port: listening.port, workers, publicUrl, demoTokens, noTokens, people, faults, consoleServed: consoleDir !== undefined });
        return;
      }
      const app = await buildApp({
        store,
        now: Date.now,
        config: {
          publicUrl,
          cursorSecret: await cursorSecret(store),
          logger: { level: opts.logLevel, redact: ['req.headers.authorization'] },
          rateLimit,
          metrics: opts.metrics ? { token: process.env['RECVAULT_METRICS_TOKEN'] } : false,
          consoleDir,
        },
      });
      if (faults !== undefined) installFaultInjection(app, faults);
      try {
        await listen(app, opts.host, port, () => store.close(), { drainDelayMs });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === undefined ? undefined : LISTEN_FAILURES[code];
        if (why === undefined) throw error;
        await app.close();
        await store.close();
        throw new CliError(`cannot listen on ${opts.host}:${port}: ${why}`, 1);
      }
      if (!isWorker) announce(opts, { port, workers: 1, publicUrl, demoTokens, noTokens, people, faults, consoleServed: consoleDir !== undefined });
    }));
}

/** What the server found and did at start, for the operator's banner. */
interface StartState {
  readonly port: number;
  readonly workers: number;
  /** `--public-url` as checked by `publicUrlFrom`. */
  readonly publicUrl: string | undefined;
  /** Tokens of a demo organization seeded just now (secrets shown once), else null. */
  readonly demoTokens: DemoToken[] | null;
  /** The database holds no token at all. */
  readonly noTokens: boolean;
  /** When there is no token: how many people the catalogue has and one to name in an example. */
  readonly people: PeopleSample | null;
  readonly faults: FaultSpec | undefined;
  readonly consoleServed: boolean;
}

/** What the operator sees once the server listens, printed by one process only. */
function announce(opts: ServeOptions, state: StartState): void {
  if (state.faults !== undefined) {
    const parts = [opts.faults, opts.faultLatency === undefined ? undefined : `latency ${opts.faultLatency}`].filter((p) => p !== undefined && p !== '');
    process.stderr.write(`fault injection ON: ${parts.join(', ')}\n`);
  }
  const local = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${state.port}`;
  const base = state.publicUrl ?? local;
  process.stderr.write(banner(base, opts.demo === true, storeFlags(opts), state));
  if (state.publicUrl !== undefined) process.stderr.write(`(listening on ${local}; links use the public URL)\n`);
  if (state.publicUrl === undefined && !['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
    process.stderr.write(
      'warning: listening beyond loopback without --public-url: Link headers will be built from each request\'s Host header; set --public-url to pin them.\n',
    );
  }
}

/**
 * The flags that name this server's database, for commands it prints: pasted without them, a
 * command would act on the default file instead. A URL is not echoed (it may hold a password).
 */
function storeFlags(opts: ServeOptions): string {
  if (opts.databaseUrl !== undefined) return ' --database-url <the URL given to serve>';
  if (opts.db === undefined) return '';
  return ` --db ${/^[\w./-]+$/.test(opts.db) ? opts.db : `'${opts.db.replace(/'/g, "'\\''")}'`}`;
}

/**
 * `--public-url`: an absolute http(s) URL, optionally with a path prefix. What is kept is the
 * parsed URL's own text (stray whitespace from an env file dropped, the path percent-encoded),
 * since it goes into every `Link` header, without trailing slashes because links and the banner
 * append `/v1/…` and `/docs` to it. Empty means unset.
 */
function publicUrlFrom(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const usage = () => new CliError(`--public-url must be an absolute http:// or https:// URL without query, fragment or credentials, got ${JSON.stringify(value)}`, 2);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usage();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw usage();
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function rateLimitFrom(value: string, redisUrl: string | undefined): RateLimitConfig | false {
  const max = parseWholeNumber('--rate-limit (env RECVAULT_RATE_LIMIT)', value, 0, 100_000_000);
  if (max === 0) return false;
  if (redisUrl !== undefined) {
    try {
      parseRedisUrl(redisUrl);
    } catch (error) {
      throw new CliError(`--redis-url: ${(error as Error).message}`, 2);
    }
  }
  return { max, windowMs: DEFAULT_RATE_LIMIT.windowMs, redisUrl };
}

interface PeopleSample {
  readonly count: number;
  readonly example: string | null;
}

/** The first email in order, so the example is the same on every start. */
function peopleSample(emails: readonly string[]): PeopleSample {
  let example: string | null = null;
  for (const email of emails) if (example === null || email < example) example = email;
  return { count: emails.length, example };
}

function banner(base: string, demo: boolean, store: string, state: StartState): string {
  const { workers, demoTokens: tokens, noTokens, people, consoleServed } = state;
  const processes = workers > 1 ? ` with ${workers} worker processes` : '';
  const lines = ['', `recvault is serving on ${base}${processes}  (API reference: ${base}/docs, OpenAPI: ${base}/openapi.json)`];
  lines.push(
    consoleServed
      ? `Web console: ${base}/  (sign in by pasting a token)`
      : 'Web console: not built (run npm run build); serving the API only.',
  );
  if (tokens !== null) {
    lines.push('', 'Seeded the demo organization. Tokens (shown only now; only their hashes are stored):');
    for (const t of tokens) lines.push(`  ${t.role.padEnd(70)} ${t.email}`, `    ${t.secret}`);
    const admin = tokens[0];
    if (admin !== undefined) {
      lines.push('', 'Try it:', `  curl -i -H "Authorization: Bearer ${admin.secret}" "${base}/v1/admin/recordings"`);
    }
  } else if (demo) {
    // The demo's own admin and compliance officer, with the scopes their first tokens had.
    lines.push('', 'Using the existing data. Token secrets are not stored, so create a new one when needed, e.g.:');
    for (const { person, scopes } of DEMO_PEOPLE.slice(0, 2)) lines.push(`  bin/recvault tokens create${store} --person ${person.email} --scopes ${scopes.join(',')}`);
  }
  if (noTokens) {
    const complianceScopes = [SCOPES.complianceRead, SCOPES.adminPreferencesRead].join(',');
    lines.push('', 'No API tokens exist yet, so every request gets 401.');
    if (people !== null && people.example !== null) {
      lines.push(
        `Create one for a person of this catalogue (it has ${people.count} ${people.count === 1 ? 'person' : 'people'}); the scopes make the role.`,
        'For example, read access to the whole organization as a compliance officer:',
        `  bin/recvault tokens create${store} --person ${people.example} --scopes ${complianceScopes}`,
      );
    } else {
      lines.push(
        `Import your orgs, sites and people (bin/recvault import FILE.json${store}), then create a token, e.g.:`,
        `  bin/recvault tokens create${store} --person EMAIL --scopes ${complianceScopes}`,
        'or, on an empty database, start with --demo for a sample organization and its tokens.',
      );
    }
  }
  return `${lines.join('\n')}\n\n`;
}
