/**
 * Admission control of sort requests (docs/operations.md "Overload"): past its capacity the
 * controller answers the requests it cannot serve in time with a coded busy reply at once
 * (`ReplyStatus.BUSY`), cheaply and without routing or journaling them, instead of answering
 * every request late.
 *
 * A request's queueing delay is measured from the PLC's own stamp: the header timestamp is set
 * when the PLC queued the frame, so `now − stamp` is the one-way delay (clock offset + transit +
 * every queue on the way: the PLC's send queue, the network, the socket, the event loop). The
 * clock offset and transit are its minimum over a sliding window (`baseWindowMs`, kept as two
 * half-window minima, as LEDBAT does for its base delay, RFC 6817 §3.4.2); what is above it is
 * queueing. A request queued longer than `maxQueueDelayMs` is shed: served now it would still be
 * late, and serving it would make the requests behind it late too. Oldest first: the stale
 * requests at the head of the stream are shed, the fresh ones behind them served.
 *
 * Requests stamped 0 (a PLC without a clock) cannot be measured and are always admitted. A
 * second bound: while the journal holds more than `maxJournalBacklog` operations not yet
 * committed, new requests are shed too (memory stays bounded when the disk is slow).
 */

/** Settings of {@link Admission}. */
export interface AdmissionOptions {
  /** Queueing delay above which a request is shed, ms (default 50; 0 = never shed on delay). */
  maxQueueDelayMs: number;
  /** Window of the base-delay minimum, ms (default 10,000). */
  baseWindowMs: number;
  /** Journal operations not yet committed above which requests are shed (default 200,000). */
  maxJournalBacklog: number;
}

/** Defaults of {@link AdmissionOptions}. */
export const ADMISSION_DEFAULTS: Readonly<AdmissionOptions> = {
  maxQueueDelayMs: 50,
  baseWindowMs: 10_000,
  maxJournalBacklog: 200_000,
};

/** Why {@link Admission.check} shed a request. */
export const Shed = { NONE: 0, DELAY: 1, JOURNAL: 2 } as const;
export type ShedCode = (typeof Shed)[keyof typeof Shed];

/** The admission state of one service: the windowed base delay. Allocation-free. */
export class Admission {
  readonly options: Readonly<AdmissionOptions>;
  /** The queueing delay of the last request measured, ms (-1: not measurable). */
  lastDelayMs = -1;
  private curMin = Infinity;
  private prevMin = Infinity;
  private bucketStart = -Infinity;

  constructor(options: Partial<AdmissionOptions> = {}) {
    this.options = { ...ADMISSION_DEFAULTS, ...options };
  }

  /**
   * Whether to shed a request the PLC stamped `stampMs` (ms since the epoch, 0 = no clock),
   * received at wall-clock `nowMs`, while the journal holds `backlog` uncommitted operations.
   */
  check(nowMs: number, stampMs: number, backlog: number): ShedCode {
    const o = this.options;
    if (backlog > o.maxJournalBacklog) return Shed.JOURNAL;
    if (stampMs <= 0) {
      this.lastDelayMs = -1;
      return Shed.NONE;
    }
    const oneWay = nowMs - stampMs;
    const half = o.baseWindowMs / 2;
    if (nowMs - this.bucketStart >= half) {
      this.prevMin = this.curMin;
      this.curMin = Infinity;
      this.bucketStart = nowMs;
    }
    if (oneWay < this.curMin) this.curMin = oneWay;
    const base = this.curMin < this.prevMin ? this.curMin : this.prevMin;
    const delay = oneWay - base;
    this.lastDelayMs = delay;
    return o.maxQueueDelayMs > 0 && delay > o.maxQueueDelayMs ? Shed.DELAY : Shed.NONE;
  }
}
