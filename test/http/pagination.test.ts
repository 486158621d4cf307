import { connect, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NOW, startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import {
  byCreateTimeDescIdDesc,
  expected,
  expectValidItem,
  expectWebexError,
  fold,
  get,
  ids,
  items,
  listUrl,
  naiveNextLink,
  nextLink,
  OFFSET_INSTANT,
  paramsOf,
  pathOf,
  prng,
  upsertRecordings,
  walk,
  withParams,
  type Res,
} from '../helpers/http.js';

const A = 'a.example.com';
const B = 'b.example.com';
const TRICKY_TOPIC = 'Plan; Q1, <draft> & "more"? 100% #1 +x';
const TOPICS = ['Alpha', 'ALPHA', 'alpha', 'Beta', 'Straße', TRICKY_TOPIC, 'Gamma'];
const FORMATS = ['MP4', 'ARF', 'UPLOADED'] as const;
const SERVICES = ['MeetingCenter', 'EventCenter', 'SupportCenter', 'TrainingCenter'] as const;

/** ~250 recordings within ~90 seconds: several per second, many with identical createTime. */
function bigDataset(): RecordingSpec[] {
  const rnd = prng(20210317);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const base = Date.parse('2021-03-12T00:00:00Z');
  const out: RecordingSpec[] = [];
  const usedIds = new Set<string>();
  for (let i = 0; i < 250; i++) {
    let id: string;
    do {
      id = Math.floor(rnd() * 0xffffffff)
        .toString(16)
        .padStart(8, '0');
    } while (usedIds.has(id));
    usedIds.add(id);
    const ms = rnd() < 0.3 ? Math.floor(rnd() * 1000) : 0;
    const r = rnd();
    out.push({
      id,
      site: rnd() < 0.7 ? A : B,
      createTime: new Date(base + Math.floor(rnd() * 90) * 1000 + ms).toISOString(),
      topic: pick(TOPICS),
      format: pick(FORMATS),
      serviceType: pick(SERVICES),
      status: r < 0.85 ? 'available' : r < 0.95 ? 'deleted' : 'purged',
      preventDownload: rnd() < 0.1,
      integrationTags: rnd() < 0.3 ? ['T1', { tag: 'T2', clientId: 'zendesk-app' }] : rnd() < 0.2 ? ['T1'] : [],
    });
  }
  // Sentinels for the "defaulted window must not slide" test.
  out.push({ id: 'old-in-default-window', site: A, createTime: '2021-03-10T13:00:00Z' });
  out.push({ id: 'future-after-now', site: A, createTime: '2021-03-18T00:00:00Z' });
  return out;
}

const R = bigDataset();
const WINDOW = { from: '2021-03-11T00:00:00Z', to: '2021-03-13T00:00:00Z' };
const W = { from: Date.parse(WINDOW.from), to: Date.parse(WINDOW.to) };

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer(R);
});
afterAll(async () => {
  await s.close();
});
afterEach(() => {
  s.setNow(NOW);
});

describe('the dataset', () => {
  it('has many createTime ties', () => {
    const onA = R.filter((r) => (r.site ?? A) === A && r.status === 'available');
    const perInstant = new Map<string, number>();
    for (const r of onA) perInstant.set(r.createTime, (perInstant.get(r.createTime) ?? 0) + 1);
    expect(onA.length).toBeGreaterThan(140);
    expect([...perInstant.values()].filter((n) => n > 1).length).toBeGreaterThan(20);
  });
});

