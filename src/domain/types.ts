import type { RecordingFormat, RecordingStatus, ServiceType } from './constants.js';

/** An integration tag as stored: a tag created by an integration client is visible to that client only. */
export interface IntegrationTag {
  readonly tag: string;
  readonly clientId: string | null;
}

/** A recording as the store holds it; instants are UTC epoch milliseconds. */
export interface Recording {
  readonly id: string;
  readonly orgId: string;
  readonly siteUrl: string;
  readonly meetingId: string;
  readonly scheduledMeetingId: string | null;
  readonly meetingSeriesId: string | null;
  readonly topic: string;
  readonly createTime: number;
  readonly timeRecorded: number;
  readonly hostDisplayName: string;
  readonly hostEmail: string;
  readonly downloadUrl: string;
  readonly playbackUrl: string;
  readonly format: RecordingFormat;
  readonly serviceType: ServiceType;
  readonly durationSeconds: number;
  readonly sizeBytes: number;
  readonly status: RecordingStatus;
  readonly preventDownload: boolean;
  /** Set by an admin delete: gone for admins for good, shown to compliance officers as purged. */
  readonly adminDeleted: boolean;
  readonly integrationTags: readonly IntegrationTag[];
}

export interface Org {
  readonly id: string;
  readonly name: string;
}

export interface Site {
  readonly siteUrl: string;
  readonly orgId: string;
}

export interface Person {
  readonly id: string;
  readonly orgId: string;
  readonly email: string;
  readonly displayName: string;
  /** Sites this person administers (for an admin token) — a compliance officer sees every site of the org. */
  readonly siteUrls: readonly string[];
  readonly preferredSiteUrl: string | null;
}

export interface TokenRecord {
  readonly id: string;
  readonly personId: string;
  readonly scopes: readonly string[];
  readonly clientId: string | null;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
}

/** The item of a list or details response, as it goes on the wire. */
export interface RecordingItem {
  id: string;
  meetingId: string;
  scheduledMeetingId?: string;
  meetingSeriesId?: string;
  topic: string;
  createTime: string;
  timeRecorded: string;
  hostDisplayName: string;
  hostEmail: string;
  siteUrl: string;
  downloadUrl?: string;
  playbackUrl: string;
  format: RecordingFormat;
  serviceType: ServiceType;
  durationSeconds: number;
  sizeBytes: number;
  integrationTags?: string[];
  status: RecordingStatus;
}

export interface RecordingList {
  items: RecordingItem[];
}

export interface SiteListEntry {
  siteUrl: string;
  default: boolean;
}

export interface SiteList {
  sites: SiteListEntry[];
}

export interface WebexErrorBody {
  message: string;
  errors: { description: string }[];
  trackingId: string;
}

/** `GET /v1/recvault/me`: who the token belongs to and what it may do (a recvault extension). */
export interface CallerProfile {
  person: { id: string; displayName: string; email: string };
  org: { id: string; name: string };
  /** Role on the admin list: a token with both read scopes is a compliance officer. */
  role: 'complianceOfficer' | 'admin' | 'none';
  scopes: string[];
  /** Client id of the integration the token was issued to, if any (it scopes integration tags). */
  integrationClientId: string | null;
  /** Recycle-bin actions: on the sites the caller administers, on their own recordings, or none. */
  recycleBin: 'sites' | 'own' | 'none';
  /** The server's clock, UTC ISO 8601 with milliseconds. */
  serverTime: string;
}
