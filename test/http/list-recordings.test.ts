import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import {
  expected,
  expectValidItem,
  expectWebexError,
  fold,
  get,
  ids,
  items,
  JSON_UTF8,
  LIST,
  listUrl,
  nextLink,
  paramsOf,
  walk,
} from '../helpers/http.js';

const FROM = Date.parse('2021-03-10T12:00:00Z'); // default window of NOW
const TO = Date.parse('2021-03-17T12:00:00Z');

const R: RecordingSpec[] = [
  { id: 'a01', createTime: '2021-03-16T10:00:00Z', topic: 'Straße', format: 'MP4', serviceType: 'MeetingCenter' },
  { id: 'a02', createTime: '2021-03-16T09:00:00Z', topic: 'οδος', format: 'ARF', serviceType: 'EventCenter' },
  { id: 'a03', createTime: '2021-03-16T08:00:00Z', topic: 'οδοσ', format: 'UPLOADED', serviceType: 'SupportCenter' },
  { id: 'a04', createTime: '2021-03-15T08:00:00Z', topic: 'Strasse ', serviceType: 'TrainingCenter' },
  { id: 'a05', createTime: '2021-03-15T07:00:00Z', topic: 'Caf\u00e9', preventDownload: true },
  { id: 'a07', createTime: '2021-03-15T06:00:00Z', topic: 'Strase', format: 'ARF' },
  { id: 'a08', createTime: '2021-03-13T08:00:00Z', integrationTags: ['JIRA-1', { tag: 'ZD-9', clientId: 'zendesk-app' }] },
  { id: 'a09', createTime: '2021-03-13T07:00:00Z', integrationTags: [{ tag: 'ZD-9', clientId: 'zendesk-app' }] },
  { id: 'a10', createTime: '2021-03-13T06:00:00Z', integrationTags: [{ tag: 'ZD-9', clientId: 'jira-cloud' }] },
  { id: 'a11', createTime: '2021-03-13T05:00:00Z', integrationTags: ['ZD-9'] },
  { id: 'a12', createTime: '2021-03-12T05:00:00Z', status: 'deleted' },
  { id: 'a13', createTime: '2021-03-12T04:00:00Z', status: 'purged' },
  { id: 'a14', createTime: '2021-03-12T03:00:00Z', status: 'deleted', preventDownload: true },
  { id: 'a20', createTime: '2021-03-14T00:00:00Z' },
  { id: 'a22', createTime: '2021-03-14T00:00:00Z' },
  { id: 'a21', createTime: '2021-03-14T00:00:00Z' },
  { id: 'a23', createTime: '2021-03-14T00:00:00.500Z' },
  { id: 'a19', createTime: '2021-03-14T00:00:00.500Z' },
  { id: 'a30', createTime: '2021-03-10T12:00:00Z' },
  { id: 'a31', createTime: '2021-03-10T11:59:59Z' },
  { id: 'a32', createTime: '2021-03-17T11:59:59Z' },
  { id: 'a33', createTime: '2021-03-17T12:00:00Z' },
  { id: 'b01', site: 'b.example.com', createTime: '2021-03-16T11:00:00Z', topic: 'Straße' },
  { id: 'b02', site: 'b.example.com', createTime: '2021-03-12T11:00:00Z', status: 'purged' },
  { id: 'z01', site: 'z.example.com', createTime: '2021-03-16T11:00:00Z', topic: 'Straße' },
];

const A = ['a.example.com'];
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer(R);
});
afterAll(async () => {
  await s.close();
});

const list = (params: Record<string, string | number> = {}, token: string = TOKENS.adminAll, headers: Record<string, string> = {}) =>
  get(s.app, listUrl(params), token, headers);

