import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/**
 * Seeded random streams for the simulator, on pure-rand's xoroshiro128+ (mutable, allocation-free
 * `next()`). Each model part draws from its own stream, split from one seed with the generator's
 * jump function (2^64 draws apart), so changing one part (say the scanner's read rate) does not
 * shift the random numbers of the others (common random numbers across a sweep).
 */
export class RandomStream {
  private readonly g: JumpableRandomGenerator;

  constructor(g: JumpableRandomGenerator) {
    this.g = g;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.g.next() & 0x3ffffff;
    const lo = this.g.next() & 0x7ffffff;
    return hi * 1.4901161193847656e-8 + lo * 1.1102230246251565e-16;
  }

  /** Uniform integer in [0, n) for n ≤ 2^32 (one 32-bit draw, multiply-shift; bias < n / 2^32). */
  int(n: number): number {
    return Math.floor(((this.g.next() >>> 0) * n) / 4294967296);
  }

  /** Exponential with the given mean (inverse transform on (0, 1]). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }
}

/** Names of the independent streams a simulation uses, in the order they are split off. */
export const STREAMS = ['arrivals', 'mix', 'labels', 'scanner', 'operators', 'setup'] as const;
export type StreamName = (typeof STREAMS)[number];

/** One independent {@link RandomStream} per name in {@link STREAMS}, all from `seed` (an integer). */
export function randomStreams(seed: number): Record<StreamName, RandomStream> {
  const base = xoroshiro128plus(seed | 0);
  const out = {} as Record<StreamName, RandomStream>;
  for (const name of STREAMS) {
    out[name] = new RandomStream(base.clone());
    base.jump();
  }
  return out;
}

/**
 * Walker's alias method: O(1) sampling from a discrete distribution given by non-negative weights
 * (Vose's construction). Used for the destination mix and the induct choice.
 */
export class AliasSampler {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  /** @throws RangeError when no weight is positive or a weight is negative or not finite. */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w))
        throw new RangeError(`weight ${i} is ${w}; expected a finite number ≥ 0`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('at least one weight must be positive');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1; // rounding leftovers
  }

  /** One index drawn with probability weight[i] / Σ weights. */
  sample(rng: RandomStream): number {
    const u = rng.uniform() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }
}
