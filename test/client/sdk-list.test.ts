import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecvaultClient, type RecordingPage } from '../../src/client/index.js';
import { TOKENS } from '../helpers/fixture.js';
import { expectedIds, recordingFetch, startLiveServer, YEAR_FROM, YEAR_TO, yearFixture, type LiveServer } from './helpers.js';

const FIXTURE = yearFixture();
let server: LiveServer;

beforeAll(async () => {
  server = await startLiveServer(FIXTURE);
});
afterAll(async () => {
  await server.close();
});

function client(extra: Partial<ConstructorParameters<typeof RecvaultClient>[0]> = {}): RecvaultClient {
  return new RecvaultClient({ baseUrl: server.url, token: TOKENS.adminAll, retry: false, ...extra });
}

describe('one-year listing through the SDK', () => {
  it('splits a 365-day window into 13 newest-first windows and returns exactly the expected ids', async () => {
    const rec = recordingFetch();
    const pages: RecordingPage[] = [];
    for await (const page of client({ fetch: rec.fetch }).recordings.pages({ from: new Date(YEAR_FROM), to: new Date(YEAR_TO) })) pages.push(page);
    const ids = pages.flatMap((p) => p.items.map((i) => i.id));
    const want = expectedIds(FIXTURE, YEAR_FROM, YEAR_TO);
    expect(want.length).toBeGreaterThan(700);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(want);
    expect(ids).toContain('edge-from');
    expect(ids).not.toContain('edge-to');
    for (let k = 1; k <= 12; k++) expect(ids.filter((id) => id.startsWith(`seam${String(k).padStart(2, '0')}`))).toHaveLength(3);

    const windows = [...new Map(pages.map((p) => [p.window.index, p.window])).values()];
    expect(windows).toHaveLength(13);
    expect(windows.every((w) => w.count === 13)).toBe(true);
    // Newest first, contiguous: each window ends where the next (older) one starts.
    for (let i = 0; i + 1 < windows.length; i++) expect(windows[i]?.from).toBe(windows[i + 1]?.to);
    expect(windows[0]?.to).toBe('2021-03-17T00:00:00Z');
    expect(windows[12]?.from).toBe('2020-03-17T00:00:00Z');
    for (const w of windows) {
      const days = (Date.parse(w.to as string) - Date.parse(w.from as string)) / 86_400_000;
      expect(days).toBeLessThanOrEqual(30);
    }
    // Page metadata: status, tracking id, the Link header on all but each window's last page.
    for (const p of pages) {
      expect(p.status).toBe(200);
      expect(p.trackingId).toMatch(/^recvault-sdk_/);
      expect(p.link === null).toBe(p.next === null);
    }
    expect(rec.urls.every((u) => u.startsWith(server.url))).toBe(true);
  });

  it('splits on calendar days in the request zone, across both DST changes (America/New_York)', async () => {
    const zone = 'America/New_York';
    const ids = await client({ timezone: zone }).recordings.list({ from: '2020-03-17', to: '2021-03-17' }).toArray({ limit: Infinity });
    const from = DateTime.fromISO('2020-03-17', { zone }).toMillis();
    const to = DateTime.fromISO('2021-03-17', { zone }).toMillis();
    expect(ids.map((i) => i.id)).toEqual(expectedIds(FIXTURE, from, to));
    expect(ids[0]?.createTime).toMatch(/-0[45]:00$/);
  });

  it('toArray demands a limit and stops fetching when it is reached', async () => {
    const rec = recordingFetch();
    const iterator = client({ fetch: rec.fetch }).recordings.list({ from: YEAR_FROM, to: YEAR_TO, max: 10 });
    const first = await iterator.toArray({ limit: 25 });
    expect(first.map((i) => i.id)).toEqual(expectedIds(FIXTURE, YEAR_FROM, YEAR_TO).slice(0, 25));
    // Window 0 holds 13 items (2 pages of 10), window 1 supplies the other 12 (2 pages): 4 requests, not ~80.
    expect(rec.urls).toHaveLength(4);
    await expect(iterator.toArray({ limit: -1 })).rejects.toThrow(RangeError);
    await expect(iterator.toArray({ limit: 1.5 })).rejects.toThrow(/limit/);
    // Untyped callers: no options, or a limit that is not a number, get the same message.
    const untyped = iterator as unknown as { toArray(options?: unknown): Promise<unknown[]> };
    await expect(untyped.toArray()).rejects.toThrow(new RangeError('toArray needs a limit: a whole number ≥ 0 or Infinity, got undefined'));
    await expect(untyped.toArray({ limit: '5' })).rejects.toThrow(/toArray needs a limit: .* got 5/);
    expect(rec.urls).toHaveLength(4);
  });

  it('uses the server default window (7 days before now) when neither bound is given', async () => {
    const now = Date.parse('2020-09-10T12:00:00Z');
    server.setNow(now);
    try {
      const items = await client().recordings.list().toArray({ limit: 1000 });
      expect(items.map((i) => i.id)).toEqual(expectedIds(FIXTURE, now - 7 * 86_400_000, now));
    } finally {
      server.setNow(Date.parse('2021-03-17T12:00:00Z'));
    }
  });

  it('resumes from any page checkpoint with no gap and no duplicate', async () => {
    const params = { from: YEAR_FROM, to: YEAR_TO, max: 40 };
    const want = expectedIds(FIXTURE, YEAR_FROM, YEAR_TO);
    const all: RecordingPage[] = [];
    for await (const page of client().recordings.pages(params)) all.push(page);
    for (const stopAfter of [1, 2, 5, all.length - 2]) {
      const head = all.slice(0, stopAfter).flatMap((p) => p.items.map((i) => i.id));
      const checkpoint = JSON.parse(JSON.stringify(all[stopAfter - 1]?.checkpoint));
      const tail = (await client().recordings.list(params, { resume: checkpoint }).toArray({ limit: Infinity })).map((i) => i.id);
      expect([...head, ...tail]).toEqual(want);
    }
    await expect(client().recordings.pages(params, { resume: { window: 13, next: null, tie: null } }).next()).rejects.toThrow(RangeError);
  });

  it('drops an id repeated at the same createTime across a seam (defensive de-duplication)', async () => {
    // A misbehaving server (or proxy) that also returns the seam items in the older window.
    let seamItems: unknown[] = [];
    const seam = '2020-08-14T00:00:00Z'; // YEAR_FROM + 150 days
    const duplicating = async (url: string, init: RequestInit): Promise<Response> => {
      const response = await fetch(url, init);
      const body = (await response.json()) as { items: { id: string; createTime: string }[] };
      const q = new URL(url).searchParams;
      if (q.get('from') === seam) seamItems = body.items.filter((i) => i.createTime === seam);
      if (q.get('to') === seam && !q.has('cursor')) body.items = [...(seamItems as typeof body.items), ...body.items];
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(body), { status: response.status, headers });
    };
    const items = await client({ fetch: duplicating }).recordings.list({ from: YEAR_FROM, to: YEAR_TO }).toArray({ limit: Infinity });
    expect(seamItems.length).toBe(3);
    const ids = items.map((i) => i.id);
    expect(ids).toEqual(expectedIds(FIXTURE, YEAR_FROM, YEAR_TO));
  });

  it('follows next links on its own base URL even when the server advertises another host', async () => {
    const proxied = await startLiveServer(FIXTURE, { publicUrl: 'https://public.example.invalid/' });
    try {
      const rec = recordingFetch();
      const c = new RecvaultClient({ baseUrl: proxied.url, token: TOKENS.adminAll, retry: false, fetch: rec.fetch });
      const items = await c.recordings.list({ from: '2020-06-01T00:00:00Z', to: '2020-06-20T00:00:00Z', max: 5 }).toArray({ limit: 100 });
      expect(items.map((i) => i.id)).toEqual(expectedIds(FIXTURE, Date.parse('2020-06-01T00:00:00Z'), Date.parse('2020-06-20T00:00:00Z')));
      expect(rec.urls.length).toBeGreaterThan(3);
      expect(rec.urls.every((u) => u.startsWith(proxied.url))).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  it('passes filters through and sends meetingId without a window', async () => {
    const rec = recordingFetch();
    const items = await client({ fetch: rec.fetch }).recordings.list({ meetingId: 'series-d100a', from: YEAR_FROM, to: YEAR_TO }).toArray({ limit: 10 });
    expect(items.map((i) => i.id)).toEqual(['d100a']);
    expect(rec.urls).toHaveLength(1);
    const q = new URL(rec.urls[0] as string).searchParams;
    expect(q.get('meetingId')).toBe('series-d100a');
    expect(q.has('from')).toBe(false);
    const byTopic = await client().recordings.list({ topic: 'WEEKLY SYNC 10', from: YEAR_FROM - 10 * 86_400_000, to: YEAR_TO, format: 'MP4' }).toArray({ limit: 10 });
    expect(byTopic.map((i) => i.topic)).toEqual(['Weekly sync 10']);
  });

  it('stops with an error instead of looping when a server repeats the same next link', async () => {
    const self = 'http://loop.test/v1/admin/recordings?max=1&cursor=same';
    const looping = async (): Promise<Response> =>
      new Response('{"items":[]}', { status: 200, headers: { link: `<${self}>; rel="next"`, 'content-type': 'application/json' } });
    const c = new RecvaultClient({ baseUrl: 'http://loop.test', token: 't', fetch: looping, retry: false });
    await expect(c.recordings.list({}, { resume: { window: 0, next: self, tie: null } }).toArray({ limit: 10 })).rejects.toThrow(/next link to the page just read/);
  });
});
