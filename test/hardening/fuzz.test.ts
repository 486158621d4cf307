/**
 * Property-based fuzzing of every endpoint (fast-check, fixed seeds, bounded runs). Invariants:
 * never a 5xx; every error in the Webex shape with the TrackingID header's id; no stack trace or
 * SQL in any body; a rejected write (any 4xx) changes nothing — recordings, audit log, row count.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingRecord, startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import { upsertRecordings } from '../helpers/http.js';
import { checkAnswer, describeRequest, send, snapshot, type Sent } from './support.js';

const A = 'a.example.com';
const B = 'b.example.com';
const Z = 'z.example.com';

const R: RecordingSpec[] = [
  { id: 'f-a1', site: A, createTime: '2021-03-16T10:00:00Z', topic: 'Straße', integrationTags: ['T1', { tag: 'ZD', clientId: 'zendesk-app' }] },
  { id: 'f-a2', site: A, createTime: '2021-03-16T09:00:00Z', status: 'deleted', meetingSeriesId: 'S1' },
  { id: 'f-a3', site: A, createTime: '2021-03-15T09:00:00Z', status: 'purged' },
  { id: 'f-a4', site: A, createTime: '2021-03-14T09:00:00Z', hostEmail: 'ada@acme.example', preventDownload: true },
  { id: 'f-b1', site: B, createTime: '2021-03-16T10:00:00Z' },
  { id: 'f-b2', site: B, createTime: '2021-03-16T08:00:00Z', status: 'deleted' },
  { id: 'f-z1', site: Z, createTime: '2021-03-16T10:00:00Z', meetingSeriesId: 'S1' },
  { id: 'f-z2', site: Z, createTime: '2021-03-16T09:00:00Z', status: 'deleted' },
];
const KNOWN = R.map((r) => ({ org: r.site === Z ? 'other' : 'acme', id: r.id }));

// Seeds and run counts are fixed so a failure reproduces; the whole file stays well under 30 s.
const SEED = 20210317;
const RUNS = { list: 1500, sites: 300, details: 600, lifecycle: 500, delete: 400, ingest: 400 };

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer(R);
});
afterAll(async () => {
  await s.close();
});

// ----------------------------------------------------------------------------------------------
// Arbitraries

/** encodeURIComponent that never throws: lone surrogates go out as U+FFFD, like a browser sends them. */
function enc(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

const HOSTILE = [
  '',
  ' ',
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uFFFF',
  '💥',
  'İ',
  'ß',
  'ς',
  '\u202E',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE recordings; --',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '+',
  '&',
  '=',
  '#',
  '?',
  ';',
  '\r\n',
  'x'.repeat(513),
  'y'.repeat(5000),
  'T1',
  'ZD',
  'S1',
  'f-a1',
  'f-z1',
  A,
  B,
  Z,
] as const;

const NUMBERS = ['0', '1', '10', '99', '100', '101', '-1', '1e2', '1.5', '01', ' 1', '1 ', '0x10', 'NaN', 'Infinity', '9007199254740993', '1'.repeat(400), '-0'];
const DATES = [
  '2021-03-16',
  '2021-03-16T10:00:00Z',
  '20210316T100000Z',
  '2021-W11-2',
  '2021-075',
  '2021-02-29',
  '2020-13-01',
  'T25:00',
  '1615888800',
  '2021-03-16T10:00:00+18:01',
  '275760-09-13',
  '-271821-04-20',
  '9999-12-31T23:59:59Z',
  '0000-01-01',
  '2021-03-16T24:00',
  '2021-03-16T10:00:00.999999999999Z',
  '2021-03-16 10:00',
  '2021-03-14T02:30',
];
const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Etc/GMT+14', 'Pacific/Kiritimati', 'Nowhere/Land', 'utc', 'EST5EDT', 'GMT+1', '+05:00', ''];
const ENUMS = ['MP4', 'ARF', 'UPLOADED', 'mp4', 'MeetingCenter', 'EventCenter', 'available', 'deleted', 'purged', 'Purged'];

/** Any string a client might send, hostile ones weighted up. */
const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBERS, ...DATES, ...ZONES, ...ENUMS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 200, maxLength: 2000 }) },
);

const LIST_PARAMS = ['max', 'from', 'to', 'meetingId', 'siteUrl', 'integrationTag', 'topic', 'format', 'serviceType', 'status', 'cursor', 'unknown', '__proto__', 'constructor'];

const paramValue = (name: string) => {
  switch (name) {
    case 'max':
      return fc.oneof(fc.constantFrom(...NUMBERS), fc.integer({ min: -1000, max: 1000 }).map(String), anyString);
    case 'from':
    case 'to':
      return fc.oneof(fc.constantFrom(...DATES), anyString);
    case 'format':
    case 'serviceType':
    case 'status':
      return fc.oneof(fc.constantFrom(...ENUMS), anyString);
    default:
      return anyString;
  }
};

