/**
 * A small seeded PRNG. Hand-rolled on purpose: sfc32 is a few lines, fast (one call costs a
 * handful of 32-bit integer ops, which matters when generating 1,000,000 rows), passes
 * PractRand, and — unlike Math.random or a dependency whose algorithm may change — gives
 * byte-identical sequences for the same seed forever.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` derives independent sequences from one seed (one per site, one for the world). */
  constructor(seed: number, stream = 0) {
    // splitmix32 spreads the (possibly tiny, similar) seeds over the whole 128-bit state.
    let s = (Math.floor(seed / 0x1_0000_0000) ^ (seed >>> 0) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix() | 1;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Standard normal deviate (Box–Muller); used for log-normal durations. */
  normal(): number {
    const u = 1 - this.float(); // (0, 1], so log() stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }
}

/** Picks items with given relative weights in O(log n) (binary search over cumulative sums). */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) {
      throw new RangeError('WeightedTable needs one positive weight per item');
    }
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new RangeError('WeightedTable needs a positive total weight');
    this.total = sum;
  }

  static of<T>(pairs: readonly (readonly [T, number])[]): WeightedTable<T> {
    return new WeightedTable(
      pairs.map(([item]) => item),
      pairs.map(([, weight]) => weight),
    );
  }

  pick(prng: Prng): T {
    const target = prng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}
