/**
 * Authorization matrix: every kind of caller × every endpoint × every site, meeting ids of all
 * three levels, tags of each client and each status. Each cell has an expected status (and, for
 * lists, the exact ids, computed independently); and no response text — body or any header,
 * Link URLs included — of a caller of one org ever holds another org's ids, sites, topics,
 * meeting ids, tags or emails (unless the caller sent that very string in the request).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/token-secret.js';
import { NOW, startTestServer, TOKENS, type RecordingSpec, type TestServer } from '../helpers/fixture.js';
import { expected, nextLink, pathOf } from '../helpers/http.js';
import { checkAnswer, send, snapshot, type Got, type Sent } from './support.js';

const A = 'a.example.com';
const B = 'b.example.com';
const Z = 'z.example.com';
const STATUSES = ['available', 'deleted', 'purged'] as const;
const DAY = 86_400_000;
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * 3_600_000).toISOString();

/** For each site and status: one recording with meeting ids of all three levels and tags of each client. */
function build(): RecordingSpec[] {
  const out: RecordingSpec[] = [];
  let h = 1;
  for (const [site, prefix, topic] of [
    [A, 'acmeA', 'Acme alpha topic'],
    [B, 'acmeB', 'Acme beta topic'],
    [Z, 'glbxZ', 'Globex zeta topic'],
  ] as const) {
    for (const status of STATUSES) {
      for (const variant of [0, 1]) {
        const id = `${prefix}-${status}-${variant}`;
        out.push({
          id,
          site,
          createTime: at(h++),
          topic: `${topic} ${status}`,
          meetingSeriesId: `${prefix}-series`,
          scheduledMeetingId: `${prefix}-sched-${variant}`,
          meetingId: `${prefix}-inst-${status}-${variant}`,
          status,
          hostEmail: variant === 0 ? `user@${site === Z ? 'other' : 'acme'}.example` : `ada@${site === Z ? 'other' : 'acme'}.example`,
          integrationTags: [`${prefix}-TAG`, { tag: `${prefix}-ZD`, clientId: 'zendesk-app' }, { tag: `${prefix}-JIRA`, clientId: 'jira-cloud' }],
        });
      }
    }
  }
  return out;
}
const R = build();
const orgOf = (r: RecordingSpec) => (r.site === Z ? 'other' : 'acme');

/** Strings that identify one org's data; none may reach a caller of the other org. */
function markersOf(org: 'acme' | 'other'): string[] {
  const recs = R.filter((r) => orgOf(r) === org);
  const out = new Set<string>();
  for (const r of recs) {
    out.add(r.id);
    out.add(r.topic as string);
    out.add(r.meetingId as string);
    out.add(r.scheduledMeetingId as string);
    out.add(r.meetingSeriesId as string);
    out.add(r.site as string);
    out.add(r.hostEmail as string);
    for (const t of r.integrationTags ?? []) out.add(typeof t === 'string' ? t : t.tag);
  }
  if (org === 'acme') out.add('@acme.example').add('Acme');
  else out.add('@other.example').add('Globex').add('Other Org');
  return [...out];
}
const MARKERS = { acme: markersOf('acme'), other: markersOf('other') };

interface Caller {
  name: string;
  token: string;
  org: 'acme' | 'other' | null; // null: not authenticated
  role: 'admin' | 'co' | null;
  sites: string[]; // visible sites
  defaultSite: string | null;
  clientId: string | null;
  sitesEndpoint: boolean; // may call Get Site List
  ownEmail: string | null; // for meeting:recordings_read
}

