import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RecordingItem } from '../../domain/types.js';
import type { RecordingsApi } from '../recordings-api.js';
import type { ListCheckpoint, ListRecordingsParams, RecordingPage } from '../types.js';
import { FRAMINGS, type StreamFormat } from './output-format.js';

/** A stream to write to (stdout); `write` returning false means "wait for drain". */
export interface TextStream {
  write(chunk: string): boolean;
  once?(event: 'drain' | 'close' | 'error', listener: (error?: unknown) => void): unknown;
  removeListener?(event: 'drain' | 'close' | 'error', listener: (error?: unknown) => void): unknown;
}

export type ExportTarget = { readonly file: string; readonly stateFile?: string | undefined } | { readonly stream: TextStream };

export interface ExportOptions {
  readonly recordings: RecordingsApi;
  readonly params: ListRecordingsParams;
  readonly format: StreamFormat;
  readonly target: ExportTarget;
  /** Items to write in total, across resumes; `Infinity` for all. */
  readonly limit: number;
  readonly signal?: AbortSignal;
  readonly onPage?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  readonly items: number;
  readonly pages: number;
  readonly window: RecordingPage['window'];
}

export interface ExportResult {
  readonly items: number;
  readonly pages: number;
  /** Continued from a state file. */
  readonly resumed: boolean;
  /** The state file said the export had already finished; nothing was fetched. */
  readonly alreadyComplete: boolean;
  /** Stopped at the limit while more items may follow. */
  readonly truncated: boolean;
}

/** What the state file holds, rewritten atomically after every page. */
export interface ExportState {
  readonly version: 1;
  readonly fingerprint: string;
  /** Resume point after the last page written, `null` before the first. */
  readonly checkpoint: ListCheckpoint | null;
  /** Size of the output file after the last page written: anything beyond is cut on resume. */
  readonly outBytes: number;
  readonly items: number;
  readonly pages: number;
  readonly complete: boolean;
  /** Stopped at the limit while more items may have followed (absent in states of older versions). */
  readonly truncated?: boolean;
  /** The last page written was cut at the limit: its checkpoint lies past items never written. */
  readonly lastPageCut?: boolean;
}

/** A state file that does not fit this export (other filters, missing output): a usage problem. */
export class ExportStateError extends Error {
  override readonly name = 'ExportStateError';
}

/** Identifies an export by its filters, window, zone and format (not by its limit or page size, which may change). */
export function exportFingerprint(params: ListRecordingsParams, format: StreamFormat): string {
  const entries = Object.entries(params)
    .filter(([k, v]) => v !== undefined && k !== 'max')
    .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify({ format, params: Object.fromEntries(entries) });
}

/**
 * Streams a listing into JSON, NDJSON or CSV. With a state file, the export survives Ctrl-C,
 * a network loss or a crash: after each page the output is flushed to disk and then the state
 * (checkpoint and output size) is replaced atomically; a resume cuts the output back to the
 * recorded size and continues from the checkpoint, so the result has no gap and no duplicate.
 *
 * @example
 * await exportRecordings({
 *   recordings: client.recordings, params: { from: '2024-01-01', to: '2025-01-01' },
 *   format: 'csv', target: { file: 'year.csv', stateFile: 'year.state.json' }, limit: Infinity,
 * });
 */
export async function exportRecordings(options: ExportOptions): Promise<ExportResult> {
  const framing = FRAMINGS[options.format];
  const fingerprint = exportFingerprint(options.params, options.format);
  const sink = openSink(options.target, fingerprint);
  try {
    let state = sink.state;
    // A larger limit cannot go on from a finished export (its footer is written) nor from a page
    // cut at the old limit (the checkpoint is past the items left out).
    if ((state.complete ? state.truncated === true : state.lastPageCut === true) && options.limit > state.items) {
      throw new ExportStateError(
        `this export stopped at its limit of ${state.items} recordings and cannot be extended; delete the state file and the output to export again with a larger limit`,
      );
    }
    if (state.complete) {
      return { items: state.items, pages: state.pages, resumed: true, alreadyComplete: true, truncated: state.truncated === true };
    }
    const resumed = state.checkpoint !== null || state.outBytes > 0;
    if (state.outBytes === 0) {
      await sink.write(framing.header());
      state = sink.commit({ ...state });
    }
    // Resumed after the page that reached the limit was written (killed before the footer): as that run would have said.
    let truncated = state.items >= options.limit && state.truncated === true;
    if (state.items < options.limit) {
      const listOptions = { ...(options.signal === undefined ? {} : { signal: options.signal }), ...(state.checkpoint === null ? {} : { resume: state.checkpoint }) };
      for await (const page of options.recordings.pages(options.params, listOptions)) {
        const room = options.limit - state.items;
        const items: RecordingItem[] = page.items.length > room ? page.items.slice(0, room) : page.items;
        let chunk = '';
        items.forEach((item, i) => {
          chunk += framing.item(item, state.items + i);
        });
        await sink.write(chunk);
        const cut = items.length < page.items.length;
        const atLimit = state.items + items.length >= options.limit;
        const more = cut || page.next !== null || page.window.index < page.window.count - 1;
        state = sink.commit({
          ...state,
          checkpoint: page.checkpoint,
          items: state.items + items.length,
          pages: state.pages + 1,
          truncated: atLimit && more,
          lastPageCut: cut,
        });
        options.onPage?.({ items: state.items, pages: state.pages, window: page.window });
        if (atLimit) {
          truncated = more;
          break;
        }
      }
    }
    await sink.write(framing.footer(state.items));
    state = sink.commit({ ...state, complete: true, truncated });
    return { items: state.items, pages: state.pages, resumed, alreadyComplete: false, truncated };
  } finally {
    sink.close();
  }
}