/** Percent-encoded properly, or raw-but-broken encodings taken verbatim from the HOSTILE list. */
const queryPart = fc.constantFrom(...LIST_PARAMS).chain((name) =>
  fc.oneof(
    { weight: 4, arbitrary: paramValue(name).map((v) => `${enc(name)}=${enc(v)}`) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '+', '', 'a%2', '%%', '%C0%80').map((raw) => `${name}=${raw}`) },
    { weight: 1, arbitrary: fc.constant(name) }, // no '=' at all
  ),
);
const queryString = fc.array(queryPart, { maxLength: 8 }).map((parts) => (parts.length === 0 ? '' : `?${parts.join('&')}`));

const TOKEN_VALUES = Object.values(TOKENS);
/** Every kind of Authorization header: valid tokens of every caller, and broken variants. */
const authorization = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...TOKEN_VALUES).map((t) => `Bearer ${t}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'bearer tok-admin-all-sites-00000',
      'BEARER   tok-admin-all-sites-00000',
      'Basic dXNlcjpwYXNz',
      'Bearer tok-admin-all-sites-00000 extra',
      'Bearer tok-admin-all-sites-0000',
      `Bearer ${'x'.repeat(600)}`,
      'Bearer \u00e9\u00e9',
      'Token tok-admin-all-sites-00000',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((t) => `Bearer ${t}`) },
);

/** Header values must be printable Latin-1 to be sendable at all; hostile but sendable. */
const headerValue = fc.oneof(
  fc.constantFrom(...ZONES, '../../etc/passwd', "'; SELECT 1", 'x'.repeat(3000), '%E0%A4%A'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
);

const extraHeaders = fc.record(
  {
    authorization,
    timezone: headerValue,
    trackingid: fc.oneof(fc.constantFrom('client-id-1', 'x'.repeat(200), 'bad id with spaces', '../x', 'ok_1.2:3-4'), fc.string({ unit: 'grapheme-ascii', maxLength: 40 })),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', ''),
  },
  { requiredKeys: [] },
);

/** Write tests mostly send a token that may write and a JSON content type, so they reach the planner. */
const WRITE_TOKENS = [TOKENS.adminWriteAll, TOKENS.adminWriteOne, TOKENS.coWrite, TOKENS.host, TOKENS.otherWrite];
const writeHeaders = extraHeaders.chain((headers) =>
  fc
    .oneof({ weight: 6, arbitrary: fc.constantFrom(...WRITE_TOKENS).map((t) => `Bearer ${t}`) }, { weight: 1, arbitrary: authorization })
    .map((a) => ({ ...headers, authorization: a })),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/x-ndjson',
  'application/ndjson',
  'application/octet-stream',
  '',
  'application/json; boundary=\u0000',
  'application/vnd.api+json',
];

/** Deeply nested junk, prototype-pollution keys, wrong types and huge arrays. */
const junk: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2, 1.5),
    anyString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'recordingIds', 'siteUrl', 'restoreAll', 'purgeAll', 'id'), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const recordingIds = fc.oneof(
  fc.array(fc.constantFrom(...R.map((r) => r.id), 'nope', ''), { minLength: 0, maxLength: 5 }),
  fc.array(anyString, { maxLength: 5 }),
  fc.constant(Array.from({ length: 101 }, (_, i) => `id-${i}`)),
  fc.constant(Array.from({ length: 5000 }, (_, i) => `id-${i}`)),
  fc.constant(['f-a1', 'f-a1']),
  fc.constant(['f-a1', 'f-z1']),
  fc.constant(['f-a3']),
  junk,
);

const lifecycleBody = fc.record(
  {
    recordingIds,
    siteUrl: fc.oneof(fc.constantFrom(A, B, Z, 'nowhere.example.com'), anyString, junk),
    restoreAll: fc.oneof(fc.boolean(), junk),
    purgeAll: fc.oneof(fc.boolean(), junk),
    __proto__: junk,
    constructor: junk,
  },
  { requiredKeys: [] },
);

/** A body as text: valid JSON of a (mostly) plausible shape, prototype-pollution text, or garbage. */
const lifecyclePayload = fc.oneof(
  { weight: 5, arbitrary: lifecycleBody.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: junk.map((j) => JSON.stringify(j) ?? 'null') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"recordingIds":["f-a1"]}}',
      '{"recordingIds":["f-a1"],"__proto__":{"isAdmin":true}}',
      '{"constructor":{"prototype":{"recordingIds":["f-a1"]}}}',
      '{"recordingIds":["f-a1"],"recordingIds":["f-z1"]}',
      '{"recordingIds":"f-a1"}',
      '{"recordingIds":[1,2,3]}',
      '{"recordingIds":[null]}',
      '{"recordingIds":[["f-a1"]]}',
      '{"restoreAll":"true"}',
      '{"purgeAll":1}',
      '{"restoreAll":true,"recordingIds":["f-a2"]}',
      '{"siteUrl":null,"recordingIds":["f-a1"]}',
      '{',
      '',
      'null',
      '[]',
      '"recordingIds"',
      '\u0000',
      '{"recordingIds":["\u0000"]}',
      `{"recordingIds":[${'['.repeat(5000)}${']'.repeat(5000)}]}`,
      `{"recordingIds":["${'x'.repeat(70_000)}"]}`,
      '\uFEFF{"recordingIds":["f-a1"]}',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

const pathId = fc
  .oneof({ weight: 2, arbitrary: fc.constantFrom(...R.map((r) => r.id), 'nope', 'softDelete', 'restore', '..', '.', '%2F') }, { weight: 1, arbitrary: anyString })
  .map((id) => enc(id))
  // Ids of any length reach the token check and the schema (limits.test.ts covers 15,000 characters).
  .filter((encoded) => encoded.length > 0 && encoded.length <= 4000);

// ----------------------------------------------------------------------------------------------

/** Runs one request and checks every invariant; for a write, a rejection must change nothing. */
async function probe(req: Sent, write: boolean): Promise<void> {
  const before = write ? await snapshot(s.store, KNOWN) : null;
  const res = await send(s.app, req);
  tally(res.status);
  checkAnswer(req, res);
  if (before !== null && res.status >= 400) {
    expect(await snapshot(s.store, KNOWN), `rejected write changed the store: ${describeRequest(req)} → ${res.status}`).toEqual(before);
  }
}

/** After an accepted write, put the fixture back so later runs start from a similar state. */
async function resetFixture(): Promise<void> {
  await upsertRecordings(s.store, R);
}

/** Status counts per test, printed with FUZZ_STATS=1 to check the fuzzers reach past the first check. */
const stats = new Map<number, number>();
function tally(status: number): void {
  stats.set(status, (stats.get(status) ?? 0) + 1);
}
afterAll(() => {
  if (process.env['FUZZ_STATS'] === '1') console.log(Object.fromEntries([...stats.entries()].sort((a, b) => a[0] - b[0])));
});

describe('fuzz: reads never fail with a 5xx and always answer in the Webex shape', () => {
  it('GET /v1/admin/recordings with random query strings and headers', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, extraHeaders, async (qs, headers) => {
        await probe({ method: 'GET', url: `/v1/admin/recordings${qs}`, headers }, false);
      }),
      { seed: SEED, numRuns: RUNS.list, endOnFailure: true },
    );
  });

  it('GET /v1/admin/recordings with repeated parameters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LIST_PARAMS), fc.array(anyString, { minLength: 2, maxLength: 4 }), async (name, values) => {
        const qs = values.map((v) => `${name}=${enc(v)}`).join('&');
        const req = { method: 'GET', url: `/v1/admin/recordings?${qs}`, headers: { authorization: `Bearer ${TOKENS.co}` } };
        const res = await send(s.app, req);
        checkAnswer(req, res);
        // Two non-empty values of a known parameter are always a 400 (SPEC: a parameter given twice).
        if (!['unknown', '__proto__', 'constructor'].includes(name) && values.filter((v) => v !== '').length >= 2) {
          expect(res.status, describeRequest(req)).toBe(400);
        }
      }),
      { seed: SEED + 1, numRuns: 80, endOnFailure: true },
    );
  });

  it('GET /v1/meetingPreferences/sites with random headers and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, extraHeaders, async (qs, headers) => {
        await probe({ method: 'GET', url: `/v1/meetingPreferences/sites${qs}`, headers }, false);
      }),
      { seed: SEED + 2, numRuns: RUNS.sites, endOnFailure: true },
    );
  });

  it('GET /v1/recordings/{id} with random ids and headers', async () => {
    await fc.assert(
      fc.asyncProperty(pathId, extraHeaders, async (id, headers) => {
        await probe({ method: 'GET', url: `/v1/recordings/${id}`, headers }, false);
      }),
      { seed: SEED + 3, numRuns: RUNS.details, endOnFailure: true },
    );
  });
});

describe('fuzz: writes never fail with a 5xx, and a rejected write changes nothing', () => {
  for (const action of ['softDelete', 'restore', 'purge'] as const) {
    it(`POST /v1/recordings/${action} with random bodies, content types and headers`, async () => {
      await fc.assert(
        fc.asyncProperty(
          lifecyclePayload,
          fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
          writeHeaders,
          fc.option(anyString, { nil: undefined }),
          async (payload, contentType, headers, hostEmail) => {
            const qs = hostEmail === undefined ? '' : `?hostEmail=${enc(hostEmail)}`;
            const req: Sent = {
              method: 'POST',
              url: `/v1/recordings/${action}${qs}`,
              headers: { ...headers, ...(contentType === '' ? {} : { 'content-type': contentType }) },
              payload,
            };
            const before = await snapshot(s.store, KNOWN);
            const res = await send(s.app, req);
            tally(res.status);
            checkAnswer(req, res);
            if (res.status >= 400) {
              expect(await snapshot(s.store, KNOWN), `rejected write changed the store: ${describeRequest(req)} → ${res.status}`).toEqual(before);
            } else {
              expect(res.status, describeRequest(req)).toBe(204);
              await resetFixture();
            }
          },
        ),
        { seed: SEED + 10, numRuns: RUNS.lifecycle, endOnFailure: true },
      );
    });
  }

  it('DELETE /v1/admin/recordings/{id} with random ids and headers', async () => {
    await fc.assert(
      fc.asyncProperty(pathId, writeHeaders, async (id, headers) => {
        const req: Sent = { method: 'DELETE', url: `/v1/admin/recordings/${id}`, headers };
        const before = await snapshot(s.store, KNOWN);
        const res = await send(s.app, req);
        tally(res.status);
        checkAnswer(req, res);
        if (res.status >= 400) expect(await snapshot(s.store, KNOWN), describeRequest(req)).toEqual(before);
        else await resetFixture();
      }),
      { seed: SEED + 20, numRuns: RUNS.delete, endOnFailure: true },
    );
  });

  /** Records that are almost right: one field replaced by junk, a foreign site, a foreign id. */
  const almostRecord = fc
    .tuple(
      fc.constantFrom('fz-new-1', 'fz-new-2', 'f-a1', 'f-z1'),
      fc.constantFrom('id', 'siteUrl', 'createTime', 'timeRecorded', 'format', 'serviceType', 'status', 'durationSeconds', 'sizeBytes', 'integrationTags', 'topic', 'hostEmail', '__proto__', 'constructor', 'extra'),
      junk,
    )
    .map(([id, field, value]) => {
      const base = recordingRecord({ id, createTime: '2021-03-16T10:00:00Z' }) as Record<string, unknown>;
      const text = JSON.stringify(base);
      // JSON.stringify drops a "__proto__" own key set by assignment, so splice it into the text instead.
      return `${text.slice(0, -1)},${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}}`;
    });

  const ingestPayload = fc.oneof(
    { weight: 3, arbitrary: fc.array(almostRecord, { minLength: 1, maxLength: 4 }).map((lines) => ({ ndjson: lines.join('\n'), json: `[${lines.join(',')}]` })) },
    { weight: 2, arbitrary: fc.array(junk, { maxLength: 4 }).map((xs) => ({ ndjson: xs.map((x) => JSON.stringify(x) ?? 'null').join('\n'), json: JSON.stringify(xs) })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { ndjson: '', json: '' },
        { ndjson: '\n\n\n', json: '[]' },
        { ndjson: '{"__proto__":{"id":"x"}}', json: '[{"__proto__":{"id":"x"}}]' },
        { ndjson: '\u0000', json: '\u0000' },
        { ndjson: '['.repeat(10_000), json: '['.repeat(10_000) },
        { ndjson: '{}\r\n{}', json: '{}' },
        { ndjson: Array.from({ length: 10_001 }, () => '{}').join('\n'), json: `[${Array.from({ length: 10_001 }, () => '{}').join(',')}]` },
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map((t) => ({ ndjson: t, json: t })) },
  );

  it('POST /v1/ingest/recordings with random NDJSON / JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        ingestPayload,
        fc.oneof({ weight: 3, arbitrary: fc.constantFrom('application/json', 'application/x-ndjson') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
        fc.constantFrom(TOKENS.ingest, TOKENS.otherIngest, TOKENS.ingest, TOKENS.adminAll, 'garbage'),
        async (payload, contentType, token) => {
          const body = /ndjson/.test(contentType) ? payload.ndjson : payload.json;
          const req: Sent = {
            method: 'POST',
            url: '/v1/ingest/recordings',
            headers: { authorization: `Bearer ${token}`, ...(contentType === '' ? {} : { 'content-type': contentType }) },
            payload: body,
          };
          const before = await snapshot(s.store, KNOWN);
          const res = await send(s.app, req);
          tally(res.status);
          checkAnswer(req, res);
          if (res.status >= 400) expect(await snapshot(s.store, KNOWN), `${describeRequest(req)} → ${res.status}`).toEqual(before);
          else await resetFixture();
        },
      ),
      { seed: SEED + 30, numRuns: RUNS.ingest, endOnFailure: true },
    );
  });
});
