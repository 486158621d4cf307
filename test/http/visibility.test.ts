import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import {
  expected,
  expectWebexError,
  get,
  ids,
  items,
  listUrl,
  nextLink,
  paramsOf,
  pathOf,
  walk,
  type Res,
} from '../helpers/http.js';

const A = 'a.example.com';
const B = 'b.example.com';
const Z = 'z.example.com';

const R: RecordingSpec[] = [
  { id: 'v-a1', site: A, createTime: '2021-03-16T10:00:00Z', meetingSeriesId: 'S1', scheduledMeetingId: 'S1_sched1', meetingId: 'S1_inst1', topic: 'Quarterly review' },
  { id: 'v-a2', site: A, createTime: '2021-01-01T10:00:00Z', meetingSeriesId: 'S1', scheduledMeetingId: 'S1_sched1', meetingId: 'S1_inst2', topic: 'Quarterly review' },
  { id: 'v-b1', site: B, createTime: '2021-03-15T10:00:00Z', meetingSeriesId: 'S1', scheduledMeetingId: 'S1_sched2', meetingId: 'S1_inst3', topic: 'Quarterly review', integrationTags: ['ACME-TAG'] },
  { id: 'v-b2', site: B, createTime: '2020-12-01T10:00:00Z', meetingSeriesId: 'S1', scheduledMeetingId: 'S1_sched2', meetingId: 'S1_inst3', topic: 'Quarterly review' },
  { id: 'v-b3', site: B, createTime: '2021-03-14T10:00:00Z', meetingSeriesId: 'S1', scheduledMeetingId: 'S1_sched2', meetingId: 'S1_inst4', status: 'deleted' },
  { id: 'v-a3', site: A, createTime: '2021-03-16T09:00:00Z', topic: 'Acme secret plan' },
  { id: 'v-a4', site: A, createTime: '2021-03-12T09:00:00Z', status: 'purged', topic: 'Acme purged' },
  { id: 'v-b4', site: B, createTime: '2021-03-16T08:00:00Z', topic: 'Acme board', integrationTags: ['ACME-TAG'] },
  { id: 'v-b5', site: B, createTime: '2021-03-16T07:00:00Z', topic: 'Acme board' },
  // The other org reuses a meeting id (S1) — still never mixed with acme's.
  { id: 'v-z1', site: Z, createTime: '2021-03-16T10:00:00Z', meetingSeriesId: 'S1', topic: 'Other org meeting' },
  { id: 'v-z2', site: Z, createTime: '2021-03-16T09:00:00Z', topic: 'Other org meeting 2' },
];
const ACME_IDS = R.filter((r) => r.site !== Z).map((r) => r.id);
const ACME_TOPICS = ['Quarterly review', 'Acme secret plan', 'Acme purged', 'Acme board'];

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer(R);
});
afterAll(async () => {
  await s.close();
});

const list = (params: Record<string, string | number>, token: string) => get(s.app, listUrl(params), token);

describe('who may list', () => {
  it.each([
    ['a token with only meeting:recordings_read', TOKENS.user],
    ['a token with only meeting:preferences_read', TOKENS.userPrefs],
  ])('%s → 403', async (_label, token) => {
    expectWebexError(await list({}, token), 403);
    expectWebexError(await list({ siteUrl: A }, token), 403);
    expectWebexError(await list({ meetingId: 'S1' }, token), 403);
  });
});

describe('sites an admin may see', () => {
  it("defaults to the caller's preferred site (admin-one: b.example.com)", async () => {
    const res = await list({ max: 100 }, TOKENS.adminOne);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(['v-b4', 'v-b5', 'v-b1']);
    expect(items(res).every((i) => i.siteUrl === B)).toBe(true);
    const adminAll = await list({ max: 100 }, TOKENS.adminAll);
    expect(ids(adminAll)).toEqual(['v-a1', 'v-a3']);
  });

  it('lists an own site on request', async () => {
    expect(ids(await list({ siteUrl: B }, TOKENS.adminOne))).toEqual(['v-b4', 'v-b5', 'v-b1']);
    expect(ids(await list({ siteUrl: B }, TOKENS.adminAll))).toEqual(['v-b4', 'v-b5', 'v-b1']);
  });

  it('another site of the same org → 403', async () => {
    const res = await list({ siteUrl: A }, TOKENS.adminOne);
    expectWebexError(res, 403);
    expect(res.body).not.toContain('v-a');
  });

  it("another org's site → 403 with the same message as a site that does not exist", async () => {
    const foreign = expectWebexError(await list({ siteUrl: Z }, TOKENS.adminOne), 403);
    const missing = expectWebexError(await list({ siteUrl: 'nope.example.com' }, TOKENS.adminOne), 403);
    expect(foreign.message.split(Z).join('<site>')).toBe(missing.message.split('nope.example.com').join('<site>'));
    const fromOther = expectWebexError(await list({ siteUrl: A }, TOKENS.otherAdmin), 403);
    const missingOther = expectWebexError(await list({ siteUrl: 'nope.example.com' }, TOKENS.otherAdmin), 403);
    expect(fromOther.message.split(A).join('<site>')).toBe(missingOther.message.split('nope.example.com').join('<site>'));
    const coForeign = expectWebexError(await list({ siteUrl: Z }, TOKENS.co), 403);
    const coMissing = expectWebexError(await list({ siteUrl: 'nope.example.com' }, TOKENS.co), 403);
    expect(coForeign.message.split(Z).join('<site>')).toBe(coMissing.message.split('nope.example.com').join('<site>'));
  });
});

