import { boundedMemo } from './bounded-memo.js';
import { formatOffset, rendererFor, wholeMinutes } from './render-instant.js';
import { UTC_ZONE } from './time-zone.js';
import type { ListQuery } from './list-query.js';

/**
 * Renders a window bound for a next link: an explicit instant with its offset in the request's
 * zone, so the link means the same thing without the `timezone` header. Milliseconds appear only
 * when the client sent them, so the value re-parses to exactly the same instant.
 */
export function renderLinkInstant(epochMs: number, zone: string): string {
  return linkInstantsIn(zone)(epochMs);
}

/**
 * Window bounds repeat across the pages of one listing and across clients polling the same
 * window, and each next link renders two of them: remembered per zone.
 */
const linkInstantsIn = boundedMemo(64, (zone: string) =>
  boundedMemo(1024, (epochMs: number): string => {
    const offset = zone === UTC_ZONE ? 0 : wholeMinutes(rendererFor(zone).offsetAt(epochMs));
    const local = new Date(epochMs + offset * 60_000).toISOString();
    const body = epochMs % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23);
    return body + (zone === UTC_ZONE ? 'Z' : formatOffset(offset));
  }),
);

/**
 * The query string of the next page: `max`, every filter given, the effective site and explicit
 * window (unless `meetingId` is given), and the cursor. Values are percent-encoded with
 * `encodeURIComponent`, which also encodes `;` and `,`, so naive `Link` parsers that split on
 * `;` still get the whole URL.
 */
export function nextPageQuery(query: ListQuery, siteUrl: string | null, cursor: string): string {
  const pairs: [string, string][] = [['max', String(query.max)]];
  if (query.meetingId !== null) {
    pairs.push(['meetingId', query.meetingId]);
  } else if (query.window !== null && siteUrl !== null) {
    pairs.push(['from', renderLinkInstant(query.window.from, query.zone)]);
    pairs.push(['to', renderLinkInstant(query.window.to, query.zone)]);
    pairs.push(['siteUrl', siteUrl]);
  }
  if (query.integrationTag !== null) pairs.push(['integrationTag', query.integrationTag]);
  if (query.topic !== null) pairs.push(['topic', query.topic]);
  if (query.format !== null) pairs.push(['format', query.format]);
  if (query.serviceType !== null) pairs.push(['serviceType', query.serviceType]);
  pairs.push(['status', query.status]);
  pairs.push(['cursor', cursor]);
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}
