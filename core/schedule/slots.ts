import type { ChuteTable, InductTable, LoopSorter } from '../sorter/index.js';

/**
 * Induct slot allocation: which induct may load an empty carrier passing it.
 *
 * - `first-empty`: every induct loads the first empty carrier in front of it. Simple and optimal
 *   when inducts are evenly spaced and evenly fed, but when inducts stand in a group (several in a
 *   row with no chute between them) the first of the group takes every empty carrier it can and
 *   the last ones starve.
 * - `reserve`: slot reservation within an induct group. An induct about to load an unreserved empty
 *   carrier instead reserves it (a slot) for the induct of its group, downstream, with the longest
 *   queue when that queue is longer than its own; inducts in between let the slot pass. Passing
 *   carriers inside a group costs no loop capacity (no chute lies between giver and taker, so the
 *   carrier could not have been emptied and refilled in between), which is why slots never cross a
 *   chute. An induct gives away at most `share` of the empty carriers it could have loaded, and each
 *   induct has at most `maxSlots` slots in flight. A slot that reaches its induct when that induct
 *   cannot load is released.
 */
export type SlotPolicySpec =
  | { name: 'first-empty' }
  | {
      name: 'reserve';
      /** Largest share (0 < share ≤ 1) of its empty carriers an induct gives to a longer queue downstream in its group. */
      share: number;
      /** Most slots in flight per induct (default 2). */
      maxSlots?: number;
    };

/** Outcome of {@link SlotAllocator.decide}. */
export const SlotDecision = { SKIP: 0, LOAD: 1 } as const;

/** Applies a {@link SlotPolicySpec} to a loop's carriers and inducts. Allocation-free per decision. */
export class SlotAllocator {
  private readonly reserve: boolean;
  private readonly share: number;
  private readonly maxSlots: number;
  /** Give-away credit per induct (reserve policy). */
  private readonly credit: Float64Array;
  /** Inducts downstream of induct i before the next chute: group[groupStart[i] .. groupStart[i + 1]). */
  private readonly groupStart: Int32Array;
  private readonly group: Int32Array;
  /** Slots in flight per induct. */
  readonly slotsInFlight: Int32Array;
  /** Carriers each induct reserved for another (a count, for reports). */
  readonly slotsGiven: Float64Array;

  constructor(
    spec: SlotPolicySpec,
    private readonly loop: LoopSorter,
    private readonly inducts: InductTable,
    chutes: ChuteTable,
  ) {
    const k = inducts.count;
    this.reserve = spec.name === 'reserve';
    this.share = spec.name === 'reserve' ? spec.share : 0;
    this.maxSlots = spec.name === 'reserve' ? (spec.maxSlots ?? 2) : 0;
    this.credit = new Float64Array(k);
    this.slotsInFlight = new Int32Array(k);
    this.slotsGiven = new Float64Array(k);
    // each induct's group: the inducts a carrier passes after it before it reaches any chute
    const starts = [0];
    const members: number[] = [];
    for (let i = 0; i < k; i++) {
      const from = inducts.position[i]!;
      let reach = loop.carriers;
      for (let c = 0; c < chutes.count; c++)
        reach = Math.min(reach, loop.ticksBetween(from, chutes.position[c]!));
      for (let j = 0; j < k; j++) {
        if (j !== i && loop.ticksBetween(from, inducts.position[j]!) < reach) members.push(j);
      }
      starts.push(members.length);
    }
    this.groupStart = Int32Array.from(starts);
    this.group = Int32Array.from(members);
  }

  /**
   * Decides for induct `i`, which has a parcel waiting and whose cycle has passed, facing the
   * empty carrier `c`. Returns LOAD or SKIP; a reservation made here is recorded on the carrier.
   */
  decide(i: number, c: number): number {
    const reserved = this.loop.reservedFor[c]!;
    if (reserved === i) {
      this.release(c);
      return SlotDecision.LOAD;
    }
    if (reserved >= 0) return SlotDecision.SKIP;
    if (!this.reserve) return SlotDecision.LOAD;
    let credit = this.credit[i]! + this.share;
    if (credit >= 1) {
      const j = this.neediest(i);
      if (j >= 0) {
        this.loop.reservedFor[c] = j;
        this.slotsInFlight[j]!++;
        this.slotsGiven[i]!++;
        this.credit[i] = credit - 1;
        return SlotDecision.SKIP;
      }
      credit = 1; // no taker: keep at most one give-away banked
    }
    this.credit[i] = credit;
    return SlotDecision.LOAD;
  }

  /** Releases a slot reserved for induct `i` on carrier `c` that `i` cannot use now. */
  passIdle(i: number, c: number): void {
    if (this.loop.reservedFor[c] === i) this.release(c);
  }

  private release(c: number): void {
    const owner = this.loop.reservedFor[c]!;
    this.loop.reservedFor[c] = -1;
    this.slotsInFlight[owner]!--;
  }

  /** The induct of i's group with the longest queue, longer than i's, with a slot to spare; -1 if none. */
  private neediest(i: number): number {
    const queues = this.inducts.queues;
    let best = -1;
    let bestLen = queues[i]!.length;
    for (let m = this.groupStart[i]!; m < this.groupStart[i + 1]!; m++) {
      const j = this.group[m]!;
      if (this.slotsInFlight[j]! >= this.maxSlots) continue;
      const len = queues[j]!.length;
      if (len > bestLen) {
        best = j;
        bestLen = len;
      }
    }
    return best;
  }
}