describe('GET /v1/admin/recordings — response basics', () => {
  it('answers 200 with application/json;charset=UTF-8 and {"items": [...]}', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(Object.keys(res.json)).toEqual(['items']);
    expect(Array.isArray(res.json.items)).toBe(true);
  });

  it('every item validates against RecordingObjectForAdminAndCO (downloadUrl absent only with prevent-download)', async () => {
    const requests: [Record<string, string | number>, string][] = [
      [{ max: 100 }, TOKENS.adminAll],
      [{ max: 100, status: 'deleted' }, TOKENS.adminAll],
      [{ max: 100, status: 'purged', siteUrl: 'a.example.com' }, TOKENS.co],
      [{ max: 100 }, TOKENS.zendesk],
      [{ max: 100 }, TOKENS.jira],
      [{ max: 100 }, TOKENS.co],
    ];
    let seen = 0;
    for (const [params, token] of requests) {
      const res = await list(params, token);
      expect(res.status).toBe(200);
      for (const item of items(res)) {
        expectValidItem(item, R);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(30);
  });

  it('renders the item fields from the stored recording', async () => {
    const res = await list({ max: 100 });
    const a01 = items(res).find((i) => i.id === 'a01');
    expect(a01).toMatchObject({
      id: 'a01',
      meetingId: 'inst-a01',
      scheduledMeetingId: 'sched-a01',
      meetingSeriesId: 'series-a01',
      topic: 'Straße',
      createTime: '2021-03-16T10:00:00Z',
      timeRecorded: '2021-03-16T09:00:00Z',
      hostDisplayName: 'Ada Lovelace',
      hostEmail: 'ada@acme.example',
      siteUrl: 'a.example.com',
      downloadUrl: 'https://a.example.com/lsr.php?RCID=a01',
      playbackUrl: 'https://a.example.com/ldr.php?RCID=a01',
      format: 'MP4',
      serviceType: 'MeetingCenter',
      durationSeconds: 1800,
      sizeBytes: 123456789,
      status: 'available',
    });
    expect(a01).not.toHaveProperty('integrationTags');
  });
});

describe('max', () => {
  it('defaults to 10', async () => {
    const all = expected(R, { sites: A, from: FROM, to: TO });
    expect(all.length).toBeGreaterThan(10);
    const res = await list();
    expect(ids(res)).toEqual(all.slice(0, 10));
    const next = nextLink(res);
    expect(next).not.toBeNull();
    expect(paramsOf(next as string).get('max')).toBe('10');
  });

  it('accepts 1 and 100', async () => {
    const all = expected(R, { sites: A, from: FROM, to: TO });
    const one = await list({ max: 1 });
    expect(ids(one)).toEqual(all.slice(0, 1));
    const hundred = await list({ max: 100 });
    expect(ids(hundred)).toEqual(all);
    expect(hundred.headers['link']).toBeUndefined();
  });

  it.each(['0', '101', 'abc', '1.5', '1e2', '-1', '1000000000000000000000'])('max=%s → 400 naming max and the value', async (value) => {
    const res = await list({ max: value });
    const { message } = expectWebexError(res, 400);
    expect(message).toContain('max');
    expect(message).toContain(value);
  });
});

describe('generic parameter rules', () => {
  it.each([
    ['topic', 'a', 'b'],
    ['max', '5', '5'],
    ['from', '2021-03-11T00:00:00Z', '2021-03-12T00:00:00Z'],
    ['format', 'MP4', 'MP4'],
    ['siteUrl', 'a.example.com', 'a.example.com'],
    ['meetingId', 'x', 'y'],
    ['status', 'available', 'available'],
  ])('a parameter given twice (%s) → 400', async (name, v1, v2) => {
    const res = await get(s.app, `${LIST}?${name}=${encodeURIComponent(v1)}&${name}=${encodeURIComponent(v2)}`, TOKENS.adminAll);
    const { message } = expectWebexError(res, 400);
    expect(message).toContain(name);
  });

  it('an empty value counts as not given', async () => {
    const plain = await list({ max: 100 });
    const empties = ['topic', 'format', 'serviceType', 'status', 'from', 'to', 'siteUrl', 'integrationTag', 'meetingId', 'cursor'];
    const res = await get(s.app, `${LIST}?max=100&${empties.map((n) => `${n}=`).join('&')}`, TOKENS.adminAll);
    expect(res.status, res.body).toBe(200);
    expect(ids(res)).toEqual(ids(plain));
    expect(ids(res).length).toBeGreaterThan(10);
    const emptyMax = await get(s.app, `${LIST}?max=`, TOKENS.adminAll);
    expect(emptyMax.status).toBe(200);
    expect(ids(emptyMax)).toHaveLength(10);
  });

  it('unknown parameters are ignored', async () => {
    const plain = await list({ max: 100 });
    const res = await get(s.app, `${LIST}?max=100&foo=bar&bogus=&Topic=nothing&max2=0&x%00y=1`, TOKENS.adminAll);
    expect(res.status, res.body).toBe(200);
    expect(ids(res)).toEqual(ids(plain));
  });

  it.each([
    ['format', 'mp4', ['MP4', 'ARF', 'UPLOADED']],
    ['format', 'Mp4', ['MP4', 'ARF', 'UPLOADED']],
    ['format', 'WAV', ['MP4', 'ARF', 'UPLOADED']],
    ['serviceType', 'meetingcenter', ['MeetingCenter', 'EventCenter', 'SupportCenter', 'TrainingCenter']],
    ['serviceType', 'Webinar', ['MeetingCenter', 'EventCenter', 'SupportCenter', 'TrainingCenter']],
    ['status', 'Available', ['available', 'deleted', 'purged']],
    ['status', 'DELETED', ['available', 'deleted', 'purged']],
    ['status', 'trash', ['available', 'deleted', 'purged']],
  ])('enum values are case-sensitive: %s=%s → 400 listing the allowed values', async (name, value, allowed) => {
    const res = await list({ [name]: value });
    const { message } = expectWebexError(res, 400);
    expect(message).toContain(name);
    for (const v of allowed) expect(message).toContain(v);
  });
});

describe('status', () => {
  it('defaults to available', async () => {
    const res = await list({ max: 100 });
    expect(items(res).every((i) => i.status === 'available')).toBe(true);
    const explicit = await list({ max: 100, status: 'available' });
    expect(ids(explicit)).toEqual(ids(res));
  });

  it('deleted lists the recycle bin for an admin', async () => {
    const res = await list({ max: 100, status: 'deleted' });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(expected(R, { sites: A, from: FROM, to: TO, status: 'deleted' }));
    expect(ids(res)).toEqual(['a12', 'a14']);
    expect(items(res).every((i) => i.status === 'deleted')).toBe(true);
  });

  it('purged by an admin → 403', async () => {
    expectWebexError(await list({ status: 'purged' }), 403);
    expectWebexError(await list({ status: 'purged', siteUrl: 'b.example.com' }, TOKENS.adminOne), 403);
  });

  it('purged by a compliance officer → 200 with purged items', async () => {
    const res = await list({ max: 100, status: 'purged', siteUrl: 'a.example.com' }, TOKENS.co);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(['a13']);
    expect(items(res)[0]?.status).toBe('purged');
    const preferred = await list({ status: 'purged' }, TOKENS.co);
    expect(ids(preferred)).toEqual(['b02']);
  });

  it('a token with both read scopes is a compliance officer (purged → 200)', async () => {
    const res = await list({ status: 'purged', siteUrl: 'a.example.com' }, TOKENS.coAndAdmin);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(['a13']);
  });
});

describe('topic', () => {
  const topicIds = async (topic: string, token: string = TOKENS.adminAll) => {
    const res = await list({ max: 100, topic }, token);
    expect(res.status, res.body).toBe(200);
    return ids(res);
  };

  it('matches the whole topic case-insensitively with full case folding (ß = SS)', async () => {
    for (const q of ['Straße', 'STRASSE', 'strasse', 'StraSSe', 'straSSE']) {
      expect(await topicIds(q), q).toEqual(['a01']);
    }
    expect(fold('STRASSE')).toBe(fold('Straße'));
  });

  it('full case folding maps the capital sharp s (U+1E9E) to ss as well', async () => {
    // CaseFolding.txt: 1E9E; F; 0073 0073 — so "STRAẞE" folds to "strasse", like "Straße".
    expect(fold('STRA\u1E9EE')).toBe(fold('Straße'));
    expect(await topicIds('STRA\u1E9EE')).toEqual(['a01']);
  });

  it('final and medial sigma are the same letter (ΟΔΟΣ matches οδος and οδοσ)', async () => {
    expect(await topicIds('ΟΔΟΣ')).toEqual(['a02', 'a03']);
    expect(await topicIds('οδος')).toEqual(['a02', 'a03']);
    expect(await topicIds('οδοσ')).toEqual(['a02', 'a03']);
  });

  it('compares after NFC normalization', async () => {
    expect(await topicIds('CAFE\u0301')).toEqual(['a05']);
    expect(await topicIds('caf\u00e9')).toEqual(['a05']);
  });

  it('does not trim', async () => {
    expect(await topicIds('Strasse ')).toEqual(['a04']);
    expect(await topicIds(' Straße')).toEqual([]);
    expect(await topicIds('Straße ')).toEqual(['a04']); // folds to "strasse ", the stored a04
    expect(await topicIds('Strase ')).toEqual([]);
    expect(await topicIds('Strasse')).toEqual(['a01']); // not a04: its trailing space counts
  });

  it('has no wildcards and no partial matches', async () => {
    for (const q of ['Stra%', '%', 'Stra_e', 'Stra*', '*', 'Stra', 'traße', 'Stra?e', '.*']) {
      expect(await topicIds(q), q).toEqual([]);
    }
  });

  it('is limited to the requested site', async () => {
    expect(await topicIds('straße', TOKENS.co)).toEqual(['b01']);
  });
});

describe('format and serviceType filters', () => {
  it.each(['MP4', 'ARF', 'UPLOADED'] as const)('format=%s', async (format) => {
    const res = await list({ max: 100, format });
    expect(res.status).toBe(200);
    const want = expected(R, { sites: A, from: FROM, to: TO, format });
    expect(want.length).toBeGreaterThan(0);
    expect(ids(res)).toEqual(want);
    expect(items(res).every((i) => i.format === format)).toBe(true);
  });

  it.each(['MeetingCenter', 'EventCenter', 'SupportCenter', 'TrainingCenter'] as const)('serviceType=%s', async (serviceType) => {
    const res = await list({ max: 100, serviceType });
    expect(res.status).toBe(200);
    const want = expected(R, { sites: A, from: FROM, to: TO, serviceType });
    expect(want.length).toBeGreaterThan(0);
    expect(ids(res)).toEqual(want);
  });

  it('filters combine', async () => {
    const res = await list({ max: 100, format: 'ARF', serviceType: 'EventCenter' });
    expect(ids(res)).toEqual(['a02']);
    const none = await list({ max: 100, format: 'ARF', topic: 'Straße' });
    expect(ids(none)).toEqual([]);
  });
});

describe('integrationTag', () => {
  const tagsOf = (res: Awaited<ReturnType<typeof list>>, id: string) => items(res).find((i) => i.id === id);

  it('a client-less tag is matched and returned for every caller', async () => {
    for (const token of [TOKENS.adminAll, TOKENS.zendesk, TOKENS.jira]) {
      const res = await list({ max: 100, integrationTag: 'JIRA-1' }, token);
      expect(ids(res)).toEqual(['a08']);
      expect(tagsOf(res, 'a08')?.integrationTags).toContain('JIRA-1');
    }
  });

  it('a tag created by zendesk-app is matched only for the zendesk token', async () => {
    const zendesk = await list({ max: 100, integrationTag: 'ZD-9' }, TOKENS.zendesk);
    expect(ids(zendesk)).toEqual(['a08', 'a09', 'a11']);
    const jira = await list({ max: 100, integrationTag: 'ZD-9' }, TOKENS.jira);
    expect(ids(jira)).toEqual(['a10', 'a11']);
    const noClient = await list({ max: 100, integrationTag: 'ZD-9' }, TOKENS.adminAll);
    expect(ids(noClient)).toEqual(['a11']);
  });

  it('a tag created by one client is returned only to that client; the field is absent when none is visible', async () => {
    const zendesk = await list({ max: 100 }, TOKENS.zendesk);
    expect(tagsOf(zendesk, 'a08')?.integrationTags).toEqual(expect.arrayContaining(['JIRA-1', 'ZD-9']));
    expect((tagsOf(zendesk, 'a08')?.integrationTags as string[]).length).toBe(2);
    expect(tagsOf(zendesk, 'a09')?.integrationTags).toEqual(['ZD-9']);
    expect(tagsOf(zendesk, 'a10')).not.toHaveProperty('integrationTags');

    const jira = await list({ max: 100 }, TOKENS.jira);
    expect(tagsOf(jira, 'a08')?.integrationTags).toEqual(['JIRA-1']);
    expect(tagsOf(jira, 'a09')).not.toHaveProperty('integrationTags');
    expect(tagsOf(jira, 'a10')?.integrationTags).toEqual(['ZD-9']);

    const noClient = await list({ max: 100 }, TOKENS.adminAll);
    expect(tagsOf(noClient, 'a08')?.integrationTags).toEqual(['JIRA-1']);
    expect(tagsOf(noClient, 'a09')).not.toHaveProperty('integrationTags');
    expect(tagsOf(noClient, 'a10')).not.toHaveProperty('integrationTags');
    expect(tagsOf(noClient, 'a11')?.integrationTags).toEqual(['ZD-9']);
    expect(tagsOf(noClient, 'a01')).not.toHaveProperty('integrationTags');
  });

  it('a tag nobody carries matches nothing', async () => {
    expect(ids(await list({ integrationTag: 'NOPE' }, TOKENS.zendesk))).toEqual([]);
    expect(ids(await list({ integrationTag: 'zd-9' }, TOKENS.zendesk))).toEqual([]);
  });
});

describe('integrationTag carried twice: client-less and by the caller\'s client', () => {
  let t: TestServer;
  beforeAll(async () => {
    const twice = ['JIRA-1', { tag: 'JIRA-1', clientId: 'zendesk-app' }];
    t = await startTestServer([
      { id: 'd1', createTime: '2021-03-16T10:00:00Z', integrationTags: twice },
      { id: 'd2', createTime: '2021-03-16T09:00:00Z', integrationTags: twice },
      { id: 'd3', createTime: '2021-03-16T08:00:00Z', integrationTags: [{ tag: 'JIRA-1', clientId: 'zendesk-app' }] },
      { id: 'd4', createTime: '2021-03-16T07:00:00Z', integrationTags: ['JIRA-1'] },
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists each recording once, on one page and page by page', async () => {
    for (const max of [100, 1, 3]) {
      const walked = await walk(t.app, listUrl({ max, integrationTag: 'JIRA-1' }), TOKENS.zendesk);
      expect(walked.ids, `max=${max}`).toEqual(['d1', 'd2', 'd3', 'd4']);
    }
    expect((await walk(t.app, listUrl({ max: 1, integrationTag: 'JIRA-1' }), TOKENS.adminAll)).ids).toEqual(['d1', 'd2', 'd4']);
  });
});

describe('prevent download', () => {
  it('the downloadUrl key is absent when downloading is prevented, present otherwise', async () => {
    const res = await list({ max: 100 });
    const a05 = items(res).find((i) => i.id === 'a05');
    expect(a05).toBeDefined();
    expect(Object.keys(a05 as object)).not.toContain('downloadUrl');
    expect(res.body).not.toContain('lsr.php?RCID=a05');
    for (const i of items(res).filter((x) => x.id !== 'a05')) expect(typeof i.downloadUrl).toBe('string');
    const deleted = await list({ status: 'deleted' });
    const a14 = items(deleted).find((i) => i.id === 'a14');
    expect(a14).toBeDefined();
    expect(a14).not.toHaveProperty('downloadUrl');
  });
});

describe('order', () => {
  it('is createTime descending, ties broken by id descending', async () => {
    const res = await list({ max: 100 });
    expect(ids(res)).toEqual(expected(R, { sites: A, from: FROM, to: TO }));
    const tied = ids(res).filter((id) => ['a19', 'a20', 'a21', 'a22', 'a23'].includes(id));
    // a19 and a23 are half a second later than a20..a22, all in the same rendered second.
    expect(tied).toEqual(['a23', 'a19', 'a22', 'a21', 'a20']);
    const rendered = items(res)
      .filter((i) => tied.includes(i.id as string))
      .map((i) => i.createTime);
    expect(new Set(rendered)).toEqual(new Set(['2021-03-14T00:00:00Z']));
  });

  it('keeps the order across pages of ties', async () => {
    const p1 = await list({ max: 2, from: '2021-03-14T00:00:00Z', to: '2021-03-14T00:00:01Z' });
    expect(ids(p1)).toEqual(['a23', 'a19']);
    const next = nextLink(p1) as string;
    const p2 = await get(s.app, new URL(next).pathname + new URL(next).search, TOKENS.adminAll);
    expect(ids(p2)).toEqual(['a22', 'a21']);
  });
});
