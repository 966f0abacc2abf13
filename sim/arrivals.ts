import type { RandomStream } from './random.js';

/**
 * Parcel arrivals as a non-homogeneous Poisson process with a piecewise-constant rate: the hourly
 * rate profile plus truck waves (a wave of P parcels over D hours adds P / D per hour over its
 * span). Exact sampling by inverting the integrated rate: draw E ~ Exp(1) and walk the pieces
 * until their cumulative rate reaches E. Allocation-free per arrival.
 */
export class ArrivalProcess {
  /** Piece start times (s), ascending; piece j covers [start[j], start[j + 1]); the last runs forever. */
  private readonly start: Float64Array;
  /** Rate in parcels per second on each piece. */
  private readonly rate: Float64Array;
  private piece = 0;
  /** Time of the last arrival (s). */
  private t = 0;

  /**
   * @param ratePerHour parcels per hour for hour 0, 1, ...; the last value holds after.
   * @param waves truck waves added on top of the profile.
   */
  constructor(
    ratePerHour: readonly number[],
    waves: readonly { startHour: number; durationHours: number; parcels: number }[],
    private readonly rng: RandomStream,
  ) {
    const cuts = new Set<number>();
    ratePerHour.forEach((_, h) => cuts.add(h * 3600));
    for (const w of waves) {
      cuts.add(w.startHour * 3600);
      cuts.add((w.startHour + w.durationHours) * 3600);
    }
    const times = [...cuts].sort((a, b) => a - b);
    this.start = Float64Array.from(times);
    this.rate = new Float64Array(times.length);
    times.forEach((t0, j) => {
      const h = Math.min(Math.floor(t0 / 3600 + 1e-9), ratePerHour.length - 1);
      let r = ratePerHour[h]! / 3600;
      for (const w of waves) {
        const a = w.startHour * 3600;
        const b = a + w.durationHours * 3600;
        if (t0 >= a && t0 < b) r += w.parcels / (w.durationHours * 3600);
      }
      this.rate[j] = r;
    });
  }

  /** The time (s) of the next arrival; Infinity when the rate stays zero from here on. */
  next(): number {
    let e = this.rng.exponential(1);
    let t = this.t;
    let j = this.piece;
    const last = this.start.length - 1;
    for (;;) {
      const r = this.rate[j]!;
      if (j === last) {
        if (r <= 0) {
          this.t = Infinity;
          return Infinity;
        }
        t += e / r;
        break;
      }
      const span = this.start[j + 1]! - t;
      const mass = r * span;
      if (e <= mass) {
        t += e / r;
        break;
      }
      e -= mass;
      t = this.start[j + 1]!;
      j++;
    }
    this.t = t;
    this.piece = j;
    return t;
  }

  /** Expected arrivals in [0, seconds): the integral of the rate. */
  expected(seconds: number): number {
    let sum = 0;
    for (let j = 0; j < this.start.length; j++) {
      const a = this.start[j]!;
      if (a >= seconds) break;
      const b = j + 1 < this.start.length ? Math.min(this.start[j + 1]!, seconds) : seconds;
      sum += this.rate[j]! * (b - a);
    }
    return sum;
  }
}
