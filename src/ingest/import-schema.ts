import { Type, type Static } from '@sinclair/typebox';
import { RECORDING_FORMATS, RECORDING_STATUSES, SERVICE_TYPES } from '../domain/constants.js';

/** The SPEC import format (also the body shape of HTTP ingest). */
const Id = Type.String({ minLength: 1, maxLength: 256 });
const Text = Type.String({ maxLength: 2048 });
const Url = Type.String({ maxLength: 2048 });
const Instant = Type.String({ minLength: 4, maxLength: 64, description: 'ISO 8601; without an offset it is read as UTC.' });

export const ImportTag = Type.Union([
  Type.String({ minLength: 1, maxLength: 256 }),
  Type.Object({ tag: Type.String({ minLength: 1, maxLength: 256 }), clientId: Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()]) }, { additionalProperties: false }),
]);

export const ImportRecordingSchema = Type.Object(
  {
    id: Id,
    meetingId: Id,
    scheduledMeetingId: Type.Optional(Type.Union([Id, Type.Null()])),
    meetingSeriesId: Type.Optional(Type.Union([Id, Type.Null()])),
    topic: Text,
    createTime: Instant,
    timeRecorded: Instant,
    hostDisplayName: Text,
    hostEmail: Type.String({ minLength: 3, maxLength: 320 }),
    siteUrl: Id,
    downloadUrl: Type.Optional(Url),
    playbackUrl: Url,
    format: Type.Union(RECORDING_FORMATS.map((v) => Type.Literal(v))),
    serviceType: Type.Union(SERVICE_TYPES.map((v) => Type.Literal(v))),
    durationSeconds: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    sizeBytes: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    status: Type.Optional(Type.Union(RECORDING_STATUSES.map((v) => Type.Literal(v)))),
    preventDownload: Type.Optional(Type.Boolean()),
    integrationTags: Type.Optional(Type.Array(ImportTag, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type ImportRecording = Static<typeof ImportRecordingSchema>;

export const ImportOrgSchema = Type.Object({ id: Id, name: Text }, { additionalProperties: false });
export const ImportSiteSchema = Type.Object({ siteUrl: Id, orgId: Id }, { additionalProperties: false });
export const ImportPersonSchema = Type.Object(
  {
    id: Id,
    email: Type.String({ minLength: 3, maxLength: 320 }),
    displayName: Text,
    orgId: Id,
    siteUrls: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
    preferredSiteUrl: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export const ImportTokenSchema = Type.Object(
  {
    token: Type.String({ minLength: 16, maxLength: 512, pattern: '^[\\x21-\\x7e]+$' }),
    personId: Id,
    scopes: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 50 }),
    clientId: Type.Optional(Type.Union([Id, Type.Null()])),
    expiresAt: Type.Optional(Type.Union([Instant, Type.Null()])),
  },
  { additionalProperties: false },
);

export const IMPORT_SECTIONS = {
  orgs: ImportOrgSchema,
  sites: ImportSiteSchema,
  people: ImportPersonSchema,
  tokens: ImportTokenSchema,
  recordings: ImportRecordingSchema,
} as const;
export type ImportSection = keyof typeof IMPORT_SECTIONS;
