import { UNLIMITED, type ChuteTable } from '../core/sorter/index.js';
import type { Sampler } from './distributions.js';
import type { RandomStream } from './random.js';

/**
 * Operators clearing chutes (DESIGN.md: "chutes fill and are cleared by operators"): each
 * destination chute has `perChute` operators; an idle operator takes the next parcel from the chute
 * at once and holds it for a handling time drawn from the distribution. The chute's fill counts the
 * parcels waiting in it, not the ones operators hold; it is full at its capacity.
 *
 * Evaluated lazily and exactly: a chute's operators are advanced to time t only when something
 * needs the chute's fill at t (a parcel in front of it, an assignment, a sample), replaying the
 * FIFO multi-server queue in time order. Exception chutes of unlimited capacity have no operators.
 * Full time is accumulated per chute from `measureFrom` on.
 */
export class ChuteOperators {
  private readonly m: number;
  /** Time (s) each operator finishes the parcel it holds: chute c, operator j at c·m + j. */
  private readonly freeAt: Float64Array;
  /** Time (s) the chute became full, NaN when not full. */
  private readonly fullSince: Float64Array;
  /** Seconds each chute was full since `measureFrom`. */
  readonly fullSeconds: Float64Array;
  /** Seconds each chute's operators spent handling parcels in [measureFrom, measureTo] (all operators together). */
  readonly busySeconds: Float64Array;

  constructor(
    private readonly chutes: ChuteTable,
    perChute: number,
    private readonly handling: Sampler,
    private readonly rng: RandomStream,
    private readonly measureFrom: number,
    private readonly measureTo: number,
  ) {
    this.m = perChute;
    this.freeAt = new Float64Array(chutes.count * perChute);
    this.fullSince = new Float64Array(chutes.count).fill(NaN);
    this.fullSeconds = new Float64Array(chutes.count);
    this.busySeconds = new Float64Array(chutes.count);
  }

  /** Starts handling one parcel at chute `c` at time `from` (s); returns when it ends. */
  private handle(c: number, from: number): number {
    const to = from + this.handling.sample(this.rng);
    const a = from > this.measureFrom ? from : this.measureFrom;
    const b = to < this.measureTo ? to : this.measureTo;
    if (b > a) this.busySeconds[c]! += b - a;
    return to;
  }

  /** Advances chute `c`'s operators to time `t` (s): every parcel they would have taken by then is taken. */
  catchUp(c: number, t: number): void {
    const chutes = this.chutes;
    const cap = chutes.capacity[c]!;
    if (cap === UNLIMITED) return;
    const fill = chutes.fill;
    const base = c * this.m;
    while (fill[c]! > 0) {
      let j = base;
      for (let k = base + 1; k < base + this.m; k++) if (this.freeAt[k]! < this.freeAt[j]!) j = k;
      const f = this.freeAt[j]!;
      if (f > t) break;
      if (fill[c] === cap) this.closeFull(c, f);
      fill[c]!--;
      this.freeAt[j] = this.handle(c, f);
    }
  }

  /**
   * A parcel was discharged into chute `c` at time `t` (after {@link catchUp} and an accepting
   * check): an idle operator takes it at once, otherwise it waits in the chute.
   */
  receive(c: number, t: number): void {
    const chutes = this.chutes;
    const fill = chutes.fill;
    const cap = chutes.capacity[c]!;
    if (cap !== UNLIMITED && fill[c] === 0) {
      const base = c * this.m;
      for (let j = base; j < base + this.m; j++) {
        if (this.freeAt[j]! <= t) {
          this.freeAt[j] = this.handle(c, t);
          return;
        }
      }
    }
    fill[c]!++;
    if (fill[c] === cap) this.fullSince[c] = t;
  }

  /** Brings every chute to time `t` and closes the full intervals still open (end of run). */
  finish(t: number): void {
    for (let c = 0; c < this.chutes.count; c++) {
      this.catchUp(c, t);
      if (this.fullSince[c] === this.fullSince[c]) this.closeFull(c, t);
    }
  }

  private closeFull(c: number, t: number): void {
    const from = Math.max(this.fullSince[c]!, this.measureFrom);
    if (t > from) this.fullSeconds[c]! += t - from;
    this.fullSince[c] = NaN;
  }
}
