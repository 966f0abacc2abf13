import { ChuteAssigner } from '../core/assign/index.js';
import type { CompiledPlan } from '../core/plan/index.js';
import { UNLIMITED, type ChuteTable } from '../core/sorter/index.js';
import type { Sampler } from './distributions.js';
import type { RandomStream } from './random.js';

/**
 * What the simulator shows of a chute table: ids, positions, capacity, exception flags and state,
 * but not the fill. In the simulator the fill is only true at a time, so it is read through
 * {@link ChuteOperators.fillAt} (and `accepts`, `take`, `assign`), which bring the chute's
 * operators to that time first: a stale read cannot be written.
 */
export type ChuteLayout = Omit<ChuteTable, 'fill' | 'accepts'>;

/**
 * Operators clearing chutes (DESIGN.md: "chutes fill and are cleared by operators"): each
 * destination chute has `perChute` operators; an idle operator takes the next parcel from the chute
 * at once and holds it for a handling time drawn from the distribution. The chute's fill counts the
 * parcels waiting in it, not the ones operators hold; it is full at its capacity.
 *
 * Evaluated lazily and exactly: a chute's operators are advanced to time t only when something
 * needs the chute's fill at t (a parcel in front of it, an assignment, a sample), replaying the
 * FIFO multi-server queue in time order. Every accessor of the fill takes the time and does that
 * catch-up itself, so the fill cannot be read stale; the chute table's `fill` array is written and
 * read only here (and by the core assigner this class owns, after the catch-up). Times passed for
 * one chute must not decrease. Exception chutes of unlimited capacity have no operators. Full time
 * is accumulated per chute from `measureFrom` on.
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
  private readonly assigner: ChuteAssigner;
  private readonly destStart: Int32Array;
  private readonly destList: Int32Array;

  /**
   * @param chutes the hub's chute table; from now on its fill belongs to this object.
   * @param plan the compiled sort plan (compiled against `chutes.ids`), for {@link assign}.
   * @param perChute operators per destination chute (≥ 1).
   * @param handling handling time distribution (s per parcel).
   * @param rng the operators' random stream (one for all chutes: draws happen in catch-up order).
   * @param measureFrom start of the measured window (s): full and busy time count from here.
   * @param measureTo end of the measured window (s).
   * @throws SortlineError `SORTLINE_ERR_PLAN_MACHINE_MISMATCH` when the plan does not fit the chutes.
   */
  constructor(
    private readonly chutes: ChuteTable,
    plan: CompiledPlan,
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
    this.assigner = new ChuteAssigner(plan, chutes);
    this.destStart = plan.destChuteStart;
    this.destList = plan.destChuteList;
  }

  /** Parcels waiting in chute `c` at time `t` (s), not counting the ones operators hold. */
  fillAt(c: number, t: number): number {
    this.catchUp(c, t);
    return this.chutes.fill[c]!;
  }

  /** True when chute `c` can take a parcel at time `t` (s): open and below capacity then. */
  accepts(c: number, t: number): boolean {
    this.catchUp(c, t);
    return this.chutes.accepts(c);
  }

  /**
   * A parcel is in front of chute `c` at time `t` (s): when the chute accepts it then (see
   * {@link accepts}) it is discharged into it ({@link receive}) and the answer is true; otherwise
   * nothing changes and the answer is false.
   */
  take(c: number, t: number): boolean {
    this.catchUp(c, t);
    if (!this.chutes.accepts(c)) return false;
    this.put(c, t);
    return true;
  }

  /**
   * A parcel is discharged into chute `c` at time `t` (s) whatever its fill (an exception chute
   * takes every parcel): an idle operator takes it at once, otherwise it waits in the chute.
   */
  receive(c: number, t: number): void {
    this.catchUp(c, t);
    this.put(c, t);
  }

  /**
   * The chute a parcel for destination `d` (plan destination index) should go to at time `t` (s),
   * by the core assigner's policy ({@link ChuteAssigner.assign}) over the chutes' fill at `t`: the
   * destination's chutes are brought to `t` first when it has two or more (with one chute no choice
   * depends on the fill). -1 when no chute is usable.
   */
  assign(d: number, t: number): number {
    const start = this.destStart[d]!;
    const end = this.destStart[d + 1]!;
    if (end - start >= 2) for (let j = start; j < end; j++) this.catchUp(this.destList[j]!, t);
    return this.assigner.assign(d);
  }

  /** The plan's exception chute for a {@link Fallback} code ({@link ChuteAssigner.fallbackChute}). */
  fallbackChute(reason: number): number {
    return this.assigner.fallbackChute(reason);
  }

  /** Brings every chute to time `t` (s) and closes the full intervals still open (end of run). */
  finish(t: number): void {
    for (let c = 0; c < this.chutes.count; c++) {
      this.catchUp(c, t);
      if (this.fullSince[c] === this.fullSince[c]) this.closeFull(c, t);
    }
  }

  /** Starts handling one parcel at chute `c` at time `from` (s); returns when it ends. */
  private handle(c: number, from: number): number {
    const to = from + this.handling.sample(this.rng);
    const a = from > this.measureFrom ? from : this.measureFrom;
    const b = to < this.measureTo ? to : this.measureTo;
    if (b > a) this.busySeconds[c]! += b - a;
    return to;
  }

  /**
   * Advances chute `c`'s operators to time `t` (s): every parcel they would have taken by then is
   * taken. Idempotent for one `t`.
   */
  private catchUp(c: number, t: number): void {
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

  /** Puts a parcel into chute `c` at `t`, which is caught up to `t`. */
  private put(c: number, t: number): void {
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

  private closeFull(c: number, t: number): void {
    const from = Math.max(this.fullSince[c]!, this.measureFrom);
    if (t > from) this.fullSeconds[c]! += t - from;
    this.fullSince[c] = NaN;
  }
}
