import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NOW, startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import {
  expected,
  expectWebexError,
  get,
  ids,
  items,
  listUrl,
  nextLink,
  OFFSET_INSTANT,
  paramsOf,
  UTC_INSTANT,
} from '../helpers/http.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One recording every 6 hours, on the hour (UTC), over each range. */
function grid(prefix: string, fromIso: string, toIso: string): RecordingSpec[] {
  const out: RecordingSpec[] = [];
  for (let t = Date.parse(fromIso), i = 0; t < Date.parse(toIso); t += 6 * HOUR, i++) {
    out.push({ id: `${prefix}${String(i).padStart(4, '0')}`, createTime: new Date(t).toISOString() });
  }
  return out;
}

const R: RecordingSpec[] = [
  ...grid('g1-', '2020-06-25T00:00:00Z', '2020-07-27T00:00:00Z'),
  ...grid('g2-', '2020-10-18T00:00:00Z', '2020-11-22T00:00:00Z'),
  ...grid('g3-', '2021-02-26T00:00:00Z', '2021-04-03T00:00:00Z'),
  { id: 'tz-summer', createTime: '2020-07-13T17:11:35Z' },
  { id: 'tz-winter', createTime: '2021-01-15T10:00:00Z' },
  { id: 'tz-winter-2', createTime: '2021-01-15T09:00:00Z' },
  { id: 'dst-before', createTime: '2021-03-14T06:59:59Z' },
  { id: 'dst-after', createTime: '2021-03-14T07:00:00Z' },
];
const A = ['a.example.com'];

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

const list = (params: Record<string, string | number>, headers: Record<string, string> = {}) =>
  get(s.app, listUrl({ siteUrl: 'a.example.com', ...params }), TOKENS.adminAll, headers);

/** The window the server resolved, read back from the next link (explicit instants with offsets). */
async function resolvedWindow(params: Record<string, string | number>, headers: Record<string, string> = {}) {
  const res = await list({ max: 1, ...params }, headers);
  expect(res.status, res.body).toBe(200);
  const next = nextLink(res);
  expect(next, 'the window holds more than one recording, so a next link exists').not.toBeNull();
  const p = paramsOf(next as string);
  const from = p.get('from') as string;
  const to = p.get('to') as string;
  expect(from).toMatch(/(Z|[+-]\d{2}:\d{2})$/);
  expect(to).toMatch(/(Z|[+-]\d{2}:\d{2})$/);
  return { from: Date.parse(from), to: Date.parse(to), fromText: from, toText: to, res };
}

describe('timezone header: rendering', () => {
  const window = { from: '2020-07-13T17:00:00Z', to: '2020-07-13T18:00:00Z' };

  it('renders createTime and timeRecorded in the zone with its offset (-04:00 for New York in summer)', async () => {
    const res = await list(window, { timezone: 'America/New_York' });
    expect(res.status).toBe(200);
    const item = items(res).find((i) => i.id === 'tz-summer');
    expect(item?.createTime).toBe('2020-07-13T13:11:35-04:00');
    expect(item?.timeRecorded).toBe('2020-07-13T12:11:35-04:00');
  });

  it('renders UTC with Z, with or without the header', async () => {
    for (const headers of [{}, { timezone: 'UTC' }] as Record<string, string>[]) {
      const res = await list(window, headers);
      const item = items(res).find((i) => i.id === 'tz-summer');
      expect(item?.createTime).toBe('2020-07-13T17:11:35Z');
      expect(item?.timeRecorded).toBe('2020-07-13T16:11:35Z');
      for (const i of items(res)) {
        expect(i.createTime).toMatch(UTC_INSTANT);
        expect(i.timeRecorded).toMatch(UTC_INSTANT);
      }
    }
  });

  it('renders Europe/London in winter as +00:00 (not Z) and in summer as +01:00', async () => {
    const winter = await list({ from: '2021-01-15T00:00:00Z', to: '2021-01-16T00:00:00Z' }, { timezone: 'Europe/London' });
    expect(items(winter).map((i) => i.createTime)).toEqual(['2021-01-15T10:00:00+00:00', '2021-01-15T09:00:00+00:00']);
    const summer = await list(window, { timezone: 'Europe/London' });
    expect(items(summer).find((i) => i.id === 'tz-summer')?.createTime).toBe('2020-07-13T18:11:35+01:00');
  });

  it('switches the offset exactly at the DST change', async () => {
    const res = await list({ from: '2021-03-14T06:59:59Z', to: '2021-03-14T07:00:01Z' }, { timezone: 'America/New_York' });
    expect(items(res).map((i) => [i.id, i.createTime])).toEqual([
      ['dst-after', '2021-03-14T03:00:00-04:00'],
      ['dst-before', '2021-03-14T01:59:59-05:00'],
    ]);
  });

  it('renders other zones with their numeric offset, seconds precision', async () => {
    const shanghai = await list(window, { timezone: 'Asia/Shanghai' });
    expect(items(shanghai).find((i) => i.id === 'tz-summer')?.createTime).toBe('2020-07-14T01:11:35+08:00');
    const kolkata = await list(window, { timezone: 'Asia/Kolkata' });
    expect(items(kolkata).find((i) => i.id === 'tz-summer')?.createTime).toBe('2020-07-13T22:41:35+05:30');
    for (const i of items(kolkata)) expect(i.createTime).toMatch(OFFSET_INSTANT);
  });

  it.each(['Mars/Olympus_Mons', 'America/NewYork', '+05:00', 'GMT+25', 'Not a zone', 'America/New_York\u0000'])(
    'unknown zone %j → 400',
    async (zone) => {
      const res = await get(s.app, listUrl({ siteUrl: 'a.example.com' }), TOKENS.adminAll, { timezone: zone });
      const { message } = expectWebexError(res, 400);
      expect(message.toLowerCase()).toContain('timezone');
    },
  );
});

