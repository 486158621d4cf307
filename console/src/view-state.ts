import { MAX_WINDOW_DAYS, RECORDING_FORMATS, RECORDING_STATUSES, SERVICE_TYPES } from '../../src/domain/constants.js';
import type { RecordingFormat, RecordingStatus, ServiceType } from '../../src/domain/constants.js';
import type { ListRecordingsParams } from '../../src/client/types.js';
import { addDays, daysInclusive, isDate, isTimeZone, todayIn } from './dates.js';

/**
 * Everything that defines a recordings view. It lives in the page URL (see `readViewState`,
 * `writeViewState`), so a view can be bookmarked, shared and navigated with Back/Forward.
 */
export interface ViewState {
  /** `null`: the caller's default site. */
  readonly site: string | null;
  readonly range: DateRange;
  readonly topic: string;
  readonly meetingId: string;
  readonly integrationTag: string;
  readonly format: RecordingFormat | null;
  readonly serviceType: ServiceType | null;
  readonly status: RecordingStatus;
  /** `null`: the browser's zone. */
  readonly timezone: string | null;
  readonly pageSize: PageSize;
}

/** A rolling preset (relative to the server's today) or fixed calendar dates, both ends included. */
export type DateRange = { readonly kind: 'last'; readonly days: Preset } | { readonly kind: 'dates'; readonly from: string; readonly to: string };

