import { badRequest } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { IngestRecord } from '../store/store.js';
import type { ImportRecording } from './import-schema.js';
import { checkShape, RecordError, toRecording } from './record-validator.js';

export const MAX_INGEST_RECORDS = 10_000;

/**
 * Reads an ingest body — NDJSON text (one record a line) or an already-parsed JSON array — into
 * records of the caller's org. Any bad record rejects the whole request with a 400 naming its
 * line (NDJSON) or index (JSON array) and the field.
 */
export function parseIngestBody(body: unknown, principal: Principal): IngestRecord[] {
  const entries: { value: unknown; position: string }[] = [];
  if (typeof body === 'string') {
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] as string).replace(/\r$/, '');
      if (line.trim() === '') continue;
      const position = `line ${i + 1}`;
      try {
        entries.push({ value: JSON.parse(line), position });
      } catch {
        throw badRequest(`${position}: the line is not valid JSON.`);
      }
    }
  } else if (Array.isArray(body)) {
    body.forEach((value, i) => entries.push({ value, position: `record ${i} (line ${i + 1} of the array)` }));
  } else {
    throw badRequest('The body must be a JSON array of recordings or NDJSON (Content-Type: application/x-ndjson).');
  }
  if (entries.length === 0) throw badRequest('The body holds no recordings.');
  if (entries.length > MAX_INGEST_RECORDS) throw badRequest(`At most ${MAX_INGEST_RECORDS} recordings per request; got ${entries.length}.`);
  const orgSites = new Set(principal.orgSiteUrls);
  const seen = new Set<string>();
  return entries.map(({ value, position }) => {
    try {
      const raw = checkShape<ImportRecording>('recordings', value, position);
      if (!orgSites.has(raw.siteUrl)) throw new RecordError(position, 'siteUrl', `refers to unknown site ${JSON.stringify(raw.siteUrl.slice(0, 200))}`);
      if (seen.has(raw.id)) throw new RecordError(position, 'id', 'repeats an id given earlier in the request');
      seen.add(raw.id);
      return { recording: toRecording(raw, principal.person.orgId, position), statusGiven: raw.status !== undefined };
    } catch (error) {
      if (error instanceof RecordError) throw badRequest(`${error.message}.`);
      throw error;
    }
  });
}
