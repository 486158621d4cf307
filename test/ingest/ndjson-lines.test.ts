import fc from 'fast-check';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { describe, expect, it } from 'vitest';
import { LineTooLongError, ndjsonLines } from '../../src/ingest/ndjson-lines.js';

/**
 * What the reader before this one reported: the file decoded as `createReadStream(file,
 * { encoding: 'utf8' })` decodes it, split as readline splits. (readline fed the bytes itself
 * would silently drop a character cut short at the very end; decoded, it is U+FFFD.)
 */
async function readlineLines(chunks: Buffer[]): Promise<string[]> {
  const decoder = new StringDecoder('utf8');
  const text = [...chunks.map((chunk) => decoder.write(chunk)), decoder.end()].filter((t) => t !== '');
  const out: string[] = [];
  for await (const line of createInterface({ input: Readable.from(text), crlfDelay: Infinity })) out.push(line);
  return out;
}

async function chunkedLines(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const lines of ndjsonLines(Readable.from(chunks))) out.push(...lines);
  return out;
}

const bytes = (chunks: string[]): Buffer[] => chunks.map((c) => Buffer.from(c, 'utf8'));

/**
 * Bytes rich in line breaks of every kind, mostly UTF-8 with some that is not, cut into chunks
 * anywhere: inside `\r\n` and inside a character's bytes.
 */
const chunked = fc
  .tuple(
    fc
      .array(
        fc.oneof(
          fc.constantFrom('a', '{"x":1}', ' ', '\n', '\r', '\r\n', 'é', '😀', '\ufeff', '').map((text) => Buffer.from(text, 'utf8')),
          // Not UTF-8: a stray byte, a lone continuation byte, a lead byte cut short.
          fc.constantFrom(Buffer.from([0xff]), Buffer.from([0x80]), Buffer.from([0xe2]), Buffer.from([0xf0, 0x9f])),
        ),
        { maxLength: 60 },
      )
      .map((parts) => Buffer.concat(parts)),
    fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }),
  )
  .map(([text, cuts]) => {
    // Cut points may repeat: an empty chunk now and then, as streams may deliver.
    const points = cuts.map((c) => Math.min(c, text.length)).sort((a, b) => a - b);
    const chunks: Buffer[] = [];
    let from = 0;
    for (const point of points) {
      chunks.push(text.subarray(from, point));
      from = point;
    }
    chunks.push(text.subarray(from));
    return chunks;
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

  it.each([
    ['inside one chunk', ['ok\n', 'x'.repeat(9) + '\nnext\n']],
    ['spread over chunks', ['ok\n', 'xxxx', 'xxxx', 'xx', 'xx\n']],
    ['at the end, without a break', ['ok\n', 'x'.repeat(9)]],
    ['with no line break at all', ['xxxx', 'xxxx', 'xxxx']],
  ])('a line over the limit is an error naming it (%s), after the lines before it', async (_, chunks) => {
    const seen: string[] = [];
    const read = async () => {
      for await (const lines of ndjsonLines(Readable.from(bytes(chunks)), 8)) seen.push(...lines);
    };
    const error = await read().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(LineTooLongError);
    const expectedLine = chunks[0] === 'ok\n' ? 2 : 1;
    expect((error as LineTooLongError).line).toBe(expectedLine);
    expect(seen).toEqual(expectedLine === 2 ? ['ok'] : []);
  });

  it('a line of exactly the limit (and its \\r\\n) is read', async () => {
    const line = 'y'.repeat(8);
    const out: string[] = [];
    for await (const lines of ndjsonLines(Readable.from(bytes([line.slice(0, 5), `${line.slice(5)}\r`, '\n', line])), 8)) out.push(...lines);
    expect(out).toEqual([line, line]);
  });
});