export const PRESETS = [7, 30] as const;
export type Preset = (typeof PRESETS)[number];
export const PAGE_SIZES = [10, 25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export const DEFAULT_VIEW: ViewState = {
  site: null,
  range: { kind: 'last', days: 7 },
  topic: '',
  meetingId: '',
  integrationTag: '',
  format: null,
  serviceType: null,
  status: 'available',
  timezone: null,
  pageSize: 25,
};

/** Longest value kept from the URL: the API bounds its inputs too; a huge URL is not a crash. */
const MAX_TEXT = 500;

const oneOf = <T extends string | number>(values: readonly T[], raw: string | null): T | null =>
  raw === null ? null : (values.find((v) => String(v) === raw) ?? null);

/** The view with its filters and date range back at their defaults; site, tab, zone and page size kept. */
export function clearFilters(state: ViewState): ViewState {
  const { range, topic, meetingId, integrationTag, format, serviceType } = DEFAULT_VIEW;
  return { ...state, range, topic, meetingId, integrationTag, format, serviceType };
}

/**
 * The view a URL's query string describes. Unknown or malformed values fall back to defaults and
 * are named in `ignored`, so the page can say what it did not understand instead of failing.
 */
export function readViewState(search: string | URLSearchParams): { state: ViewState; ignored: string[] } {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search;
  const ignored: string[] = [];
  const text = (name: string): string => {
    const value = (q.get(name) ?? '').slice(0, MAX_TEXT);
    return value;
  };
  const pick = <T extends string | number>(name: string, values: readonly T[]): T | null => {
    const raw = q.get(name);
    if (raw === null || raw === '') return null;
    const value = oneOf(values, raw);
    if (value === null) ignored.push(name);
    return value;
  };

  let range: DateRange = DEFAULT_VIEW.range;
  const from = q.get('from');
  const to = q.get('to');
  if (from !== null || to !== null) {
    if (from !== null && to !== null && isDate(from) && isDate(to)) range = { kind: 'dates', from, to };
    else ignored.push('from/to');
  } else {
    const preset = pick('range', PRESETS.map((d) => `${d}d`));
    if (preset !== null) range = { kind: 'last', days: Number(preset.slice(0, -1)) as Preset };
  }

  const zone = q.get('tz');
  let timezone: string | null = null;
  if (zone !== null && zone !== '') {
    if (isTimeZone(zone)) timezone = zone;
    else ignored.push('tz');
  }
  const size = pick('size', PAGE_SIZES.map(String));
  const site = text('site');
  return {
    state: {
      site: site === '' ? null : site,
      range,
      topic: text('topic'),
      meetingId: text('meetingId'),
      integrationTag: text('tag'),
      format: pick('format', RECORDING_FORMATS),
      serviceType: pick('serviceType', SERVICE_TYPES),
      status: pick('status', RECORDING_STATUSES) ?? DEFAULT_VIEW.status,
      timezone,
      pageSize: size === null ? DEFAULT_VIEW.pageSize : (Number(size) as PageSize),
    },
    ignored,
  };
}

/** The query string of a view; defaults are left out so shared URLs stay short. */
export function writeViewState(state: ViewState): URLSearchParams {
  const q = new URLSearchParams();
  if (state.site !== null) q.set('site', state.site);
  if (state.range.kind === 'dates') {
    q.set('from', state.range.from);
    q.set('to', state.range.to);
  } else if (state.range.days !== 7) {
    q.set('range', `${state.range.days}d`);
  }
  if (state.topic !== '') q.set('topic', state.topic);
  if (state.meetingId !== '') q.set('meetingId', state.meetingId);
  if (state.integrationTag !== '') q.set('tag', state.integrationTag);
  if (state.format !== null) q.set('format', state.format);
  if (state.serviceType !== null) q.set('serviceType', state.serviceType);
  if (state.status !== 'available') q.set('status', state.status);
  if (state.timezone !== null) q.set('tz', state.timezone);
  if (state.pageSize !== DEFAULT_VIEW.pageSize) q.set('size', String(state.pageSize));
  return q;
}

/** The calendar dates a range covers, both included, with "today" taken in `zone` at `nowMs`. */
export function rangeDates(range: DateRange, zone: string, nowMs: number): { from: string; to: string } {
  if (range.kind === 'dates') return { from: range.from, to: range.to };
  const today = todayIn(zone, nowMs);
  return { from: addDays(today, -(range.days - 1)), to: today };
}

export type ListRequest =
  | { readonly ok: true; readonly params: ListRecordingsParams; readonly from: string | null; readonly to: string | null }
  | { readonly ok: false; readonly reason: 'reversed' | 'tooLong'; readonly message: string; readonly days: number };

/**
 * The SDK parameters of a view, or why the list would not be asked for. Dates go out without an
 * offset (`from` = the first day, `to` = the day after the last), and the `timezone` header makes
 * the API read them as midnights in the chosen zone. `allowLong` (the CSV export) lets a range
 * exceed the API's 30 days, which the SDK then splits.
 */
export function listRequest(state: ViewState, zone: string, nowMs: number, options: { allowLong?: boolean } = {}): ListRequest {
  const filters: Record<string, string> = {};
  if (state.topic !== '') filters['topic'] = state.topic;
  if (state.integrationTag !== '') filters['integrationTag'] = state.integrationTag;
  const common = {
    ...filters,
    ...(state.format === null ? {} : { format: state.format }),
    ...(state.serviceType === null ? {} : { serviceType: state.serviceType }),
    status: state.status,
    timezone: zone,
  };
  // The API ignores site and dates for a meeting id, so the console does not check them either.
  if (state.meetingId !== '') return { ok: true, params: { ...common, meetingId: state.meetingId }, from: null, to: null };
  const { from, to } = rangeDates(state.range, zone, nowMs);
  const days = daysInclusive(from, to);
  if (days < 1) {
    return { ok: false, reason: 'reversed', days, message: `The range starts (${from}) after it ends (${to}). Pick a start on or before the end.` };
  }
  if (days > MAX_WINDOW_DAYS && options.allowLong !== true) {
    return {
      ok: false,
      reason: 'tooLong',
      days,
      message: `The range ${from} to ${to} spans ${days} days; the list shows at most ${MAX_WINDOW_DAYS} days at a time. Narrow the range, or use Export CSV, which covers any range.`,
    };
  }
  const site = state.site === null ? {} : { siteUrl: state.site };
  return { ok: true, params: { ...common, ...site, from, to: addDays(to, 1) }, from, to };
}
