import { formatTable } from '../table.js';
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { RECORDING_FORMATS, RECORDING_STATUSES, SERVICE_TYPES } from '../../domain/constants.js';
import { exportRecordings, ExportStateError, type TextStream } from '../../client/export/resumable-export.js';
import { STREAM_FORMATS, type StreamFormat } from '../../client/export/output-format.js';
import { ConnectionError, RecvaultClient, RecvaultError, type FetchLike, type ListRecordingsParams, type RecordingItem, type RecordingPage, type RetryOptions } from '../../client/index.js';
import { CliError, parsePositiveInt } from '../cli-error.js';

/** Where a command reads and writes; tests pass their own (captured output, a fetch wrapper, no waiting). */
export interface CliIo {
  readonly stdout: TextStream;
  readonly stderr: { write(chunk: string): unknown; readonly isTTY?: boolean };
  readonly stdin: AsyncIterable<string | Uint8Array>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch?: FetchLike;
  readonly retry?: RetryOptions;
  /** Ctrl-C handling; default: the process's SIGINT. */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

export function processIo(): CliIo {
  // `recvault recordings list … | head`: the reader leaving is a normal end, not a crash.
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onInterrupt: (handler) => {
      process.once('SIGINT', handler);
      return () => process.removeListener('SIGINT', handler);
    },
  };
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';
const DEFAULT_LIMIT = 100;

interface ConnectionFlags {
  url?: string;
  token?: string;
  maxRetries?: string;
}

/** `--url`, `--token` and `--max-retries`, shared by every command that calls the API. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option('--url <url>', `server base URL (env RECVAULT_URL, default ${DEFAULT_BASE_URL})`)
    .option('--token <token>', 'bearer token (env RECVAULT_TOKEN; the variable keeps it out of the process list)')
    .option('--max-retries <n>', 'retries on 429/503/5xx and network errors (default 4)');
}

export function clientFrom(flags: ConnectionFlags, io: CliIo, timezone?: string): RecvaultClient {
  const baseUrl = flags.url ?? io.env['RECVAULT_URL'] ?? DEFAULT_BASE_URL;
  const token = flags.token ?? io.env['RECVAULT_TOKEN'];
  if (token === undefined || token === '') throw new CliError('no token: pass --token or set RECVAULT_TOKEN', 2);
  try {
    if (!/^https?:$/.test(new URL(baseUrl).protocol)) throw new Error('not http(s)');
  } catch {
    throw new CliError(`--url must be an http(s) URL, got ${JSON.stringify(baseUrl)}`, 2);
  }
  const maxRetries = flags.maxRetries === undefined ? undefined : parseNonNegativeInt('--max-retries', flags.maxRetries);
  const retry: RetryOptions = { ...io.retry, ...(maxRetries === undefined ? {} : { maxRetries }) };
  try {
    return newClient(baseUrl, token, retry, io, timezone);
  } catch (error) {
    // The SDK refuses a malformed token or zone up front (without quoting the token): a usage error.
    if (error instanceof TypeError) {
      throw new CliError(error.message.replace(/^token/, 'the token (--token or RECVAULT_TOKEN)').replace(/^timezone/, '--timezone'), 2);
    }
    throw error;
  }
}

function newClient(baseUrl: string, token: string, retry: RetryOptions, io: CliIo, timezone: string | undefined): RecvaultClient {
  return new RecvaultClient({
    baseUrl,
    token,
    retry,
    ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
    ...(timezone === undefined ? {} : { timezone }),
    onRetry: (event) => {
      const status = event.error.status === 0 ? '' : ` (HTTP ${event.error.status})`;
      io.stderr.write(`${io.stderr.isTTY === true ? '\r\x1b[2K' : ''}recvault: ${oneLine(event.error.message)}${status}; retry ${event.retry} in ${(event.delayMs / 1000).toFixed(1)} s\n`);
    },
  });
}

/**
 * Maps SDK errors to one line and an exit code: 2 usage (400), 3 auth (401/403), 4 not found,
 * 5 server or network (5xx, 429 after retries, no connection), 1 anything else (409, …),
 * 130 interrupted. Unknown errors are bugs and are re-thrown. `hint` follows interruptions and
 * failures worth retrying (exit 5), or every failure with `hintOnEveryStatus`.
 */
export function toCliError(error: unknown, hint = '', hintOnEveryStatus = false): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ExportStateError) return new CliError(error.message, 2);
  if (isAbort(error)) return new CliError(`interrupted${hint}`, 130);
  if (error instanceof ConnectionError) return new CliError(`${oneLine(error.message)}${hint}`, 5);
  if (error instanceof RecvaultError) {
    const s = error.status;
    const code = s === 400 ? 2 : s === 401 || s === 403 ? 3 : s === 404 ? 4 : s >= 500 || s === 429 || s < 300 ? 5 : 1;
    const tracking = error.trackingId === null ? '' : `, trackingId ${error.trackingId}`;
    return new CliError(`${oneLine(error.message)} (HTTP ${s}${tracking})${code === 5 || hintOnEveryStatus ? hint : ''}`, code);
  }
  throw error;
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function oneLine(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 500);
}

