import type { Prng } from './prng.js';

// Ids and URLs are built as char codes and turned into one flat string by String.fromCharCode:
// joining pieces with `+` makes a tree of rope strings per value, and those extra objects
// doubled the time of generating 1,000,000 recordings, mostly in garbage collection (measured).
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

function writeHex8(target: number[], at: number, u: number): void {
  let rest = u;
  for (let i = 7; i >= 0; i--) {
    target[at + i] = HEX_CODES[rest & 15] as number;
    rest >>>= 4;
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
  private readonly codes: number[];
  private readonly at: number;

  constructor(prefix = '') {
    this.at = prefix.length;
    this.codes = [...Array.from(prefix, (c) => c.charCodeAt(0)), ...new Array<number>(32).fill(0)];
  }

  random(prng: Prng): string {
    return this.make(prng.uint32(), prng.uint32(), prng.uint32(), prng.uint32());
  }

  protected make(a: number, b: number, c: number, d: number): string {
    writeHex8(this.codes, this.at, a);
    writeHex8(this.codes, this.at + 8, b);
    writeHex8(this.codes, this.at + 16, c);
    writeHex8(this.codes, this.at + 24, d);
    return String.fromCharCode.apply(null, this.codes);
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

/** 18 decimal digits without a leading zero, like the numeric part of a Webex instance id. */
export function randomDigits18(prng: Prng): string {
  const digits = [49 + (prng.uint32() % 9)]; // '1'..'9', then 9 + 8 digits from two draws
  for (const count of [9, 8]) {
    let rest = prng.uint32() % 1_000_000_000;
    for (let i = 0; i < count; i++, rest = Math.floor(rest / 10)) digits.push(48 + (rest % 10));
  }
  return String.fromCharCode.apply(null, digits);
}
