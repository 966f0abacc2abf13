/**
 * The receive side of a session: which of the peer's sequence numbers arrived, which were
 * acknowledged, and what a link sync may claim (docs/protocol.md "Receiving and duplicates",
 * "Holes").
 *
 * Sequence numbers wrap (1..maxSeq), so the window works on positions: an unwrapped count that
 * grows by one per sequence number. `highPos` is the highest position received; a bitmap of
 * `size` slots (a power of two) holds the state of positions (highPos - size, highPos]:
 * not received, acknowledged, settled (refused with a NAK that forbids a resend, or given up as
 * a hole), or delivered with its ACK deferred. Beside each state the window keeps the frame's
 * fingerprint (a 32-bit hash of its header timestamp and key fields), so a frame that reuses a
 * delivered sequence number with other content (the peer restarted its numbering without a link
 * sync) is told from a resend, which is byte for byte the same. A frame at a settled number is
 * new: nothing was delivered there.
 *
 * `contigPos` is the highest position such that it and everything before it (since the window
 * started) is acknowledged or settled: that is `lastReceivedSeq` of our link sync.
 *
 * Holes never jam the window. A compliant peer has at most `size` sequence numbers unacknowledged
 * (its window is at most our `duplicateWindow`), so when a frame arrives more than `size`
 * positions ahead of `contigPos`, every hole `size` or more behind it is a frame the peer no
 * longer holds (refused, lost in its restart): those holes are settled as skipped and counted.
 * Only a frame whose ACK is still deferred (received, not yet committed) can hold the window:
 * then the frame ahead is refused busy.
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
  /** Beyond the window while a deferred ACK holds it: refuse (NAK busy). */
  BUSY: 4,
  /**
   * The sequence number was received before with other content: the peer restarted its
   * numbering without a link sync. Do not deliver; tell the peer to sync (NAK resync).
   */
  REUSED: 5,
} as const;
export type VerdictCode = (typeof Verdict)[keyof typeof Verdict];

const NONE = 0;
const ACKED = 1;
const PENDING = 2;
/** Refused with a NAK that forbids a resend, or given up as a hole: counts as done. */
const SETTLED = 3;

