import type { ParcelTable } from '../sorter/index.js';

/**
 * Timing wheel of discharge events for a loop of N carriers: a parcel rides at most one lap
 * (N ticks) before its next discharge attempt, so N + 1 buckets indexed by tick mod (N + 1) never
 * collide with the bucket being processed. Buckets are intrusive doubly-linked lists through the
 * parcel table's `next` / `prev` arrays: schedule and cancel are O(1) and allocate nothing.
 */
export class DischargeWheel {
  private readonly heads: Int32Array;
  private readonly size: number;
  /** Parcels scheduled now. */
  pending = 0;

  constructor(
    carriers: number,
    private readonly parcels: ParcelTable,
  ) {
    this.size = carriers + 1;
    this.heads = new Int32Array(this.size).fill(-1);
  }

  /** Schedules `parcel` to reach its chute at `tick` (at most N ticks ahead of now). */
  schedule(parcel: number, tick: number): void {
    const b = tick % this.size;
    const head = this.heads[b]!;
    const next = this.parcels.next;
    const prev = this.parcels.prev;
    next[parcel] = head;
    prev[parcel] = -1;
    if (head >= 0) prev[head] = parcel;
    this.heads[b] = parcel;
    this.pending++;
  }

  /** Removes a scheduled parcel (for example when its target changes in flight). */
  cancel(parcel: number, tick: number): void {
    const next = this.parcels.next;
    const prev = this.parcels.prev;
    const n = next[parcel]!;
    const p = prev[parcel]!;
    if (p >= 0) next[p] = n;
    else this.heads[tick % this.size] = n;
    if (n >= 0) prev[n] = p;
    next[parcel] = -1;
    prev[parcel] = -1;
    this.pending--;
  }

  /**
   * Detaches and returns the first parcel due at `tick` (-1 when none); walk the rest with
   * `parcels.next`, reading each link before handling the parcel (handling may reschedule it).
   */
  take(tick: number): number {
    const b = tick % this.size;
    const head = this.heads[b]!;
    this.heads[b] = -1;
    return head;
  }

  /** Marks one detached parcel as handled (keeps `pending` true). */
  done(): void {
    this.pending--;
  }
}