describe('timezone header: reading from/to without an offset', () => {
  it('reads a local date-time in the request zone', async () => {
    const ny = await list({ from: '2020-07-13T13:11:35', to: '2020-07-13T13:11:36' }, { timezone: 'America/New_York' });
    expect(ids(ny)).toEqual(['tz-summer']);
    const utc = await list({ from: '2020-07-13T13:11:35', to: '2020-07-13T13:11:36' });
    expect(ids(utc)).toEqual([]);
    const utc2 = await list({ from: '2020-07-13T17:11:35', to: '2020-07-13T17:11:36' });
    expect(ids(utc2)).toEqual(['tz-summer']);
  });

  it('reads a date without time as local midnight in the zone', async () => {
    const w = await resolvedWindow({ from: '2020-07-13' }, { timezone: 'Asia/Shanghai' });
    expect(w.from).toBe(Date.parse('2020-07-12T16:00:00Z'));
    expect(w.fromText).toBe('2020-07-13T00:00:00+08:00');
  });

  it('moves a wall time skipped by DST forward by the gap', async () => {
    const w = await resolvedWindow({ from: '2021-03-14T02:30' }, { timezone: 'America/New_York' });
    expect(w.from).toBe(Date.parse('2021-03-14T07:30:00Z')); // 03:30 EDT
  });

  it('takes the earlier instant for an ambiguous wall time', async () => {
    const w = await resolvedWindow({ from: '2020-11-01T01:30' }, { timezone: 'America/New_York' });
    expect(w.from).toBe(Date.parse('2020-11-01T05:30:00Z')); // 01:30 EDT, not 01:30 EST
  });

  it('an explicit offset wins over the zone', async () => {
    const w = await resolvedWindow({ from: '2020-07-13T17:11:35Z' }, { timezone: 'Asia/Shanghai' });
    expect(w.from).toBe(Date.parse('2020-07-13T17:11:35Z'));
  });
});

describe('ISO 8601 inputs accepted for from', () => {
  const cases: [string, string][] = [
    ['2020-07-13T17:11:35Z', '2020-07-13T17:11:35.000Z'],
    ['20200713T171135Z', '2020-07-13T17:11:35.000Z'],
    ['2020-07-13T17:11', '2020-07-13T17:11:00.000Z'],
    ['2020-07-13', '2020-07-13T00:00:00.000Z'],
    ['2020-07', '2020-07-01T00:00:00.000Z'],
    ['2020-07-13T17:11:35.5Z', '2020-07-13T17:11:35.500Z'],
    ['2020-07-13T17:11:35,5Z', '2020-07-13T17:11:35.500Z'],
    ['2020-07-13T17:11:35.123Z', '2020-07-13T17:11:35.123Z'],
    ['2020-07-13 17:11:35Z', '2020-07-13T17:11:35.000Z'],
    ['2020-07-13 17:11', '2020-07-13T17:11:00.000Z'],
    ['2020-07-13T17:11:35+08:00', '2020-07-13T09:11:35.000Z'],
    ['2020-07-13T17:11:35+0800', '2020-07-13T09:11:35.000Z'],
    ['2020-07-13T17:11:35+08', '2020-07-13T09:11:35.000Z'],
    ['2020-07-13T17:11:35-04:00', '2020-07-13T21:11:35.000Z'],
    ['2020-07-13T17:11:35.25+08:00', '2020-07-13T09:11:35.250Z'],
    ['2020-W29-1', '2020-07-13T00:00:00.000Z'],
    ['2020-W29-1T10:00Z', '2020-07-13T10:00:00.000Z'],
    ['2020-195', '2020-07-13T00:00:00.000Z'],
  ];

  it.each(cases)('from=%s → 200, read as %s', async (value, instant) => {
    const w = await resolvedWindow({ from: value });
    expect(new Date(w.from).toISOString()).toBe(instant);
    // only from given → to = from + 7 days
    expect(w.to).toBe(Date.parse(instant) + 7 * DAY);
    // the window really filters on createTime from that instant (inclusive)
    const all = await list({ max: 100, from: value });
    expect(ids(all)).toEqual(expected(R, { sites: A, from: w.from, to: w.to }));
  });
});

