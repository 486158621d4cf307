import { badRequest } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { IngestRecord } from '../store/store.js';
import type { ImportRecording } from './import-schema.js';
import { jsonNestsDeeperThan, MAX_INGEST_JSON_DEPTH } from './json-depth.js';
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
    // Line by line rather than `split`: 16 MiB of line breaks made 16 million strings at once.
    for (let start = 0, lineNo = 1; start < body.length; lineNo++) {
      const lf = body.indexOf('\n', start);
      const end = lf === -1 ? body.length : lf;
      const line = body.slice(start, end > start && body.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
      start = end + 1;
      if (line.trim() === '') continue;
      const position = `line ${lineNo}`;
      if (entries.length === MAX_INGEST_RECORDS) throw badRequest(`At most ${MAX_INGEST_RECORDS} recordings per request; ${position} is one more.`);
      if (jsonNestsDeeperThan(line, MAX_INGEST_JSON_DEPTH)) throw badRequest(`${position}: the line nests more than ${MAX_INGEST_JSON_DEPTH} arrays or objects.`);
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