function parseNonNegativeInt(name: string, value: string): number {
  if (!/^\d{1,4}$/.test(value)) throw new CliError(`${name} must be a whole number from 0 to 9999, got ${JSON.stringify(value)}`, 2);
  return Number(value);
}

/** Ids from arguments, or from stdin (whitespace- or comma-separated) when the only argument is `-`. */
export async function readIds(args: readonly string[], io: CliIo): Promise<string[]> {
  let words = args;
  if (args.length === 1 && args[0] === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    words = Buffer.concat(chunks).toString('utf8').split(/[\s,]+/);
  } else if (args.includes('-')) {
    throw new CliError('"-" (ids from stdin) must be the only id argument', 2);
  }
  return words.map((w) => w.trim()).filter((w) => w !== '');
}

interface ListFlags extends ConnectionFlags {
  siteUrl?: string;
  meetingId?: string;
  integrationTag?: string;
  topic?: string;
  recordingFormat?: ListRecordingsParams['format'];
  serviceType?: ListRecordingsParams['serviceType'];
  status?: ListRecordingsParams['status'];
  from?: string;
  to?: string;
  timezone?: string;
  all?: boolean;
  limit?: string;
  pageSize: string;
  format?: string;
  out?: string;
  resume?: string;
  progress: boolean;
}

/**
 * `recvault recordings list|get|delete|restore|purge`, built on the SDK.
 *
 * @example
 * // in src/cli/main.ts: program.addCommand(recordingsCommand());
 * // in a test: await recordingsCommand(testIo).parseAsync(['node', 'recvault', 'list', '--all', '--format', 'ndjson']);
 */
export function recordingsCommand(io: CliIo = processIo()): Command {
  const recordings = new Command('recordings')
    .description('List, export, inspect and recycle recordings through the API (any recvault or Webex-compatible server).')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });

  withConnectionOptions(
    recordings
      .command('list')
      .description(
        'List or export recordings, newest first. Any --from/--to span works (split into 30-day requests). ' +
          '--format is the OUTPUT format; the recording format filter is --recording-format.',
      )
      .option('--site-url <site>', 'site (default: your preferred site)')
      .option('--meeting-id <id>', 'meeting series, scheduled meeting or instance id (ignores --site-url/--from/--to)')
      .option('--integration-tag <tag>', 'recordings carrying this integration tag')
      .option('--topic <topic>', 'whole topic, case-insensitive')
      .addOption(new Option('--recording-format <format>', 'recording format filter').choices(RECORDING_FORMATS))
      .addOption(new Option('--service-type <type>', 'service type filter').choices(SERVICE_TYPES))
      .addOption(new Option('--status <status>', 'available (default), deleted or purged').choices(RECORDING_STATUSES))
      .option('--from <date>', 'inclusive start, ISO 8601 (server default: 7 days before --to)')
      .option('--to <date>', 'exclusive end, ISO 8601 (server default: now, or 7 days after --from)')
      .option('--timezone <zone>', 'IANA zone for reading dates and rendering times (default UTC)')
      .option('--all', 'every matching recording')
      .option('--limit <n>', `at most N recordings (default ${DEFAULT_LIMIT} unless --all)`)
      .option('--page-size <n>', 'recordings per request, 1..100', '100')
      .option('--format <format>', 'output: table, json, ndjson or csv (default: table on stdout; with --out, from its extension, else ndjson)')
      .option('--out <file>', 'write to FILE instead of stdout')
      .option('--resume <stateFile>', 'resumable export: progress is saved to stateFile after every page; rerun the same command to continue')
      .option('--no-progress', 'no live progress line on stderr (shown only when stderr is a terminal)'),
  ).action(async (flags: ListFlags) => listAction(flags, io));

  withConnectionOptions(
    recordings
      .command('get')
      .description('Print one recording as JSON.')
      .argument('<id>', 'recording id')
      .option('--timezone <zone>', 'IANA zone for rendering times'),
  ).action(async (id: string, flags: ConnectionFlags & { timezone?: string }) => {
    try {
      const item = await clientFrom(flags, io, flags.timezone).recordings.get(id);
      io.stdout.write(`${JSON.stringify(item, null, 2)}\n`);
    } catch (error) {
      throw toCliError(error);
    }
  });

  const lifecycle = (name: 'delete' | 'restore' | 'purge', description: string) =>
    withConnectionOptions(
      recordings
        .command(name)
        .description(description)
        .argument(name === 'delete' ? '<ids...>' : '[ids...]', 'recording ids, or "-" to read them from stdin')
        .option('--site-url <site>', 'site of the recordings (default: your preferred site)')
        .option('--host-email <email>', "admins: act on this host's recordings only"),
    );
  lifecycle('delete', 'Move recordings to the recycle bin (batches of 100). With --admin, delete them as an admin instead (final for admins).')
    .option('--admin', 'admin delete, one request per id')
    .action(async (args: string[], flags: LifecycleFlags & { admin?: boolean }) => lifecycleAction('softDelete', args, flags, io));
  lifecycle('restore', 'Restore recordings from the recycle bin (batches of 100), or all of it with --all.')
    .option('--all', 'restore everything in the recycle bin of the site (and host)')
    .action(async (args: string[], flags: LifecycleFlags) => lifecycleAction('restore', args, flags, io));
  lifecycle('purge', 'Purge recordings from the recycle bin (batches of 100), or all of it with --all.')
    .option('--all', 'purge everything in the recycle bin of the site (and host)')
    .action(async (args: string[], flags: LifecycleFlags) => lifecycleAction('purge', args, flags, io));
  return recordings;
}

