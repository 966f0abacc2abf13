import type { RandomStream } from './random.js';
import type { DistributionSpec } from './scenario/index.js';

/** A sampler of positive values (durations in s, masses in kg): no allocation per draw. */
export interface Sampler {
  sample(rng: RandomStream): number;
  readonly mean: number;
}

/**
 * Builds a sampler for a scenario distribution: constant, exponential (by mean), or lognormal
 * given by its own mean and standard deviation (μ, σ of the underlying normal derived from them;
 * normal deviates by Box–Muller, the spare kept).
 */
export function sampler(spec: DistributionSpec): Sampler {
  switch (spec.distribution) {
    case 'constant':
      return { mean: spec.value, sample: () => spec.value };
    case 'exponential': {
      const mean = spec.mean;
      return { mean, sample: (rng) => rng.exponential(mean) };
    }
    case 'lognormal': {
      const s2 = Math.log(1 + (spec.sd * spec.sd) / (spec.mean * spec.mean));
      const mu = Math.log(spec.mean) - s2 / 2;
      const sigma = Math.sqrt(s2);
      let spare = NaN;
      return {
        mean: spec.mean,
        sample(rng) {
          let z: number;
          if (spare === spare) {
            z = spare;
            spare = NaN;
          } else {
            const u = 1 - rng.uniform();
            const v = rng.uniform();
            const r = Math.sqrt(-2 * Math.log(u));
            z = r * Math.cos(2 * Math.PI * v);
            spare = r * Math.sin(2 * Math.PI * v);
          }
          return Math.exp(mu + sigma * z);
        },
      };
    }
  }
}
