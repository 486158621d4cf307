import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { parseIsoInstant } from '../domain/iso8601.js';
import { UTC_ZONE } from '../domain/time-zone.js';
import { firstTextDefect } from '../domain/text-defects.js';
import type { IntegrationTag, Recording } from '../domain/types.js';
import { IMPORT_SECTIONS, type ImportRecording, type ImportSection } from './import-schema.js';

/** A rejected record: where it is (section and position, or line) and which field is wrong. */
export class RecordError extends Error {
  readonly position: string;
  readonly field: string;

  constructor(position: string, field: string, problem: string) {
    super(`${position}: field ${field} ${problem}`);
    this.name = 'RecordError';
    this.position = position;
    this.field = field;
  }
}

const ajv = new Ajv({ allErrors: false, strict: false });
const validators = new Map<ImportSection, ValidateFunction>();

function validatorFor(section: ImportSection): ValidateFunction {
  let validate = validators.get(section);
  if (validate === undefined) {
    validate = ajv.compile(IMPORT_SECTIONS[section] as TSchema);
    validators.set(section, validate);
  }
  return validate;
}

/** Checks one record of a section against its schema; throws a RecordError naming the field. */
export function checkShape<T>(section: ImportSection, value: unknown, position: string, textMayBeDefective = true): T {
  const validate = validatorFor(section);
  if (!validate(value)) throw shapeError(validate.errors ?? [], position);
  const text = textMayBeDefective ? firstTextDefect(value) : null;
  if (text !== null) throw new RecordError(position, text.path === '' ? '(record)' : text.path, text.defect);
  return value as T;
}

function shapeError(errors: readonly ErrorObject[], position: string): RecordError {
  const error = errors[0];
  if (error === undefined) return new RecordError(position, '(record)', 'is invalid');
  if (error.keyword === 'additionalProperties') {
    return new RecordError(position, String(error.params['additionalProperty']), 'is not a known field');
  }
  if (error.keyword === 'required') return new RecordError(position, String(error.params['missingProperty']), 'is required');
  const field = error.instancePath === '' ? '(record)' : error.instancePath.slice(1).replace(/\//g, '.');
  if (error.keyword === 'type' && error.instancePath === '') return new RecordError(position, field, 'must be a JSON object');
  if (error.keyword === 'const') {
    // A closed list (format, serviceType, status) fails once per allowed value: name them all.
    const allowed = errors.filter((e) => e.keyword === 'const' && e.instancePath === error.instancePath).map((e) => String(e.params['allowedValue']));
    return new RecordError(position, field, `must be one of ${allowed.join(', ')}`);
  }
  return new RecordError(position, field, error.message ?? 'is invalid');
}

/** Parses an import instant: ISO 8601, read as UTC when it has no offset. */
export function importInstant(value: string, field: string, position: string): number {
  // The canonical form (nearly every record of a big import) takes parseIsoInstant's fast path.
  try {
    return parseIsoInstant(field, value, UTC_ZONE);
  } catch {
    throw new RecordError(position, field, `is not an ISO 8601 date-time: ${JSON.stringify(value.slice(0, 80))}`);
  }
}

/**
 * An absolute http(s) URL with a host, without spaces, quotes or angle brackets; a regular
 * expression, not `new URL`, which costs a microsecond a record on big imports.
 */
const WEB_URL = /^https?:\/\/[^\s/?#\\"<>]+(?:[/?#][^\s"<>]*)?$/i;
const WEB_URL_RULE = 'must be an absolute http:// or https:// URL';

/** Converts a shape-checked import recording to the domain form; `orgId` comes from its site. */
export function toRecording(r: ImportRecording, orgId: string, position: string): Recording {
  // The API leaves `downloadUrl` out of an item exactly when downloading is prevented, and has no
  // `preventDownload` field: an item saved from a listing (`recordings list --format ndjson`, or
  // Webex's own API) therefore imports as prevent-download. Only an explicit `false` contradicts.
  const preventDownload = r.preventDownload ?? r.downloadUrl === undefined;
  if (r.downloadUrl === undefined && !preventDownload) {
    throw new RecordError(position, 'downloadUrl', 'is required when preventDownload is false');
  }
  // Clients turn these into links: a `javascript:` or `data:` URL would be stored XSS in any of them.
  if (r.downloadUrl !== undefined && !WEB_URL.test(r.downloadUrl)) throw new RecordError(position, 'downloadUrl', WEB_URL_RULE);
  if (!WEB_URL.test(r.playbackUrl)) throw new RecordError(position, 'playbackUrl', WEB_URL_RULE);
  const createTime = importInstant(r.createTime, 'createTime', position);
  const timeRecorded = importInstant(r.timeRecorded, 'timeRecorded', position);
  const tags: IntegrationTag[] = (r.integrationTags ?? []).map((t) =>
    typeof t === 'string' ? { tag: t, clientId: null } : { tag: t.tag, clientId: t.clientId },
  );
  return {
    id: r.id,
    orgId,
    siteUrl: r.siteUrl,
    meetingId: r.meetingId,
    scheduledMeetingId: r.scheduledMeetingId ?? null,
    meetingSeriesId: r.meetingSeriesId ?? null,
    topic: r.topic,
    createTime,
    timeRecorded,
    hostDisplayName: r.hostDisplayName,
    hostEmail: r.hostEmail,
    downloadUrl: r.downloadUrl ?? '',
    playbackUrl: r.playbackUrl,
    format: r.format as Recording['format'],
    serviceType: r.serviceType as Recording['serviceType'],
    durationSeconds: r.durationSeconds,
    sizeBytes: r.sizeBytes,
    status: r.status ?? 'available',
    preventDownload,
    adminDeleted: false,
    integrationTags: tags,
  };
}
