/**
 * Session: one logical conversation with a gateway over a {@link Link} and a {@link Codec}
 * (docs/transports.md "Sessions"; DESIGN.md "The gateway protocol").
 *
 * - Business messages are numbered 1..maxSeq (wrapping) and sent ACK-required; control frames
 *   (ACK, NAK, heartbeat, link sync) carry sequence number 0 and are never acknowledged.
 * - A received business frame is ACKed on receipt, before the handler runs — except types in
 *   `deferAck`, ACKed when the handler calls `ack()`. A frame already delivered is ACKed again (or
 *   answered busy while its deferred ACK is pending) and not delivered again.
 * - An unacknowledged frame is written again, unchanged, `resendAfterMs` after it was last written,
 *   at most `maxResends` times; then the link is declared dead and closed.
 * - A heartbeat leaves after `heartbeatMs` without sending; `idleTimeoutMs` without receiving a
 *   valid frame closes the link (this catches half-open sockets).
 * - `attach` sends a link sync and waits (at most `resendAfterMs`) for the peer's; frames the
 *   peer's link sync says it has are released, every other unacknowledged frame is written again,
 *   then the queue flows. Frames survive a detach: the same session re-attached on a new link
 *   resends them. A peer's link sync that arrives while none is awaited (the peer re-attached
 *   unseen, as on a serial line) is answered with ours, unless it answers ours.
 * - At most `maxInFlight` sequence numbers are on the wire; behind them `maxQueued` wait. `send()`
 *   refuses (false) when both are full and `onDrain` listeners run once half the room is free.
 * - A NAK `checksum` resends at once, `busy` resends after the timeout (not counted against
 *   `maxResends`), any other reason drops the frame and reports `SORTLINE_ERR_SESSION_REJECTED`.
 *
 * Timing runs on one timer per session, armed for the earliest deadline (oldest resend, heartbeat,
 * idle, sync); frames in flight cost no timers or closures. Decode → ACK → handler allocates only
 * what the codec does (control frames reuse one message and header object), plus one `ack`
 * closure per deferred-ACK message.
 */
import { type ErrorCode, SortlineError } from '../../errors.js';
import type { Codec } from '../codec.js';
import { NAK_REASON_NAMES, NakReason, type NakReasonCode } from '../codes.js';
import {
  nakReasonFor,
  type DecodedFrame,
  type DecodeFault,
  type StreamDecoder,
} from '../faults.js';
import type { Ack, FrameHeader, Heartbeat, LinkSync, Message, Nak } from '../messages.js';
import type { SessionLogger } from './logger.js';
import type { Link, LinkFault } from './link.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { BusinessMessage, BusinessType, SessionFault, SessionHandler } from './handler.js';
import { resolveSessionOptions, type SessionOptions } from './options.js';
import { ReceiveWindow, Verdict } from './receive-window.js';
import { SendWindow } from './send-window.js';
import { createSessionStats, type SessionStats } from './stats.js';

/** Makes the handler of a session that is being built (so the handler can call `session.send`). */
export type HandlerFactory = (session: Session) => SessionHandler;

/** Options of one `send`. */
export interface SendOptions {
  /**
   * false: send once now, numbered 0 and not acknowledged (no resend, no duplicate suppression);
   * refused when no link is up. Default true.
   */
  ackRequired?: boolean;
}

const NOOP = (): void => {};
const NOT_DEFERRED: Readonly<Record<BusinessType, boolean>> = {
  sortRequest: false,
  destinationReply: false,
  sortConfirmation: false,
  chuteState: false,
};
/** At most one fault is logged at `warn` per this many ms; the rest go to `debug`. */
const FAULT_LOG_INTERVAL_MS = 1_000;

