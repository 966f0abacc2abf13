import { ChuteState } from './states.js';

/** Capacity meaning "no limit" (exception chutes, validation models). */
export const UNLIMITED = 0x7fffffff;

/** What a chute table is built from: one entry per chute, in machine order. */
export interface ChuteSpec {
  /** Machine chute id, as named in sort plans (e.g. `C017`). */
  id: string;
  /** Loop position (0 ≤ position < carriers): the carrier index passing it at tick 0. */
  position: number;
  /** Parcels the chute holds before it is full, not counting the one an operator holds; UNLIMITED for none. */
  capacity: number;
  /** True for exception (reject) chutes. */
  exception?: boolean;
}

/**
 * Chutes of one sorter in struct-of-arrays form (DESIGN.md "machine model"). Indexed by chute
 * index 0..count-1; ids map to indices only at the API edge. Shared by the sorter tick, the chute
 * assigner, the simulator's operator model and the controller's live chute view.
 */
export class ChuteTable {
  readonly count: number;
  /** Chute ids by index. */
  readonly ids: readonly string[];
  /** Loop position of each chute (carrier slot index at tick 0). */
  readonly position: Int32Array;
  /** Capacity in parcels (UNLIMITED for none). */
  readonly capacity: Int32Array;
  /** 1 for exception chutes. */
  readonly exception: Uint8Array;
  /** Live state, a {@link ChuteState} code. */
  readonly state: Uint8Array;
  /** Parcels in the chute now (not counting the one an operator holds). */
  readonly fill: Int32Array;
  private readonly index: Map<string, number>;

  constructor(specs: readonly ChuteSpec[]) {
    const n = specs.length;
    this.count = n;
    this.ids = specs.map((s) => s.id);
    this.position = new Int32Array(n);
    this.capacity = new Int32Array(n);
    this.exception = new Uint8Array(n);
    this.state = new Uint8Array(n).fill(ChuteState.OPEN);
    this.fill = new Int32Array(n);
    this.index = new Map();
    for (let i = 0; i < n; i++) {
      const s = specs[i]!;
      this.position[i] = s.position;
      this.capacity[i] = s.capacity;
      this.exception[i] = s.exception ? 1 : 0;
      this.index.set(s.id, i);
    }
  }

  /** Chute index of `id`, or -1 when the machine has no such chute. */
  indexOf(id: string): number {
    return this.index.get(id) ?? -1;
  }

  /** True when the chute can take one more parcel now: open and below capacity. */
  accepts(chute: number): boolean {
    return this.state[chute] === ChuteState.OPEN && this.fill[chute]! < this.capacity[chute]!;
  }
}
