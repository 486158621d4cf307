import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingsCommand } from '../../src/cli/commands/recordings.js';
import { RECORDING_CSV_COLUMNS } from '../../src/client/export/csv.js';
import { RecvaultClient, type RecordingItem } from '../../src/client/index.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { importFile } from '../../src/ingest/import-file.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { baseDocument, NOW, TOKENS, type RecordingSpec } from '../helpers/fixture.js';
import { parseCsvStrict, runCli, type HarnessOptions } from './cli-harness.js';
import { expectedIds, startLiveServer, YEAR_FROM, YEAR_TO, yearFixture, type LiveServer } from './helpers.js';

const TRICKY_TOPICS = [
  'He said "hello", then left',
  'Budget, Q3, final',
  'line one\nline two',
  'windows\r\nline end',
  'Réunion d’équipe — Ünïcødé 日本語 🎥',
  '"quoted" at both ends"',
  ' leading and trailing ',
  'plain',
];
const FIXTURE: RecordingSpec[] = [
  ...yearFixture(),
  ...TRICKY_TOPICS.map((topic, i) => ({
    id: `tricky-${i}`,
    createTime: `2020-12-0${i + 1}T10:00:00Z`,
    topic,
    integrationTags: i === 0 ? ['JIRA-1', 'ZD, 9'] : [],
    preventDownload: i === 1,
  })),
];
const YEAR = ['--from', '2020-03-17T00:00:00Z', '--to', '2021-03-17T00:00:00Z'];
const WANT = expectedIds(FIXTURE, YEAR_FROM, YEAR_TO);