interface Sink {
  readonly state: ExportState;
  write(chunk: string): Promise<void>;
  /** Records that everything written so far is durable, with the given progress. */
  commit(state: ExportState): ExportState;
  close(): void;
}

function freshState(fingerprint: string): ExportState {
  return { version: 1, fingerprint, checkpoint: null, outBytes: 0, items: 0, pages: 0, complete: false };
}

function openSink(target: ExportTarget, fingerprint: string): Sink {
  if ('stream' in target) return streamSink(target.stream, fingerprint);
  const stateFile = target.stateFile;
  if (stateFile !== undefined) {
    // Checked before the output is opened, so that a bad state path leaves no output file behind.
    if (resolve(stateFile) === resolve(target.file)) throw new ExportStateError('the state file must not be the output file');
    if (!isDirectory(dirname(resolve(stateFile)))) throw new ExportStateError(`cannot keep the state in ${stateFile}: its directory does not exist`);
  }
  let state = freshState(fingerprint);
  let fd: number;
  if (stateFile !== undefined && existsSync(stateFile)) {
    state = readState(stateFile, fingerprint);
    if (!existsSync(target.file)) throw new ExportStateError(`cannot resume: ${target.file} is missing (delete ${stateFile} to start over)`);
    fd = openSync(target.file, 'r+');
    const size = fstatSync(fd).size;
    if (size < state.outBytes) {
      closeSync(fd);
      throw new ExportStateError(`cannot resume: ${target.file} is shorter than ${stateFile} records (delete ${stateFile} to start over)`);
    }
    // Bytes written after the last recorded page (a crash between the two writes) are dropped here.
    ftruncateSync(fd, state.outBytes);
  } else {
    fd = openSync(target.file, 'w');
  }
  let position = state.outBytes;
  return {
    state,
    write: async (chunk) => {
      if (chunk === '') return;
      const bytes = Buffer.from(chunk, 'utf8');
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
      position += bytes.length;
    },
    commit: (next) => {
      const committed: ExportState = { ...next, outBytes: position };
      if (stateFile !== undefined) {
        fsyncSync(fd);
        const tmp = `${stateFile}.tmp`;
        writeFileSync(tmp, `${JSON.stringify(committed)}\n`);
        renameSync(tmp, stateFile);
      }
      return committed;
    },
    close: () => closeSync(fd),
  };
}

function streamSink(stream: TextStream, fingerprint: string): Sink {
  return {
    state: freshState(fingerprint),
    write: async (chunk) => {
      if (chunk === '' || stream.write(chunk) || stream.once === undefined) return;
      // Wait for the reader, but not forever: a closed or failed stream (reader gone) ends the export.
      await new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          stream.removeListener?.('drain', onDrain);
          stream.removeListener?.('close', onClose);
          stream.removeListener?.('error', onError);
          if (error === undefined) resolve();
          else reject(error);
        };
        const onDrain = () => done();
        const onClose = () => done(new Error('output closed'));
        const onError = (error?: unknown) => done(error instanceof Error ? error : new Error('output failed'));
        stream.once?.('drain', onDrain);
        stream.once?.('close', onClose);
        stream.once?.('error', onError);
      });
    },
    commit: (next) => next,
    close: () => undefined,
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readState(file: string, fingerprint: string): ExportState {
  let state: Partial<ExportState>;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as Partial<ExportState>;
  } catch {
    throw new ExportStateError(`cannot resume: ${file} is not a recvault export state file`);
  }
  if (state.version !== 1 || typeof state.outBytes !== 'number' || typeof state.items !== 'number') {
    throw new ExportStateError(`cannot resume: ${file} is not a recvault export state file`);
  }
  if (state.fingerprint !== fingerprint) {
    throw new ExportStateError(`cannot resume: ${file} belongs to an export with other filters, window or format (delete it to start over)`);
  }
  return state as ExportState;
}
