import { ParcelQueue } from './queue.js';

/** One induction station. */
export interface InductSpec {
  /** Machine induct id (e.g. `I3`). */
  id: string;
  /** Loop position (0 ≤ position < carriers). */
  position: number;
  /**
   * Induct cycle in seconds: the least time between two loads. Inducts are checked at whole ticks,
   * so an induct loads again at the first tick at least this long after its last load.
   */
  cycleSeconds: number;
}

/**
 * Inducts of a loop sorter in struct-of-arrays form, each with its FIFO queue of waiting parcel
 * ids (ring buffer).
 */
export class InductTable {
  readonly count: number;
  readonly ids: readonly string[];
  /** Loop position of each induct. */
  readonly position: Int32Array;
  /** Least ticks between two loads: ceil(cycleSeconds / tickSeconds), at least 1. */
  readonly cycleTicks: Int32Array;
  /** Tick of the last load (a large negative number before the first). */
  readonly lastLoadTick: Float64Array;
  /** Waiting parcels per induct. */
  readonly queues: readonly ParcelQueue[];

  constructor(specs: readonly InductSpec[], tickSeconds: number) {
    const n = specs.length;
    this.count = n;
    this.ids = specs.map((s) => s.id);
    this.position = new Int32Array(n);
    this.cycleTicks = new Int32Array(n);
    this.lastLoadTick = new Float64Array(n).fill(-1e15);
    this.queues = specs.map(() => new ParcelQueue());
    for (let i = 0; i < n; i++) {
      const s = specs[i]!;
      this.position[i] = s.position;
      // tolerate float noise: 1.44 s at 0.48 s/tick is exactly 3 ticks
      this.cycleTicks[i] = Math.max(1, Math.ceil(s.cycleSeconds / tickSeconds - 1e-9));
    }
  }

  /** Parcels waiting at every induct together. */
  queued(): number {
    let q = 0;
    for (const queue of this.queues) q += queue.length;
    return q;
  }
}