let server: LiveServer;
let dir: string;
beforeAll(async () => {
  server = await startLiveServer(FIXTURE);
  dir = mkdtempSync(join(tmpdir(), 'recvault-client-cli-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const list = (args: string[], options: Partial<HarnessOptions> = {}) =>
  runCli(recordingsCommand, ['list', ...args], { url: server.url, token: TOKENS.adminAll, ...options });

const ndjsonIds = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as RecordingItem).id);

describe('recvault recordings list', () => {
  it('exports a whole year as NDJSON with --all (13 windows, exact ids)', async () => {
    const res = await list([...YEAR, '--all', '--format', 'ndjson']);
    expect(res.code, res.stderr).toBe(0);
    expect(ndjsonIds(res.stdout)).toEqual(WANT);
  });

  it('an NDJSON export imports back into another catalogue as listed, prevent-download included', async () => {
    const res = await list([...YEAR, '--all', '--format', 'ndjson']);
    expect(res.code, res.stderr).toBe(0);
    const file = join(dir, 'round-trip.ndjson');
    writeFileSync(file, res.stdout);
    const exported = res.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as RecordingItem);
    const copy = SqliteStore.open(join(dir, 'round-trip.db'));
    try {
      await copy.importDataset(parseImportDocument({ ...baseDocument([]), tokens: [] }, await copy.knownEntities(), NOW));
      expect((await importFile(copy, file, NOW)).recordings).toBe(WANT.length);
      const prevented = exported.filter((item) => item.downloadUrl === undefined).map((item) => item.id);
      expect(prevented).toEqual(['tricky-1']);
      for (const item of exported) {
        const back = await copy.getRecording('acme', item.id);
        expect(back?.preventDownload, item.id).toBe(item.id === 'tricky-1');
        expect(back?.downloadUrl, item.id).toBe(item.downloadUrl ?? '');
        expect(back?.topic, item.id).toBe(item.topic);
      }
    } finally {
      await copy.close();
    }
  });

  it('writes a JSON array, honours --limit and says when it stopped early', async () => {
    const res = await list([...YEAR, '--limit', '7', '--format', 'json']);
    expect(res.code).toBe(0);
    expect((JSON.parse(res.stdout) as RecordingItem[]).map((i) => i.id)).toEqual(WANT.slice(0, 7));
    expect(res.stderr).toMatch(/stopped at 7; more may follow/);
    const empty = await list(['--from', '2019-01-01', '--to', '2019-01-02', '--format', 'json']);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  });

  it('prints a table (default 100 rows) and a filtered table', async () => {
    const res = await list(YEAR);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CREATED\s+ID\s+FORMAT\s+STATUS\s+DURATION\s+SITE\s+HOST\s+TOPIC$/);
    expect(lines).toHaveLength(101);
    expect(res.stderr).toMatch(/showing the first 100/);
    const one = await list([...YEAR, '--topic', 'line one\nline two']);
    expect(one.stdout.split('\n')[1]).toMatch(/tricky-2 .* line one line two$/);
  });

  it('passes every filter through (server-side validation still applies)', async () => {
    const res = await list([...YEAR, '--site-url', 'b.example.com', '--recording-format', 'MP4', '--service-type', 'MeetingCenter', '--status', 'available', '--all', '--format', 'ndjson']);
    expect(res.code, res.stderr).toBe(0);
    expect(ndjsonIds(res.stdout)).toEqual(expectedIds(FIXTURE, YEAR_FROM, YEAR_TO, 'b.example.com'));
    const tagged = await list([...YEAR, '--integration-tag', 'ZD, 9', '--format', 'ndjson']);
    expect(ndjsonIds(tagged.stdout)).toEqual(['tricky-0']);
    const byMeeting = await list(['--meeting-id', 'inst-tricky-3', '--format', 'ndjson']);
    expect(ndjsonIds(byMeeting.stdout)).toEqual(['tricky-3']);
  });

  it('writes valid RFC 4180 CSV: quotes, commas, CR/LF and non-ASCII survive a strict parse', async () => {
    const out = join(dir, 'tricky.csv');
    const res = await list(['--from', '2020-12-01', '--to', '2020-12-10', '--all', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsvStrict(text);
    expect(records[0]).toEqual([...RECORDING_CSV_COLUMNS]);
    expect(records.every((r) => r.length === RECORDING_CSV_COLUMNS.length)).toBe(true);
    const client = new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminAll });
    const items = await client.recordings.list({ from: '2020-12-01', to: '2020-12-10' }).toArray({ limit: 100 });
    expect(records.length - 1).toBe(items.length);
    records.slice(1).forEach((record, i) => {
      const item = items[i] as RecordingItem;
      const row = Object.fromEntries(RECORDING_CSV_COLUMNS.map((c, k) => [c, record[k]]));
      expect(row['id']).toBe(item.id);
      expect(row['topic']).toBe(item.topic);
      expect(row['downloadUrl']).toBe(item.downloadUrl ?? '');
      expect(row['integrationTags']).toBe((item.integrationTags ?? []).join(';'));
      expect(Number(row['sizeBytes'])).toBe(item.sizeBytes);
    });
    const topics = records.slice(1).map((r) => r[4]);
    for (const topic of TRICKY_TOPICS) expect(topics).toContain(topic);
    // UTF-8 bytes on disk, no escaping of non-ASCII.
    expect(readFileSync(out).includes(Buffer.from('日本語 🎥', 'utf8'))).toBe(true);
  });

  it('shows a live progress line only when stderr is a terminal', async () => {
    const tty = await list([...YEAR, '--all', '--format', 'ndjson', '--page-size', '100'], { isTTY: true });
    expect(tty.stderr).toMatch(/\r\x1b\[2K\d+ recordings · \d+ pages · \d+\/s · window \d+\/13 2021-0\d-\d\d → 2021-03-17/);
    const pipe = await list([...YEAR, '--all', '--format', 'ndjson']);
    expect(pipe.stderr).toBe('');
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await list(['--all', '--limit', '3'])).code).toBe(2);
    expect((await list(['--limit', '0'])).code).toBe(2);
    expect((await list(['--format', 'xml'])).code).toBe(2);
    expect((await list(['--recording-format', 'mp4'])).code).toBe(2);
    expect((await list(['--resume', join(dir, 'x.state')])).code).toBe(2);
    expect((await list(['--out', join(dir, 'x.txt'), '--format', 'table', '--resume', join(dir, 'x.state')])).code).toBe(2);
    const badDate = await list(['--from', 'yesterday', '--to', '2021-01-01']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/^recvault: Invalid from "yesterday".*\(HTTP 400, trackingId recvault-sdk_\S+\)\n$/);
  });
});