const REVOKED = TOKENS.coAndAdmin;
const CALLERS: Caller[] = [
  { name: 'admin of one site', token: TOKENS.adminOne, org: 'acme', role: 'admin', sites: [B], defaultSite: B, clientId: null, sitesEndpoint: true, ownEmail: null },
  { name: 'admin of all sites', token: TOKENS.adminAll, org: 'acme', role: 'admin', sites: [A, B], defaultSite: A, clientId: null, sitesEndpoint: true, ownEmail: null },
  { name: 'compliance officer', token: TOKENS.co, org: 'acme', role: 'co', sites: [A, B], defaultSite: B, clientId: null, sitesEndpoint: true, ownEmail: null },
  { name: 'admin via zendesk client', token: TOKENS.zendesk, org: 'acme', role: 'admin', sites: [A, B], defaultSite: A, clientId: 'zendesk-app', sitesEndpoint: true, ownEmail: null },
  { name: 'admin via jira client', token: TOKENS.jira, org: 'acme', role: 'admin', sites: [A, B], defaultSite: A, clientId: 'jira-cloud', sitesEndpoint: true, ownEmail: null },
  { name: 'regular user (own read)', token: TOKENS.user, org: 'acme', role: null, sites: [A], defaultSite: A, clientId: null, sitesEndpoint: false, ownEmail: 'user@acme.example' },
  { name: 'regular user (preferences)', token: TOKENS.userPrefs, org: 'acme', role: null, sites: [A], defaultSite: A, clientId: null, sitesEndpoint: true, ownEmail: null },
  { name: "other org's admin", token: TOKENS.otherAdmin, org: 'other', role: 'admin', sites: [Z], defaultSite: Z, clientId: null, sitesEndpoint: true, ownEmail: null },
  { name: "other org's CO", token: TOKENS.otherCo, org: 'other', role: 'co', sites: [Z], defaultSite: Z, clientId: null, sitesEndpoint: true, ownEmail: null },
  { name: 'expired token', token: TOKENS.expired, org: null, role: null, sites: [], defaultSite: null, clientId: null, sitesEndpoint: false, ownEmail: null },
  { name: 'revoked token', token: REVOKED, org: null, role: null, sites: [], defaultSite: null, clientId: null, sitesEndpoint: false, ownEmail: null },
  { name: 'garbage token', token: 'rvt_garbage-garbage-garbage', org: null, role: null, sites: [], defaultSite: null, clientId: null, sitesEndpoint: false, ownEmail: null },
];

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer(R);
  const found = await s.store.findToken(hashToken(REVOKED));
  expect(found).not.toBeNull();
  expect(await s.store.revokeToken(found!.token.id, NOW - DAY)).toBe(true);
});
afterAll(async () => {
  await s.close();
});

/** Every response text of `caller`: no marker of the other org unless the request itself carried it. */
function expectNoForeignData(caller: Caller, req: Sent, res: Got): void {
  if (caller.org === null) {
    // An unauthenticated caller learns nothing of either org.
    for (const m of [...MARKERS.acme, ...MARKERS.other]) {
      if (req.url.includes(m) || (req.payload ?? '').includes(m)) continue;
      expect(responseText(res).includes(m), `${m} leaked to ${caller.name}: ${req.method} ${req.url}`).toBe(false);
    }
    return;
  }
  const foreign = caller.org === 'acme' ? MARKERS.other : MARKERS.acme;
  const text = responseText(res);
  for (const m of foreign) {
    if (decodeURIComponent(req.url).includes(m) || (req.payload ?? '').includes(m)) continue; // an echo of the caller's own input
    expect(text.includes(m), `${m} leaked to ${caller.name}: ${req.method} ${req.url} → ${res.status} ${text.slice(0, 300)}`).toBe(false);
  }
}

