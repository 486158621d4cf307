import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import { expectWebexError, get, JSON_UTF8, LIST, listUrl, request, SITES, type Res } from '../helpers/http.js';

const R: RecordingSpec[] = [
  { id: 'e1', createTime: '2021-03-16T10:00:00Z' },
  { id: 'e2', createTime: '2021-03-16T09:00:00Z', preventDownload: true },
  { id: 'e3', site: 'b.example.com', createTime: '2021-03-16T09:00:00Z' },
];

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer(R);
});
afterAll(async () => {
  await s.close();
});

function expectTrackingHeader(res: Res): string {
  const id = res.headers['trackingid'];
  expect(typeof id, `TrackingID header on ${res.status}`).toBe('string');
  expect((id as string).length).toBeGreaterThan(0);
  return id as string;
}

describe('TrackingID and content type', () => {
  it('a 200 from the list carries TrackingID and Content-Type application/json;charset=UTF-8', async () => {
    const res = await get(s.app, LIST, TOKENS.adminAll);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expectTrackingHeader(res);
  });

  it('a 200 from the site list carries TrackingID and Content-Type application/json;charset=UTF-8', async () => {
    const res = await get(s.app, SITES, TOKENS.adminAll);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expectTrackingHeader(res);
  });

  it('tracking ids differ between requests', async () => {
    const a = expectTrackingHeader(await get(s.app, LIST, TOKENS.adminAll));
    const b = expectTrackingHeader(await get(s.app, LIST, TOKENS.adminAll));
    expect(a).not.toBe(b);
  });

  it.each([
    ['400', () => get(s.app, listUrl({ max: 0 }), TOKENS.adminAll), 400],
    ['400 (site list path, bad timezone on list)', () => get(s.app, LIST, TOKENS.adminAll, { timezone: 'Nowhere/Land' }), 400],
    ['401', () => get(s.app, LIST, null), 401],
    ['403', () => get(s.app, listUrl({ siteUrl: 'a.example.com' }), TOKENS.adminOne), 403],
    ['403 (sites)', () => get(s.app, SITES, TOKENS.user), 403],
    ['404', () => get(s.app, '/v1/nope', TOKENS.adminAll), 404],
    ['405', () => request(s.app, 'POST', LIST, auth(TOKENS.adminAll)), 405],
  ] as const)('a %s has the Webex body and the same id in the TrackingID header', async (_label, send, status) => {
    const res = await send();
    expectWebexError(res, status);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.json.errors[0].description.length).toBeGreaterThan(0);
  });
});

