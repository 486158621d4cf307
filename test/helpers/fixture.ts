import { buildApp, type App } from '../../src/http/app.js';
import { parseImportDocument } from '../../src/ingest/import-document.js';
import { openTestStore } from './test-store.js';
import type { Store } from '../../src/store/store.js';

/** Fixed "now" for HTTP tests: Wednesday 2021-03-17T12:00:00Z (a few days after the US DST change). */
export const NOW = Date.parse('2021-03-17T12:00:00Z');

export const TOKENS = {
  adminOne: 'tok-admin-one-site-000000',
  adminAll: 'tok-admin-all-sites-00000',
  co: 'tok-compliance-officer-000',
  coAndAdmin: 'tok-co-and-admin-00000000',
  user: 'tok-regular-user-00000000',
  userPrefs: 'tok-user-preferences-0000',
  otherAdmin: 'tok-other-org-admin-00000',
  otherCo: 'tok-other-org-co-00000000',
  expired: 'tok-expired-admin-0000000',
  zendesk: 'tok-admin-zendesk-client-0',
  jira: 'tok-admin-jira-client-0000',
  adminWriteAll: 'tok-admin-write-all-00000',
  adminWriteOne: 'tok-admin-write-one-00000',
  coWrite: 'tok-co-write-0000000000000',
  host: 'tok-host-ada-own-write-000',
  ingest: 'tok-ingest-acme-000000000',
  otherIngest: 'tok-ingest-other-00000000',
  otherWrite: 'tok-other-admin-write-000',
} as const;

const ADMIN_WRITE = 'meeting:admin_recordings_write';

const ADMIN = 'meeting:admin_recordings_read';
const CO = 'spark-compliance:meetings_read';

export interface RecordingSpec {
  id: string;
  site?: string;
  createTime: string;
  topic?: string;
  meetingId?: string;
  scheduledMeetingId?: string;
  meetingSeriesId?: string;
  format?: 'MP4' | 'ARF' | 'UPLOADED';
  serviceType?: 'MeetingCenter' | 'EventCenter' | 'SupportCenter' | 'TrainingCenter';
  status?: 'available' | 'deleted' | 'purged';
  preventDownload?: boolean;
  integrationTags?: (string | { tag: string; clientId: string | null })[];
  hostEmail?: string;
}

export function recordingRecord(spec: RecordingSpec): Record<string, unknown> {
  const site = spec.site ?? 'a.example.com';
  const created = Date.parse(spec.createTime);
  return {
    id: spec.id,
    meetingId: spec.meetingId ?? `inst-${spec.id}`,
    scheduledMeetingId: spec.scheduledMeetingId ?? `sched-${spec.id}`,
    meetingSeriesId: spec.meetingSeriesId ?? `series-${spec.id}`,
    topic: spec.topic ?? `Topic ${spec.id}`,
    createTime: spec.createTime,
    timeRecorded: new Date(created - 3_600_000).toISOString(),
    hostDisplayName: 'Ada Lovelace',
    hostEmail: spec.hostEmail ?? 'ada@acme.example',
    siteUrl: site,
    downloadUrl: `https://${site}/lsr.php?RCID=${spec.id}`,
    playbackUrl: `https://${site}/ldr.php?RCID=${spec.id}`,
    format: spec.format ?? 'MP4',
    serviceType: spec.serviceType ?? 'MeetingCenter',
    durationSeconds: 1800,
    sizeBytes: 123456789,
    status: spec.status ?? 'available',
    preventDownload: spec.preventDownload ?? false,
    integrationTags: spec.integrationTags ?? [],
  };
}

/** Two orgs: acme (sites a, b) and other (site z); every kind of caller has a token. */
export function baseDocument(recordings: RecordingSpec[]): Record<string, unknown> {
  const person = (id: string, org: string, sites: string[], preferred: string | null) => ({
    id,
    email: `${id}@${org}.example`,
    displayName: id,
    orgId: org,
    siteUrls: sites,
    preferredSiteUrl: preferred,
  });
  const token = (t: string, personId: string, scopes: string[], extra: Record<string, unknown> = {}) => ({ token: t, personId, scopes, ...extra });
  return {
    orgs: [
      { id: 'acme', name: 'Acme' },
      { id: 'other', name: 'Other Org' },
    ],
    sites: [
      { siteUrl: 'a.example.com', orgId: 'acme' },
      { siteUrl: 'b.example.com', orgId: 'acme' },
      { siteUrl: 'z.example.com', orgId: 'other' },
    ],
    people: [
      person('admin-one', 'acme', ['b.example.com'], 'b.example.com'),
      person('admin-all', 'acme', ['a.example.com', 'b.example.com'], 'a.example.com'),
      person('co', 'acme', [], 'b.example.com'),
      person('user', 'acme', ['a.example.com'], 'a.example.com'),
      person('other-admin', 'other', ['z.example.com'], 'z.example.com'),
      person('other-co', 'other', [], null),
      { ...person('ada', 'acme', ['a.example.com', 'b.example.com'], 'a.example.com'), email: 'ada@acme.example' },
    ],
    tokens: [
      token(TOKENS.adminOne, 'admin-one', [ADMIN, 'meeting:admin_preferences_read']),
      token(TOKENS.adminAll, 'admin-all', [ADMIN]),
      token(TOKENS.co, 'co', [CO]),
      token(TOKENS.coAndAdmin, 'admin-one', [ADMIN, CO]),
      token(TOKENS.user, 'user', ['meeting:recordings_read']),
      token(TOKENS.userPrefs, 'user', ['meeting:preferences_read']),
      token(TOKENS.otherAdmin, 'other-admin', [ADMIN]),
      token(TOKENS.otherCo, 'other-co', [CO]),
      token(TOKENS.expired, 'admin-all', [ADMIN], { expiresAt: '2021-03-01T00:00:00Z' }),
      token(TOKENS.zendesk, 'admin-all', [ADMIN], { clientId: 'zendesk-app' }),
      token(TOKENS.jira, 'admin-all', [ADMIN], { clientId: 'jira-cloud' }),
      token(TOKENS.adminWriteAll, 'admin-all', [ADMIN, ADMIN_WRITE]),
      token(TOKENS.adminWriteOne, 'admin-one', [ADMIN, ADMIN_WRITE]),
      token(TOKENS.coWrite, 'co', [CO, ADMIN_WRITE]),
      token(TOKENS.host, 'ada', ['meeting:recordings_write', 'meeting:recordings_read']),
      token(TOKENS.ingest, 'admin-all', ['recvault:recordings_ingest']),
      token(TOKENS.otherIngest, 'other-admin', ['recvault:recordings_ingest']),
      token(TOKENS.otherWrite, 'other-admin', [ADMIN, ADMIN_WRITE]),
    ],
    recordings: recordings.map(recordingRecord),
  };
}

export interface TestServer {
  app: App;
  store: Store;
  setNow(ms: number): void;
  close(): Promise<void>;
}

export async function startTestServer(recordings: RecordingSpec[], options: { publicUrl?: string; metrics?: boolean } = {}): Promise<TestServer> {
  const store = await openTestStore();
  await store.importDataset(parseImportDocument(baseDocument(recordings), await store.knownEntities(), NOW));
  let now = NOW;
  const app = await buildApp({
    store,
    now: () => now,
    config: { cursorSecret: 'test-cursor-secret', publicUrl: options.publicUrl, metrics: options.metrics === true ? {} : false },
  });
  await app.ready();
  return {
    app,
    store,
    setNow: (ms) => {
      now = ms;
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

export function auth(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