describe('sites a compliance officer may see', () => {
  it('every site of the org', async () => {
    expect(ids(await list({ siteUrl: A }, TOKENS.co))).toEqual(['v-a1', 'v-a3']);
    expect(ids(await list({ siteUrl: B }, TOKENS.co))).toEqual(['v-b4', 'v-b5', 'v-b1']);
  });

  it('defaults to the preferred site', async () => {
    expect(ids(await list({}, TOKENS.co))).toEqual(['v-b4', 'v-b5', 'v-b1']);
  });

  it('a token with both read scopes sees every site of the org (CO), though its person administers only b', async () => {
    expect(ids(await list({ siteUrl: A }, TOKENS.coAndAdmin))).toEqual(['v-a1', 'v-a3']);
  });
});

describe('meetingId', () => {
  it('matches the meeting series id across sites and ignores the date window', async () => {
    const res = await list({ meetingId: 'S1', max: 100 }, TOKENS.adminAll);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(['v-a1', 'v-b1', 'v-a2', 'v-b2']);
  });

  it('matches the scheduled meeting id', async () => {
    expect(ids(await list({ meetingId: 'S1_sched1' }, TOKENS.adminAll))).toEqual(['v-a1', 'v-a2']);
    expect(ids(await list({ meetingId: 'S1_sched2' }, TOKENS.adminAll))).toEqual(['v-b1', 'v-b2']);
  });

  it('matches the meeting instance id', async () => {
    expect(ids(await list({ meetingId: 'S1_inst3' }, TOKENS.adminAll))).toEqual(['v-b1', 'v-b2']);
    expect(ids(await list({ meetingId: 'S1_inst1' }, TOKENS.adminAll))).toEqual(['v-a1']);
    expect(ids(await list({ meetingId: 'S1_inst' }, TOKENS.adminAll))).toEqual([]);
  });

  it('keeps the status filter', async () => {
    expect(ids(await list({ meetingId: 'S1', status: 'deleted' }, TOKENS.adminAll))).toEqual(['v-b3']);
  });

  it('stays limited to the sites the caller may see', async () => {
    // admin-one administers b only: never a's recordings of the same meeting.
    expect(ids(await list({ meetingId: 'S1', max: 100 }, TOKENS.adminOne))).toEqual(['v-b1', 'v-b2']);
    expect(ids(await list({ meetingId: 'S1_sched1' }, TOKENS.adminOne))).toEqual([]);
    expect(ids(await list({ meetingId: 'S1_inst1' }, TOKENS.adminOne))).toEqual([]);
    expect(ids(await list({ meetingId: 'S1', siteUrl: A }, TOKENS.adminOne))).toEqual(['v-b1', 'v-b2']);
    // a compliance officer sees the whole org
    expect(ids(await list({ meetingId: 'S1', max: 100 }, TOKENS.co))).toEqual(['v-a1', 'v-b1', 'v-a2', 'v-b2']);
    // the other org only ever sees its own recording of a meeting with the same id
    expect(ids(await list({ meetingId: 'S1', max: 100 }, TOKENS.otherAdmin))).toEqual(['v-z1']);
    expect(ids(await list({ meetingId: 'S1', max: 100 }, TOKENS.otherCo))).toEqual(['v-z1']);
  });

  it('overrides siteUrl, from and to — which are not even parsed', async () => {
    const want = ['v-a1', 'v-b1', 'v-a2', 'v-b2'];
    const variants: Record<string, string>[] = [
      { siteUrl: B },
      { siteUrl: Z },
      { siteUrl: 'nope.example.com' },
      { from: 'garbage', to: 'also garbage' },
      { from: '2021-02-29' },
      { from: '2021-03-10T00:00:00Z', to: '2021-03-01T00:00:00Z' },
      { from: '2020-01-01T00:00:00Z', to: '2021-01-01T00:00:00Z' },
    ];
    for (const v of variants) {
      const res = await list({ meetingId: 'S1', max: 100, ...v }, TOKENS.adminAll);
      expect(res.status, `${JSON.stringify(v)}: ${res.body}`).toBe(200);
      expect(ids(res)).toEqual(want);
    }
  });

  it('still validates the other parameters', async () => {
    expectWebexError(await list({ meetingId: 'S1', max: 0 }, TOKENS.adminAll), 400);
    expectWebexError(await list({ meetingId: 'S1', format: 'mp4' }, TOKENS.adminAll), 400);
    expectWebexError(await list({ meetingId: 'S1', status: 'purged' }, TOKENS.adminAll), 403);
  });

  it('the next link repeats meetingId and max but carries no from, to or siteUrl', async () => {
    const first = await list({ meetingId: 'S1', max: 1, siteUrl: B, from: 'garbage', to: 'garbage' }, TOKENS.adminAll);
    const next = nextLink(first) as string;
    expect(next).not.toBeNull();
    const p = paramsOf(next);
    expect(p.get('meetingId')).toBe('S1');
    expect(p.get('max')).toBe('1');
    expect(p.has('from')).toBe(false);
    expect(p.has('to')).toBe(false);
    expect(p.has('siteUrl')).toBe(false);
    expect(p.get('cursor')).toBeTruthy();
    const w = await walk(s.app, listUrl({ meetingId: 'S1', max: 1 }), TOKENS.adminAll);
    expect(w.ids).toEqual(['v-a1', 'v-b1', 'v-a2', 'v-b2']);
    expect(w.pages).toHaveLength(4);
  });
});

