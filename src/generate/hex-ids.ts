import type { Prng } from './prng.js';

// Ids and URLs are written as ASCII bytes into a scratch buffer and decoded once into one flat
// string: joining pieces with `+` makes a tree of rope strings per value, and those extra
// objects doubled the time of generating 1,000,000 recordings, mostly in garbage collection;
// the buffer also beat String.fromCharCode.apply by ~20 % (measured).
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

/** murmur3's finalizer: a bijection on 32-bit integers, so distinct inputs give distinct outputs. */
function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Makes `prefix` + 32 random lowercase hex chars, e.g. a Webex download URL ending in an RCID. */
export class HexStrings {
  private readonly bytes: Buffer;
  private readonly at: number;

  /** `prefix` must be ASCII (site URLs are). */
  constructor(prefix = '') {
    this.at = prefix.length;
    this.bytes = Buffer.alloc(prefix.length + 32);
    this.bytes.write(prefix, 'latin1');
  }

  random(prng: Prng): string {
    return this.make(prng.uint32(), prng.uint32(), prng.uint32(), prng.uint32());
  }

  protected make(a: number, b: number, c: number, d: number): string {
    writeHex8(this.bytes, this.at, a);
    writeHex8(this.bytes, this.at + 8, b);
    writeHex8(this.bytes, this.at + 16, c);
    writeHex8(this.bytes, this.at + 24, d);
    return this.bytes.toString('latin1');
  }
}

/**
 * 32 lowercase hex chars that look random but are unique by construction: the last 8 chars
 * are a bijective scramble of a per-run counter, so ids never collide within one run
 * (up to 2^32 ids), which random bits alone only make unlikely.
 */
export class UniqueHexIds extends HexStrings {
  private counter = 0;

  constructor(private readonly salt: number) {
    super();
  }

  next(prng: Prng): string {
    return this.make(prng.uint32(), prng.uint32(), prng.uint32(), mix32((this.counter++ ^ this.salt) >>> 0));
  }
}

const digitCodes = Buffer.alloc(18);

/** 18 decimal digits without a leading zero, like the numeric part of a Webex instance id. */
export function randomDigits18(prng: Prng): string {
  digitCodes[0] = 49 + (prng.uint32() % 9); // '1'..'9'
  // Two draws of 9 and 8 digits; values stay below 2^31, so `| 0` is an exact integer division.
  let rest = prng.uint32() % 1_000_000_000;
  for (let i = 1; i <= 9; i++, rest = (rest / 10) | 0) digitCodes[i] = 48 + (rest % 10);
  rest = prng.uint32() % 100_000_000;
  for (let i = 10; i < 18; i++, rest = (rest / 10) | 0) digitCodes[i] = 48 + (rest % 10);
  return digitCodes.toString('latin1');
}
