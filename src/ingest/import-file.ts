import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Recording } from '../domain/types.js';
import type { ImportCounts, Store } from '../store/store.js';
import { parseImportDocument, ReferenceResolver } from './import-document.js';
import { LineTooLongError, ndjsonLines } from './ndjson-lines.js';
import { RecordError } from './record-validator.js';

export interface ImportProgress {
  /** Bytes read so far of `total`. */
  (readBytes: number, totalBytes: number, records: number): void;
}

const BATCH = 5_000;
/** A `.json` document is parsed whole; past this size, NDJSON is the format to use. */
const MAX_JSON_DOCUMENT_BYTES = 512 * 1024 * 1024;

/**
 * Imports a `.json` document or an `.ndjson` file of recordings in one transaction: a bad
 * record aborts the whole file (RecordError names its position and field) and nothing is written.
 */
export async function importFile(store: Store, file: string, now: number, progress?: ImportProgress): Promise<ImportCounts> {
  const { size } = await stat(file);
  if (/\.ndjson$/i.test(file)) return importNdjson(store, file, size, progress);
  if (size > MAX_JSON_DOCUMENT_BYTES) {
    throw new RecordError('document', '(file)', `is ${size} bytes; use NDJSON (.ndjson) for files over 512 MiB`);
  }
  // Read outside the try: a file that cannot be read is not "invalid JSON".
  const text = withoutBom(await readFile(file, 'utf8'));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new RecordError('document', '(file)', `is not valid JSON: ${(error as Error).message}`);
  }
  const dataset = parseImportDocument(doc, await store.knownEntities(), now);
  const counts = await store.importDataset(dataset);
  progress?.(size, size, counts.recordings);
  return counts;
}

async function importNdjson(store: Store, file: string, size: number, progress?: ImportProgress): Promise<ImportCounts> {
  const refs = new ReferenceResolver(await store.knownEntities());
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const session = await store.beginImport();
  const seen = new Set<string>();
  let batch: Recording[] = [];
  let lineNo = 0;
  let count = 0;
  try {
    for await (const lines of ndjsonLines(stream as AsyncIterable<Buffer>)) {
      for (const raw of lines) {
        lineNo++;
        const line = lineNo === 1 ? withoutBom(raw) : raw;
        if (line.trim() === '') continue;
        const position = `line ${lineNo}`;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw new RecordError(position, '(record)', 'is not valid JSON');
        }
        // A line decoded from UTF-8 holds neither NUL (JSON refuses it raw) nor a lone surrogate, so
        // the parsed record can hold one only through a \u escape: most lines have none, and skip the scan.
        const recording = refs.recording(value, position, line.includes('\\u'));
        if (seen.has(recording.id)) throw new RecordError(position, 'id', 'repeats an id given earlier in the file');
        seen.add(recording.id);
        batch.push(recording);
        if (batch.length === BATCH) {
          await session.write({ recordings: batch });
          count += batch.length;
          batch = [];
          progress?.(stream.bytesRead, size, count);
        }
      }
    }
    await session.write({ recordings: batch });
    count += batch.length;
    await session.commit();
    progress?.(size, size, count);
  } catch (error) {
    await session.rollback();
    stream.destroy();
    if (error instanceof LineTooLongError) {
      throw new RecordError(`line ${error.line}`, '(record)', `is longer than ${error.maxBytes / (1024 * 1024)} MiB (is this NDJSON, one record per line?)`);
    }
    throw error;
  }
  return { orgs: 0, sites: 0, people: 0, tokens: 0, recordings: count };
}

/** Editors on Windows often start UTF-8 files with a byte-order mark, which JSON does not allow. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