interface LifecycleFlags extends ConnectionFlags {
  siteUrl?: string;
  hostEmail?: string;
  all?: boolean;
  admin?: boolean;
}

const DONE = { softDelete: 'moved to the recycle bin', restore: 'restored', purge: 'purged' } as const;

async function lifecycleAction(action: 'softDelete' | 'restore' | 'purge', args: string[], flags: LifecycleFlags, io: CliIo): Promise<void> {
  const ids = await readIds(args, io);
  if (flags.all === true && ids.length > 0) throw new CliError('give either ids or --all, not both', 2);
  if (flags.all !== true && ids.length === 0) throw new CliError('no recording ids given', 2);
  const client = clientFrom(flags, io);
  const target = { ...(flags.siteUrl === undefined ? {} : { siteUrl: flags.siteUrl }), ...(flags.hostEmail === undefined ? {} : { hostEmail: flags.hostEmail }) };
  let done = 0;
  try {
    if (flags.all === true) {
      await (action === 'restore' ? client.recordings.restoreAll(target) : client.recordings.purgeAll(target));
      io.stderr.write(`${action === 'restore' ? 'restored' : 'purged'} everything in the recycle bin\n`);
    } else if (flags.admin === true) {
      for (const id of new Set(ids)) {
        await client.recordings.adminDelete(id);
        done++;
      }
      io.stderr.write(`deleted ${done} recording${done === 1 ? '' : 's'} as an admin\n`);
    } else {
      const result = await client.recordings[action](ids, { ...target, onBatch: (n) => (done = n) });
      io.stderr.write(`${result.ids} recording${result.ids === 1 ? '' : 's'} ${DONE[action]} (${result.requests} request${result.requests === 1 ? '' : 's'})\n`);
    }
  } catch (error) {
    // Batches before the failing one stay applied whatever the failure, so the count is always given.
    throw toCliError(error, done > 0 ? `; ${done} of ${new Set(ids).size} were done before the failure` : '', true);
  }
}

function outputFormat(flags: ListFlags): StreamFormat | 'table' {
  const chosen = flags.format ?? (flags.out === undefined ? 'table' : (/\.(csv|json|ndjson)$/i.exec(flags.out)?.[1]?.toLowerCase() ?? 'ndjson'));
  if (chosen !== 'table' && !(STREAM_FORMATS as readonly string[]).includes(chosen)) {
    throw new CliError(`--format must be table, json, ndjson or csv, got ${JSON.stringify(chosen)}`, 2);
  }
  return chosen as StreamFormat | 'table';
}

