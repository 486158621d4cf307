import type { RecordingFormat, RecordingStatus, ServiceType } from '../domain/constants.js';
import type { RecordingItem, SiteListEntry } from '../domain/types.js';
import type { ResponseHeaders } from './errors.js';
import type { InstantInput } from './windows.js';

export type { RecordingFormat, RecordingStatus, ServiceType } from '../domain/constants.js';
export type { CallerProfile, RecordingItem, RecordingList, SiteList, SiteListEntry, WebexErrorBody } from '../domain/types.js';
export type { InstantInput } from './windows.js';

/** Filters of `GET /v1/admin/recordings`, plus SDK conveniences. */
export interface ListRecordingsParams {
  /** Inclusive start; with `to`, any span: longer than 30 days is split into API-sized windows. */
  readonly from?: InstantInput;
  /** Exclusive end. */
  readonly to?: InstantInput;
  /** Page size 1..100. The SDK defaults to 100 (the API's default is 10) to save round trips. */
  readonly max?: number;
  /** Series, scheduled-meeting or instance id; the server then ignores `siteUrl`, `from` and `to`. */
  readonly meetingId?: string;
  readonly siteUrl?: string;
  readonly integrationTag?: string;
  readonly topic?: string;
  readonly format?: RecordingFormat;
  readonly serviceType?: ServiceType;
  readonly status?: RecordingStatus;
  /** IANA zone for reading zone-less dates, splitting windows and rendering times; default: the client's. */
  readonly timezone?: string;
}

export interface CallOptions {
  /** Cancels the call, including a retry wait in progress. */
  readonly signal?: AbortSignal;
}

/** Where a listing stopped; pass it back as `resume` to continue with no gap and no duplicate. */
export interface ListCheckpoint {
  /** Index of the current window in the newest-first plan. */
  readonly window: number;
  /** Next page of that window (rebased onto the base URL); `null`: that window is done, go on with the next one. */
  readonly next: string | null;
  /** The last items' `createTime` (epoch ms) and the ids seen at it, for de-duplication at seams. */
  readonly tie: { readonly createTime: number; readonly ids: readonly string[] } | null;
}

export interface ListOptions extends CallOptions {
  readonly resume?: ListCheckpoint;
}

export interface RecordingPage {
  /** Items of this page, newest first (an item already yielded at the same `createTime` is dropped). */
  readonly items: RecordingItem[];
  readonly status: number;
  readonly trackingId: string | null;
  readonly headers: ResponseHeaders;
  /** The raw `Link` header, or `null` on a window's last page. */
  readonly link: string | null;
  /** The next page's URL within the current window, or `null`. */
  readonly next: string | null;
  /** Which window this page belongs to; `from`/`to` as sent (`null`: server default). */
  readonly window: { readonly index: number; readonly count: number; readonly from: string | null; readonly to: string | null };
  /** Resume point after this page. */
  readonly checkpoint: ListCheckpoint;
}

/** Targets of recycle-bin actions. */
export interface LifecycleOptions extends CallOptions {
  /** Site of the recordings; default: the caller's preferred site. */
  readonly siteUrl?: string;
  /** Admins only: act on this host's recordings. */
  readonly hostEmail?: string;
  /** Called after each batch of at most 100 ids succeeds. */
  readonly onBatch?: (done: number, total: number) => void;
}

export interface BatchResult {
  /** HTTP requests made (one per batch of at most 100 ids). */
  readonly requests: number;
  /** Distinct ids sent. */
  readonly ids: number;
}

export type { SiteListEntry as Site };
