import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_PAGE_SIZE, RECORDING_FORMATS, RECORDING_STATUSES, SERVICE_TYPES } from '../domain/constants.js';

/**
 * Schemas at the HTTP boundary: they serialize responses, validate bodies and generate the
 * served OpenAPI document. Value sets come from domain/constants.ts, the same constants the
 * domain parser checks against.
 */
const literalUnion = <T extends readonly string[]>(values: T, description: string): TSchema =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

export const ErrorBody = Type.Object(
  {
    message: Type.String({ description: 'What went wrong, in one sentence.' }),
    errors: Type.Array(Type.Object({ description: Type.String() })),
    trackingId: Type.String({ description: 'Also sent as the TrackingID response header; quote it when reporting a problem.' }),
  },
  { $id: 'Error', title: 'Error' },
);
export type ErrorBodyType = Static<typeof ErrorBody>;

export const RecordingItemSchema = Type.Object(
  {
    id: Type.String({ description: 'Recording id.' }),
    meetingId: Type.String({ description: 'Id of the meeting instance that produced the recording.' }),
    scheduledMeetingId: Type.Optional(Type.String({ description: 'Id of the scheduled meeting.' })),
    meetingSeriesId: Type.Optional(Type.String({ description: 'Id of the meeting series.' })),
    topic: Type.String(),
    createTime: Type.String({ description: 'When the recording file was produced, ISO 8601 in the request time zone.' }),
    timeRecorded: Type.String({ description: 'When recording started in the meeting, ISO 8601 in the request time zone.' }),
    hostDisplayName: Type.String(),
    hostEmail: Type.String(),
    siteUrl: Type.String(),
    downloadUrl: Type.Optional(Type.String({ description: 'Absent when downloading is prevented for this recording.' })),
    playbackUrl: Type.String(),
    format: literalUnion(RECORDING_FORMATS, 'File format.'),
    serviceType: literalUnion(SERVICE_TYPES, 'Webex service the recording comes from.'),
    durationSeconds: Type.Integer(),
    sizeBytes: Type.Integer(),
    integrationTags: Type.Optional(
      Type.Array(Type.String(), { description: 'Integration keys visible to the calling client; absent when there are none.' }),
    ),
    status: literalUnion(RECORDING_STATUSES, 'Lifecycle state.'),
  },
  { $id: 'Recording', title: 'Recording' },
);

export const RecordingListSchema = Type.Object({ items: Type.Array(Type.Ref(RecordingItemSchema)) }, { $id: 'RecordingList', title: 'RecordingList' });

export const SiteListSchema = Type.Object(
  {
    sites: Type.Array(
      Type.Object({
        siteUrl: Type.String(),
        default: Type.Boolean({ description: 'True for exactly one site: the caller’s preferred site.' }),
      }),
    ),
  },
  { $id: 'SiteList', title: 'SiteList' },
);

export const TimezoneHeader = Type.Object({
  timezone: Type.Optional(
    Type.String({ description: 'IANA time zone for reading from/to without an offset and for rendering times. Default UTC.' }),
  ),
});

export const ListRecordingsQuery = Type.Object({
  max: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 10, description: 'Page size, 1 to 100.' })),
  from: Type.Optional(Type.String({ description: 'Inclusive start on createTime, any ISO 8601 form. Default: `to` minus 7 days.' })),
  to: Type.Optional(Type.String({ description: 'Exclusive end on createTime, any ISO 8601 form. Default: now. At most 30 calendar days after `from`.' })),
  meetingId: Type.Optional(Type.String({ description: 'Meeting series, scheduled meeting or instance id; when given, siteUrl/from/to are ignored.' })),
  siteUrl: Type.Optional(Type.String({ description: 'Site to list; default the caller’s preferred site.' })),
  integrationTag: Type.Optional(Type.String({ description: 'Only recordings carrying this integration tag.' })),
  topic: Type.Optional(Type.String({ description: 'Whole-topic match, case-insensitive (Unicode full case folding).' })),
  format: Type.Optional(literalUnion(RECORDING_FORMATS, 'File format.')),
  serviceType: Type.Optional(literalUnion(SERVICE_TYPES, 'Service type.')),
  status: Type.Optional(literalUnion(RECORDING_STATUSES, 'Default available; purged is for compliance officers only.')),
  cursor: Type.Optional(Type.String({ description: 'Opaque; only ever taken from a Link header.' })),
});

export const CallerProfileSchema = Type.Object(
  {
    person: Type.Object({ id: Type.String(), displayName: Type.String(), email: Type.String() }),
    org: Type.Object({ id: Type.String(), name: Type.String() }),
    role: Type.Unsafe<'complianceOfficer' | 'admin' | 'none'>({
      type: 'string',
      enum: ['complianceOfficer', 'admin', 'none'],
      description: 'Role on the admin recordings list; a token with both read scopes is a compliance officer.',
    }),
    scopes: Type.Array(Type.String(), { description: 'Scopes granted to the token, sorted.' }),
    integrationClientId: Type.Union([Type.String(), Type.Null()], { description: 'Integration client the token was issued to; it decides which integration tags are visible.' }),
    recycleBin: Type.Unsafe<'sites' | 'own' | 'none'>({
      type: 'string',
      enum: ['sites', 'own', 'none'],
      description: 'Recycle-bin actions allowed: on recordings of the administered sites, only on recordings the caller hosted, or none.',
    }),
    serverTime: Type.String({ description: 'The server clock (UTC), so clients compute relative ranges the way the API does.' }),
  },
  { $id: 'CallerProfile', title: 'CallerProfile' },
);

/** Every error status a route can answer, for the response schema and the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref(ErrorBody) as unknown as typeof ErrorBody]));
}

export const SHARED_SCHEMAS = [ErrorBody, RecordingItemSchema, RecordingListSchema, SiteListSchema, CallerProfileSchema] as const;
