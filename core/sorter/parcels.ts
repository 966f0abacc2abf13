import { grow } from '../typed-arrays.js';

/**
 * Parcels in flight (queued at an induct or riding a carrier) in struct-of-arrays form. A parcel
 * is an integer id into these arrays; ids are recycled through a free list once a parcel leaves
 * the sorter, so the arrays stay as large as the most parcels in the system at once. Growth
 * doubles the arrays (rare, amortised; not per parcel).
 *
 * An owner that keeps more per-parcel fields (the emulated PLC: task ids, turns, replies) extends
 * the table with its own typed arrays and overrides {@link grow} to grow them with these, so that
 * every field of a parcel lives at its id in one table.
 */
export class ParcelTable {
  /** Allocated slots. */
  capacity: number;
  /** Ids in use now. */
  live = 0;
  /** Arrival time at the induct queue (s since run start). */
  arrival: Float64Array;
  /** Induct index the parcel arrived at. */
  induct: Int16Array;
  /** True destination (index into the sort plan's destinations): what the label was printed for; -1 when unknown. */
  truth: Int32Array;
  /** Routing result at the scan: destination index >= 0, or -Fallback code. */
  routed: Int32Array;
  /** Target chute index now. */
  chute: Int32Array;
  /** Failed discharge attempts so far. */
  attempts: Uint8Array;
  /** Fallback code ({@link Fallback}) when bound for an exception chute, else NONE. */
  reason: Uint8Array;
  /** Carrier index while on the loop, -1 otherwise. */
  carrier: Int32Array;
  /** Intrusive link: next parcel in a timing-wheel bucket, or in the free list. */
  next: Int32Array;
  /** Intrusive link: previous parcel in a timing-wheel bucket (-1 at the head). */
  prev: Int32Array;
  private freeHead = -1;
  private highWater = 0;

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, initialCapacity);
    this.arrival = new Float64Array(this.capacity);
    this.induct = new Int16Array(this.capacity);
    this.truth = new Int32Array(this.capacity);
    this.routed = new Int32Array(this.capacity);
    this.chute = new Int32Array(this.capacity);
    this.attempts = new Uint8Array(this.capacity);
    this.reason = new Uint8Array(this.capacity);
    this.carrier = new Int32Array(this.capacity);
    this.next = new Int32Array(this.capacity);
    this.prev = new Int32Array(this.capacity);
  }

  /** Takes a fresh id with every field reset; grows the arrays when full. */
  alloc(): number {
    let id = this.freeHead;
    if (id >= 0) {
      this.freeHead = this.next[id]!;
    } else {
      if (this.highWater === this.capacity) this.grow();
      id = this.highWater++;
    }
    this.live++;
    this.arrival[id] = 0;
    this.induct[id] = -1;
    this.truth[id] = -1;
    this.routed[id] = 0;
    this.chute[id] = -1;
    this.attempts[id] = 0;
    this.reason[id] = 0;
    this.carrier[id] = -1;
    this.next[id] = -1;
    this.prev[id] = -1;
    return id;
  }

  /** Returns an id to the free list once the parcel has left the sorter. */
  free(id: number): void {
    this.next[id] = this.freeHead;
    this.freeHead = id;
    this.live--;
  }

  /**
   * Doubles every array (called by {@link alloc} when the table is full). A subclass adding fields
   * overrides it, calls `super.grow()` and then grows its own arrays to the new {@link capacity}.
   */
  protected grow(): void {
    const n = this.capacity * 2;
    this.arrival = grow(this.arrival, n);
    this.induct = grow(this.induct, n);
    this.truth = grow(this.truth, n);
    this.routed = grow(this.routed, n);
    this.chute = grow(this.chute, n);
    this.attempts = grow(this.attempts, n);
    this.reason = grow(this.reason, n);
    this.carrier = grow(this.carrier, n);
    this.next = grow(this.next, n);
    this.prev = grow(this.prev, n);
    this.capacity = n;
  }
}
