/**
 * Helpers for the HTTP tests: requests through app.inject, a naive Link parser (as the official
 * JS SDK does it), page walking, the Webex error-body check, an independent expectation of what a
 * list request should return, and the reference-schema validator for items.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { App } from '../../src/http/app.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import type { Store } from '../../src/store/store.js';
import { auth, NOW, recordingRecord, type RecordingSpec } from './fixture.js';

export const LIST = '/v1/admin/recordings';
export const SITES = '/v1/meetingPreferences/sites';
export const JSON_UTF8 = 'application/json;charset=UTF-8';

export interface Res {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json: any;
}

export async function request(
  app: App,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD',
  url: string,
  headers: Record<string, string> = {},
  payload?: string,
): Promise<Res> {
  const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  let json: unknown = undefined;
  try {
    json = res.body === '' ? undefined : JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers as Res['headers'], body: res.body, json };
}

/** GET with a bearer token (null: no Authorization header) and optional extra headers. */
export function get(app: App, url: string, token: string | null, headers: Record<string, string> = {}): Promise<Res> {
  return request(app, 'GET', url, { ...(token === null ? {} : auth(token)), ...headers });
}

/** Builds `/v1/admin/recordings?k=v&...` with every value percent-encoded. */
export function listUrl(params: Record<string, string | number> = {}): string {
  const qs = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return qs === '' ? LIST : `${LIST}?${qs}`;
}

/** The official JS SDK's way: split on `;`, take the first part, strip `<` and `>`. */
export function naiveNextLink(header: string): string {
  const first = header.split(';')[0] ?? '';
  return first.trim().replace(/^</, '').replace(/>$/, '');
}

/** Asserts the strict `Link: <absolute-url>; rel="next"` form and returns the URL, or null when absent. */
export function nextLink(res: Res): string | null {
  const raw = res.headers['link'];
  if (raw === undefined) return null;
  expect(typeof raw, 'exactly one Link header').toBe('string');
  const header = raw as string;
  const m = /^<([^<>]+)>; rel="next"$/.exec(header);
  expect(m, `Link header has the form <url>; rel="next": ${header}`).not.toBeNull();
  const url = (m as RegExpExecArray)[1] as string;
  expect(naiveNextLink(header)).toBe(url);
  expect(() => new URL(url)).not.toThrow();
  expect(new URL(url).protocol).toMatch(/^https?:$/);
  return url;
}

/** Path and query of an absolute URL, for app.inject. */
export function pathOf(absolute: string): string {
  const u = new URL(absolute);
  return u.pathname + u.search;
}

export function paramsOf(absolute: string): URLSearchParams {
  return new URL(absolute).searchParams;
}

/** Replaces (or removes, with null) query parameters of an absolute next URL, returning a path. */
export function withParams(absolute: string, changes: Record<string, string | null>): string {
  const u = new URL(absolute);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  return u.pathname + u.search;
}

export interface Walk {
  pages: Res[];
  ids: string[];
  links: string[];
}

/** Follows next links from `firstUrl` until the last page; headers go only with the first request unless `everyPage`. */
export async function walk(
  app: App,
  firstUrl: string,
  token: string,
  headers: Record<string, string> = {},
  options: { everyPage?: boolean; between?: (pageIndex: number, page: Res) => Promise<void>; maxPages?: number } = {},
): Promise<Walk> {
  const pages: Res[] = [];
  const links: string[] = [];
  let url: string | null = firstUrl;
  const limit = options.maxPages ?? 1000;
  while (url !== null) {
    const res = await get(app, url, token, pages.length === 0 || options.everyPage === true ? headers : {});
    expect(res.status, `${url}: ${res.body}`).toBe(200);
    // A page reached through a next link is never empty: the link promised more items.
    if (pages.length > 0) expect((res.json.items as unknown[]).length, `page after a next link: ${url}`).toBeGreaterThan(0);
    pages.push(res);
    const next = nextLink(res);
    if (next !== null) {
      links.push(next);
      if (options.between !== undefined) await options.between(pages.length - 1, res);
    }
    url = next === null ? null : pathOf(next);
    if (pages.length > limit) throw new Error('walk did not end');
  }
  return { pages, links, ids: pages.flatMap((p) => (p.json.items as { id: string }[]).map((i) => i.id)) };
}

/** Checks the Webex error body, the TrackingID header and the content type. */
export function expectWebexError(res: Res, status: number): { message: string } {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  const body = res.json as { message: unknown; errors: unknown; trackingId: unknown };
  expect(body, res.body).toBeTypeOf('object');
  expect(Object.keys(body).sort()).toEqual(['errors', 'message', 'trackingId']);
  expect(typeof body.message).toBe('string');
  expect((body.message as string).length).toBeGreaterThan(0);
  expect(Array.isArray(body.errors)).toBe(true);
  const errors = body.errors as unknown[];
  expect(errors.length).toBeGreaterThanOrEqual(1);
  for (const e of errors) {
    expect(typeof (e as { description: unknown }).description).toBe('string');
  }
  expect(typeof body.trackingId).toBe('string');
  expect((body.trackingId as string).length).toBeGreaterThan(0);
  expect(res.headers['trackingid']).toBe(body.trackingId);
  return { message: body.message as string };
}

export function items(res: Res): Record<string, unknown>[] {
  return res.json.items as Record<string, unknown>[];
}

export function ids(res: Res): string[] {
  return items(res).map((i) => i.id as string);
}