describe('401', () => {
  const cases: [string, Record<string, string>][] = [
    ['missing Authorization header', {}],
    ['empty Authorization header', { authorization: '' }],
    ['Basic scheme', { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` }],
    ['Bearer without a token', { authorization: 'Bearer' }],
    ['Bearer and a blank', { authorization: 'Bearer ' }],
    ['token without the Bearer scheme', { authorization: TOKENS.adminAll }],
    ['two tokens', { authorization: `Bearer ${TOKENS.adminAll} ${TOKENS.co}` }],
    ['unknown token', { authorization: 'Bearer tok-does-not-exist-000000' }],
    ['token with a changed character', { authorization: `Bearer ${TOKENS.adminAll.slice(0, -1)}1` }],
    ['expired token', auth(TOKENS.expired)],
  ];

  it.each(cases)('%s → 401 on the list', async (_label, headers) => {
    const res = await request(s.app, 'GET', LIST, headers);
    expectWebexError(res, 401);
  });

  it.each(cases)('%s → 401 on the site list', async (_label, headers) => {
    const res = await request(s.app, 'GET', SITES, headers);
    expectWebexError(res, 401);
  });

  it('an expired token would otherwise work (it is the expiry that is refused)', async () => {
    s.setNow(Date.parse('2021-02-01T00:00:00Z'));
    try {
      const res = await get(s.app, listUrl({ siteUrl: 'a.example.com' }), TOKENS.expired);
      expect(res.status).toBe(200);
    } finally {
      s.setNow(Date.parse('2021-03-17T12:00:00Z'));
    }
  });
});

describe('404 and 405', () => {
  it.each(['/v1/nope', '/nope', '/v1/admin/recordingz', '/v1/meetingPreferences/sitez', '/'])('GET %s → 404 with the Webex body', async (path) => {
    for (const token of [TOKENS.adminAll, null]) {
      const res = await get(s.app, path, token);
      expectWebexError(res, 404);
    }
  });

  it.each([
    ['GET', '/v1/admin/recordings%2F'],
    ['GET', '/v1/admin%2Frecordings'],
    ['GET', '/v1/meetingPreferences%2Fsites'],
    ['POST', '/v1/recordings%2FsoftDelete'],
    ['GET', '/v1/recordings%2Fe1'],
  ] as const)('%s %s: an encoded slash is part of its segment, so no route has that path → 404 (not a 405 allowing the very method)', async (method, path) => {
    const headers = { ...auth(TOKENS.adminAll), 'content-type': 'application/json' };
    const res = await request(s.app, method, path, headers, method === 'POST' ? '{"recordingIds":["e1"]}' : undefined);
    expectWebexError(res, 404);
    expect(res.headers['allow']).toBeUndefined();
    // Named as the router saw it, not as the route it is not.
    expect((res.json as { message: string }).message).toBe(`No API resource at ${JSON.stringify(path)}.`);
  });

  for (const path of [LIST, SITES]) {
    it.each(['POST', 'PUT', 'DELETE', 'PATCH'] as const)(`%s ${path} → 405 with Allow`, async (method) => {
      for (const headers of [auth(TOKENS.adminAll), {}, { ...auth(TOKENS.adminAll), 'content-type': 'application/json' }]) {
        const payload = headers['content-type'] === undefined ? undefined : '{"recordingIds":["e1"]}';
        const res = await request(s.app, method, path, headers, payload);
        expectWebexError(res, 405);
        const allow = String(res.headers['allow']);
        expect(allow.split(/,\s*/)).toContain('GET');
        expect(allow.split(/,\s*/)).not.toContain(method);
      }
    });
  }
});

describe('no 500 for malformed input', () => {
  const KNOWN = ['max', 'from', 'to', 'meetingId', 'siteUrl', 'integrationTag', 'topic', 'format', 'serviceType', 'status', 'cursor'];
  const RAW_JUNK = [
    '',
    '%',
    '%%',
    '%zz',
    '%E0%A4%A',
    '%ED%A0%80',
    '%C0%80',
    '%FF%FE',
    '%00',
    'a%00b',
    '%2500',
    '+',
    '%2B',
    '[]',
    'x'.repeat(5000),
    '9'.repeat(400),
    '-1',
    '1e309',
    'NaN',
    'Infinity',
    '0x10',
    '2021-03-01T00:00:00Z',
    '2021-03-14T02:30',
    '2021-W10-7',
    '275760-09-13T00:00:00Z',
    '+275760-09-13',
    '-271821-04-19',
    '9999-12-31T23:59:59Z',
    '0000-01-01',
    'a.example.com',
    'z.example.com',
    'purged',
    'MP4',
    'e30.AAAAAAAAAAAAAAAAAAAAAA',
    'WzEsMCwiYSIsIngiLCJVVEMiXQ.AAAAAAAAAAAAAAAAAAAAAA',
  ];
  const isoPieces = fc
    .array(fc.constantFrom('2021', '20', '-', '03', '14', 'W', '10', 'T', 'Z', '+', '08', ':', '00', '.', ',', '5', ' ', '99', '1e9', '--', '24', '60'), {
      maxLength: 12,
    })
    .map((parts) => encodeURIComponent(parts.join('')));
  const safeEncode = (v: string) => {
    try {
      return encodeURIComponent(v);
    } catch {
      return '%ED%A0%80';
    }
  };
  const value = fc.oneof(
    fc.constantFrom(...RAW_JUNK),
    fc.string({ unit: 'binary', maxLength: 40 }).map(safeEncode),
    fc.string({ maxLength: 40 }).map(safeEncode),
    fc.integer({ min: -1000, max: 1000 }).map(String),
    isoPieces,
  );
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...KNOWN) },
    { weight: 1, arbitrary: fc.constantFrom('foo', '', 'max[]', 'topic%5B%5D', '%', 'a%00b', '%ED%A0%80', 'MAX', '__proto__', 'constructor') },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map(safeEncode) },
  );
  const pair = fc.tuple(key, value, fc.boolean()).map(([k, v, withEquals]) => (withEquals ? `${k}=${v}` : k));
  const query = fc.array(pair, { maxLength: 8 }).map((pairs) => pairs.join('&'));
  const headers = fc.record({
    token: fc.constantFrom<string | null>(TOKENS.adminAll, TOKENS.adminOne, TOKENS.co, TOKENS.otherCo, TOKENS.zendesk, TOKENS.user, null, 'garbage'),
    timezone: fc.option(fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata', 'Europe/London', 'junk', '', '+05:00', 'Etc/GMT+12', 'x'.repeat(300)), {
      nil: undefined,
    }),
  });

  it('random query strings never produce a 5xx, and every error has the Webex body', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(LIST, SITES), query, headers, async (path, qs, h) => {
        const hdrs: Record<string, string> = {};
        if (h.token !== null) hdrs.authorization = `Bearer ${h.token}`;
        if (h.timezone !== undefined) hdrs.timezone = h.timezone;
        const res = await request(s.app, 'GET', `${path}?${qs}`, hdrs);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${path}?${qs} ${JSON.stringify(hdrs)} → ${res.body}`).toBeLessThan(500);
        expectTrackingHeader(res);
        if (res.status >= 400) expectWebexError(res, res.status);
        else expect(res.status).toBe(200);
      }),
      { seed: 424242, numRuns: 300 },
    );
    // the generator reaches the interesting outcomes, not just one kind of rejection
    for (const status of [200, 400, 401, 403]) expect(statuses.get(status) ?? 0, `${status} in ${JSON.stringify([...statuses])}`).toBeGreaterThan(5);
  });

  it('random from/to pairs and cursors never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(isoPieces, isoPieces, fc.string({ maxLength: 60 }).map(safeEncode), fc.boolean(), async (from, to, cursor, withCursor) => {
        const url = `${LIST}?from=${from}&to=${to}${withCursor ? `&cursor=${cursor}` : ''}`;
        const res = await request(s.app, 'GET', url, { ...auth(TOKENS.co), timezone: 'America/New_York' });
        expect(res.status, `${url} → ${res.body}`).toBeLessThan(500);
        if (res.status >= 400) expectWebexError(res, res.status);
      }),
      { seed: 1717, numRuns: 300 },
    );
  });

  it.each([
    `${LIST}?topic=%E0%A4%A`,
    `${LIST}?topic=%ED%A0%80`,
    `${LIST}?%=%`,
    `${LIST}?max=%00`,
    `${LIST}?from=%00`,
    `${LIST}?from=275760-09-13T00:00:00Z`,
    `${LIST}?from=-271821-04-19T00:00:00Z&to=275760-09-13T00:00:00Z`,
    `${LIST}?to=+275760-09-13`,
    `${LIST}?cursor=${'A'.repeat(100_000)}`,
    `${LIST}?topic=${'%F0%9F%98%80'.repeat(3000)}`,
    `${LIST}?meetingId=${'x'.repeat(20_000)}`,
    `${LIST}?siteUrl=${'x'.repeat(20_000)}`,
    `${LIST}?__proto__=1&constructor=2&toString=3`,
    `${LIST}?max=1&max=2&max=3`,
    `${LIST}?max[]=1`,
  ])('GET %s → no 5xx', async (url) => {
    const res = await request(s.app, 'GET', url, auth(TOKENS.adminAll));
    expect(res.status, res.body.slice(0, 300)).toBeLessThan(500);
    if (res.status >= 400) expectWebexError(res, res.status);
    expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/);
    expect(res.body).not.toMatch(/SELECT|sqlite/i);
  });
});
