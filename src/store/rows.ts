/** Row mapping shared by both store engines: they select the same columns, in the same order. */
import type { RecordingFormat, RecordingStatus, ServiceType } from '../domain/constants.js';
import type { Person, Recording, TokenRecord } from '../domain/types.js';
import type { AuditEntry } from './store.js';

/** The recording columns every engine selects, in the order `recordingFromColumns` reads. */
const RECORDING_COLUMN_NAMES = [
  'id', 'org_id', 'site_url', 'meeting_id', 'scheduled_meeting_id', 'meeting_series_id',
  'topic', 'create_time', 'time_recorded', 'host_display_name', 'host_email', 'download_url', 'playback_url',
  'format', 'service_type', 'duration_seconds', 'size_bytes', 'status', 'prevent_download', 'admin_deleted', 'tags',
] as const;

/** The same as an SQL select list (table alias `r`). */
export const RECORDING_COLUMNS = RECORDING_COLUMN_NAMES.map((name) => `r.${name}`).join(', ');

/** How many columns `RECORDING_COLUMNS` names. */
export const RECORDING_COLUMN_COUNT = RECORDING_COLUMN_NAMES.length;

/** Where the clustered key (site, createTime, id) sits in a column array of `RECORDING_COLUMNS`. */
export const KEY_COLUMN_INDEX = {
  id: RECORDING_COLUMN_NAMES.indexOf('id'),
  siteUrl: RECORDING_COLUMN_NAMES.indexOf('site_url'),
  createTime: RECORDING_COLUMN_NAMES.indexOf('create_time'),
} as const;

/** A recording from a column array in the order of `RECORDING_COLUMNS`. */
export function recordingFromColumns(c: readonly unknown[]): Recording {
  const tags = JSON.parse(c[20] as string) as [string, string | null][];
  return {
    id: c[0] as string,
    orgId: c[1] as string,
    siteUrl: c[2] as string,
    meetingId: c[3] as string,
    scheduledMeetingId: c[4] as string | null,
    meetingSeriesId: c[5] as string | null,
    topic: c[6] as string,
    createTime: Number(c[7]),
    timeRecorded: Number(c[8]),
    hostDisplayName: c[9] as string,
    hostEmail: c[10] as string,
    downloadUrl: c[11] as string,
    playbackUrl: c[12] as string,
    format: c[13] as RecordingFormat,
    serviceType: c[14] as ServiceType,
    durationSeconds: Number(c[15]),
    sizeBytes: Number(c[16]),
    status: c[17] as RecordingStatus,
    preventDownload: c[18] === 1 || c[18] === true,
    adminDeleted: c[19] === 1 || c[19] === true,
    integrationTags: tags.length === 0 ? [] : tags.map(([tag, clientId]) => ({ tag, clientId })),
  };
}

export interface AuditRow {
  seq: number | string;
  at: number | string;
  org_id: string;
  person_id: string | null;
  token_id: string | null;
  action: string;
  recording_id: string;
  from_status: string | null;
  to_status: string | null;
  tracking_id: string | null;
}

export function auditFromRow(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: Number(row.at),
    orgId: row.org_id,
    personId: row.person_id,
    tokenId: row.token_id,
    action: row.action,
    recordingId: row.recording_id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    trackingId: row.tracking_id,
  };
}

/** A `tokens` row as both engines return it (JSON text for scopes, epoch milliseconds). */
export interface TokenRow {
  id: string;
  person_id: string;
  scopes: string;
  client_id: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

/** The `people` columns both engines return (JSON text for the administered sites). */
export interface PersonColumns {
  org_id: string;
  email: string;
  display_name: string;
  site_urls: string;
  preferred_site_url: string | null;
}

export function tokenFromRow(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    personId: row.person_id,
    scopes: JSON.parse(row.scopes) as string[],
    clientId: row.client_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export function personFromRow(row: PersonColumns & { id: string }): Person {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    displayName: row.display_name,
    siteUrls: JSON.parse(row.site_urls) as string[],
    preferredSiteUrl: row.preferred_site_url,
  };
}
