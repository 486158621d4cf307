import type { Store } from '../store/store.js';
import { filterDigest, type CursorCodec } from './cursor.js';
import { badRequest, forbidden } from './errors.js';
import { parseListQuery, type ListQuery } from './list-query.js';
import { nextPageQuery } from './next-link.js';
import { listRole, resolveSite, visibleSites, type Principal } from './principal.js';
import type { RawQuery } from './query-params.js';
import { itemJson, itemsBody } from './item-json.js';
import { rendererFor } from './render-instant.js';
import { topicKey } from './topic-key.js';

export interface ListDeps {
  readonly store: Store;
  readonly cursors: CursorCodec;
  readonly now: () => number;
}

export interface ListResult {
  /** The response body, `{"items":[...]}`, as UTF-8 bytes (items rendered per `RecordingItem`). */
  readonly body: Buffer;
  readonly itemCount: number;
  /** Query string of the next page, or `null` on the last page. */
  readonly nextQuery: string | null;
}

/** The List Recordings For an Admin or Compliance Officer use case. */
export async function listRecordings(principal: Principal, raw: RawQuery, timezoneHeader: string | undefined, deps: ListDeps): Promise<ListResult> {
  const role = listRole(principal);
  if (role === null) {
    throw forbidden('Listing recordings needs an admin (meeting:admin_recordings_read) or compliance officer (spark-compliance:meetings_read) token.');
  }
  const query = parseListQuery(raw, timezoneHeader, deps.now(), deps.cursors);
  if (query.status === 'purged' && role !== 'complianceOfficer') {
    throw forbidden('Only a compliance officer may list purged recordings.');
  }
  const siteUrl = query.meetingId === null ? resolveSite(principal, query.siteUrl) : null;
  const digest = filterDigest(digestParts(principal, query, siteUrl));
  if (query.cursor !== null && query.cursor.filters !== digest) {
    throw badRequest('Invalid cursor: it belongs to a query with other filters.');
  }
  const rows = await deps.store.listRecordings({
    orgId: principal.person.orgId,
    siteUrls: siteUrl === null ? visibleSites(principal) : [siteUrl],
    meetingId: query.meetingId,
    window: query.window,
    status: query.status,
    topicKey: query.topic === null ? null : topicKey(query.topic),
    format: query.format,
    serviceType: query.serviceType,
    integrationTag: query.integrationTag === null ? null : { tag: query.integrationTag, clientId: principal.clientId },
    after: query.cursor === null ? null : { createTime: query.cursor.createTime, id: query.cursor.id },
    limit: query.max + 1,
  });
  const page = rows.slice(0, query.max);
  const times = rendererFor(query.zone);
  const body = itemsBody(page.map((r) => itemJson(r, times, principal.clientId)));
  const last = page[page.length - 1];
  if (rows.length <= query.max || last === undefined) return { body, itemCount: page.length, nextQuery: null };
  const cursor = deps.cursors.encode({ createTime: last.createTime, id: last.id, filters: digest, zone: query.zone });
  return { body, itemCount: page.length, nextQuery: nextPageQuery(query, siteUrl, cursor) };
}

function digestParts(principal: Principal, q: ListQuery, siteUrl: string | null): (string | number | null)[] {
  return [
    principal.person.orgId,
    principal.clientId,
    siteUrl,
    q.meetingId,
    q.window?.from ?? null,
    q.window?.to ?? null,
    q.integrationTag,
    q.topic,
    q.format,
    q.serviceType,
    q.status,
  ];
}
