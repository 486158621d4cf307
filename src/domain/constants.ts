/** Closed value sets and limits of the Webex recordings API, shared by the server, schemas and docs. */

export const RECORDING_FORMATS = ['MP4', 'ARF', 'UPLOADED'] as const;
export type RecordingFormat = (typeof RECORDING_FORMATS)[number];

export const SERVICE_TYPES = ['MeetingCenter', 'EventCenter', 'SupportCenter', 'TrainingCenter'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const RECORDING_STATUSES = ['available', 'deleted', 'purged'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 10;
export const DEFAULT_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 30;
export const MAX_BATCH_IDS = 100;

export const SCOPES = {
  adminRead: 'meeting:admin_recordings_read',
  complianceRead: 'spark-compliance:meetings_read',
  adminWrite: 'meeting:admin_recordings_write',
  ownWrite: 'meeting:recordings_write',
  ownRead: 'meeting:recordings_read',
  preferencesRead: 'meeting:preferences_read',
  adminPreferencesRead: 'meeting:admin_preferences_read',
  ingest: 'recvault:recordings_ingest',
} as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