/** Receive window of one session. */
export class ReceiveWindow {
  /** Slots in the bitmap (a power of two). */
  readonly size: number;
  /** Incremented whenever the window restarts; deferred ACKs from an older epoch are ignored. */
  epoch = 0;
  /** Position of the frame of the last NEW or RESET verdict. */
  lastPos = 0;
  /** Holes given up by the last {@link accept} (settled because the peer no longer holds them). */
  lastSkipped = 0;
  /** Holes given up since the window was made. */
  skippedTotal = 0;
  private readonly mask: number;
  private readonly maxSeq: number;
  private readonly state: Uint8Array;
  private readonly print: Uint32Array;
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
    this.print = new Uint32Array(size);
  }

  /**
   * Records a received business frame numbered `seq` (1..maxSeq) asking for an ACK, with
   * fingerprint `print` (see {@link frameFingerprint}), marked pending when `deferred`, else
   * acknowledged.
   */
  accept(seq: number, deferred: boolean, print: number): VerdictCode {
    this.lastSkipped = 0;
    if (this.fresh) {
      this.start(seq);
      this.mark(this.highPos, deferred, print);
      return Verdict.NEW;
    }
    const pos = this.place(seq);
    if (pos < 0) {
      this.epoch++;
      this.start(seq);
      this.mark(this.highPos, deferred, print);
      return Verdict.RESET;
    }
    if (pos <= this.highPos) {
      const i = pos & this.mask;
      const s = this.state[i];
      if (s === ACKED || s === PENDING) {
        if (this.print[i] !== print >>> 0) return Verdict.REUSED;
        return s === PENDING ? Verdict.PENDING : Verdict.DUPLICATE;
      }
      // NONE, or SETTLED (refused or given up: nothing was delivered at this number): new
    } else if (!this.advanceTo(pos)) return Verdict.BUSY;
    this.mark(pos, deferred, print);
    return Verdict.NEW;
  }

  /**
   * Records that the frame numbered `seq` was refused with a NAK that forbids a resend (malformed,
   * unsupported, too large, clock): the peer drops it, so its position counts as done and never
   * becomes a hole. Positions too far ahead to place are ignored.
   */
  settle(seq: number): void {
    if (seq < 1 || seq > this.maxSeq) return;
    if (this.fresh) {
      this.start(seq);
      this.markSettled(this.highPos);
      return;
    }
    const pos = this.place(seq);
    if (pos < 0) return;
    if (pos > this.highPos && !this.advanceTo(pos)) return;
    const s = this.state[pos & this.mask];
    if (s === NONE) this.markSettled(pos);
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

  /**
   * Refuses the pending frame at `pos` of `epoch` for good (its owner answered it with a NAK that
   * forbids a resend); false when stale or not pending.
   */
  refuse(pos: number, epoch: number): boolean {
    if (
      epoch !== this.epoch ||
      pos <= this.highPos - this.size ||
      this.state[pos & this.mask] !== PENDING
    )
      return false;
    this.state[pos & this.mask] = SETTLED;
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
    this.restart();
    return true;
  }

  /** Forgets everything (a link reset): the next frame received starts the peer's numbering. */
  restart(): void {
    this.fresh = true;
    this.epoch++;
  }

  /**
   * Position of `seq`: after the highest received (ahead), or at most `size - 1` behind it;
   * -1 when it is `size` or more behind (the peer's numbering restarted).
   */
  private place(seq: number): number {
    if (seqAfter(seq, this.high, this.maxSeq))
      return this.highPos + seqDistance(seq, this.high, this.maxSeq);
    const back = seqDistance(this.high, seq, this.maxSeq);
    return back >= this.size ? -1 : this.highPos - back;
  }

  /**
   * Moves the highest received to `pos` (> highPos), clearing the new slots. When `pos` is more
   * than `size` ahead of `contigPos`, first settles the holes `size` or more behind `pos` (the
   * peer no longer holds them) — unless a deferred ACK is among them: then false (busy).
   */
  private advanceTo(pos: number): boolean {
    const floor = pos - this.size;
    if (this.contigPos < floor) {
      // a deferred ACK cannot be given up: refuse the frame ahead instead
      for (let p = this.contigPos + 1; p <= floor && p <= this.highPos; p++) {
        if (this.state[p & this.mask] === PENDING) return false;
      }
      let skipped = 0;
      for (let p = this.contigPos + 1; p <= floor; p++) {
        if (p > this.highPos || this.state[p & this.mask] === NONE) skipped++;
        if (p <= this.highPos) this.state[p & this.mask] = SETTLED;
      }
      this.contigPos = floor;
      this.lastSkipped = skipped;
      this.skippedTotal += skipped;
    }
    const from = Math.max(this.highPos + 1, pos - this.size + 1);
    for (let p = from; p <= pos; p++) this.state[p & this.mask] = NONE;
    this.high = this.seqAtPos(pos);
    this.highPos = pos;
    this.advance();
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

  private mark(pos: number, deferred: boolean, print: number): void {
    this.lastPos = pos;
    const i = pos & this.mask;
    this.state[i] = deferred ? PENDING : ACKED;
    this.print[i] = print;
    if (!deferred) this.advance();
  }

  private markSettled(pos: number): void {
    this.state[pos & this.mask] = SETTLED;
    this.advance();
  }

  private advance(): void {
    const st = this.state;
    const mask = this.mask;
    while (this.contigPos < this.highPos) {
      const s = st[(this.contigPos + 1) & mask];
      if (s !== ACKED && s !== SETTLED) break;
      this.contigPos++;
    }
  }

  /** Sequence number at position `pos` (before or after the highest received). */
  private seqAtPos(pos: number): number {
    const s = this.high - (this.highPos - pos);
    return s < 1 ? s + this.maxSeq : s > this.maxSeq ? s - this.maxSeq : s;
  }
}
