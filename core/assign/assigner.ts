/**
 * Chute assignment: destination → the chute a parcel should go to now, from the destination's
 * chutes in plan priority order and the live chute state and fill (DESIGN.md "The machine
 * model", "Sort plans"; docs/sort-plan.md "From destination to chute").
 */
import { SortlineError } from '../errors.js';
import type { CompiledPlan } from '../plan/index.js';
import { type ChuteTable, ChuteState } from '../sorter/index.js';

/**
 * Picks chutes for destinations against one machine's {@link ChuteTable}, under the active
 * compiled plan.
 *
 * Policy, for the chutes of a destination in the plan's priority order — or, for a destination
 * whose assignment is `round-robin`, in that order rotated to start after the chute chosen last, so
 * that the chutes take parcels in turn:
 * 1. chutes that are `disabled`, `blocked` or `bagging` are not usable and are skipped;
 * 2. the first usable chute that accepts a parcel now (state `open` and `fill < capacity`) wins;
 * 3. when every usable chute is full (state `full`, or `open` at or over capacity), the first of
 *    them is chosen: the parcel rides to it, meets it full, recirculates and is re-assigned on
 *    its next lap, up to the recirculation limit;
 * 4. when no chute is usable, the answer is -1: the caller sends the parcel to
 *    `fallbackChute(Fallback.NO_CHUTE)` and records the reason `noChute`.
 *
 * `assign`, `candidates` and `fallbackChute` read typed arrays only: no allocation, no throw.
 * Chute and destination numbers are indices (the plan's destination index, the table's chute
 * index); ids map to them at the API edge.
 */
export class ChuteAssigner {
  private plan: CompiledPlan;
  private readonly chutes: ChuteTable;
  /** Round-robin destinations: where the next search starts, as an offset into the destination's chutes. */
  private rotation: Int32Array;

  /**
   * @param plan a plan compiled against this machine's chute list (`compilePlan(doc, chutes.ids)`).
   * @param chutes the machine's live chute table; its state and fill are read at every call.
   * @throws SortlineError `SORTLINE_ERR_PLAN_MACHINE_MISMATCH` when the plan names chute
   *   indices outside the table, or was compiled against other chute ids.
   */
  constructor(plan: CompiledPlan, chutes: ChuteTable) {
    this.chutes = chutes;
    checkMachine(plan, chutes);
    this.plan = plan;
    this.rotation = new Int32Array(plan.destinationCount);
  }

  /** The active plan. */
  get activePlan(): CompiledPlan {
    return this.plan;
  }

  /**
   * Activates `plan` for every later call: one reference swap. Parcels already assigned keep
   * their chute; their next re-assignment (recirculation, re-request) uses the new plan.
   *
   * @throws SortlineError `SORTLINE_ERR_PLAN_MACHINE_MISMATCH` as the constructor; the active
   *   plan then stays.
   */
  setPlan(plan: CompiledPlan): void {
    checkMachine(plan, this.chutes);
    this.plan = plan;
    this.rotation = new Int32Array(plan.destinationCount);
  }

  /** Offset into destination d's chutes where the search starts (0 in priority order). */
  private startOf(d: number, n: number): number {
    return this.plan.destRoundRobin[d] === 1 ? this.rotation[d]! % n : 0;
  }

  /** Round robin: the next search for d starts after chute offset `j`. */
  private chose(d: number, j: number, n: number): void {
    if (this.plan.destRoundRobin[d] === 1) this.rotation[d] = (j + 1) % n;
  }

