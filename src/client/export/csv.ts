import type { RecordingItem } from '../../domain/types.js';

/** Columns of the CSV export, in the wire order of a recording item. */
export const RECORDING_CSV_COLUMNS = [
  'id',
  'meetingId',
  'scheduledMeetingId',
  'meetingSeriesId',
  'topic',
  'createTime',
  'timeRecorded',
  'hostDisplayName',
  'hostEmail',
  'siteUrl',
  'downloadUrl',
  'playbackUrl',
  'format',
  'serviceType',
  'durationSeconds',
  'sizeBytes',
  'integrationTags',
  'status',
] as const satisfies readonly (keyof RecordingItem)[];

/**
 * One RFC 4180 field: quoted when it holds a quote, comma, CR or LF (or starts or ends with a
 * space, which some readers trim), with quotes doubled. Other characters, non-ASCII included,
 * are written as they are.
 *
 * @example
 * csvField('say "hi", then leave'); // '"say ""hi"", then leave"'
 */
export function csvField(value: string): string {
  return /[",\r\n]|^ | $/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record ending in CRLF. */
export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A recording as a CSV record; integration tags are joined with `;`, absent fields are empty. */
export function recordingCsvRow(item: RecordingItem): string {
  return csvRow(
    RECORDING_CSV_COLUMNS.map((column) => {
      const value = item[column];
      if (value === undefined || value === null) return '';
      return Array.isArray(value) ? value.join(';') : String(value);
    }),
  );
}