async function listAction(flags: ListFlags, io: CliIo): Promise<void> {
  if (flags.all === true && flags.limit !== undefined) throw new CliError('give either --all or --limit, not both', 2);
  const limit = flags.all === true ? Infinity : flags.limit === undefined ? DEFAULT_LIMIT : parsePositiveInt('--limit', flags.limit);
  const format = outputFormat(flags);
  if (flags.resume !== undefined && flags.out === undefined) throw new CliError('--resume needs --out FILE (the export is appended to it)', 2);
  if (flags.resume !== undefined && format === 'table') throw new CliError('--resume works with --format json, ndjson or csv', 2);
  const params: ListRecordingsParams = {
    max: parsePositiveInt('--page-size', flags.pageSize, 100),
    ...definedOnly({
      from: flags.from,
      to: flags.to,
      siteUrl: flags.siteUrl,
      meetingId: flags.meetingId,
      integrationTag: flags.integrationTag,
      topic: flags.topic,
      format: flags.recordingFormat,
      serviceType: flags.serviceType,
      status: flags.status,
      timezone: flags.timezone,
    }),
  };
  const client = clientFrom(flags, io, flags.timezone);
  const progress = progressLine(io, flags.progress);
  const controller = new AbortController();
  const stopListening = io.onInterrupt?.(() => controller.abort(Object.assign(new Error('interrupted'), { name: 'AbortError' }))) ?? (() => undefined);
  let items = 0;
  try {
    if (format === 'table') {
      const rows = await collect(client, params, limit, controller.signal, progress.update);
      items = rows.items.length;
      progress.done();
      const text = renderTable(rows.items);
      if (flags.out === undefined) io.stdout.write(text);
      else writeFileSync(flags.out, text);
      if (rows.truncated) io.stderr.write(`recvault: showing the first ${items}; more may follow (use --all or --limit N)\n`);
      return;
    }
    const target = flags.out === undefined ? { stream: io.stdout } : { file: flags.out, stateFile: flags.resume };
    const result = await exportRecordings({
      recordings: client.recordings,
      params,
      format,
      target,
      limit,
      signal: controller.signal,
      onPage: (p) => {
        items = p.items;
        progress.update(p.items, p.pages, p.window);
      },
    });
    progress.done();
    if (result.alreadyComplete) {
      io.stderr.write(`recvault: this export is already complete (${result.items} recordings in ${flags.out}); delete ${flags.resume} to start over\n`);
    } else if (flags.out !== undefined) {
      io.stderr.write(`wrote ${result.items} recording${result.items === 1 ? '' : 's'} to ${flags.out}${result.resumed ? ' (resumed)' : ''}\n`);
    }
    if (result.truncated) io.stderr.write(`recvault: stopped at ${result.items}; more may follow (use --all or --limit N)\n`);
  } catch (error) {
    progress.done();
    const hint =
      flags.resume !== undefined
        ? ` after ${items} recordings; progress is saved in ${flags.resume}: rerun the same command to resume`
        : items > 0
          ? ` after ${items} recordings (use --out FILE --resume STATE to make an export resumable)`
          : '';
    throw toCliError(error, hint);
  } finally {
    stopListening();
  }
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function collect(
  client: RecvaultClient,
  params: ListRecordingsParams,
  limit: number,
  signal: AbortSignal,
  onPage: (items: number, pages: number, window: RecordingPage['window']) => void,
): Promise<{ items: RecordingItem[]; truncated: boolean }> {
  const items: RecordingItem[] = [];
  let pages = 0;
  for await (const page of client.recordings.pages(params, { signal })) {
    pages++;
    const room = limit - items.length;
    items.push(...page.items.slice(0, room));
    onPage(items.length, pages, page.window);
    if (items.length >= limit) {
      return { items, truncated: page.items.length > room || page.next !== null || page.window.index < page.window.count - 1 };
    }
  }
  return { items, truncated: false };
}

const TABLE_COLUMNS: readonly [string, (r: RecordingItem) => string][] = [
  ['CREATED', (r) => r.createTime],
  ['ID', (r) => r.id],
  ['FORMAT', (r) => r.format],
  ['STATUS', (r) => r.status],
  ['DURATION', (r) => formatDuration(r.durationSeconds)],
  ['SITE', (r) => r.siteUrl],
  ['HOST', (r) => r.hostEmail],
  ['TOPIC', (r) => r.topic],
];

export function renderTable(items: readonly RecordingItem[]): string {
  if (items.length === 0) return 'no recordings\n';
  const rows = items.map((item) => TABLE_COLUMNS.map(([, cell]) => oneLine(cell(item))));
  return formatTable(TABLE_COLUMNS.map(([h]) => h), rows);
}


function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}

/** A single self-overwriting status line on stderr, only on a terminal, at most ten times a second. */
function progressLine(io: CliIo, wanted: boolean): { update(items: number, pages: number, window: RecordingPage['window']): void; done(): void } {
  if (!wanted || io.stderr.isTTY !== true) return { update: () => undefined, done: () => undefined };
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(items, pages, window) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      const rate = Math.round(items / Math.max(0.001, (now - started) / 1000));
      const span = window.from === null && window.to === null ? '' : ` ${(window.from ?? '…').slice(0, 10)} → ${(window.to ?? '…').slice(0, 10)}`;
      io.stderr.write(`\r\x1b[2K${items} recordings · ${pages} pages · ${rate}/s · window ${window.index + 1}/${window.count}${span}`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
