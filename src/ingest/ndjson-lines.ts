const LF = 0x0a;
const CR = 0x0d;

/**
 * Far above any valid record (every field is bounded; the largest, fully `\u`-escaped, is under
 * 0.5 MiB), and small enough that a file without line breaks fails fast instead of being
 * gathered into one ever-growing line.
 */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** A line longer than the limit; `line` is its 1-based number. */
export class LineTooLongError extends Error {
  constructor(readonly line: number, readonly maxBytes: number) {
    super(`line ${line} is longer than ${maxBytes} bytes`);
    this.name = 'LineTooLongError';
  }
}

/**
 * The lines of a UTF-8 byte stream, one array per chunk. Line breaks are found in the bytes
 * (UTF-8 never uses 0x0a or 0x0d inside a character) and each line is decoded on its own, about
 * 3× faster than decoding whole chunks and splitting the text (200,000 lines, 158 MB, reading and
 * splitting alone: 1.1 s → 0.35–0.42 s): an ASCII line stays a one-byte string even when others
 * in its chunk are not. One array per chunk rather than readline's async iterator, which costs a
 * promise per line. Lines and their numbering are exactly readline's (`crlfDelay: Infinity`):
 * `\r\n`, `\n` or a lone `\r` ends a line, including a `\r\n` or a character split across two
 * chunks, and a last line without a break. Bytes that are not UTF-8 become U+FFFD, as in a
 * stream decoded with `encoding: 'utf8'`.
 */
export async function* ndjsonLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<string[]> {
  let tail: Buffer | null = null;
  let emitted = 0;
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') throw new TypeError('ndjsonLines reads bytes: open the stream without an encoding');
    const bytes: Buffer = tail === null ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([tail, chunk]);
    const lines: string[] = [];
    let start = 0;
    // The carried-over bytes hold no line feed, and a carriage return only as their last byte.
    const carried = tail === null ? 0 : tail.length;
    let lf = bytes.indexOf(LF, carried);
    let cr = bytes.indexOf(CR, Math.max(0, carried - 1));
    for (;;) {
      let end: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A chunk that ends on `\r` may hold the first half of `\r\n`: wait for the next one.
        if (cr === bytes.length - 1) break;
        end = cr;
      } else if (lf !== -1) {
        end = lf;
      } else {
        break;
      }
      if (end - start > maxLineBytes) {
        if (lines.length > 0) yield lines;
        throw new LineTooLongError(emitted + lines.length + 1, maxLineBytes);
      }
      lines.push(bytes.toString('utf8', start, end));
      start = bytes[end] === CR && bytes[end + 1] === LF ? end + 2 : end + 1;
      if (lf !== -1 && lf < start) lf = bytes.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = bytes.indexOf(CR, start);
    }
    tail = start < bytes.length ? bytes.subarray(start) : null;
    emitted += lines.length;
    if (lines.length > 0) yield lines;
    // The lines before it are handed over first, so that an error in one of them is the one reported.
    if (tail !== null && tail.length > maxLineBytes + 1) throw new LineTooLongError(emitted + 1, maxLineBytes);
  }
  if (tail === null) return;
  // What is left is one last line, perhaps ended by a lone `\r` (readline reports no empty line after it).
  const end = tail[tail.length - 1] === CR ? tail.length - 1 : tail.length;
  if (end > maxLineBytes) throw new LineTooLongError(emitted + 1, maxLineBytes);
  yield [tail.toString('utf8', 0, end)];
}