function responseText(res: Got): string {
  const headers = Object.entries(res.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  let decoded = '';
  try {
    decoded = decodeURIComponent(headers.join('\n'));
  } catch {
    decoded = headers.join('\n');
  }
  return `${headers.join('\n')}\n${decoded}\n${res.body}`;
}

async function call(caller: Caller, req: Omit<Sent, 'headers'> & { headers?: Record<string, string> }): Promise<Got> {
  const full: Sent = { ...req, headers: { authorization: `Bearer ${caller.token}`, ...(req.headers ?? {}) } };
  const res = await send(s.app, full);
  checkAnswer(full, res);
  expectNoForeignData(caller, full, res);
  return res;
}

/** Walks every page (following Link) and returns all ids; checks each page like any response. */
async function listAll(caller: Caller, url: string): Promise<{ status: number; ids: string[]; tags: string[] }> {
  let res = await call(caller, { method: 'GET', url });
  if (res.status !== 200) return { status: res.status, ids: [], tags: [] };
  const ids: string[] = [];
  const tags: string[] = [];
  for (;;) {
    const body = JSON.parse(res.body) as { items: { id: string; integrationTags?: string[] }[] };
    for (const item of body.items) {
      ids.push(item.id);
      tags.push(...(item.integrationTags ?? []));
    }
    const next = nextLink({ status: res.status, headers: res.headers, body: res.body, json: body });
    if (next === null) break;
    res = await call(caller, { method: 'GET', url: pathOf(next) });
    expect(res.status).toBe(200);
  }
  return { status: 200, ids, tags };
}

const SITE_CHOICES = [undefined, A, B, Z, 'nowhere.example.com'] as const;
const MEETING_IDS = ['acmeA-series', 'acmeA-sched-0', 'acmeB-inst-available-1', 'acmeB-inst-deleted-0', 'glbxZ-series', 'glbxZ-sched-1', 'glbxZ-inst-available-0', 'unknown-meeting'];
const TAGS = ['acmeA-TAG', 'acmeA-ZD', 'acmeB-JIRA', 'glbxZ-TAG', 'glbxZ-ZD', 'nope-TAG'];
const WINDOW = { from: NOW - 7 * DAY, to: NOW };

/** The independent expectation for one list request. */
function expectList(caller: Caller, params: { siteUrl?: string; status?: (typeof STATUSES)[number]; meetingId?: string; tag?: string }): { status: number; ids?: string[] } {
  if (caller.org === null) return { status: 401 };
  if (caller.role === null) return { status: 403 };
  if (params.status === 'purged' && caller.role === 'admin') return { status: 403 };
  const all = R.filter((r) => orgOf(r) === caller.org);
  const tag = params.tag === undefined ? undefined : { tag: params.tag, clientId: caller.clientId };
  if (params.meetingId !== undefined) {
    return { status: 200, ids: expected(all, { sites: caller.sites, status: params.status, meetingId: params.meetingId, tag }) };
  }
  const site = params.siteUrl ?? caller.defaultSite;
  if (site === null || !caller.sites.includes(site)) return { status: 403 };
  return { status: 200, ids: expected(all, { sites: [site], status: params.status, tag, ...WINDOW }) };
}

function listUrl(params: Record<string, string | undefined>): string {
  const qs = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`)
    .join('&');
  return `/v1/admin/recordings${qs === '' ? '' : `?${qs}`}`;
}

describe.each(CALLERS)('$name', (caller) => {
  it('GET /v1/admin/recordings × every site × every status: expected status and exactly the expected ids', async () => {
    for (const siteUrl of SITE_CHOICES) {
      for (const status of [undefined, ...STATUSES]) {
        const want = expectList(caller, { siteUrl, status });
        const got = await listAll(caller, listUrl({ siteUrl, status, max: '2' }));
        expect(got.status, `${caller.name} site=${siteUrl} status=${status}`).toBe(want.status);
        if (want.ids !== undefined) expect(got.ids, `${caller.name} site=${siteUrl} status=${status}`).toEqual(want.ids);
      }
    }
  });

  it('GET /v1/admin/recordings × meeting ids of all three levels (own org and foreign) × status', async () => {
    for (const meetingId of MEETING_IDS) {
      for (const status of [undefined, 'deleted', 'purged'] as const) {
        // siteUrl is ignored with meetingId, even a foreign one.
        for (const siteUrl of [undefined, Z]) {
          const want = expectList(caller, { meetingId, status });
          const got = await listAll(caller, listUrl({ meetingId, status, siteUrl }));
          expect(got.status, `${caller.name} meetingId=${meetingId} status=${status}`).toBe(want.status);
          if (want.ids !== undefined) expect(got.ids, `${caller.name} meetingId=${meetingId} status=${status}`).toEqual(want.ids);
        }
      }
    }
  });

  it("GET /v1/admin/recordings × tags of each client: matches and returned tags only the caller's client may see", async () => {
    for (const tag of TAGS) {
      for (const siteUrl of [A, B, Z]) {
        const want = expectList(caller, { siteUrl, tag });
        const got = await listAll(caller, listUrl({ siteUrl, integrationTag: tag }));
        expect(got.status, `${caller.name} tag=${tag} site=${siteUrl}`).toBe(want.status);
        if (want.ids !== undefined) expect(got.ids, `${caller.name} tag=${tag} site=${siteUrl}`).toEqual(want.ids);
      }
    }
    if (caller.role !== null) {
      const got = await listAll(caller, listUrl({ max: '100' }));
      for (const t of got.tags) {
        if (t.endsWith('-ZD')) expect(caller.clientId, `tag ${t}`).toBe('zendesk-app');
        if (t.endsWith('-JIRA')) expect(caller.clientId, `tag ${t}`).toBe('jira-cloud');
      }
    }
  });

  it('GET /v1/meetingPreferences/sites: expected status and only own-org sites', async () => {
    const res = await call(caller, { method: 'GET', url: '/v1/meetingPreferences/sites' });
    const want = caller.org === null ? 401 : caller.sitesEndpoint ? 200 : 403;
    expect(res.status).toBe(want);
    if (want === 200) {
      const body = JSON.parse(res.body) as { sites: { siteUrl: string; default: boolean }[] };
      expect(body.sites.map((x) => x.siteUrl).sort()).toEqual([...caller.sites].sort());
      expect(body.sites.filter((x) => x.default).map((x) => x.siteUrl)).toEqual([caller.defaultSite]);
    }
  });

  it('GET /v1/recordings/{id} × every recording of both orgs × each status', async () => {
    for (const r of R) {
      const res = await call(caller, { method: 'GET', url: `/v1/recordings/${r.id}` });
      let want: number;
      if (caller.org === null) want = 401;
      else if (caller.role === null && caller.ownEmail === null) want = 403;
      else if (orgOf(r) !== caller.org) want = 404;
      else if (caller.role === 'co') want = 200;
      else if (caller.role === 'admin') want = caller.sites.includes(r.site as string) && r.status !== 'purged' ? 200 : 404;
      else want = r.hostEmail === caller.ownEmail && r.status !== 'purged' ? 200 : 404;
      expect(res.status, `${caller.name} GET ${r.id}`).toBe(want);
    }
  });
});

/** Write-capable callers, plus the read-only ones (which must get 403) and the unauthenticated. */
const WRITERS: (Caller & { write: 'admin' | 'own' | null })[] = [
  { ...CALLERS[0]!, name: 'admin writer of one site', token: TOKENS.adminWriteOne, write: 'admin' },
  { ...CALLERS[1]!, name: 'admin writer of all sites', token: TOKENS.adminWriteAll, write: 'admin' },
  { ...CALLERS[2]!, name: 'CO with admin write', token: TOKENS.coWrite, write: 'admin' },
  { ...CALLERS[5]!, name: 'host with own write', token: TOKENS.host, sites: [A, B], defaultSite: A, ownEmail: 'ada@acme.example', write: 'own' },
  { ...CALLERS[7]!, name: "other org's admin writer", token: TOKENS.otherWrite, write: 'admin' },
  { ...CALLERS[1]!, write: null }, // admin read only
  { ...CALLERS[2]!, write: null }, // CO read only
  ...CALLERS.slice(9).map((c) => ({ ...c, write: null })),
];
const ALL_KEYS = R.map((r) => ({ org: orgOf(r), id: r.id }));

describe.each(WRITERS)('writes: $name', (caller) => {
  it('softDelete / restore / purge / admin delete of a recording of the other org → 401/403/404 and nothing changes', async () => {
    const foreign = R.filter((r) => caller.org !== null && orgOf(r) !== caller.org);
    const targets = caller.org === null ? R.slice(0, 3) : foreign;
    for (const r of targets) {
      for (const siteUrl of [undefined, r.site as string, caller.defaultSite ?? undefined]) {
        for (const action of ['softDelete', 'restore', 'purge'] as const) {
          const before = await snapshot(s.store, ALL_KEYS);
          const payload = JSON.stringify({ recordingIds: [r.id], ...(siteUrl === undefined ? {} : { siteUrl }) });
          const res = await call(caller, { method: 'POST', url: `/v1/recordings/${action}`, headers: { 'content-type': 'application/json' }, payload });
          const siteOk = siteUrl === undefined || caller.sites.includes(siteUrl);
          const want = caller.org === null ? 401 : caller.write === null ? 403 : !siteOk ? 403 : 404;
          expect(res.status, `${caller.name} ${action} ${r.id} site=${siteUrl}`).toBe(want);
          expect(await snapshot(s.store, ALL_KEYS)).toEqual(before);
        }
      }
      const before = await snapshot(s.store, ALL_KEYS);
      const res = await call(caller, { method: 'DELETE', url: `/v1/admin/recordings/${r.id}` });
      const want = caller.org === null ? 401 : caller.write !== 'admin' ? 403 : 404;
      expect(res.status, `${caller.name} DELETE ${r.id}`).toBe(want);
      expect(await snapshot(s.store, ALL_KEYS)).toEqual(before);
    }
  });

  it('softDelete then restore of own-org available recordings: 204 where allowed, 403/404 otherwise, and a rejection changes nothing', async () => {
    if (caller.org === null) return;
    const own = R.filter((r) => orgOf(r) === caller.org && r.status === 'available');
    for (const r of own) {
      const body = JSON.stringify({ recordingIds: [r.id], siteUrl: r.site });
      const before = await snapshot(s.store, ALL_KEYS);
      const del = await call(caller, { method: 'POST', url: '/v1/recordings/softDelete', headers: { 'content-type': 'application/json' }, payload: body });
      const siteVisible = caller.sites.includes(r.site as string);
      const mayAct = caller.write === 'admin' || (caller.write === 'own' && r.hostEmail === caller.ownEmail);
      const want = caller.write === null || !siteVisible ? 403 : mayAct ? 204 : 404;
      expect(del.status, `${caller.name} softDelete ${r.id}`).toBe(want);
      if (want !== 204) {
        expect(await snapshot(s.store, ALL_KEYS)).toEqual(before);
        continue;
      }
      expect((await s.store.getRecording(caller.org, r.id))?.status).toBe('deleted');
      const back = await call(caller, { method: 'POST', url: '/v1/recordings/restore', headers: { 'content-type': 'application/json' }, payload: body });
      expect(back.status).toBe(204);
      expect((await s.store.getRecording(caller.org, r.id))?.status).toBe('available');
    }
  });

  it('POST /v1/ingest/recordings: a token without the ingest scope → 403 (401 unauthenticated), nothing written', async () => {
    const before = await snapshot(s.store, ALL_KEYS);
    const line = JSON.stringify({ ...R[0], id: 'ingest-probe', timeRecorded: R[0]!.createTime, hostDisplayName: 'x', downloadUrl: 'https://x', playbackUrl: 'https://x', durationSeconds: 1, sizeBytes: 1 });
    const res = await call(caller, { method: 'POST', url: '/v1/ingest/recordings', headers: { 'content-type': 'application/x-ndjson' }, payload: line });
    expect(res.status).toBe(caller.org === null ? 401 : 403);
    expect(await snapshot(s.store, ALL_KEYS)).toEqual(before);
  });
});

describe('ingest across orgs', () => {
  it("the other org's ingest token cannot overwrite or probe acme ids or sites; the error reveals nothing", async () => {
    const caller: Caller = { ...CALLERS[7]!, name: 'other ingest', token: TOKENS.otherIngest };
    const base = R.find((r) => r.id === 'acmeA-available-0')!;
    const record = (over: Record<string, unknown>) =>
      JSON.stringify({
        id: 'x',
        meetingId: 'm',
        topic: 't',
        createTime: base.createTime,
        timeRecorded: base.createTime,
        hostDisplayName: 'h',
        hostEmail: 'h@other.example',
        siteUrl: Z,
        downloadUrl: 'https://z/d',
        playbackUrl: 'https://z/p',
        format: 'MP4',
        serviceType: 'MeetingCenter',
        durationSeconds: 1,
        sizeBytes: 1,
        ...over,
      });
    // Ids are unique per org: reusing an acme id on the caller's own site creates the caller's
    // own recording (200) and leaves acme's untouched, so it probes nothing.
    const sameIdBefore = await snapshot(s.store, ALL_KEYS);
    const sameId = await call(caller, { method: 'POST', url: '/v1/ingest/recordings', headers: { 'content-type': 'application/x-ndjson' }, payload: record({ id: 'acmeA-available-0' }) });
    expect(sameId.status, sameId.body).toBe(200);
    expect((await snapshot(s.store, ALL_KEYS)).recordings).toEqual(sameIdBefore.recordings);
    for (const payload of [record({ id: 'fresh-1', siteUrl: A }), record({ id: 'acmeB-deleted-1', siteUrl: B })]) {
      const before = await snapshot(s.store, ALL_KEYS);
      const res = await call(caller, { method: 'POST', url: '/v1/ingest/recordings', headers: { 'content-type': 'application/x-ndjson' }, payload });
      expect(res.status, res.body).toBe(400);
      expect(await snapshot(s.store, ALL_KEYS)).toEqual(before);
    }
  });
});
