import type { Prng } from './prng.js';

/**
 * Hands out generated strings (ids, URLs) cut from one big decoded string.
 *
 * Why: building each id with `+` makes a tree of rope strings (garbage to collect), and
 * decoding each from its own buffer costs a native call; with three ids per recording both
 * were a large share of a 1,000,000-row run (measured). Here ~1,000 entries are written as
 * ASCII bytes, decoded once, and each entry is a substring: a small slice of the shared text.
 */
export class StringPool {
  private readonly bytes: Buffer;
  private readonly entryLength: number;
  private text = '';
  private index: number;

  /** `prefix` must be ASCII (site URLs are); `writeBody` fills `bodyLength` bytes at `at`. */
  constructor(
    private readonly prefix: string,
    bodyLength: number,
    private readonly writeBody: (bytes: Buffer, at: number) => void,
    private readonly entries = 1024,
  ) {
    this.entryLength = prefix.length + bodyLength;
    this.bytes = Buffer.alloc(this.entryLength * entries);
    for (let e = 0; e < entries; e++) this.bytes.write(prefix, e * this.entryLength, 'latin1');
    this.index = entries;
  }

  next(): string {
    if (this.index === this.entries) {
      for (let e = 0; e < this.entries; e++) this.writeBody(this.bytes, e * this.entryLength + this.prefix.length);
      this.text = this.bytes.toString('latin1');
      this.index = 0;
    }
    const start = this.index++ * this.entryLength;
    return this.text.substring(start, start + this.entryLength);
  }
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const HIGH_NIBBLE = Uint8Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >>> 4] ?? 0);
const LOW_NIBBLE = Uint8Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b & 15] ?? 0);

function writeHex8(target: Buffer, at: number, u: number): void {
  for (let i = 0, shift = 24; i < 8; i += 2, shift -= 8) {
    const byte = (u >>> shift) & 255;
    target[at + i] = HIGH_NIBBLE[byte] ?? 0;
    target[at + i + 1] = LOW_NIBBLE[byte] ?? 0;
  }
}

/** `prefix` + 32 random lowercase hex chars, e.g. a Webex download URL ending in an RCID. */
export function randomHexPool(prng: Prng, prefix = ''): StringPool {
  return new StringPool(prefix, 32, (bytes, at) => {
    for (let i = 0; i < 32; i += 8) writeHex8(bytes, at + i, prng.uint32());
  });
}

/** murmur3's finalizer: a bijection on 32-bit integers, so distinct inputs give distinct outputs. */
function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * 32 lowercase hex chars that look random but are unique by construction: the last 8 chars
 * are a bijective scramble of a counter, so ids never collide within one pool (up to 2^32
 * ids), which random bits alone only make unlikely.
 */
export function uniqueHexPool(prng: Prng): StringPool {
  const salt = prng.uint32();
  let counter = 0;
  return new StringPool('', 32, (bytes, at) => {
    for (let i = 0; i < 24; i += 8) writeHex8(bytes, at + i, prng.uint32());
    writeHex8(bytes, at + 24, mix32((counter++ ^ salt) >>> 0));
  });
}

/** `prefix` + 18 decimal digits without a leading zero, like the end of a Webex instance id. */
export function digits18Pool(prng: Prng, prefix = ''): StringPool {
  return new StringPool(prefix, 18, (bytes, at) => {
    bytes[at] = 49 + (prng.uint32() % 9); // '1'..'9', then 9 + 8 digits from two draws
    // Values stay below 2^31, so `| 0` is an exact integer division.
    let rest = prng.uint32() % 1_000_000_000;
    for (let i = 1; i <= 9; i++, rest = (rest / 10) | 0) bytes[at + i] = 48 + (rest % 10);
    rest = prng.uint32() % 100_000_000;
    for (let i = 10; i < 18; i++, rest = (rest / 10) | 0) bytes[at + i] = 48 + (rest % 10);
  });
}
