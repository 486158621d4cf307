import type { RecordingFormat, RecordingStatus, ServiceType } from '../../domain/constants.js';
import type { Recording } from '../../domain/types.js';
import type { AuditEntry } from '../store.js';

/**
 * A recording from a column array in the order of `RECORDING_COLUMNS` (sqlite-store.ts):
 * id, org_id, site_url, meeting_id, scheduled_meeting_id, meeting_series_id, topic, create_time,
 * time_recorded, host_display_name, host_email, download_url, playback_url, format, service_type,
 * duration_seconds, size_bytes, status, prevent_download, admin_deleted, tags.
 */
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
