import { MAX_BATCH_IDS, MAX_PAGE_SIZE } from '../domain/constants.js';
import type { RecordingItem, RecordingList } from '../domain/types.js';
import { RecvaultError } from './errors.js';
import { checkTimeZoneName } from './header-values.js';
import type { HttpTransport, TransportResponse } from './http-transport.js';
import { parseNextLink } from './link-header.js';
import { RecordingIterator } from './recording-iterator.js';
import type { BatchResult, CallOptions, LifecycleOptions, ListCheckpoint, ListOptions, ListRecordingsParams, RecordingPage } from './types.js';
import { planWindows, type WireWindow } from './windows.js';

const LIST_PATH = 'v1/admin/recordings';
const FILTERS = ['siteUrl', 'integrationTag', 'topic', 'format', 'serviceType', 'status'] as const;

/** `client.recordings`: listing (with pagination and window splitting), details and the recycle bin. */
export class RecordingsApi {
  constructor(
    private readonly http: HttpTransport,
    private readonly defaultZone: string | undefined,
  ) {}

  /**
   * Every matching recording, newest first, following `Link: <…>; rel="next"` and splitting a
   * window longer than 30 days into API-sized windows.
   *
   * @example
   * for await (const r of client.recordings.list({ from: '2024-01-01', to: '2025-01-01', siteUrl: 'acme.webex.com' })) {
   *   console.log(r.id, r.createTime, r.topic);
   * }
   */
  list(params: ListRecordingsParams = {}, options: ListOptions = {}): RecordingIterator {
    const pages = () => this.pages(params, options);
    return new RecordingIterator(async function* items() {
      for await (const page of pages()) yield* page.items;
    });
  }

  /**
   * Whole pages with their status, tracking id and `Link`, plus a checkpoint to resume from.
   *
   * @example
   * for await (const page of client.recordings.pages({ from, to })) {
   *   save(page.items);
   *   persist(page.checkpoint); // later: client.recordings.pages({ from, to }, { resume: checkpoint })
   * }
   */
  async *pages(params: ListRecordingsParams = {}, options: ListOptions = {}): AsyncGenerator<RecordingPage, void, undefined> {
    const zone = params.timezone === undefined ? this.defaultZone : checkTimeZoneName(params.timezone, 'timezone');
    const max = params.max ?? MAX_PAGE_SIZE;
    const windows: WireWindow[] = params.meetingId !== undefined ? [{ from: null, to: null }] : planWindows(params.from, params.to, zone ?? 'UTC');
    const headers: Record<string, string> = zone === undefined ? {} : { timezone: zone };
    const resume = options.resume;
    if (resume !== undefined && !(Number.isInteger(resume.window) && resume.window >= 0 && resume.window < windows.length)) {
      throw new RangeError(`checkpoint window ${resume.window} does not fit these parameters (${windows.length} windows)`);
    }
    let tie = resume?.tie === undefined || resume.tie === null ? null : { createTime: resume.tie.createTime, ids: new Set(resume.tie.ids) };
    for (let index = resume?.window ?? 0; index < windows.length; index++) {
      const window = windows[index] as WireWindow;
      let url: URL | null;
      if (resume !== undefined && index === resume.window) {
        url = resume.next === null ? null : this.http.rebase(resume.next);
      } else {
        url = this.firstPageUrl(params, max, window);
      }
      while (url !== null) {
        const response = await this.http.send({ method: 'GET', url, headers, signal: options.signal });
        const list = parseJson<RecordingList>(response);
        const link = response.headers['link'] ?? null;
        const nextLink = parseNextLink(link);
        const next = nextLink === null ? null : this.http.rebase(nextLink);
        if (next !== null && next.href === url.href) {
          throw new RecvaultError({ message: 'The server sent a next link to the page just read', status: response.status, trackingId: response.trackingId, headers: response.headers });
        }
        const items: RecordingItem[] = [];
        for (const item of Array.isArray(list.items) ? list.items : []) {
          const createTime = Date.parse(item.createTime);
          // Windows are half-open, so the server never returns an item twice; this guards seams
          // and resumes anyway, dropping only a repeated id at the very same createTime.
          if (tie !== null && tie.createTime === createTime) {
            if (tie.ids.has(item.id)) continue;
            tie.ids.add(item.id);
          } else {
            tie = { createTime, ids: new Set([item.id]) };
          }
          items.push(item);
        }
        const checkpoint: ListCheckpoint = {
          window: index,
          next: next === null ? null : next.href,
          tie: tie === null ? null : { createTime: tie.createTime, ids: [...tie.ids] },
        };
        yield {
          items,
          status: response.status,
          trackingId: response.trackingId,
          headers: response.headers,
          link,
          next: next === null ? null : next.href,
          window: { index, count: windows.length, from: window.from, to: window.to },
          checkpoint,
        };
        url = next;
      }
    }
  }

