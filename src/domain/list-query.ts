import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  RECORDING_FORMATS,
  RECORDING_STATUSES,
  SERVICE_TYPES,
  type RecordingFormat,
  type RecordingStatus,
  type ServiceType,
} from './constants.js';
import type { CursorCodec, CursorState } from './cursor.js';
import { badRequest } from './errors.js';
import { parseBoundedInteger, parseEnum, readParams, type RawQuery } from './query-params.js';
import { parseTimeZone } from './time-zone.js';
import { resolveWindow, type TimeWindow } from './window.js';
import { textDefect } from './text-defects.js';

export const LIST_PARAMS = [
  'max',
  'from',
  'to',
  'meetingId',
  'siteUrl',
  'integrationTag',
  'topic',
  'format',
  'serviceType',
  'status',
  'cursor',
] as const;

/** A list request after parsing: every value validated, the window resolved. */
export interface ListQuery {
  readonly max: number;
  /** Rendering zone: the header, else the zone remembered by the cursor, else UTC. */
  readonly zone: string;
  readonly meetingId: string | null;
  /** Requested site; `null` means the caller's default. Ignored when `meetingId` is given. */
  readonly siteUrl: string | null;
  /** `null` exactly when `meetingId` is given: the window is then neither parsed nor applied. */
  readonly window: TimeWindow | null;
  readonly integrationTag: string | null;
  readonly topic: string | null;
  readonly format: RecordingFormat | null;
  readonly serviceType: ServiceType | null;
  readonly status: RecordingStatus;
  readonly cursor: CursorState | null;
}

/**
 * Longest value accepted for each free-text filter. A topic can be stored with up to 2,048
 * characters (the import schema's text limit), so its filter must accept as many, or such a
 * recording could never be found by topic; ids, sites and tags are shorter.
 */
const TEXT_PARAM_LIMITS = [
  ['meetingId', 512],
  ['siteUrl', 512],
  ['integrationTag', 512],
  ['topic', 2048],
] as const;

/**
 * Whether `text` has more than `limit` characters counted as the import schema counts them (code
 * points: an emoji is one character, two UTF-16 units). Counts only when the UTF-16 length is over.
 */
function codePointsOver(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (const _ of text) if (++count > limit) return true;
  return false;
}

/**
 * Parses the query of `GET /v1/admin/recordings`. Pure apart from the injected clock value.
 * The order of checks is fixed so the same bad request always gets the same message.
 */
export function parseListQuery(raw: RawQuery, timezoneHeader: string | undefined, now: number, cursors: CursorCodec): ListQuery {
  const p = readParams(raw, LIST_PARAMS);
  const cursor = p.cursor === undefined ? null : cursors.decode(p.cursor);
  const zone = timezoneHeader !== undefined && timezoneHeader !== '' ? parseTimeZone(timezoneHeader) : parseTimeZone(cursor?.zone);
  const max = p.max === undefined ? DEFAULT_PAGE_SIZE : parseBoundedInteger('max', p.max, 1, MAX_PAGE_SIZE);
  const format = p.format === undefined ? null : parseEnum('format', p.format, RECORDING_FORMATS);
  const serviceType = p.serviceType === undefined ? null : parseEnum('serviceType', p.serviceType, SERVICE_TYPES);
  const status = p.status === undefined ? 'available' : parseEnum('status', p.status, RECORDING_STATUSES);
  const meetingId = p.meetingId ?? null;
  for (const [name, limit] of TEXT_PARAM_LIMITS) {
    const value = p[name];
    // With meetingId, siteUrl is not even read (SPEC): nothing about it may fail the request.
    if (value === undefined || (name === 'siteUrl' && meetingId !== null)) continue;
    if (codePointsOver(value, limit)) throw badRequest(`Parameter ${name} is too long (at most ${limit} characters).`);
    const defect = textDefect(value);
    if (defect !== null) throw badRequest(`Parameter ${name} ${defect}.`);
  }
  return {
    max,
    zone,
    meetingId,
    siteUrl: meetingId === null ? (p.siteUrl ?? null) : null,
    window: meetingId === null ? resolveWindow(p.from, p.to, zone, now) : null,
    integrationTag: p.integrationTag ?? null,
    topic: p.topic ?? null,
    format,
    serviceType,
    status,
    cursor,
  };
}
