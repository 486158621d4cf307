import fc from 'fast-check';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ndjsonLines } from '../../src/ingest/ndjson-lines.js';

/** What readline (the reader this replaces) reports for the same bytes. */
async function readlineLines(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) out.push(line);
  return out;
}

async function chunkedLines(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const lines of ndjsonLines(Readable.from(chunks))) out.push(...lines);
  return out;
}

const bytes = (chunks: string[]): Buffer[] => chunks.map((c) => Buffer.from(c, 'utf8'));

/**
 * Text rich in line breaks of every kind, encoded as UTF-8 and cut into chunks anywhere:
 * inside `\r\n` and inside a character's bytes.
 */
const chunked = fc
  .tuple(
    fc.array(fc.constantFrom('a', '{"x":1}', ' ', '\n', '\r', '\r\n', 'é', '😀', '\ufeff', ''), { maxLength: 60 }).map((parts) => Buffer.from(parts.join(''), 'utf8')),
    fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }),
  )
  .map(([text, cuts]) => {
    const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
    const chunks: Buffer[] = [];
    let from = 0;
    for (const point of points) {
      chunks.push(text.subarray(from, point));
      from = point;
    }
    chunks.push(text.subarray(from));
    return chunks.filter((c) => c.length > 0);
  });

describe('ndjsonLines', () => {
  it('yields exactly the lines readline reads, however the stream is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(chunked, async (chunks) => {
        expect(await chunkedLines(chunks)).toEqual(await readlineLines(chunks));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    [['a\r', '\nb'], ['a', 'b']],
    [['a\r', 'b'], ['a', 'b']],
    [['a\n', '\n', 'b\r\n'], ['a', '', 'b']],
    [['last line without a break'], ['last line without a break']],
    [['\r'], ['']],
  ])('%j → %j', async (chunks, expected) => {
    expect(await chunkedLines(bytes(chunks))).toEqual(expected);
    expect(await readlineLines(bytes(chunks))).toEqual(expected);
  });

  it('decodes a character whose bytes arrive in two chunks', async () => {
    const text = Buffer.from('{"host":"Wiśniewski"}\n😀\n', 'utf8');
    const cut = text.indexOf(0xc5) + 1; // between the two bytes of ś
    const emoji = text.indexOf(0xf0) + 2; // inside the four bytes of 😀
    const chunks = [text.subarray(0, cut), text.subarray(cut, emoji), text.subarray(emoji)];
    expect(await chunkedLines(chunks)).toEqual(['{"host":"Wiśniewski"}', '😀']);
  });
});