describe('Link header', () => {
  it('is exactly one `<absolute-url>; rel="next"` when more items follow, absent on the last page', async () => {
    const total = expected(R, { sites: [A], ...W, topicFold: 'beta' }).length;
    expect(total).toBeGreaterThan(2);
    const first = await get(s.app, listUrl({ ...WINDOW, siteUrl: A, topic: 'Beta', max: total - 1 }), TOKENS.adminAll);
    const link = first.headers['link'];
    expect(typeof link).toBe('string');
    expect(link as string).toMatch(/^<http:\/\/[^<>]+>; rel="next"$/);
    expect((link as string).match(/rel=/g)).toHaveLength(1);
    const last = await get(s.app, pathOf(nextLink(first) as string), TOKENS.adminAll);
    expect(items(last)).toHaveLength(1);
    expect(last.headers['link']).toBeUndefined();
  });

  it('is absent when the page holds exactly the remaining items', async () => {
    const total = expected(R, { sites: [A], ...W }).length;
    const exact = await get(s.app, listUrl({ ...WINDOW, siteUrl: A, max: Math.min(total, 100) }), TOKENS.adminAll);
    if (total <= 100) expect(exact.headers['link']).toBeUndefined();
    // A walk whose page size divides the total ends without an empty trailing page.
    const divisor = [7, 6, 5, 4, 3, 2].find((d) => total % d === 0) ?? 1;
    const w = await walk(s.app, listUrl({ ...WINDOW, siteUrl: A, max: divisor }), TOKENS.adminAll);
    expect(w.pages).toHaveLength(total / divisor);
  });

  it('a naive parser (split on `;`, strip `<>`) yields the next URL even when filters contain ; , < > & ?', async () => {
    const res = await get(s.app, listUrl({ ...WINDOW, siteUrl: A, max: 1, topic: TRICKY_TOPIC }), TOKENS.adminAll);
    expect(res.status).toBe(200);
    const header = res.headers['link'] as string;
    const naive = naiveNextLink(header);
    expect(naive).toBe(nextLink(res));
    expect(paramsOf(naive).get('topic')).toBe(TRICKY_TOPIC);
    const w = await walk(s.app, listUrl({ ...WINDOW, siteUrl: A, max: 1, topic: TRICKY_TOPIC }), TOKENS.adminAll);
    const want = expected(R, { sites: [A], ...W, topicFold: fold(TRICKY_TOPIC) });
    expect(want.length).toBeGreaterThan(3);
    expect(w.ids).toEqual(want);
  });

  it('uses the request host when no public URL is configured', async () => {
    const res = await get(s.app, listUrl({ ...WINDOW, max: 1 }), TOKENS.adminAll, { host: 'recvault.internal:8443' });
    const next = nextLink(res) as string;
    expect(next.startsWith('http://recvault.internal:8443/v1/admin/recordings?')).toBe(true);
  });

  it('echoes any host name RFC 3986 allows, underscores included (Docker Compose service names)', async () => {
    const res = await get(s.app, listUrl({ ...WINDOW, max: 1 }), TOKENS.adminAll, { host: 'recvault_api:18181' });
    expect((nextLink(res) as string).startsWith('http://recvault_api:18181/v1/admin/recordings?')).toBe(true);
  });

  it('a Host header that is not a host name: the link names the address and port the connection reached, not localhost', async () => {
    const server = await startTestServer(R);
    try {
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (server.app.server.address() as AddressInfo).port;
      for (const host of ['bücher.example', 'a"b', '']) {
        const head = await rawGet(port, listUrl({ ...WINDOW, max: 1 }), host);
        const link = /^link: <([^>]+)>/im.exec(head)?.[1] ?? `no Link in: ${head}`;
        expect(link, `Host: ${host}`).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/v1/admin/recordings\\?`));
      }
    } finally {
      await server.close();
    }
  });

  it('siteUrl in another letter case lists that site, and the next link names it as stored', async () => {
    const lower = await get(s.app, listUrl({ ...WINDOW, siteUrl: A, max: 2 }), TOKENS.adminAll);
    const upper = await get(s.app, listUrl({ ...WINDOW, siteUrl: A.toUpperCase(), max: 2 }), TOKENS.adminAll);
    expect(upper.status).toBe(200);
    expect(ids(upper)).toEqual(ids(lower));
    expect(ids(upper).length).toBe(2);
    expect(paramsOf(nextLink(upper) as string).get('siteUrl')).toBe(A);
  });

  it('a page that ends on the longest id an import accepts (256 CJK characters) links to the next page, which the server accepts', async () => {
    const long = '漢'.repeat(256);
    const server = await startTestServer([
      { id: long, createTime: '2021-03-12T10:00:00Z', meetingId: 'inst-long', scheduledMeetingId: 'sched-long', meetingSeriesId: 'series-long' },
      { id: 'after-the-long-one', createTime: '2021-03-12T09:00:00Z' },
    ]);
    try {
      const first = await get(server.app, listUrl({ ...WINDOW, siteUrl: A, max: 1 }), TOKENS.adminAll);
      expect(ids(first)).toEqual([long]);
      const second = await get(server.app, pathOf(nextLink(first) as string), TOKENS.adminAll);
      expect(second.status, second.body).toBe(200);
      expect(ids(second)).toEqual(['after-the-long-one']);
    } finally {
      await server.close();
    }
  });

  it('uses the configured public base URL when set', async () => {
    const server = await startTestServer(R, { publicUrl: 'https://recordings.example.org/' });
    try {
      const res = await get(server.app, listUrl({ ...WINDOW, max: 1 }), TOKENS.adminAll, { host: 'internal-host:3000' });
      const next = nextLink(res) as string;
      expect(next.startsWith('https://recordings.example.org/v1/admin/recordings?')).toBe(true);
      expect(next).not.toContain('internal-host');
      const page2 = await get(server.app, pathOf(next), TOKENS.adminAll);
      expect(page2.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('next URL', () => {
  it('repeats every filter, max, the effective siteUrl and the window as explicit instants with offsets, plus cursor', async () => {
    const params = { max: 2, topic: 'alpha', format: 'MP4', serviceType: 'MeetingCenter', integrationTag: 'T1', status: 'available' };
    // find a combination with more than two matches on admin-one's default site (b)
    const want = expected(R, { sites: [B], from: Date.parse('2021-03-10T12:00:00Z'), to: NOW, topicFold: 'alpha', tag: { tag: 'T1', clientId: null } });
    expect(want.length).toBeGreaterThan(0);
    const res = await get(s.app, listUrl({ max: 1, topic: 'alpha', integrationTag: 'T1' }), TOKENS.adminOne);
    expect(ids(res)).toEqual(want.slice(0, 1));
    if (want.length > 1) {
      const p = paramsOf(nextLink(res) as string);
      expect(p.get('siteUrl')).toBe(B);
      expect(p.get('topic')).toBe('alpha');
      expect(p.get('integrationTag')).toBe('T1');
    }

    const full = await get(s.app, listUrl(params), TOKENS.co, { timezone: 'America/New_York' });
    expect(full.status).toBe(200);
    const coWant = expected(R, {
      sites: [B],
      from: Date.parse('2021-03-10T13:00:00Z'),
      to: NOW,
      topicFold: 'alpha',
      format: 'MP4',
      serviceType: 'MeetingCenter',
      tag: { tag: 'T1', clientId: null },
    });
    const loose = await get(s.app, listUrl({ max: 1, topic: 'alpha' }), TOKENS.co, { timezone: 'America/New_York' });
    const next = nextLink(loose) as string;
    const p = paramsOf(next);
    expect(p.get('max')).toBe('1');
    expect(p.get('siteUrl')).toBe(B); // the CO's preferred site, made explicit
    expect(p.get('topic')).toBe('alpha');
    expect(p.get('from')).toBe('2021-03-10T08:00:00-05:00');
    expect(p.get('to')).toBe('2021-03-17T08:00:00-04:00');
    expect(p.get('cursor')).toBeTruthy();
    expect(ids(full)).toEqual(coWant.slice(0, 2));

    const all = await get(
      s.app,
      listUrl({ max: 1, topic: 'ALPHA', format: 'ARF', serviceType: 'EventCenter', integrationTag: 'T1', status: 'available', ...WINDOW, siteUrl: A }),
      TOKENS.adminAll,
    );
    const allWant = expected(R, { sites: [A], ...W, topicFold: 'alpha', format: 'ARF', serviceType: 'EventCenter', tag: { tag: 'T1', clientId: null } });
    expect(ids(all)).toEqual(allWant.slice(0, 1));
    if (allWant.length > 1) {
      const q = paramsOf(nextLink(all) as string);
      expect(Object.fromEntries(q.entries())).toMatchObject({
        max: '1',
        topic: 'ALPHA',
        format: 'ARF',
        serviceType: 'EventCenter',
        integrationTag: 'T1',
        status: 'available',
        siteUrl: A,
      });
      expect(Date.parse(q.get('from') as string)).toBe(W.from);
      expect(Date.parse(q.get('to') as string)).toBe(W.to);
    }
  });

  it('repeats status=deleted for a walk of the recycle bin', async () => {
    const w = await walk(s.app, listUrl({ ...WINDOW, siteUrl: A, max: 3, status: 'deleted' }), TOKENS.adminAll);
    expect(w.ids).toEqual(expected(R, { sites: [A], ...W, status: 'deleted' }));
    for (const link of w.links) expect(paramsOf(link).get('status')).toBe('deleted');
  });

  it('a defaulted window does not slide while a client pages', async () => {
    const first = await get(s.app, listUrl({ max: 50 }), TOKENS.adminAll);
    const want = expected(R, { sites: [A], from: Date.parse('2021-03-10T12:00:00Z'), to: NOW });
    expect(want).toContain('old-in-default-window');
    expect(want).not.toContain('future-after-now');
    expect(ids(first)).toEqual(want.slice(0, 50));
    const link = nextLink(first) as string;
    expect(paramsOf(link).get('from')).toBe('2021-03-10T12:00:00Z');
    expect(paramsOf(link).get('to')).toBe('2021-03-17T12:00:00Z');
    s.setNow(NOW + 3 * 86_400_000);
    const rest = await walk(s.app, pathOf(link), TOKENS.adminAll);
    expect([...ids(first), ...rest.ids]).toEqual(want);
  });

  it('works without resending the timezone header and keeps rendering in the first request’s zone', async () => {
    const tz = { timezone: 'America/New_York' };
    const url = listUrl({ from: '2021-03-11T00:00', to: '2021-03-13T00:00', siteUrl: A, max: 7 });
    const w = await walk(s.app, url, TOKENS.adminAll, tz);
    expect(w.pages.length).toBeGreaterThan(3);
    // the window was read in New York: 05:00Z to 05:00Z
    expect(w.ids).toEqual(expected(R, { sites: [A], from: Date.parse('2021-03-11T05:00:00Z'), to: Date.parse('2021-03-13T05:00:00Z') }));
    for (const page of w.pages) {
      for (const i of items(page)) {
        expect(i.createTime).toMatch(/-05:00$/);
        expect(i.timeRecorded).toMatch(/-05:00$/);
      }
    }
    for (const link of w.links) {
      expect(paramsOf(link).get('from')).toBe('2021-03-11T00:00:00-05:00');
      expect(paramsOf(link).get('to')).toBe('2021-03-13T00:00:00-05:00');
    }

    const kolkata = await walk(s.app, listUrl({ ...WINDOW, siteUrl: A, max: 40 }), TOKENS.adminAll, { timezone: 'Asia/Kolkata' });
    expect(kolkata.pages.length).toBeGreaterThan(1);
    for (const page of kolkata.pages) for (const i of items(page)) expect(i.createTime).toMatch(/\+05:30$/);
    for (const link of kolkata.links) expect(paramsOf(link).get('from')).toMatch(OFFSET_INSTANT);
    // a header sent with a follow-up request still decides the rendering
    const again = await get(s.app, pathOf(kolkata.links[0] as string), TOKENS.adminAll, { timezone: 'UTC' });
    expect(again.status).toBe(200);
    for (const i of items(again)) expect(i.createTime).toMatch(/Z$/);
    expect(ids(again)).toEqual(ids(kolkata.pages[1] as Res));
  });

  it('requesting the same next URL twice gives the same page', async () => {
    const first = await get(s.app, listUrl({ ...WINDOW, siteUrl: A, max: 7 }), TOKENS.adminAll, { timezone: 'Asia/Shanghai' });
    const next = pathOf(nextLink(first) as string);
    const a = await get(s.app, next, TOKENS.adminAll);
    const b = await get(s.app, next, TOKENS.adminAll);
    expect(a.status).toBe(200);
    expect(a.body).toBe(b.body);
    expect(a.headers['link']).toBe(b.headers['link']);
    expect(items(a)).toHaveLength(7);
    expect(ids(a)).not.toEqual(ids(first));
  });
});

describe('full walks against an independent expectation', () => {
  function checkWalk(pages: Res[], max: number, want: string[]): void {
    const got = pages.flatMap((p) => ids(p));
    expect(got).toEqual(want);
    expect(new Set(got).size).toBe(got.length);
    pages.forEach((p, i) => {
      if (i < pages.length - 1) {
        expect(items(p)).toHaveLength(max);
        expect(p.headers['link']).toBeDefined();
      } else {
        expect(p.headers['link']).toBeUndefined();
      }
    });
  }

  it.each([1, 7, 100])('admin, site a, max=%i', async (max) => {
    const want = expected(R, { sites: [A], ...W });
    const w = await walk(s.app, listUrl({ ...WINDOW, siteUrl: A, max }), TOKENS.adminAll);
    checkWalk(w.pages, max, want);
    expect(w.pages).toHaveLength(Math.ceil(want.length / max));
    if (max === 7) for (const p of w.pages) for (const item of items(p)) expectValidItem(item, R);
  });

  it.each([1, 7, 100])('compliance officer, site b, purged, max=%i', async (max) => {
    const want = expected(R, { sites: [B], ...W, status: 'purged' });
    expect(want.length).toBeGreaterThan(0);
    const w = await walk(s.app, listUrl({ ...WINDOW, siteUrl: B, status: 'purged', max }), TOKENS.co);
    checkWalk(w.pages, max, want);
  });

  it.each([1, 7])('zendesk client, tag T2, max=%i', async (max) => {
    const want = expected(R, { sites: [A], ...W, tag: { tag: 'T2', clientId: 'zendesk-app' } });
    expect(want.length).toBeGreaterThan(10);
    const w = await walk(s.app, listUrl({ ...WINDOW, siteUrl: A, integrationTag: 'T2', max }), TOKENS.zendesk);
    checkWalk(w.pages, max, want);
    const jira = await walk(s.app, listUrl({ ...WINDOW, siteUrl: A, integrationTag: 'T2', max }), TOKENS.jira);
    expect(jira.ids).toEqual([]);
  });

  it.each([1, 7])('topic (folded) + format, max=%i', async (max) => {
    const want = expected(R, { sites: [A], ...W, topicFold: 'alpha', format: 'MP4' });
    expect(want.length).toBeGreaterThan(5);
    const w = await walk(s.app, listUrl({ ...WINDOW, siteUrl: A, topic: 'aLpHa', format: 'MP4', max }), TOKENS.adminAll);
    checkWalk(w.pages, max, want);
  });

  it('meetingId walk', async () => {
    const series = R.filter((r) => r.site === A).slice(0, 5);
    const server = await startTestServer([
      ...series.map((r, i) => ({ ...r, meetingSeriesId: 'SER', createTime: i < 3 ? '2021-03-12T00:00:00Z' : r.createTime })),
      ...R.filter((r) => r.site === B).slice(0, 4).map((r) => ({ ...r, meetingSeriesId: 'SER' })),
    ]);
    try {
      const all = [
        ...series.map((r, i) => ({ ...r, meetingSeriesId: 'SER', createTime: i < 3 ? '2021-03-12T00:00:00Z' : r.createTime })),
        ...R.filter((r) => r.site === B).slice(0, 4).map((r) => ({ ...r, meetingSeriesId: 'SER' })),
      ];
      for (const [token, sites] of [
        [TOKENS.co, [A, B]],
        [TOKENS.adminOne, [B]],
      ] as const) {
        for (const status of ['available', 'deleted'] as const) {
          const want = expected(all, { sites: [...sites], meetingId: 'SER', status });
          const w = await walk(server.app, listUrl({ meetingId: 'SER', status, max: 1 }), token);
          expect(w.ids).toEqual(want);
        }
      }
    } finally {
      await server.close();
    }
  });
});

describe('walks while recordings are added and removed', () => {
  it.each([7, 1])('every item present for the whole walk is seen exactly once, in order (max=%i)', async (max) => {
    const server = await startTestServer(R);
    try {
      const state = new Map<string, RecordingSpec>(R.map((r) => [r.id, r]));
      const matches = (r: RecordingSpec) =>
        (r.site ?? A) === A &&
        (r.status ?? 'available') === 'available' &&
        Date.parse(r.createTime) >= W.from &&
        Date.parse(r.createTime) < W.to &&
        (max === 1 ? fold(r.topic ?? '') === 'alpha' : true);
      const initial = new Set(R.filter(matches).map((r) => r.id));
      const removed = new Map<string, number>(); // id → page index after which it was removed
      const insertedOlder: string[] = [];
      const insertedNewer: string[] = [];
      let n = 0;

      const between = async (pageIndex: number, page: Res) => {
        const lastId = ids(page).at(-1) as string;
        const last = state.get(lastId) as RecordingSpec;
        const lastMs = Date.parse(last.createTime);
        const notYetSeen = [...state.values()]
          .filter((r) => matches(r) && byCreateTimeDescIdDesc(r, last) > 0)
          .sort(byCreateTimeDescIdDesc);
        const add: RecordingSpec[] = [];
        const mk = (createMs: number, id: string, older: boolean) => {
          const spec: RecordingSpec = { id, site: A, createTime: new Date(createMs).toISOString(), topic: 'Alpha', format: 'MP4' };
          add.push(spec);
          (older ? insertedOlder : insertedNewer).push(id);
        };
        n++;
        if (pageIndex >= 12) return; // a bounded burst of changes, so the walk ends
        // newer than the cursor: before the current position, must not be seen (and must not disturb the walk)
        mk(lastMs + 1000, `zz-newer-${n}`, false);
        // same createTime as the cursor, larger id (lastId is a prefix of it): before the position
        mk(lastMs, `${lastId}z${n}`, false);
        // same createTime as the cursor, smaller id ('!' sorts before every id character): after the position
        mk(lastMs, `${lastId.slice(0, -1)}!${n}`, true);
        // clearly older than the cursor, inside the window
        if (lastMs - 1500 >= W.from) mk(lastMs - 1500, `older-${n}`, true);
        // remove the cursor row itself (already seen) and, every other page, one item not yet seen
        const removals: RecordingSpec[] = [{ ...last, status: 'deleted' }];
        const victim = notYetSeen[Math.min(2, notYetSeen.length - 1)];
        if (victim !== undefined && pageIndex % 2 === 0) removals.push({ ...victim, status: 'deleted' });
        for (const r of [...add, ...removals]) state.set(r.id, r);
        for (const r of removals) removed.set(r.id, pageIndex);
        await upsertRecordings(server.store, [...add, ...removals]);
      };

      const w = await walk(server.app, listUrl({ ...WINDOW, siteUrl: A, max, ...(max === 1 ? { topic: 'ALPHA' } : {}) }), TOKENS.adminAll, {}, { between });
      expect(w.pages.length).toBeGreaterThan(5);

      // exactly once
      expect(new Set(w.ids).size).toBe(w.ids.length);
      // in order
      const specs = w.ids.map((id) => state.get(id) as RecordingSpec);
      for (let i = 1; i < specs.length; i++) {
        expect(byCreateTimeDescIdDesc(specs[i - 1] as RecordingSpec, specs[i] as RecordingSpec), `${w.ids[i - 1]} before ${w.ids[i]}`).toBeLessThan(0);
      }
      // every item present for the whole walk
      for (const id of initial) if (!removed.has(id)) expect(w.ids, `missing ${id}`).toContain(id);
      // removed items are not seen after their removal
      const pageOf = new Map<string, number>();
      w.pages.forEach((p, i) => ids(p).forEach((id) => pageOf.set(id, i)));
      for (const [id, after] of removed) {
        const seenOn = pageOf.get(id);
        if (seenOn !== undefined) expect(seenOn, `${id} seen after removal`).toBeLessThanOrEqual(after);
      }
      // items added before the current position never show up; items added after it do (keyset pagination)
      for (const id of insertedNewer) expect(w.ids).not.toContain(id);
      for (const id of insertedOlder) if (!removed.has(id)) expect(w.ids, `inserted ${id}`).toContain(id);
      expect(insertedOlder.length).toBeGreaterThan(3);
    } finally {
      await server.close();
    }
  });
});

describe('cursor integrity', () => {
  async function firstLink(params: Record<string, string | number>, token: string = TOKENS.adminAll): Promise<string> {
    const res = await get(s.app, listUrl(params), token);
    expect(res.status, res.body).toBe(200);
    const link = nextLink(res);
    expect(link).not.toBeNull();
    return link as string;
  }

  it('a tampered cursor → 400', async () => {
    const link = await firstLink({ ...WINDOW, siteUrl: A, max: 3 });
    const cursor = paramsOf(link).get('cursor') as string;
    const flip = (str: string, at: number) => str.slice(0, at) + (str[at] === 'A' ? 'B' : 'A') + str.slice(at + 1);
    const variants = [
      flip(cursor, 0),
      flip(cursor, Math.floor(cursor.length / 2)),
      flip(cursor, cursor.length - 1),
      cursor.slice(0, -2),
      `${cursor}x`,
      cursor.split('').reverse().join(''),
      'garbage',
      '.',
      'e30.AAAA',
      Buffer.from(JSON.stringify([1, 0, 'zzzzzzzz', 'x', 'UTC'])).toString('base64url'),
      'x'.repeat(5000),
    ];
    for (const v of variants) {
      const res = await get(s.app, withParams(link, { cursor: v }), TOKENS.adminAll);
      const { message } = expectWebexError(res, 400);
      expect(message.toLowerCase()).toContain('cursor');
    }
    expect((await get(s.app, pathOf(link), TOKENS.adminAll)).status).toBe(200);
  });

  it('a cursor reused with different filters → 400', async () => {
    const link = await firstLink({ ...WINDOW, siteUrl: A, max: 3, topic: 'alpha' });
    const changes: Record<string, string | null>[] = [
      { topic: 'beta' },
      { topic: null },
      { status: 'deleted' },
      { from: '2021-03-11T00:00:01Z' },
      { to: '2021-03-12T23:00:00Z' },
      { from: null, to: null },
      { format: 'MP4' },
      { serviceType: 'EventCenter' },
      { integrationTag: 'T1' },
      { siteUrl: B },
      { meetingId: 'x' },
    ];
    for (const change of changes) {
      const res = await get(s.app, withParams(link, change), TOKENS.adminAll);
      expectWebexError(res, 400);
    }
    // ...while the untouched link and a mere change of page size still work
    expect((await get(s.app, pathOf(link), TOKENS.adminAll)).status).toBe(200);
  });

  it('a cursor is bound to the caller’s integration client', async () => {
    const link = await firstLink({ ...WINDOW, siteUrl: A, max: 3, integrationTag: 'T1' }, TOKENS.zendesk);
    expectWebexError(await get(s.app, pathOf(link), TOKENS.jira), 400);
  });

  it('a cursor of one org used by the other org’s token → 400, leaking nothing', async () => {
    const acmeIds = new Set(R.map((r) => r.id));
    const noLeak = (res: Res) => {
      const text = JSON.stringify(res.headers) + res.body;
      for (const id of acmeIds) expect(text).not.toContain(id);
    };
    // meetingId links carry no site: the cursor alone decides
    const server = await startTestServer([
      { id: 'm-a1', site: A, createTime: '2021-03-12T00:00:00Z', meetingSeriesId: 'SHARED' },
      { id: 'm-a2', site: A, createTime: '2021-03-12T00:00:01Z', meetingSeriesId: 'SHARED' },
      { id: 'm-z1', site: 'z.example.com', createTime: '2021-03-12T00:00:00Z', meetingSeriesId: 'SHARED' },
      { id: 'm-z2', site: 'z.example.com', createTime: '2021-03-12T00:00:01Z', meetingSeriesId: 'SHARED' },
    ]);
    try {
      const first = await get(server.app, listUrl({ meetingId: 'SHARED', max: 1 }), TOKENS.co);
      expect(ids(first)).toEqual(['m-a2']);
      const link = nextLink(first) as string;
      for (const token of [TOKENS.otherAdmin, TOKENS.otherCo]) {
        const res = await get(server.app, pathOf(link), token);
        expectWebexError(res, 400);
        expect(res.body).not.toContain('m-a');
        expect(res.body).not.toContain('a.example.com');
      }
      // the other org's own query with the foreign cursor grafted on
      const cursor = paramsOf(link).get('cursor') as string;
      const grafted = await get(server.app, listUrl({ meetingId: 'SHARED', max: 1, cursor }), TOKENS.otherAdmin);
      expectWebexError(grafted, 400);
    } finally {
      await server.close();
    }

    const siteLink = await firstLink({ ...WINDOW, siteUrl: A, max: 3 });
    const cursor = paramsOf(siteLink).get('cursor') as string;
    for (const token of [TOKENS.otherAdmin, TOKENS.otherCo]) {
      const own = await get(s.app, listUrl({ max: 3, cursor }), token);
      expectWebexError(own, 400);
      noLeak(own);
      const ownWindow = await get(s.app, listUrl({ ...WINDOW, max: 3, cursor }), token);
      expectWebexError(ownWindow, 400);
      noLeak(ownWindow);
      // The full acme link names site a: refused (the site check or the cursor check may answer first).
      const full = await get(s.app, pathOf(siteLink), token);
      expect([400, 403]).toContain(full.status);
      expectWebexError(full, full.status);
      noLeak(full);
    }
  });
});

/** The response head of a GET sent byte for byte, so the Host header is exactly as given (HTTP/1.0 allows none). */
function rawGet(port: number, path: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received.split('\r\n\r\n')[0] ?? ''));
    const hostLine = host === '' ? '' : `Host: ${host}\r\n`;
    socket.write(Buffer.from(`GET ${path} HTTP/1.0\r\n${hostLine}Authorization: Bearer ${TOKENS.adminAll}\r\n\r\n`, 'latin1'));
  });
}
