/**
 * A real listening recvault for SDK and CLI tests (port 0, in-memory SQLite), with optional
 * fault injection installed before the app is ready, plus the year-long fixture.
 */
import type { AddressInfo } from 'node:net';
import { buildApp, type App } from '../../src/http/app.js';
import { installFaultInjection, type FaultSpec } from '../../src/http/fault-injection.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { baseDocument, NOW, type RecordingSpec } from '../helpers/fixture.js';

export interface LiveServer {
  readonly app: App;
  readonly store: Store;
  readonly url: string;
  setNow(ms: number): void;
  close(): Promise<void>;
}

export async function startLiveServer(
  recordings: RecordingSpec[],
  options: { faults?: FaultSpec | string; random?: () => number; publicUrl?: string; consoleDir?: string } = {},
): Promise<LiveServer> {
  const store = SqliteStore.open(':memory:');
  await store.importDataset(parseImportDocument(baseDocument(recordings), await store.knownEntities(), NOW));
  let now = NOW;
  const app = await buildApp({ store, now: () => now, config: { cursorSecret: 'client-test-secret', publicUrl: options.publicUrl, consoleDir: options.consoleDir } });
  if (options.faults !== undefined) installFaultInjection(app, options.faults, options.random);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    store,
    url: `http://127.0.0.1:${port}`,
    setNow: (ms) => {
      now = ms;
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The one-year window used by the export tests: 365 days, so 13 windows of at most 30 days in UTC. */
export const YEAR_FROM = Date.parse('2020-03-17T00:00:00Z');
export const YEAR_TO = Date.parse('2021-03-17T00:00:00Z');

/**
 * Two recordings a day on site a for a bit more than the year, plus, at every UTC window seam
 * (YEAR_FROM + 30k days), three recordings exactly at the seam and two one second before it with
 * equal createTimes; recordings exactly at both ends; noise on site b.
 */
export function yearFixture(): RecordingSpec[] {
  const specs: RecordingSpec[] = [];
  let topic = 0;
  const add = (id: string, ms: number, extra: Partial<RecordingSpec> = {}) => {
    specs.push({ id, createTime: iso(ms), topic: `Weekly sync ${topic++}`, ...extra });
  };
  for (let day = -3; day < 368; day++) {
    const midnight = YEAR_FROM + day * DAY;
    add(`d${String(day + 3).padStart(3, '0')}a`, midnight + 9 * 3_600_000);
    add(`d${String(day + 3).padStart(3, '0')}b`, midnight + 15 * 3_600_000 + 17_000);
  }
  for (let k = 1; k <= 12; k++) {
    const seam = YEAR_FROM + k * 30 * DAY;
    for (const s of ['x', 'y', 'z']) add(`seam${String(k).padStart(2, '0')}${s}`, seam);
    for (const s of ['p', 'q']) add(`pre${String(k).padStart(2, '0')}${s}`, seam - 1000);
  }
  add('edge-from', YEAR_FROM);
  add('edge-to', YEAR_TO);
  for (let i = 0; i < 20; i++) add(`other-site-${i}`, YEAR_FROM + i * 7 * DAY, { site: 'b.example.com' });
  return specs;
}

/** Ids of site-a available recordings in [from, to), createTime descending then id descending. */
export function expectedIds(specs: readonly RecordingSpec[], from: number, to: number, site = 'a.example.com'): string[] {
  return specs
    .filter((r) => (r.site ?? 'a.example.com') === site && (r.status ?? 'available') === 'available')
    .map((r) => ({ id: r.id, t: Date.parse(r.createTime) }))
    .filter((r) => r.t >= from && r.t < to)
    .sort((a, b) => b.t - a.t || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((r) => r.id);
}

/** A fetch that records every URL it is asked for. */
export function recordingFetch(): { fetch: (url: string, init: RequestInit) => Promise<Response>; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: (url, init) => {
      urls.push(url);
      return fetch(url, init);
    },
  };
}

/** A scripted random source: the given values, then `rest` forever. */
export function scriptedRandom(values: number[], rest = 0.999): () => number {
  let i = 0;
  return () => (i < values.length ? (values[i++] as number) : rest);
}
