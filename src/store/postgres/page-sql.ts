/**
 * The SQL that answers one list page on PostgreSQL, one shape per access path, each reading
 * only what the page needs (the EXPLAIN tests in test/postgres guard this):
 * - site (+ status, + topic key): a backward range scan of `recordings_by_site` /
 *   `recordings_by_topic` in the window's partitions, starting at the cursor;
 * - `meetingId` alone: each meeting-id level read in page order from its own index, at most one
 *   page each, merged;
 * - `integrationTag` on one site: the tag keyset index per visible tag owner, merged, joined to
 *   the page's rows by primary key;
 * - anything else (a meeting id with more filters): the meeting's or tag's rows only, sorted.
 */
import { RECORDING_COLUMN_COUNT, RECORDING_COLUMNS } from '../rows.js';
import { inlinePageLimit as pageLimit, type RecordingPageQuery } from '../store.js';

/**
 * A page's columns: the recording's, then its row version (`xmin`, the transaction that wrote
 * this tuple; any update writes a new one), which lets the store reuse a recording it has
 * already converted and rendered (see `RecordingCache`).
 */
export const PAGE_COLUMNS = `${RECORDING_COLUMNS}, r.xmin::text AS row_version`;
/** Index of the row version in a page row (after the recording's columns). */
export const ROW_VERSION = RECORDING_COLUMN_COUNT;

export interface SqlStatement {
  readonly text: string;
  readonly values: unknown[];
  /**
   * The statement's generic plan (no parameter values known) takes the same index path as its
   * custom plans (guarded by the EXPLAIN tests), so it may run as a named, plan-once statement.
   * Site pages qualify: their generic plan walks the partitions newest first and prunes those
   * outside the window when it runs. A meeting id with other filters, or a tag over several
   * sites, is rare and planned per call.
   */
  readonly reusablePlan?: boolean;
}

