import type { RecordingItem } from '../../domain/types.js';
import { csvRow, RECORDING_CSV_COLUMNS, recordingCsvRow } from './csv.js';

export const STREAM_FORMATS = ['json', 'ndjson', 'csv'] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

/** How one streaming format frames items: a header, each item (knowing how many came before), a footer. */
export interface Framing {
  header(): string;
  item(item: RecordingItem, written: number): string;
  footer(written: number): string;
}

/**
 * Framings whose output can be appended to page by page (and so resumed): `json` is one array,
 * `ndjson` one object a line, `csv` RFC 4180 with a header row and CRLF line ends.
 */
export const FRAMINGS: Readonly<Record<StreamFormat, Framing>> = {
  json: {
    header: () => '[',
    item: (item, written) => `${written === 0 ? '\n' : ',\n'}${JSON.stringify(item)}`,
    footer: (written) => (written === 0 ? ']\n' : '\n]\n'),
  },
  ndjson: {
    header: () => '',
    item: (item) => `${JSON.stringify(item)}\n`,
    footer: () => '',
  },
  csv: {
    header: () => csvRow(RECORDING_CSV_COLUMNS),
    item: (item) => recordingCsvRow(item),
    footer: () => '',
  },
};
