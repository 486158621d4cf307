import { csvRow, RECORDING_CSV_COLUMNS } from '../../src/client/export/csv.js';
import type { RecordingsApi } from '../../src/client/recordings-api.js';
import type { ListRecordingsParams, RecordingItem } from '../../src/client/types.js';

/**
 * A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` (or a tab or CR before one) as a
 * formula. Topics and tags come from meeting hosts and integrations, so a leading `'` keeps such a
 * value text (OWASP "CSV injection"). The CLI export stays byte-exact for pipelines; this one is
 * meant to be opened in a spreadsheet.
 *
 * @example
 * neutralizeFormula('=HYPERLINK("http://x")'); // "'=HYPERLINK(\"http://x\")"
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The header record, in the wire order of a recording item (the same columns as the CLI). */
export function csvHeader(): string {
  return csvRow(RECORDING_CSV_COLUMNS);
}

/** One recording as a CSV record: tags joined with `;`, absent fields empty, formulas neutralized. */
export function exportRow(item: RecordingItem): string {
  return csvRow(
    RECORDING_CSV_COLUMNS.map((column) => {
      const value = item[column];
      if (value === undefined || value === null) return '';
      return neutralizeFormula(Array.isArray(value) ? value.join(';') : String(value));
    }),
  );
}

export interface ExportProgress {
  readonly rows: number;
  /** Windows of at most 30 days already finished, and how many the range needs. */
  readonly windowsDone: number;
  readonly windows: number;
}

/**
 * Every page of a query (any window length: the SDK splits it into API-sized windows, newest
 * first) as CSV parts, ready for a `Blob`. Cancelled through `signal`: the SDK aborts the request
 * in flight and this rejects with the signal's reason.
 */
export async function exportCsv(
  recordings: RecordingsApi,
  params: ListRecordingsParams,
  options: { readonly signal: AbortSignal; readonly onProgress?: (progress: ExportProgress) => void },
): Promise<{ parts: string[]; rows: number }> {
  // A byte-order mark, so spreadsheet programs read the UTF-8 as UTF-8.
  const parts: string[] = ['\uFEFF', csvHeader()];
  let rows = 0;
  for await (const page of recordings.pages({ ...params, max: 100 }, { signal: options.signal })) {
    for (const item of page.items) parts.push(exportRow(item));
    rows += page.items.length;
    const windowsDone = page.next === null ? page.window.index + 1 : page.window.index;
    options.onProgress?.({ rows, windowsDone, windows: page.window.count });
  }
  options.signal.throwIfAborted();
  return { parts, rows };
}

/** A file name for the export: site (or meeting id) and dates, limited to safe characters. */
export function exportFileName(what: string, from: string | null, to: string | null): string {
  const span = from !== null && to !== null ? `-${from}_to_${to}` : '';
  return `recordings-${what}${span}.csv`.replace(/[^A-Za-z0-9._-]+/g, '_');
}