describe('organizations are isolated', () => {
  function expectNoAcme(res: Res, requested: string[] = []): void {
    const text = JSON.stringify(res.headers) + res.body;
    for (const id of ACME_IDS) expect(text, `leaks ${id}`).not.toContain(id);
    for (const topic of ACME_TOPICS) expect(text, `leaks ${topic}`).not.toContain(topic);
    for (const site of [A, B]) if (!requested.includes(site)) expect(text, `leaks ${site}`).not.toContain(site);
    expect(text).not.toContain('ACME-TAG');
  }

  it('tokens of the other org never see acme data', async () => {
    const requests: [Record<string, string | number>, string[]][] = [
      [{}, []],
      [{ max: 100 }, []],
      [{ max: 1 }, []],
      [{ meetingId: 'S1', max: 1 }, []],
      [{ meetingId: 'S1_sched1' }, []],
      [{ meetingId: 'S1_inst3' }, []],
      [{ integrationTag: 'ACME-TAG' }, []],
      [{ topic: 'Quarterly review' }, []],
      [{ topic: 'Acme board' }, []],
      [{ status: 'deleted' }, []],
      [{ siteUrl: A }, [A]],
      [{ siteUrl: B }, [B]],
      [{ siteUrl: A, status: 'purged' }, [A]],
      [{ meetingId: 'S1', siteUrl: A }, [A]],
    ];
    for (const token of [TOKENS.otherAdmin, TOKENS.otherCo]) {
      for (const [params, requested] of requests) {
        const res = await list(params, token);
        expect(res.status).toBeLessThan(500);
        expectNoAcme(res, requested);
        if (res.status === 200) {
          for (const i of items(res)) expect(i.siteUrl).toBe(Z);
          const next = nextLink(res);
          if (next !== null) {
            const page2 = await get(s.app, pathOf(next), token);
            expect(page2.status).toBe(200);
            expectNoAcme(page2, requested);
          }
        }
      }
      const purged = await list({ status: 'purged' }, TOKENS.otherCo);
      expect(purged.status).toBe(200);
      expect(ids(purged)).toEqual([]);
    }
  });

  it('the other org lists its own recordings by default', async () => {
    expect(ids(await list({}, TOKENS.otherAdmin))).toEqual(['v-z1', 'v-z2']);
    // other-co has no preferred site: the only site of its org is the default.
    expect(ids(await list({}, TOKENS.otherCo))).toEqual(['v-z1', 'v-z2']);
  });

  it('acme callers never see the other org', async () => {
    for (const token of [TOKENS.adminAll, TOKENS.co, TOKENS.adminOne]) {
      const res = await list({ meetingId: 'S1', max: 100 }, token);
      expect(ids(res)).not.toContain('v-z1');
      expect(res.body).not.toContain(Z);
    }
    expect(expected(R, { sites: [A, B], meetingId: 'S1' })).toEqual(['v-a1', 'v-b1', 'v-a2', 'v-b2']);
  });
});
