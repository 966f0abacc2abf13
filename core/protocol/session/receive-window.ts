/**
 * The receive side of a session: which of the peer's sequence numbers arrived, which were
 * acknowledged, and what a link sync may claim (docs/transports.md "Sessions").
 *
 * Sequence numbers wrap (1..maxSeq), so the window works on positions: an unwrapped count that
 * grows by one per sequence number. `highPos` is the highest position received; a bitmap of
 * `size` slots (a power of two) holds the state of positions (highPos - size, highPos]:
 * not received, acknowledged, or delivered with its ACK deferred. `contigPos` is the highest
 * position such that it and everything before it (since the window started) is acknowledged:
 * that is `lastReceivedSeq` of our link sync.
 *
 * A frame more than `size` positions ahead of `contigPos` is refused (busy); a frame `size` or more
 * behind the highest is taken as the peer's numbering having restarted.
 */
import { seqAfter, seqDistance } from '../sequence.js';

/** What {@link ReceiveWindow.accept} decided. */
export const Verdict = {
  /** New: deliver it (its position is in `lastPos`). */
  NEW: 0,
  /** New, after the window restarted because the numbering jumped back: deliver it and report. */
  RESET: 1,
  /** Already received and acknowledged: ACK it again, do not deliver. */
  DUPLICATE: 2,
  /** Already received, its deferred ACK still pending: do not deliver, answer busy. */
  PENDING: 3,
  /** Too far ahead of the oldest unacknowledged frame: refuse (NAK busy). */
  BUSY: 4,
} as const;
export type VerdictCode = (typeof Verdict)[keyof typeof Verdict];

const NONE = 0;
const ACKED = 1;
const PENDING = 2;

/** Receive window of one session. */
export class ReceiveWindow {
  /** Slots in the bitmap (a power of two). */
  readonly size: number;
  /** Incremented whenever the window restarts; deferred ACKs from an older epoch are ignored. */
  epoch = 0;
  /** Position of the frame of the last NEW or RESET verdict. */
  lastPos = 0;
  private readonly mask: number;
  private readonly maxSeq: number;
  private readonly state: Uint8Array;
  private fresh = true;
  private high = 0;
  private highPos = 0;
  private contigPos = 0;
  /** Position of the first frame of this epoch: a link sync claims nothing before it is acknowledged. */
  private firstPos = 0;

  constructor(size: number, maxSeq: number) {
    this.size = size;
    this.mask = size - 1;
    this.maxSeq = maxSeq;
    this.state = new Uint8Array(size);
  }

  /**
   * Records a received business frame numbered `seq` (1..maxSeq) asking for an ACK, marked
   * pending when `deferred`, else acknowledged.
   */
  accept(seq: number, deferred: boolean): VerdictCode {
    if (this.fresh) {
      this.start(seq);
      this.mark(this.highPos, deferred);
      return Verdict.NEW;
    }
    let pos: number;
    if (seqAfter(seq, this.high, this.maxSeq)) {
      pos = this.highPos + seqDistance(seq, this.high, this.maxSeq);
      if (pos - this.contigPos > this.size) return Verdict.BUSY;
      for (let p = this.highPos + 1; p <= pos; p++) this.state[p & this.mask] = NONE;
      this.high = seq;
      this.highPos = pos;
    } else {
      const back = seqDistance(this.high, seq, this.maxSeq);
      if (back >= this.size) {
        this.epoch++;
        this.start(seq);
        this.mark(this.highPos, deferred);
        return Verdict.RESET;
      }
      pos = this.highPos - back;
      const s = this.state[pos & this.mask];
      if (s === ACKED) return Verdict.DUPLICATE;
      if (s === PENDING) return Verdict.PENDING;
    }
    this.mark(pos, deferred);
    return Verdict.NEW;
  }

  /** Acknowledges the pending frame at `pos` of `epoch`; false when stale or not pending. */
  ack(pos: number, epoch: number): boolean {
    if (
      epoch !== this.epoch ||
      pos <= this.highPos - this.size ||
      this.state[pos & this.mask] !== PENDING
    )
      return false;
    this.state[pos & this.mask] = ACKED;
    this.advance();
    return true;
  }

  /** Forgets the pending frame at `pos` of `epoch` (its handler failed), so a resend is delivered again. */
  forget(pos: number, epoch: number): void {
    if (
      epoch === this.epoch &&
      pos > this.highPos - this.size &&
      this.state[pos & this.mask] === PENDING
    )
      this.state[pos & this.mask] = NONE;
  }

  /**
   * `lastReceivedSeq` for a link sync: the sequence number at `contigPos`, or 0 ("resend
   * everything") while nothing of this epoch has been acknowledged in order.
   */
  lastReceivedSeq(): number {
    if (this.fresh || this.contigPos < this.firstPos) return 0;
    return this.seqAtPos(this.contigPos);
  }

  /**
   * The peer announced (link sync) that its next new frame is `nextSendSeq`. When that cannot
   * follow what we received — it is not after our highest, or more than the window ahead of what
   * we acknowledged — the peer's numbering restarted: the window starts afresh. True when it did.
   */
  peerSync(nextSendSeq: number): boolean {
    if (this.fresh || nextSendSeq < 1 || nextSendSeq > this.maxSeq) return false;
    const contig = this.seqAtPos(this.contigPos);
    if (
      seqAfter(nextSendSeq, this.high, this.maxSeq) &&
      seqDistance(nextSendSeq, contig, this.maxSeq) <= this.size + 1
    )
      return false;
    this.fresh = true;
    this.epoch++;
    return true;
  }

  /** Starts the window at `seq` (an empty bitmap; everything before it unknown). */
  private start(seq: number): void {
    this.fresh = false;
    this.state.fill(NONE);
    this.high = seq;
    this.highPos = this.size;
    this.firstPos = this.size;
    this.contigPos = this.size - 1;
  }

  private mark(pos: number, deferred: boolean): void {
    this.lastPos = pos;
    this.state[pos & this.mask] = deferred ? PENDING : ACKED;
    if (!deferred) this.advance();
  }

  private advance(): void {
    while (this.contigPos < this.highPos && this.state[(this.contigPos + 1) & this.mask] === ACKED)
      this.contigPos++;
  }

  private seqAtPos(pos: number): number {
    const back = this.highPos - pos;
    const s = this.high - back;
    return s >= 1 ? s : s + this.maxSeq;
  }
}