/** Adds or replaces recordings in a running server's store, as an import would. */
export async function upsertRecordings(store: Store, specs: RecordingSpec[]): Promise<void> {
  const dataset = parseImportDocument({ recordings: specs.map(recordingRecord) }, await store.knownEntities(), NOW);
  // Through ingest, the write path that applies a record's status to a recording that exists (a
  // file import keeps the lifecycle state of existing recordings).
  for (const orgId of new Set(dataset.recordings.map((r) => r.orgId))) {
    await store.ingestRecordings(
      dataset.recordings.filter((r) => r.orgId === orgId).map((recording) => ({ recording, statusGiven: true })),
      { at: NOW, orgId, personId: null, tokenId: null, trackingId: null },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Independent expectation: filter and sort the fixture data in the test itself.

export interface Expect {
  sites: string[];
  from?: number;
  to?: number;
  status?: 'available' | 'deleted' | 'purged';
  topicFold?: string;
  format?: string;
  serviceType?: string;
  meetingId?: string;
  tag?: { tag: string; clientId: string | null };
}

/** Case folding for the test's own expectation, written differently from the server on purpose. */
export function fold(s: string): string {
  return s
    .normalize('NFC')
    .replace(/ß/g, 'ss')
    .replace(/ẞ/g, 'ss')
    .replace(/ς/g, 'σ')
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .normalize('NFC');
}

export function expected(all: RecordingSpec[], e: Expect): string[] {
  return all
    .filter((r) => e.sites.includes(r.site ?? 'a.example.com'))
    .filter((r) => (r.status ?? 'available') === (e.status ?? 'available'))
    .filter((r) => {
      if (e.meetingId !== undefined) {
        return (
          (r.meetingId ?? `inst-${r.id}`) === e.meetingId ||
          (r.scheduledMeetingId ?? `sched-${r.id}`) === e.meetingId ||
          (r.meetingSeriesId ?? `series-${r.id}`) === e.meetingId
        );
      }
      const t = Date.parse(r.createTime);
      return (e.from === undefined || t >= e.from) && (e.to === undefined || t < e.to);
    })
    .filter((r) => e.topicFold === undefined || fold(r.topic ?? `Topic ${r.id}`) === e.topicFold)
    .filter((r) => e.format === undefined || (r.format ?? 'MP4') === e.format)
    .filter((r) => e.serviceType === undefined || (r.serviceType ?? 'MeetingCenter') === e.serviceType)
    .filter((r) => {
      if (e.tag === undefined) return true;
      const wanted = e.tag;
      return (r.integrationTags ?? []).some((t) =>
        typeof t === 'string' ? t === wanted.tag : t.tag === wanted.tag && (t.clientId === null || t.clientId === wanted.clientId),
      );
    })
    .sort(byCreateTimeDescIdDesc)
    .map((r) => r.id);
}

export function byCreateTimeDescIdDesc(a: RecordingSpec, b: RecordingSpec): number {
  const d = Date.parse(b.createTime) - Date.parse(a.createTime);
  if (d !== 0) return d;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Reference schema.

// The vendor's OpenAPI lives in ../shared beside the repository (as in CI and on developer machines).
const REFERENCE = JSON.parse(readFileSync(new URL('../../../shared/reference/webex-recordings-subset.openapi.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, Record<string, unknown>> };
  paths: Record<string, unknown>;
};
export const REFERENCE_DOC = REFERENCE;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const refSchema = REFERENCE.components.schemas['RecordingObjectForAdminAndCO'] as { required: string[] } & Record<string, unknown>;
const validateFull: ValidateFunction = ajv.compile(refSchema);
const validateNoDownload: ValidateFunction = ajv.compile({ ...refSchema, required: refSchema.required.filter((f) => f !== 'downloadUrl') });

export const ITEM_FIELDS = [
  'id',
  'meetingId',
  'scheduledMeetingId',
  'meetingSeriesId',
  'topic',
  'createTime',
  'timeRecorded',
  'hostDisplayName',
  'hostEmail',
  'siteUrl',
  'downloadUrl',
  'playbackUrl',
  'format',
  'serviceType',
  'durationSeconds',
  'sizeBytes',
  'integrationTags',
  'status',
];

/**
 * Validates one returned item against the reference schema. `downloadUrl` may be missing only
 * when the fixture says downloading is prevented — and then it must be missing.
 */
export function expectValidItem(item: Record<string, unknown>, fixture: RecordingSpec[]): void {
  const spec = fixture.find((r) => r.id === item.id);
  expect(spec, `item ${String(item.id)} comes from the fixture`).toBeDefined();
  for (const key of Object.keys(item)) expect(ITEM_FIELDS, `unexpected field ${key}`).toContain(key);
  if (spec?.preventDownload === true) {
    expect(item).not.toHaveProperty('downloadUrl');
    const ok = validateNoDownload(item);
    expect(validateNoDownload.errors ?? [], JSON.stringify(item)).toEqual([]);
    expect(ok).toBe(true);
  } else {
    const ok = validateFull(item);
    expect(validateFull.errors ?? [], JSON.stringify(item)).toEqual([]);
    expect(ok).toBe(true);
  }
  if ('integrationTags' in item) expect((item.integrationTags as unknown[]).length).toBeGreaterThan(0);
}

/** Asserts the wire instant form for a zone: `Z` for UTC, else a numeric offset; seconds precision. */
export const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const OFFSET_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