/** A fetch that fails like a dropped network once `failAt` list requests have been made. */
function flakyFetch(failAt: number) {
  let listCalls = 0;
  return {
    fetch: (url: string, init: RequestInit) => {
      if (url.includes('/v1/admin/recordings') && ++listCalls > failAt) return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }));
      return fetch(url, init);
    },
  };
}

describe('resumable export (--out FILE --resume STATE)', () => {
  const NO_RETRY = { maxRetries: 0 };

  it.each([
    ['ndjson', 1],
    ['ndjson', 4],
    ['ndjson', 11],
    ['csv', 2],
    ['csv', 15],
    ['json', 6],
  ] as const)('a %s export interrupted by a network loss after %i pages resumes with no gap and no duplicate', async (format, failAt) => {
    const out = join(dir, `year-${failAt}.${format}`);
    const state = join(dir, `year-${failAt}.${format}.state`);
    const args = [...YEAR, '--all', '--page-size', '37', '--out', out, '--resume', state];
    const first = await list(args, { fetch: flakyFetch(failAt).fetch, retry: NO_RETRY });
    expect(first.code).toBe(5);
    expect(first.stderr).toMatch(/ECONNRESET.*progress is saved in .*rerun the same command to resume\n$/);
    expect(first.stderr.trim().split('\n')).toHaveLength(1);
    // A crash between writing a page and recording it leaves extra bytes: the resume cuts them.
    appendFileSync(out, format === 'csv' ? 'half,a,row' : '{"id":"half-writ');
    const second = await list(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/\(resumed\)/);
    const text = readFileSync(out, 'utf8');
    const ids =
      format === 'ndjson'
        ? ndjsonIds(text)
        : format === 'json'
          ? (JSON.parse(text) as RecordingItem[]).map((i) => i.id)
          : parseCsvStrict(text)
              .slice(1)
              .map((r) => r[0]);
    expect(ids).toEqual(WANT);
    // Running it again is a no-op that says so.
    const again = await list(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already complete/);
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  it('Ctrl-C stops with exit 130 and the export resumes exactly', async () => {
    const out = join(dir, 'interrupted.ndjson');
    const state = join(dir, 'interrupted.state');
    const args = [...YEAR, '--all', '--page-size', '50', '--out', out, '--resume', state];
    let interrupt: (() => void) | null = null;
    let calls = 0;
    const res = await list(args, {
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = null);
      },
      fetch: (url, init) => {
        if (++calls === 6) interrupt?.(); // the user presses Ctrl-C while page 6 is in flight
        return fetch(url, init);
      },
    });
    expect(res.code).toBe(130);
    expect(res.stderr).toMatch(/interrupted after \d+ recordings; progress is saved/);
    expect(interrupt).toBeNull();
    const partial = ndjsonIds(readFileSync(out, 'utf8'));
    // Five pages were written (windows end on short pages), the sixth never was.
    expect(partial.length).toBeGreaterThan(100);
    expect(partial).toEqual(WANT.slice(0, partial.length));
    expect(res.stderr).toContain(`interrupted after ${partial.length} recordings`);
    const resumed = await list(args);
    expect(resumed.code).toBe(0);
    expect(ndjsonIds(readFileSync(out, 'utf8'))).toEqual(WANT);
  });

  it('refuses a state file from another export, and starts afresh without one', async () => {
    const out = join(dir, 'other.ndjson');
    const state = join(dir, 'other.state');
    const first = await list([...YEAR, '--all', '--out', out, '--resume', state], { fetch: flakyFetch(2).fetch, retry: NO_RETRY });
    expect(first.code).toBe(5);
    const mismatch = await list(['--from', '2020-03-17T00:00:00Z', '--to', '2021-03-16T00:00:00Z', '--all', '--out', out, '--resume', state]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/other filters, window or format/);
    rmSync(state);
    writeFileSync(out, 'stale content\n');
    const fresh = await list([...YEAR, '--all', '--out', out, '--resume', state]);
    expect(fresh.code).toBe(0);
    expect(ndjsonIds(readFileSync(out, 'utf8'))).toEqual(WANT);
    expect(existsSync(state)).toBe(true);
  });

  it('paths that cannot work are one line and exit 2, and leave no output behind', async () => {
    const missing = join(dir, 'no-such-dir', 'x.csv');
    for (const format of ['csv', 'table']) {
      const res = await list([...YEAR, '--limit', '3', '--format', format, '--out', missing]);
      expect(res.code, format).toBe(2);
      expect(res.stderr).toBe(`recvault: cannot use ${missing}: no such file or directory\n`);
    }
    const onDirectory = await list([...YEAR, '--limit', '3', '--format', 'table', '--out', dir]);
    expect(onDirectory.code).toBe(2);
    expect(onDirectory.stderr).toBe(`recvault: cannot use ${dir}: it is a directory\n`);

    const out = join(dir, 'same.csv');
    const same = await list([...YEAR, '--limit', '3', '--out', out, '--resume', out]);
    expect(same.code).toBe(2);
    expect(same.stderr).toBe('recvault: the state file must not be the output file\n');
    expect(existsSync(out)).toBe(false);
    const stateInMissingDir = await list([...YEAR, '--limit', '3', '--out', out, '--resume', join(dir, 'no-such-dir', 's.state')]);
    expect(stateInMissingDir.code).toBe(2);
    expect(stateInMissingDir.stderr).toMatch(/cannot keep the state in .*no-such-dir.*: its directory does not exist\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('a finished export cut at its limit says it cannot be extended, rather than that it is complete', async () => {
    const out = join(dir, 'limited.ndjson');
    const state = join(dir, 'limited.state');
    const first = await list([...YEAR, '--limit', '30', '--out', out, '--resume', state]);
    expect(first.code, first.stderr).toBe(0);
    expect(ndjsonIds(readFileSync(out, 'utf8'))).toEqual(WANT.slice(0, 30));
    const same = await list([...YEAR, '--limit', '30', '--out', out, '--resume', state]);
    expect(same.code).toBe(0);
    expect(same.stderr).toMatch(/already complete/);
    const larger = await list([...YEAR, '--limit', '60', '--out', out, '--resume', state]);
    expect(larger.code).toBe(2);
    expect(larger.stderr).toBe('recvault: this export stopped at its limit of 30 recordings and cannot be extended; delete the state file and the output to export again with a larger limit\n');
    expect(ndjsonIds(readFileSync(out, 'utf8'))).toEqual(WANT.slice(0, 30));
  });

  it('killed after the page that reached the limit was recorded: the resume still says it stopped early, and will not be extended', async () => {
    const out = join(dir, 'killed.ndjson');
    const state = join(dir, 'killed.state');
    // Pages of 37: the first page is cut at 30.
    expect((await list([...YEAR, '--limit', '30', '--page-size', '37', '--out', out, '--resume', state])).code).toBe(0);
    // As if killed between recording that page and writing the end (NDJSON has no closing bracket).
    const saved = JSON.parse(readFileSync(state, 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ items: 30, truncated: true, lastPageCut: true });
    writeFileSync(state, JSON.stringify({ ...saved, complete: false }));
    const larger = await list([...YEAR, '--limit', '60', '--page-size', '37', '--out', out, '--resume', state]);
    expect(larger.code).toBe(2);
    expect(larger.stderr).toMatch(/stopped at its limit of 30 recordings and cannot be extended/);
    const same = await list([...YEAR, '--limit', '30', '--page-size', '37', '--out', out, '--resume', state]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toMatch(/stopped at 30; more may follow/);
    expect(ndjsonIds(readFileSync(out, 'utf8'))).toEqual(WANT.slice(0, 30));
  });
});