  /**
   * One recording in the list-item shape, times rendered in the request zone.
   *
   * @example
   * const r = await client.recordings.get('7a3c…', { timezone: 'Europe/Paris' });
   */
  async get(id: string, options: CallOptions & { readonly timezone?: string } = {}): Promise<RecordingItem> {
    const zone = options.timezone === undefined ? this.defaultZone : checkTimeZoneName(options.timezone, 'timezone');
    const response = await this.http.send({
      method: 'GET',
      url: `v1/recordings/${encodeURIComponent(id)}`,
      headers: zone === undefined ? {} : { timezone: zone },
      signal: options.signal,
    });
    return parseJson<RecordingItem>(response);
  }

  /**
   * Moves recordings to the recycle bin, in batches of at most 100 ids. Each batch is
   * all-or-nothing on the server; when a later batch fails, earlier ones stay applied.
   *
   * @example
   * await client.recordings.softDelete(ids, { siteUrl: 'acme.webex.com' });
   */
  softDelete(ids: readonly string[], options: LifecycleOptions = {}): Promise<BatchResult> {
    return this.batched('softDelete', ids, options);
  }

  /**
   * Restores recordings from the recycle bin, in batches of at most 100 ids.
   *
   * @example
   * await client.recordings.restore(['r1', 'r2']);
   */
  restore(ids: readonly string[], options: LifecycleOptions = {}): Promise<BatchResult> {
    return this.batched('restore', ids, options);
  }

  /**
   * Purges recordings that are in the recycle bin, in batches of at most 100 ids.
   *
   * @example
   * await client.recordings.purge(['r1'], { hostEmail: 'ada@acme.com' });
   */
  purge(ids: readonly string[], options: LifecycleOptions = {}): Promise<BatchResult> {
    return this.batched('purge', ids, options);
  }

  /**
   * Restores everything in the recycle bin of the site (and host, if given).
   *
   * @example
   * await client.recordings.restoreAll({ siteUrl: 'acme.webex.com' });
   */
  async restoreAll(options: LifecycleOptions = {}): Promise<void> {
    await this.post('restore', { restoreAll: true }, options);
  }

  /**
   * Purges everything in the recycle bin of the site (and host, if given).
   *
   * @example
   * await client.recordings.purgeAll({ siteUrl: 'acme.webex.com' });
   */
  async purgeAll(options: LifecycleOptions = {}): Promise<void> {
    await this.post('purge', { purgeAll: true }, options);
  }

  /**
   * Admin delete: gone for admins for good, still listed (as purged) for compliance officers.
   * Not idempotent on the wire: a retry after a lost response may answer 404.
   *
   * @example
   * await client.recordings.adminDelete('r1');
   */
  async adminDelete(id: string, options: CallOptions = {}): Promise<void> {
    await this.http.send({ method: 'DELETE', url: `v1/admin/recordings/${encodeURIComponent(id)}`, signal: options.signal });
  }

  private firstPageUrl(params: ListRecordingsParams, max: number, window: WireWindow): URL {
    const url = this.http.resolve(LIST_PATH);
    const q = url.searchParams;
    q.set('max', String(max));
    if (params.meetingId !== undefined) q.set('meetingId', params.meetingId);
    if (window.from !== null) q.set('from', window.from);
    if (window.to !== null) q.set('to', window.to);
    for (const name of FILTERS) {
      const value = params[name];
      if (value !== undefined) q.set(name, value);
    }
    return url;
  }

  private async batched(action: 'softDelete' | 'restore' | 'purge', ids: readonly string[], options: LifecycleOptions): Promise<BatchResult> {
    const unique = [...new Set(ids)];
    let requests = 0;
    for (let at = 0; at < unique.length; at += MAX_BATCH_IDS) {
      await this.post(action, { recordingIds: unique.slice(at, at + MAX_BATCH_IDS) }, options);
      requests++;
      options.onBatch?.(Math.min(at + MAX_BATCH_IDS, unique.length), unique.length);
    }
    return { requests, ids: unique.length };
  }

  private async post(action: 'softDelete' | 'restore' | 'purge', body: Record<string, unknown>, options: LifecycleOptions): Promise<void> {
    const url = this.http.resolve(`v1/recordings/${action}`);
    if (options.hostEmail !== undefined) url.searchParams.set('hostEmail', options.hostEmail);
    const payload = options.siteUrl === undefined ? body : { ...body, siteUrl: options.siteUrl };
    await this.http.send({ method: 'POST', url, body: payload, signal: options.signal });
  }
}

/** A 2xx body that is not the JSON promised is reported like any failure, with the tracking id. */
export function parseJson<T>(response: TransportResponse): T {
  try {
    return JSON.parse(response.text) as T;
  } catch (error) {
    throw new RecvaultError({
      message: `The server answered ${response.status} with a body that is not JSON`,
      status: response.status,
      trackingId: response.trackingId,
      headers: response.headers,
      body: response.text.slice(0, 1000),
      cause: error,
    });
  }
}