/** Collects positional parameters: `p(value)` returns `$n`. */
class Params {
  readonly values: unknown[] = [];
  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const ORDER = 'ORDER BY create_time DESC, id DESC';

export function pageSql(q: RecordingPageQuery): SqlStatement {
  const limit = pageLimit(q);
  if (q.siteUrls.length === 0) return { text: `SELECT ${PAGE_COLUMNS} FROM recordings r WHERE false`, values: [] };
  const params = new Params();
  const onlyMeeting = q.meetingId !== null && q.topicKey === null && q.format === null && q.serviceType === null && q.integrationTag === null;
  if (onlyMeeting) {
    // The page size is a parameter in the named (plan-once) statements: written in, every page
    // size would be a statement of its own.
    const limitParam = params.p(limit);
    const meetingId = params.p(q.meetingId);
    const branches = (['meeting_series_id', 'scheduled_meeting_id', 'meeting_id'] as const).map((column) => {
      const where = [`r.${column} = ${meetingId}`, `r.org_id = ${params.p(q.orgId)}`, `r.status = ${params.p(q.status)}`, siteCondition(q, params)];
      pushCommonFilters(q, params, where, 'r.create_time', 'r.id');
      return `(SELECT ${PAGE_COLUMNS} FROM recordings r WHERE ${where.join(' AND ')} ORDER BY r.create_time DESC, r.id DESC LIMIT ${limitParam})`;
    });
    return { text: `SELECT * FROM (${branches.join(' UNION ')}) page ${ORDER} LIMIT ${limitParam}`, values: params.values, reusablePlan: true };
  }
  if (q.integrationTag !== null && q.meetingId === null && q.siteUrls.length === 1) {
    const tag = q.integrationTag;
    const owners = tag.clientId === null || tag.clientId === '' ? [''] : ['', tag.clientId];
    const limitParam = params.p(limit);
    const branches = owners.map((owner) => {
      const where = [
        `t.tag = ${params.p(tag.tag)}`,
        `t.client_id = ${params.p(owner)}`,
        `t.site_url = ${params.p(q.siteUrls[0])}`,
        `t.status = ${params.p(q.status)}`,
        `r.org_id = ${params.p(q.orgId)}`,
      ];
      pushCommonFilters(q, params, where, 't.create_time', 't.recording_id');
      // A recording may carry the tag both client-less and from the caller's client: the
      // client's branch skips those (a primary-key probe), so the merge needs no de-duplication.
      if (owner !== '') {
        where.push(`NOT EXISTS (SELECT 1 FROM recording_tags c WHERE c.tag = t.tag AND c.client_id = '' AND c.org_id = t.org_id AND c.recording_id = t.recording_id)`);
      }
      return `(SELECT ${PAGE_COLUMNS} FROM recording_tags t
          JOIN recordings r ON r.site_url = t.site_url AND r.create_time = t.create_time AND r.id = t.recording_id
          WHERE ${where.join(' AND ')} ORDER BY t.create_time DESC, t.recording_id DESC LIMIT ${limitParam})`;
    });
    const text = branches.length === 1 ? (branches[0] as string).slice(1, -1) : `SELECT * FROM (${branches.join(' UNION ALL ')}) page ${ORDER} LIMIT ${limitParam}`;
    return { text, values: params.values, reusablePlan: true };
  }
  const where = [`r.org_id = ${params.p(q.orgId)}`, siteCondition(q, params), `r.status = ${params.p(q.status)}`];
  if (q.meetingId !== null) {
    const m = params.p(q.meetingId);
    where.push(`(r.meeting_series_id = ${m} OR r.scheduled_meeting_id = ${m} OR r.meeting_id = ${m})`);
  }
  if (q.integrationTag !== null) {
    where.push(`EXISTS (SELECT 1 FROM recording_tags t WHERE t.org_id = r.org_id AND t.recording_id = r.id
      AND t.tag = ${params.p(q.integrationTag.tag)} AND t.client_id IN ('', ${params.p(q.integrationTag.clientId ?? '')}))`);
  }
  pushCommonFilters(q, params, where, 'r.create_time', 'r.id');
  // One site (+ status, topic, window, cursor): the page size is a parameter, as above.
  const sitePage = q.meetingId === null && q.integrationTag === null && q.siteUrls.length === 1;
  return {
    text: `SELECT ${PAGE_COLUMNS} FROM recordings r WHERE ${where.join(' AND ')} ORDER BY r.create_time DESC, r.id DESC LIMIT ${sitePage ? params.p(limit) : limit}`,
    values: params.values,
    reusablePlan: sitePage,
  };
}

/** One site as an equality keeps the index order; several (a meetingId query) as a set. */
function siteCondition(q: RecordingPageQuery, params: Params): string {
  return q.siteUrls.length === 1 ? `r.site_url = ${params.p(q.siteUrls[0])}` : `r.site_url = ANY(${params.p(q.siteUrls)}::text[])`;
}

/** Topic, window, keyset, format and service type, shared by every access path. */
function pushCommonFilters(q: RecordingPageQuery, params: Params, where: string[], timeCol: string, idCol: string): void {
  if (q.topicKey !== null) {
    // The hash is what `recordings_by_topic` holds (migration 3); the key itself settles it.
    const key = params.p(q.topicKey);
    where.push(`hashtextextended(r.topic_key, 0) = hashtextextended(${key}::text COLLATE "C", 0) AND r.topic_key = ${key}`);
  }
  if (q.window !== null) where.push(`${timeCol} >= ${params.p(q.window.from)}::bigint AND ${timeCol} < ${params.p(q.window.to)}::bigint`);
  // A row comparison is one index condition: the scan starts exactly where the last page ended.
  if (q.after !== null) where.push(`(${timeCol}, ${idCol}) < (${params.p(q.after.createTime)}::bigint, ${params.p(q.after.id)}::text)`);
  if (q.format !== null) where.push(`r.format = ${params.p(q.format)}`);
  if (q.serviceType !== null) where.push(`r.service_type = ${params.p(q.serviceType)}`);
}