/** One conversation with a gateway; see the file comment for the rules. */
export class Session {
  readonly codec: Codec;
  readonly options: Readonly<SessionOptions>;
  readonly stats: SessionStats = createSessionStats();
  private readonly handler: SessionHandler;
  private readonly clock: Clock;
  private readonly log: SessionLogger;
  private readonly out: SendWindow;
  private readonly rx: ReceiveWindow;
  private readonly deferred: Readonly<Record<BusinessType, boolean>>;
  private readonly maxInFlight: number;
  private link: Link | null = null;
  private decoder: StreamDecoder | null = null;
  /** Discarded bytes of decoders of earlier links. */
  private discardedBefore = 0;
  private syncing = false;
  private syncDeadline = 0;
  /** The last link sync received on this link was answered with ours (so its answer is not answered again). */
  private answeredSync = false;
  private linkBlocked = false;
  private lastTxAt = 0;
  private lastRxAt = 0;
  private timer: TimerHandle = null;
  private timerAt = Infinity;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closing: Promise<void> | null = null;
  private finishClosing: (() => void) | null = null;
  private closeTimer: TimerHandle = null;
  private drainWanted = false;
  private readonly drainCbs: (() => void)[] = [];
  private faultLogAt = -Infinity;
  private faultsUnlogged = 0;
  private readonly ctrlHeader: FrameHeader = { seq: 0, ackRequired: false, timestampMs: 0 };
  private readonly txHeader: FrameHeader = { seq: 0, ackRequired: true, timestampMs: 0 };
  private readonly ackMsg: Ack = { type: 'ack', ackSeq: 0 };
  private readonly nakMsg: Nak = { type: 'nak', nakSeq: 0, reason: NakReason.BUSY };
  private readonly heartbeatMsg: Heartbeat = { type: 'heartbeat' };
  private readonly syncMsg: LinkSync = { type: 'linkSync', lastReceivedSeq: 0, nextSendSeq: 1 };
  private readonly onTimer = (): void => this.tick();

  /**
   * @param codec the dialect on the wire.
   * @param handler receives messages and link events; or a factory called once with this session.
   * @param options see {@link SessionOptions}; defaults in SESSION_DEFAULTS.
   * @param clock time source (default {@link systemClock}).
   * @throws SortlineError `SORTLINE_ERR_SESSION_BAD_OPTION`.
   */
  constructor(
    codec: Codec,
    handler: SessionHandler | HandlerFactory,
    options?: Partial<SessionOptions>,
    clock: Clock = systemClock,
  ) {
    this.codec = codec;
    this.options = resolveSessionOptions(codec, options);
    this.clock = clock;
    this.log = this.options.logger;
    this.maxInFlight = this.options.maxInFlight;
    this.out = new SendWindow(
      this.options.maxInFlight + this.options.maxQueued,
      codec.maxSeq,
      this.options.initialSeq,
    );
    this.rx = new ReceiveWindow(this.options.duplicateWindow, codec.maxSeq);
    const d = { ...NOT_DEFERRED };
    for (const t of this.options.deferAck) d[t] = true;
    this.deferred = d;
    this.handler = typeof handler === 'function' ? handler(this) : handler;
  }

  /** True once `close()` finished. */
  get closed(): boolean {
    return this.state === 'closed';
  }

  /** True while a link is attached. */
  get connected(): boolean {
    return this.link !== null;
  }

  /** True while a link is attached and synchronised: `send` writes at once. */
  get linkUp(): boolean {
    return this.link !== null && !this.syncing;
  }

  /** The attached link, or null. */
  get currentLink(): Link | null {
    return this.link;
  }

