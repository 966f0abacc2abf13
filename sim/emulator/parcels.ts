import { ParcelTable } from '../../core/sorter/index.js';
import type { Read } from '../../core/protocol/index.js';
import { grow } from '../../core/typed-arrays.js';

/** Most chutes of one destination reply the PLC keeps (the rest are dropped). */
export const MAX_REPLY_CHUTES = 8;

/**
 * The emulated PLC's parcel table: the hub's {@link ParcelTable} (arrival, induct, truth, chute,
 * carrier, wheel links …) with the fields of a parcel's task beside them, at the same id and grown
 * with them. Set at the scan (`task`, `serial`, turns, `pendingOutcome`, `reads`, `weightG`) and by
 * the replies; nothing here is reset by `alloc`, so the PLC sets each field before it reads it.
 */
export class PlcParcelTable extends ParcelTable {
  /** Task id on the wire. */
  task: Uint32Array;
  /** Serial number of the parcel (1, 2, 3 … in scan order). */
  serial: Uint32Array;
  /** Current turn (1 at the first request, one more per re-request). */
  turn: Uint8Array;
  /** Turn whose reply was applied (0 = none). */
  replyTurn: Uint8Array;
  /** Turn whose first reply was heard, in time or not (0 = none): round trips count once per turn. */
  heardTurn: Uint8Array;
  /** Simulated time (s) of the current turn's decision point; -1 once decided. */
  decisionAt: Float64Array;
  /** Wall clock (ms) when the current turn's request was sent. */
  sentAtMs: Float64Array;
  /** Chutes in the applied reply (at most {@link MAX_REPLY_CHUTES}). */
  replyCount: Uint8Array;
  /** Which of the reply's chutes the parcel is bound for now. */
  replyIndex: Uint8Array;
  /** The reply's chutes (chute indices): parcel p's at p·MAX_REPLY_CHUTES … */
  replyChutes: Int32Array;
  /** The reply's exception chute (chute index). */
  replyException: Int32Array;
  /** Outcome the parcel's discharge will report (discharged, late reply, loop limit). */
  pendingOutcome: Uint8Array;
  /** Weight in grams the scan tunnel measured (sent in every request of the task). */
  weightG: Float64Array;
  /** Reads of the parcel's first request, repeated in its re-requests; undefined once it left. */
  reads: (Read[] | undefined)[] = [];

  constructor(initialCapacity = 1024) {
    super(initialCapacity);
    const n = this.capacity;
    this.task = new Uint32Array(n);
    this.serial = new Uint32Array(n);
    this.turn = new Uint8Array(n);
    this.replyTurn = new Uint8Array(n);
    this.heardTurn = new Uint8Array(n);
    this.decisionAt = new Float64Array(n);
    this.sentAtMs = new Float64Array(n);
    this.replyCount = new Uint8Array(n);
    this.replyIndex = new Uint8Array(n);
    this.replyChutes = new Int32Array(n * MAX_REPLY_CHUTES);
    this.replyException = new Int32Array(n);
    this.pendingOutcome = new Uint8Array(n);
    this.weightG = new Float64Array(n);
  }

  protected override grow(): void {
    super.grow();
    const n = this.capacity;
    this.task = grow(this.task, n);
    this.serial = grow(this.serial, n);
    this.turn = grow(this.turn, n);
    this.replyTurn = grow(this.replyTurn, n);
    this.heardTurn = grow(this.heardTurn, n);
    this.decisionAt = grow(this.decisionAt, n);
    this.sentAtMs = grow(this.sentAtMs, n);
    this.replyCount = grow(this.replyCount, n);
    this.replyIndex = grow(this.replyIndex, n);
    this.replyChutes = grow(this.replyChutes, n * MAX_REPLY_CHUTES);
    this.replyException = grow(this.replyException, n);
    this.pendingOutcome = grow(this.pendingOutcome, n);
    this.weightG = grow(this.weightG, n);
  }
}