  /**
   * The chute a parcel for `destination` (plan destination index) should go to now, by the
   * policy above: the first accepting chute, else the first full usable chute, else -1 (no
   * usable chute, or `destination` is not an index of the active plan).
   */
  assign(destination: number): number {
    const plan = this.plan;
    if (!(destination >= 0 && destination < plan.destinationCount)) return -1;
    const list = plan.destChuteList;
    const start = plan.destChuteStart[destination]!;
    const n = plan.destChuteStart[destination + 1]! - start;
    const from = this.startOf(destination, n);
    const state = this.chutes.state;
    const fill = this.chutes.fill;
    const capacity = this.chutes.capacity;
    let firstFull = -1;
    let firstFullAt = 0;
    for (let i = 0; i < n; i++) {
      const j = from + i < n ? from + i : from + i - n;
      const c = list[start + j]!;
      const s = state[c];
      if (s === ChuteState.OPEN) {
        if (fill[c]! < capacity[c]!) {
          this.chose(destination, j, n);
          return c;
        }
        if (firstFull < 0) {
          firstFull = c;
          firstFullAt = j;
        }
      } else if (s === ChuteState.FULL && firstFull < 0) {
        firstFull = c;
        firstFullAt = j;
      }
    }
    if (firstFull >= 0) this.chose(destination, firstFullAt, n);
    return firstFull;
  }

  /**
   * The usable chutes of `destination` for a destination reply, best first: the accepting ones
   * in the destination's order (priority, or rotated for round robin), then the full usable ones in
   * that order (the PLC tries them in turn). Written to `out[0 ..)`, at most `out.length` of them;
   * returns how many; 0 exactly when `assign` would give -1 (or `out` is empty). Its first entry is
   * the chute `assign` would give; like `assign`, it advances a round-robin destination's turn.
   */
  candidates(destination: number, out: Int32Array): number {
    const plan = this.plan;
    if (!(destination >= 0 && destination < plan.destinationCount)) return 0;
    const list = plan.destChuteList;
    const start = plan.destChuteStart[destination]!;
    const count = plan.destChuteStart[destination + 1]! - start;
    const from = this.startOf(destination, count);
    const state = this.chutes.state;
    const fill = this.chutes.fill;
    const capacity = this.chutes.capacity;
    const max = out.length;
    let n = 0;
    let firstAt = -1;
    for (let i = 0; i < count && n < max; i++) {
      const j = from + i < count ? from + i : from + i - count;
      const c = list[start + j]!;
      if (state[c] === ChuteState.OPEN && fill[c]! < capacity[c]!) {
        if (n === 0) firstAt = j;
        out[n++] = c;
      }
    }
    for (let i = 0; i < count && n < max; i++) {
      const j = from + i < count ? from + i : from + i - count;
      const c = list[start + j]!;
      const s = state[c];
      if (s === ChuteState.FULL || (s === ChuteState.OPEN && fill[c]! >= capacity[c]!)) {
        if (n === 0) firstAt = j;
        out[n++] = c;
      }
    }
    if (n > 0) this.chose(destination, firstAt, count);
    return n;
  }

  /**
   * The exception chute of the active plan for a {@link Fallback} code (`noRead`, `noRule`,
   * `multiRead`, `recirculationLimit`, `oversize`, `noChute`); -1 for `NONE` or an unknown code.
   * Exception chutes are taken whatever their state: they are the last resort.
   */
  fallbackChute(reason: number): number {
    return this.plan.fallbackChute[reason] ?? -1;
  }
}

/** Throws unless the plan was compiled against this machine's chute ids, in order. */
function checkMachine(plan: CompiledPlan, chutes: ChuteTable): void {
  const mismatch = (what: string): SortlineError =>
    new SortlineError(
      'SORTLINE_ERR_PLAN_MACHINE_MISMATCH',
      `sort plan "${plan.version}" does not fit this machine (${chutes.count} chutes): ${what}; expected a plan compiled with this machine's chute ids`,
    );
  const ids = plan.chuteIds;
  if (ids.length !== chutes.count) throw mismatch(`the plan was compiled for ${ids.length} chutes`);
  const at = ids.findIndex((id, i) => id !== chutes.ids[i]);
  if (at >= 0)
    throw mismatch(
      `chute ${at} is "${ids[at]}" in the plan but "${chutes.ids[at]}" on the machine`,
    );
}