  /**
   * Attaches `link` (a new connection to the same gateway): detaches and destroys the link attached
   * before, sends a link sync, and resends what the peer has not acknowledged once the peer's link
   * sync arrived (or `resendAfterMs` passed without one).
   * @throws SortlineError `SORTLINE_ERR_SESSION_CLOSED` after `close()`.
   */
  attach(link: Link): void {
    if (this.state === 'closed')
      throw new SortlineError(
        'SORTLINE_ERR_SESSION_CLOSED',
        `cannot attach ${link.remote}: the session is closed`,
      );
    const old = this.link;
    if (old !== null) {
      this.down('replaced by a new connection from ' + link.remote);
      old.destroy('replaced by a new connection');
      if (this.closed) {
        link.destroy('session closed');
        return;
      }
    }
    const now = this.clock.now();
    this.link = link;
    this.decoder = this.codec.createDecoder(
      this.options.maxFrameBytes === undefined
        ? undefined
        : { maxFrameBytes: this.options.maxFrameBytes },
    );
    this.out.txCount = 0;
    this.syncing = true;
    this.answeredSync = false;
    this.syncDeadline = now + this.options.resendAfterMs;
    this.linkBlocked = false;
    this.lastRxAt = now;
    this.stats.linkUps++;
    link.onData((chunk) => {
      if (this.link === link) this.receive(chunk);
    });
    link.onDrain(() => {
      if (this.link === link) {
        this.linkBlocked = false;
        this.pump();
      }
    });
    link.onFault((f) => {
      if (this.link === link) this.linkFault(f);
    });
    link.onClose((reason) => {
      if (this.link === link) this.down(reason);
    });
    if (this.link !== link) return;
    this.log.info(
      { remote: link.remote, queued: this.out.queued, inFlight: this.out.inFlight },
      'gateway link attached',
    );
    this.writeSync(link);
    this.arm(
      Math.min(
        this.syncDeadline,
        this.lastTxAt + this.options.heartbeatMs,
        this.lastRxAt + this.options.idleTimeoutMs,
      ),
    );
  }

  /** Detaches the link (closing it) and keeps everything unacknowledged for the next `attach`. */
  detach(reason = 'detached'): void {
    const link = this.link;
    if (link === null) return;
    this.down(reason);
    link.close(reason);
  }

  /**
   * Queues `message` for the peer, numbered and ACK-required (or, with `ackRequired: false`,
   * writes it once now). Returns false — and takes nothing — when `maxInFlight + maxQueued`
   * messages are unacknowledged; `onDrain` listeners run when there is room again.
   * @throws SortlineError `SORTLINE_ERR_SESSION_CLOSED` after `close()` finished;
   *   `SORTLINE_ERR_PROTOCOL_ENCODE_INVALID` when the message is outside the dialect's limits.
   */
  send(message: BusinessMessage, opts?: SendOptions): boolean {
    if (this.state === 'closed')
      throw new SortlineError(
        'SORTLINE_ERR_SESSION_CLOSED',
        `cannot send ${message.type}: the session is closed`,
      );
    if (opts?.ackRequired === false) return this.sendUnnumbered(message);
    const out = this.out;
    if (out.full) {
      this.drainWanted = true;
      this.stats.refused++;
      return false;
    }
    const h = this.txHeader;
    h.seq = out.nextSeq;
    h.timestampMs = this.clock.now();
    out.push(this.codec.encode(message, h));
    this.stats.sent++;
    this.pump();
    this.stats.queued = out.queued;
    return true;
  }

  /** Adds a listener run when `send` has room again after it returned false. */
  onDrain(cb: () => void): void {
    this.drainCbs.push(cb);
  }

