import fc from 'fast-check';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ndjsonLines } from '../../src/ingest/ndjson-lines.js';

/** What readline (the reader this replaces) reports for the same stream. */
async function readlineLines(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) out.push(line);
  return out;
}

async function chunkedLines(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const lines of ndjsonLines(Readable.from(chunks))) out.push(...lines);
  return out;
}

/** Text rich in line breaks of every kind, cut into chunks anywhere (including inside `\r\n`). */
const chunked = fc
  .tuple(
    fc.array(fc.constantFrom('a', '{"x":1}', ' ', '\n', '\r', '\r\n', 'é', '😀', ''), { maxLength: 60 }).map((parts) => parts.join('')),
    fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 8 }),
  )
  .map(([text, cuts]) => {
    const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
    const chunks: string[] = [];
    let from = 0;
    for (const point of points) {
      chunks.push(text.slice(from, point));
      from = point;
    }
    chunks.push(text.slice(from));
    return chunks.filter((c) => c !== '');
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
    expect(await chunkedLines(chunks)).toEqual(expected);
    expect(await readlineLines(chunks)).toEqual(expected);
  });
});
