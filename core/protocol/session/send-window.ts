/**
 * The send side of a session: a ring of encoded frames not yet acknowledged, numbered with
 * consecutive sequence numbers from `headSeq` (core/protocol/sequence.ts; numbers wrap from the
 * codec's maxSeq to 1). Entry k (0 = oldest) has sequence number headSeq + k.
 *
 * ```
 *  k:  0 ........ txCount ........ txEver ........ count ........ capacity
 *      written on this link | written on an earlier link | never written | free
 * ```
 * Entries acknowledged out of order stay (marked) until everything before them is acknowledged.
 * Parallel typed arrays, no object per frame: the frame bytes are kept as encoded, so a resend is
 * the same bytes.
 */
import { nextSeq, seqDistance } from '../sequence.js';

/** Ring of unacknowledged frames. */
export class SendWindow {
  readonly capacity: number;
  /** Sequence number of entry 0 (the oldest unacknowledged frame, or the next to be sent when empty). */
  headSeq: number;
  /** Entries held. */
  count = 0;
  /** Entries [0, txCount) have been written on the current link. */
  txCount = 0;
  /** Entries [0, txEver) have been written at least once (on this or an earlier link). */
  txEver = 0;
  /** Entries acknowledged but still held behind an unacknowledged one. */
  ackedCount = 0;
  /** When each entry was last written (clock ms), by slot. */
  readonly sentAt: Float64Array;
  /** How many times each entry was written on the current link, by slot. */
  readonly sends: Uint8Array;
  private readonly frames: (Uint8Array | null)[];
  private readonly acked: Uint8Array;
  private head = 0;
  private readonly maxSeq: number;

  constructor(capacity: number, maxSeq: number, firstSeq: number) {
    this.capacity = capacity;
    this.maxSeq = maxSeq;
    this.headSeq = firstSeq;
    this.frames = new Array<Uint8Array | null>(capacity).fill(null);
    this.sentAt = new Float64Array(capacity);
    this.sends = new Uint8Array(capacity);
    this.acked = new Uint8Array(capacity);
  }

  /** True when no entry can be added. */
  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Sequence number the next {@link push} gets. */
  get nextSeq(): number {
    return this.seqAt(this.count);
  }

  /** Sequence number of the first entry never written: what a link sync announces as `nextSendSeq`. */
  get firstUnsentSeq(): number {
    return this.seqAt(this.txEver);
  }

  /** Sequence number of entry k. */
  seqAt(k: number): number {
    const s = this.headSeq + k;
    return s > this.maxSeq ? s - this.maxSeq : s;
  }

  /** Ring slot of entry k (index into {@link sentAt} and {@link sends}). */
  slot(k: number): number {
    const i = this.head + k;
    return i >= this.capacity ? i - this.capacity : i;
  }

  /** Adds the frame numbered {@link nextSeq}. The caller checks {@link full} first. */
  push(frame: Uint8Array): void {
    const i = this.slot(this.count);
    this.frames[i] = frame;
    this.acked[i] = 0;
    this.sends[i] = 0;
    this.count++;
  }

  /** Bytes of entry k. */
  frame(k: number): Uint8Array {
    return this.frames[this.slot(k)]!;
  }

  isAcked(k: number): boolean {
    return this.acked[this.slot(k)] === 1;
  }

  /** Entry index of a written frame numbered `seq`, or -1. */
  indexOfWritten(seq: number): number {
    if (this.txEver === 0 || seq < 1 || seq > this.maxSeq) return -1;
    const k = seqDistance(seq, this.headSeq, this.maxSeq);
    return k < this.txEver ? k : -1;
  }

  /** Marks entry k acknowledged; false when it already was. Then releases the acknowledged prefix. */
  ack(k: number): boolean {
    const i = this.slot(k);
    if (this.acked[i] === 1) return false;
    this.acked[i] = 1;
    this.ackedCount++;
    while (this.count > 0 && this.acked[this.head] === 1) {
      this.frames[this.head] = null;
      this.acked[this.head] = 0;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.headSeq = nextSeq(this.headSeq, this.maxSeq);
      this.count--;
      this.ackedCount--;
      if (this.txCount > 0) this.txCount--;
      if (this.txEver > 0) this.txEver--;
    }
    return true;
  }

  /** Written and not acknowledged: the in-flight gauge. */
  get inFlight(): number {
    return this.txEver - this.ackedCount;
  }

  /** Never written: the queued gauge. */
  get queued(): number {
    return this.count - this.txEver;
  }
}