  /**
   * Waits until every queued message is acknowledged (at most `closeTimeoutMs`; at once when no
   * link is attached), then closes the link and stops. Messages still unacknowledged then are
   * lost to this session (logged). Idempotent.
   */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    this.state = 'closing';
    this.closing = new Promise<void>((resolve) => {
      this.finishClosing = resolve;
    });
    this.closeTimer = this.clock.setTimeout(() => this.finishClose(), this.options.closeTimeoutMs);
    this.checkClosed();
    return this.closing;
  }

  // ---- receiving ------------------------------------------------------------------------------

  private receive(chunk: Uint8Array): void {
    const link = this.link!;
    const dec = this.decoder!;
    this.stats.bytesIn += chunk.length;
    dec.push(chunk);
    let valid = false;
    for (;;) {
      const r = dec.next();
      if (r === null) break;
      if (r.kind === 'frame') {
        valid = true;
        this.frame(link, r);
      } else this.decodeFault(link, r);
      if (this.link !== link) return;
    }
    this.stats.bytesDiscarded = this.discardedBefore + dec.stats.bytesDiscarded;
    if (valid) this.lastRxAt = this.clock.now();
  }

  private frame(link: Link, f: DecodedFrame): void {
    this.stats.framesIn++;
    const m = f.message;
    switch (m.type) {
      case 'ack':
        this.onAck(m.ackSeq);
        return;
      case 'nak':
        this.onNak(link, m.nakSeq, m.reason);
        return;
      case 'heartbeat':
        this.stats.heartbeatsIn++;
        return;
      case 'linkSync':
        this.onPeerSync(m);
        return;
      default:
        this.business(link, f, m);
    }
  }

  private business(link: Link, f: DecodedFrame, m: BusinessMessage): void {
    if (!f.ackRequired) {
      this.deliver(m, f, NOOP, -1, -1);
      return;
    }
    const seq = f.seq;
    if (seq === 0) {
      this.fault(
        'session',
        'SORTLINE_ERR_SESSION_BAD_SEQ',
        `${m.type} asks for an ACK but has sequence number 0; dropped`,
        0,
      );
      return;
    }
    const deferred = this.deferred[m.type];
    const rx = this.rx;
    let v = rx.accept(seq, deferred);
    if (v === Verdict.RESET) {
      this.stats.peerResets++;
      this.fault(
        'session',
        'SORTLINE_ERR_SESSION_PEER_RESET',
        `frame ${seq} is ${rx.size} or more behind the highest received: the peer's numbering restarted`,
        seq,
      );
      if (this.link !== link) return;
      v = Verdict.NEW;
    }
    switch (v) {
      case Verdict.NEW:
        if (!deferred) {
          this.writeAck(link, seq);
          this.deliver(m, f, NOOP, -1, -1);
        } else {
          const pos = rx.lastPos;
          const epoch = rx.epoch;
          this.deliver(m, f, () => this.ackDeferred(pos, epoch, seq), pos, epoch);
        }
        return;
      case Verdict.DUPLICATE:
        this.stats.duplicates++;
        this.writeAck(link, seq);
        return;
      case Verdict.PENDING:
        this.stats.duplicates++;
        this.writeNak(link, seq, NakReason.BUSY);
        return;
      case Verdict.BUSY:
        this.writeNak(link, seq, NakReason.BUSY);
        this.fault(
          'session',
          'SORTLINE_ERR_SESSION_WINDOW_FULL',
          `frame ${seq} is beyond the receive window of ${rx.size}; answered busy`,
          seq,
        );
        return;
    }
  }

  private deliver(
    m: BusinessMessage,
    header: FrameHeader,
    ack: () => void,
    pos: number,
    epoch: number,
  ): void {
    this.stats.delivered++;
    try {
      this.handler.onMessage(m, header, ack);
    } catch (e) {
      this.stats.handlerErrors++;
      if (pos >= 0) this.rx.forget(pos, epoch);
      this.log.error(
        { code: 'SORTLINE_ERR_SESSION_HANDLER', err: e, type: m.type, seq: header.seq },
        'session handler threw',
      );
    }
  }

  private ackDeferred(pos: number, epoch: number, seq: number): void {
    if (!this.rx.ack(pos, epoch)) return;
    const link = this.link;
    if (link !== null) this.writeAck(link, seq);
  }

  private onAck(seq: number): void {
    const out = this.out;
    const k = out.indexOfWritten(seq);
    if (k < 0 || !out.ack(k)) {
      this.stats.strays++;
      return;
    }
    this.stats.acksIn++;
    this.released();
  }

  private onNak(link: Link, seq: number, reason: NakReasonCode): void {
    this.stats.naksIn++;
    const out = this.out;
    const k = out.indexOfWritten(seq);
    if (k < 0 || out.isAcked(k)) {
      this.stats.strays++;
      return;
    }
    const i = out.slot(k);
    switch (reason) {
      case NakReason.CHECKSUM:
        if (k >= out.txCount) return; // written on an earlier link: the link sync decides.
        if (out.sends[i]! > this.options.maxResends) {
          this.dead(
            link,
            'SORTLINE_ERR_SESSION_NO_ACK',
            `frame ${seq} refused (checksum) after ${this.options.maxResends} resends`,
          );
          return;
        }
        this.rewrite(link, k, this.clock.now());
        return;
      case NakReason.BUSY:
        // Resend after the timeout, with the full resend budget: the peer is alive, only full.
        out.sentAt[i] = this.clock.now();
        out.sends[i] = 1;
        return;
      default:
        out.ack(k);
        this.stats.rejected++;
        this.fault(
          'session',
          'SORTLINE_ERR_SESSION_REJECTED',
          `the peer refused frame ${seq} (${NAK_REASON_NAMES[reason] ?? reason}); dropped, not resent`,
          seq,
        );
        this.released();
    }
  }

  private onPeerSync(m: LinkSync): void {
    this.stats.linkSyncsIn++;
    if (this.rx.peerSync(m.nextSendSeq)) {
      this.stats.peerResets++;
      this.fault(
        'session',
        'SORTLINE_ERR_SESSION_PEER_RESET',
        `the peer's link sync announces frame ${m.nextSendSeq} next, which cannot follow what was received: its numbering restarted`,
        m.nextSendSeq,
      );
    }
    // The peer has every frame up to lastReceivedSeq: release them from the head (0 = none).
    const out = this.out;
    while (out.indexOfWritten(m.lastReceivedSeq) >= 0) out.ack(0);
    // Write everything unacknowledged again, then the queue.
    out.txCount = 0;
    const wasSyncing = this.syncing;
    this.syncing = false;
    this.log.info(
      { lastReceivedSeq: m.lastReceivedSeq, nextSendSeq: m.nextSendSeq, resend: out.inFlight },
      'link sync from the peer',
    );
    // A link sync while we wait for none: the peer (re)attached without this side noticing (a
    // serial line has no connections). It waits for ours: answer, first — unless the last one
    // received was itself answered, so two answers never chase each other over a slow line.
    const link = this.link;
    if (!wasSyncing && !this.answeredSync && link !== null) {
      this.answeredSync = true;
      this.writeSync(link);
    } else this.answeredSync = false;
    this.released();
    if (wasSyncing) this.handler.onLinkUp?.();
  }

  private decodeFault(link: Link, f: DecodeFault): void {
    this.report(f);
    const reason = nakReasonFor(f);
    if (reason !== 0) this.writeNak(link, f.seq, reason);
  }

  private linkFault(f: LinkFault): void {
    this.fault('link', f.code, f.message, -1);
  }

  // ---- sending --------------------------------------------------------------------------------

  /** Writes queued frames while the window, the link and the sync allow. */
  private pump(): void {
    const link = this.link;
    if (link === null || this.syncing || this.linkBlocked) return;
    const out = this.out;
    const limit = out.count < this.maxInFlight ? out.count : this.maxInFlight;
    if (out.txCount >= limit) return;
    const now = this.clock.now();
    let wrote = false;
    while (out.txCount < limit) {
      const k = out.txCount;
      let ok = true;
      if (!out.isAcked(k)) {
        const bytes = out.frame(k);
        const i = out.slot(k);
        if (k < out.txEver) this.stats.resends++;
        ok = link.write(bytes);
        out.sentAt[i] = now;
        out.sends[i] = 1;
        this.stats.framesOut++;
        this.stats.bytesOut += bytes.length;
        wrote = true;
      }
      out.txCount++;
      if (out.txCount > out.txEver) out.txEver = out.txCount;
      if (!ok) {
        this.linkBlocked = true;
        break;
      }
    }
    if (wrote) {
      this.lastTxAt = now;
      this.arm(now + this.options.resendAfterMs);
    }
    this.stats.queued = out.queued;
    this.stats.inFlight = out.inFlight;
  }

  /** Writes entry k again, unchanged. */
  private rewrite(link: Link, k: number, now: number): void {
    const out = this.out;
    const i = out.slot(k);
    const bytes = out.frame(k);
    link.write(bytes);
    out.sentAt[i] = now;
    out.sends[i]!++;
    this.stats.resends++;
    this.stats.framesOut++;
    this.stats.bytesOut += bytes.length;
    this.lastTxAt = now;
    this.log.debug({ seq: out.seqAt(k), resend: out.sends[i]! - 1 }, 'frame resent');
  }

  private sendUnnumbered(message: BusinessMessage): boolean {
    const link = this.link;
    if (link === null || this.syncing) {
      this.stats.refused++;
      return false;
    }
    this.writeControl(link, message);
    this.stats.sent++;
    return true;
  }

  /** After frames were acknowledged or dropped: fill the window, report drain, finish a close. */
  private released(): void {
    this.pump();
    const out = this.out;
    this.stats.queued = out.queued;
    this.stats.inFlight = out.inFlight;
    if (this.drainWanted && out.count <= out.capacity >>> 1) {
      this.drainWanted = false;
      for (const cb of this.drainCbs) cb();
    }
    if (this.state === 'closing') this.checkClosed();
  }

  private writeAck(link: Link, seq: number): void {
    this.ackMsg.ackSeq = seq;
    this.writeControl(link, this.ackMsg);
    this.stats.acksOut++;
  }

  private writeNak(link: Link, seq: number, reason: NakReasonCode): void {
    this.nakMsg.nakSeq = seq;
    this.nakMsg.reason = reason;
    this.writeControl(link, this.nakMsg);
    this.stats.naksOut++;
  }

  /** Writes our link sync: what we received and acknowledged, and the number of our next new frame. */
  private writeSync(link: Link): void {
    this.syncMsg.lastReceivedSeq = this.rx.lastReceivedSeq();
    this.syncMsg.nextSendSeq = this.out.firstUnsentSeq;
    this.writeControl(link, this.syncMsg);
  }

  /** Writes a frame numbered 0, not ACK-required (control frames, unnumbered messages). */
  private writeControl(link: Link, m: Message): void {
    const now = this.clock.now();
    const h = this.ctrlHeader;
    h.timestampMs = now;
    const bytes = this.codec.encode(m, h);
    link.write(bytes);
    this.stats.framesOut++;
    this.stats.bytesOut += bytes.length;
    this.lastTxAt = now;
  }

  // ---- time -----------------------------------------------------------------------------------

  /** Arms the one timer for `at` unless it is already armed for earlier. */
  private arm(at: number): void {
    if (this.timer !== null) {
      if (this.timerAt <= at) return;
      this.clock.clearTimeout(this.timer);
    }
    this.timerAt = at;
    this.timer = this.clock.setTimeout(this.onTimer, Math.max(0, at - this.clock.now()));
  }

  private disarm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  /** The timer: idle check, sync timeout, resend scan, heartbeat; then re-arms for the earliest deadline. */
  private tick(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const link = this.link;
    if (link === null) return;
    const o = this.options;
    const now = this.clock.now();
    if (now - this.lastRxAt >= o.idleTimeoutMs) {
      this.dead(
        link,
        'SORTLINE_ERR_SESSION_IDLE_TIMEOUT',
        `nothing received for ${now - this.lastRxAt} ms`,
      );
      return;
    }
    if (this.syncing && now >= this.syncDeadline) {
      // Expected on a serial line (no connections: the far end may not be there yet, and learns of
      // us only from our link sync); elsewhere the peer does not speak the protocol as it should.
      const level = link.kind === 'serial' ? 'debug' : 'warn';
      this.log[level](
        { remote: link.remote },
        'no link sync from the peer; resending what is unacknowledged',
      );
      this.syncing = false;
      this.out.txCount = 0;
      this.released();
      this.handler.onLinkUp?.();
      if (this.link !== link) return;
    }
    const out = this.out;
    let next = Infinity;
    for (let k = 0; k < out.txCount; k++) {
      if (out.isAcked(k)) continue;
      const i = out.slot(k);
      let due = out.sentAt[i]! + o.resendAfterMs;
      if (due <= now) {
        if (out.sends[i]! > o.maxResends) {
          this.dead(
            link,
            'SORTLINE_ERR_SESSION_NO_ACK',
            `frame ${out.seqAt(k)} not acknowledged after ${o.maxResends} resends`,
          );
          return;
        }
        this.rewrite(link, k, now);
        due = now + o.resendAfterMs;
      }
      if (due < next) next = due;
    }
    if (now - this.lastTxAt >= o.heartbeatMs) {
      this.writeControl(link, this.heartbeatMsg);
      this.stats.heartbeatsOut++;
    }
    next = Math.min(next, this.lastTxAt + o.heartbeatMs, this.lastRxAt + o.idleTimeoutMs);
    if (this.syncing) next = Math.min(next, this.syncDeadline);
    this.arm(next);
  }

  // ---- link state -----------------------------------------------------------------------------

  /** The link is dead: report, detach and destroy it. */
  private dead(link: Link, code: ErrorCode, why: string): void {
    this.stats.linkDeaths++;
    this.log.warn({ code, remote: link.remote }, `gateway link dead: ${why}`);
    const reason = `${code}: ${why}`;
    this.down(reason);
    link.destroy(reason);
  }

  /** Forgets the current link; everything unacknowledged stays for the next one. */
  private down(reason: string): void {
    const link = this.link;
    if (link === null) return;
    this.link = null;
    const dec = this.decoder!;
    this.decoder = null;
    const cut = dec.end();
    this.discardedBefore += dec.stats.bytesDiscarded;
    this.stats.bytesDiscarded = this.discardedBefore;
    this.syncing = false;
    this.linkBlocked = false;
    this.out.txCount = 0;
    this.disarm();
    this.stats.linkDowns++;
    this.log.info(
      { remote: link.remote, reason, queued: this.out.queued, inFlight: this.out.inFlight },
      'gateway link down',
    );
    if (cut !== null) this.report(cut);
    this.handler.onLinkDown?.(reason);
    if (this.state === 'closing') this.checkClosed();
  }

  private checkClosed(): void {
    if (this.state === 'closing' && (this.out.count === 0 || this.link === null))
      this.finishClose();
  }

  private finishClose(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.closeTimer !== null) this.clock.clearTimeout(this.closeTimer);
    if (this.out.count > 0)
      this.log.warn(
        { unacknowledged: this.out.count },
        'session closed with messages not acknowledged',
      );
    const link = this.link;
    if (link !== null) {
      this.down('session closed');
      link.close('session closed');
    }
    this.disarm();
    this.finishClosing!();
  }

  // ---- faults ---------------------------------------------------------------------------------

  private fault(kind: 'link' | 'session', code: ErrorCode, message: string, seq: number): void {
    this.report({ kind, code, message, seq });
  }

  /** Counts, logs (at most one `warn` per second) and hands a fault to the handler. */
  private report(f: SessionFault): void {
    this.stats.faults++;
    const now = this.clock.now();
    if (now - this.faultLogAt >= FAULT_LOG_INTERVAL_MS) {
      this.log.warn({ code: f.code, seq: f.seq, suppressed: this.faultsUnlogged }, f.message);
      this.faultLogAt = now;
      this.faultsUnlogged = 0;
    } else {
      this.faultsUnlogged++;
      this.log.debug({ code: f.code, seq: f.seq }, f.message);
    }
    try {
      this.handler.onFault?.(f);
    } catch (e) {
      this.stats.handlerErrors++;
      this.log.error(
        { code: 'SORTLINE_ERR_SESSION_HANDLER', err: e },
        'session fault handler threw',
      );
    }
  }
}