describe('ISO 8601 inputs rejected', () => {
  const rejected = [
    '2021-02-29',
    '2020-13-01',
    '2020-07-13T25:00',
    'T25:00',
    '2020-02-30',
    '2020-07-13T17:61',
    '2020-00-10',
    'yesterday',
    'July 13, 2020',
    'now',
    '13/07/2020',
    '1594660295',
    '1594660295000',
    '2020-07-13T17:11:35 Z Z',
    '2020-W54-1',
    '2020-367',
  ];

  it.each(rejected)('from=%j → 400 naming the parameter and the value', async (value) => {
    const res = await list({ from: value });
    const { message } = expectWebexError(res, 400);
    expect(message).toContain('from');
    expect(message).toContain(value);
  });

  it.each(['2021-02-29', 'tomorrow', '1594660295'])('to=%j → 400 naming to and the value', async (value) => {
    const res = await list({ to: value });
    const { message } = expectWebexError(res, 400);
    expect(message).toMatch(/\bto\b/);
    expect(message).toContain(value);
  });
});

describe('date window', () => {
  it('defaults to [now − 7 days, now) using the injected clock', async () => {
    s.setNow(Date.parse('2020-07-20T00:00:00Z'));
    const res = await list({ max: 100 });
    expect(res.status).toBe(200);
    const want = expected(R, { sites: A, from: Date.parse('2020-07-13T00:00:00Z'), to: Date.parse('2020-07-20T00:00:00Z') });
    expect(ids(res)).toEqual(want);
    expect(want).toHaveLength(29); // 28 grid recordings + tz-summer
    expect(ids(res)).toContain('g1-0072'); // 2020-07-13T00:00Z: from is inclusive
    expect(ids(res)).not.toContain('g1-0100'); // 2020-07-20T00:00Z: to is exclusive
    const w = await resolvedWindow({});
    expect(w.fromText).toBe('2020-07-13T00:00:00Z');
    expect(w.toText).toBe('2020-07-20T00:00:00Z');
  });

  it('the default window follows the clock', async () => {
    s.setNow(Date.parse('2020-07-20T06:00:00Z'));
    const w = await resolvedWindow({});
    expect(w.from).toBe(Date.parse('2020-07-13T06:00:00Z'));
    expect(w.to).toBe(Date.parse('2020-07-20T06:00:00Z'));
  });

  it('counts the default 7 days in calendar days of the request zone (across DST)', async () => {
    // NOW = 2021-03-17T12:00Z = 08:00 EDT; seven calendar days earlier is 2021-03-10 08:00 EST = 13:00Z.
    const ny = await resolvedWindow({}, { timezone: 'America/New_York' });
    expect(ny.from).toBe(Date.parse('2021-03-10T13:00:00Z'));
    expect(ny.to).toBe(NOW);
    expect(ny.fromText).toBe('2021-03-10T08:00:00-05:00');
    expect(ny.toText).toBe('2021-03-17T08:00:00-04:00');
    const utc = await resolvedWindow({});
    expect(utc.from).toBe(Date.parse('2021-03-10T12:00:00Z'));
    // g3 has a recording at 2021-03-10T12:00Z: inside the UTC default window, outside New York's.
    const nyAll = await list({ max: 100 }, { timezone: 'America/New_York' });
    const utcAll = await list({ max: 100 });
    expect(ids(utcAll)).toContain('g3-0050');
    expect(ids(nyAll)).not.toContain('g3-0050');
    expect(ids(nyAll)).toEqual(expected(R, { sites: A, from: Date.parse('2021-03-10T13:00:00Z'), to: NOW }));
  });

  it('only to given → from = to − 7 days (calendar days in the zone)', async () => {
    const utc = await resolvedWindow({ to: '2020-07-20T00:00:00Z' });
    expect(utc.from).toBe(Date.parse('2020-07-13T00:00:00Z'));
    const ny = await resolvedWindow({ to: '2021-03-17T00:00' }, { timezone: 'America/New_York' });
    expect(ny.to).toBe(Date.parse('2021-03-17T04:00:00Z'));
    expect(ny.from).toBe(Date.parse('2021-03-10T05:00:00Z'));
  });

  it('only from given → to = from + 7 days (calendar days in the zone)', async () => {
    const ny = await resolvedWindow({ from: '2021-03-10T00:00' }, { timezone: 'America/New_York' });
    expect(ny.from).toBe(Date.parse('2021-03-10T05:00:00Z'));
    expect(ny.to).toBe(Date.parse('2021-03-17T04:00:00Z'));
  });

  it('from after to → 400; from equal to to → 200 with no items', async () => {
    expectWebexError(await list({ from: '2020-07-14T00:00:00Z', to: '2020-07-13T00:00:00Z' }), 400);
    expectWebexError(await list({ from: '2020-07-13T00:00:01Z', to: '2020-07-13T00:00:00Z' }), 400);
    const equal = await list({ from: '2020-07-13T00:00:00Z', to: '2020-07-13T00:00:00Z' });
    expect(equal.status).toBe(200);
    expect(ids(equal)).toEqual([]); // g1-0072 sits exactly at that instant
    expect(equal.headers['link']).toBeUndefined();
  });

  it('from is inclusive and to exclusive', async () => {
    const res = await list({ max: 100, from: '2020-07-13T00:00:00Z', to: '2020-07-13T12:00:00Z' });
    expect(ids(res)).toEqual(['g1-0073', 'g1-0072']);
  });

  it('accepts exactly 30 days and rejects one second more (UTC)', async () => {
    const ok = await list({ from: '2020-06-25T00:00:00Z', to: '2020-07-25T00:00:00Z', max: 100 });
    expect(ok.status).toBe(200);
    const tooLong = await list({ from: '2020-06-25T00:00:00Z', to: '2020-07-25T00:00:01Z' });
    expectWebexError(tooLong, 400);
  });

  it('counts 30 calendar days across the spring DST change in the zone (719 hours accepted, one second more rejected)', async () => {
    const tz = { timezone: 'America/New_York' };
    const ok = await list({ from: '2021-03-01T00:00', to: '2021-03-31T00:00', max: 100 }, tz);
    expect(ok.status, ok.body).toBe(200);
    expect(ids(ok)).toEqual(expected(R, { sites: A, from: Date.parse('2021-03-01T05:00:00Z'), to: Date.parse('2021-03-31T04:00:00Z') }).slice(0, 100));
    expectWebexError(await list({ from: '2021-03-01T00:00', to: '2021-03-31T00:00:01' }, tz), 400);
    // The same instants written with offsets behave the same way.
    expect((await list({ from: '2021-03-01T00:00:00-05:00', to: '2021-03-31T00:00:00-04:00' }, tz)).status).toBe(200);
    // 30 × 24 hours is one hour more than 30 calendar days in New York in March...
    expectWebexError(await list({ from: '2021-03-01T05:00:00Z', to: '2021-03-31T05:00:00Z' }, tz), 400);
    // ...but exactly 30 days in UTC.
    expect((await list({ from: '2021-03-01T05:00:00Z', to: '2021-03-31T05:00:00Z' })).status).toBe(200);
  });

  it('counts 30 calendar days across the autumn DST change (721 hours accepted in New York, not in UTC)', async () => {
    const tz = { timezone: 'America/New_York' };
    expect((await list({ from: '2020-10-20T00:00', to: '2020-11-19T00:00' }, tz)).status).toBe(200);
    expectWebexError(await list({ from: '2020-10-20T00:00', to: '2020-11-19T00:00:01' }, tz), 400);
    // The same instants in UTC are 30 days and one hour apart.
    expectWebexError(await list({ from: '2020-10-20T04:00:00Z', to: '2020-11-19T05:00:00Z' }), 400);
  });

  it('the window only applies to createTime of the requested site', async () => {
    const res = await list({ max: 100, from: '2020-07-13T17:11:35Z', to: '2020-07-13T17:11:36Z' });
    expect(ids(res)).toEqual(['tz-summer']);
  });
});
