/**
 * Exactly-once paging under concurrent writes: while readers follow next links (max from 1 to
 * 100), a writer inserts recordings (before and after the readers' positions), soft-deletes and
 * restores through the HTTP lifecycle calls. Every item that is present (available) for the whole
 * walk is seen exactly once; nothing is ever seen twice; pages come in (createTime desc, id desc).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auth, NOW, startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import { get, nextLink, pathOf, prng, upsertRecordings, type Res } from '../helpers/http.js';

const A = 'a.example.com';
const HOUR = 3_600_000;
const READER = TOKENS.adminWriteAll;

/** ~160 recordings over the last 6 days on site a, many sharing a createTime (ties broken by id). */
function initial(seed: number): RecordingSpec[] {
  const rnd = prng(seed);
  const out: RecordingSpec[] = [];
  for (let i = 0; i < 160; i++) {
    const slot = Math.floor(rnd() * 40); // 40 distinct instants: ~4 recordings per instant
    out.push({
      id: `p${String(Math.floor(rnd() * 1e6)).padStart(6, '0')}-${i}`,
      site: A,
      createTime: new Date(NOW - 6 * 24 * HOUR + slot * 3 * HOUR).toISOString(),
      status: rnd() < 0.15 ? 'deleted' : 'available',
    });
  }
  return out;
}

let s: TestServer;
let byId: Map<string, RecordingSpec>;
let status: Map<string, 'available' | 'deleted'>;
/** Ids whose status changed at any point during the current walk: exempt from "seen exactly once". */
let touched: Set<string>;
let inserted = 0;

async function setUp(seed: number): Promise<void> {
  const recs = initial(seed);
  s = await startTestServer(recs);
  byId = new Map(recs.map((r) => [r.id, r]));
  status = new Map(recs.map((r) => [r.id, r.status as 'available' | 'deleted']));
  touched = new Set();
}

beforeEach(() => {
  inserted = 0;
});
afterEach(async () => {
  await s.close();
});

async function lifecycle(action: 'softDelete' | 'restore', ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const res = await s.app.inject({ method: 'POST', url: `/v1/recordings/${action}`, headers: { ...auth(TOKENS.adminWriteAll), 'content-type': 'application/json' }, payload: { recordingIds: ids } });
  expect(res.statusCode, res.body).toBe(204);
  for (const id of ids) {
    status.set(id, action === 'softDelete' ? 'deleted' : 'available');
    touched.add(id);
  }
}

/** One burst of concurrent writes: inserts anywhere in the window, soft-deletes and restores. */
async function writerStep(rnd: () => number): Promise<void> {
  const fresh: RecordingSpec[] = [];
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const slot = Math.floor(rnd() * 40);
    const spec: RecordingSpec = { id: `new-${inserted++}-${Math.floor(rnd() * 1e6)}`, site: A, createTime: new Date(NOW - 6 * 24 * HOUR + slot * 3 * HOUR).toISOString() };
    fresh.push(spec);
  }
  await upsertRecordings(s.store, fresh);
  for (const spec of fresh) {
    byId.set(spec.id, spec);
    status.set(spec.id, 'available');
    touched.add(spec.id); // not present for the whole walk
  }
  const available = [...status.entries()].filter(([, st]) => st === 'available').map(([id]) => id);
  const deleted = [...status.entries()].filter(([, st]) => st === 'deleted').map(([id]) => id);
  const pick = (xs: string[], k: number) => {
    const out = new Set<string>();
    while (out.size < Math.min(k, xs.length)) out.add(xs[Math.floor(rnd() * xs.length)] as string);
    return [...out];
  };
  await lifecycle('softDelete', pick(available, Math.floor(rnd() * 3)));
  await lifecycle('restore', pick(deleted, Math.floor(rnd() * 3)));
}

function order(a: string, b: string): number {
  const ra = byId.get(a) as RecordingSpec;
  const rb = byId.get(b) as RecordingSpec;
  const d = Date.parse(rb.createTime) - Date.parse(ra.createTime);
  if (d !== 0) return d;
  return a < b ? 1 : a > b ? -1 : 0;
}

/** Follows next links from the first page to the last, running `between` before each next request. */
async function walkWith(max: number, between: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let url: string | null = `/v1/admin/recordings?siteUrl=${A}&max=${max}`;
  let pages = 0;
  while (url !== null) {
    const res: Res = await get(s.app, url, READER);
    expect(res.status, res.body).toBe(200);
    const items = res.json.items as { id: string }[];
    expect(items.length).toBeLessThanOrEqual(max);
    seen.push(...items.map((i) => i.id));
    const next = nextLink(res);
    url = next === null ? null : pathOf(next);
    if (url !== null) await between();
    if (++pages > 2000) throw new Error('walk did not end');
  }
  return seen;
}

function checkWalk(seen: string[], presentAtStart: string[], label: string): void {
  expect(new Set(seen).size, `${label}: an item was seen twice`).toBe(seen.length);
  for (let i = 1; i < seen.length; i++) {
    expect(order(seen[i - 1] as string, seen[i] as string), `${label}: ${seen[i - 1]} before ${seen[i]}`).toBeLessThan(0);
  }
  const stable = presentAtStart.filter((id) => !touched.has(id));
  const seenSet = new Set(seen);
  const missing = stable.filter((id) => !seenSet.has(id));
  expect(missing, `${label}: items present for the whole walk but never seen`).toEqual([]);
  // Whatever was seen existed at some point and is on the site.
  for (const id of seen) expect(byId.has(id), `${label}: unknown id ${id}`).toBe(true);
}

describe('exactly-once paging while a writer inserts, soft-deletes and restores', () => {
  for (const max of [1, 2, 3, 7, 10, 33, 50, 100]) {
    it(`max=${max}: every item present for the whole walk is seen exactly once, in order`, async () => {
      await setUp(1000 + max);
      const rnd = prng(7 * max + 1);
      const presentAtStart = [...status.entries()].filter(([, st]) => st === 'available').map(([id]) => id);
      // With max=1 there are ~140 pages: a write between every page would be most of the runtime.
      const every = max === 1 ? 5 : 1;
      let step = 0;
      const seen = await walkWith(max, async () => {
        if (step++ % every === 0) await writerStep(rnd);
      });
      checkWalk(seen, presentAtStart, `max=${max}`);
      expect(seen.length).toBeGreaterThan(0);
    });
  }

  it('three readers with different page sizes, interleaved with each other and with the writer', async () => {
    await setUp(4242);
    const rnd = prng(99);
    const presentAtStart = [...status.entries()].filter(([, st]) => st === 'available').map(([id]) => id);
    const walks = await Promise.all(
      [4, 9, 25].map((max) =>
        walkWith(max, async () => {
          if (rnd() < 0.5) await writerStep(rnd);
          // Yield so the other readers' requests interleave with this one's.
          await new Promise((resolve) => setImmediate(resolve));
        }),
      ),
    );
    walks.forEach((seen, i) => checkWalk(seen, presentAtStart, `reader ${i}`));
  });

  it('with no writes in between, the walk is exactly the available items, and repeating a next URL gives the same page', async () => {
    await setUp(77);
    const seen = await walkWith(6, async () => undefined);
    const want = [...status.entries()].filter(([, st]) => st === 'available').map(([id]) => id).sort(order);
    expect(seen).toEqual(want);
    const first = await get(s.app, `/v1/admin/recordings?siteUrl=${A}&max=6`, READER);
    const next = pathOf(nextLink(first) as string);
    const a = await get(s.app, next, READER);
    const b = await get(s.app, next, READER);
    expect(a.body).toBe(b.body);
  });
});
