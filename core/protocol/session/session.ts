/**
 * Session: one logical conversation with a gateway over a {@link Link} and a {@link Codec}
 * (docs/protocol.md "Link rules"; DESIGN.md "The gateway protocol").
 *
 * - Business messages are numbered 1..maxSeq (wrapping) and sent ACK-required; control frames
 *   (ACK, NAK, heartbeat, link sync) carry sequence number 0 and are never acknowledged.
 * - A received business frame is ACKed on receipt, before the handler runs — except types in
 *   `deferAck`, ACKed (or refused) when the handler calls `ack()`. A frame already delivered is
 *   ACKed again (or answered busy while its deferred ACK is pending) and not delivered again; a
 *   frame that reuses a sequence number with other content is answered NAK `resync`.
 * - Holes in the peer's numbering never jam the receive window (receive-window.ts); frames
 *   refused for good settle their number.
 * - Business frames are taken only after the peer's link sync on this connection
 *   (`requirePeerSync`), authenticated by a challenge and proof when `auth` is set (auth.ts), and
 *   only with a header timestamp inside `clockWindowMs` of our clock.
 * - `offer(link)` (the controller's side) holds a new connection until its link sync: a second
 *   peer is refused while the current link is alive, not a takeover (candidates.ts).
 * - An unacknowledged frame is written again, unchanged, `resendAfterMs` after it was last written,
 *   at most `maxResends` times; then the link is declared dead and closed.
 * - A heartbeat leaves after `heartbeatMs` without sending; `idleTimeoutMs` without receiving a
 *   valid frame closes the link (this catches half-open sockets).
 * - Writes that back up past `pauseReadAboveBytes` pause reading from the peer; past
 *   `maxWriteBufferBytes`, or blocked for `writeStallMs`, the link is dropped: memory stays bounded
 *   whatever the peer does. A frame left incomplete while the line is quiet for
 *   `partialFrameTimeoutMs` is discarded.
 * - `attach` sends a link sync and waits (at most `resendAfterMs`) for the peer's; frames the
 *   peer's link sync says it has are released, every other unacknowledged frame is written again,
 *   then the queue flows. Frames survive a detach: the same session re-attached on a new link
 *   resends them. A peer's link sync that arrives while none is awaited (the peer re-attached
 *   unseen, as on a serial line) is answered with ours, unless it answers ours.
 * - At most `maxInFlight` sequence numbers are on the wire; behind them `maxQueued` wait. `send()`
 *   refuses (false) when both are full and `onDrain` listeners run once half the room is free.
 * - A NAK `checksum` resends at once, `busy` and `resync` resend after the timeout (not counted
 *   against `maxResends`; `resync` first writes our link sync), any other reason drops the frame
 *   and reports `SORTLINE_ERR_SESSION_REJECTED`.
 *
 * Timing runs on one timer per session, armed for the earliest deadline (oldest resend, heartbeat,
 * idle, sync, partial frame, write stall, handshakes); frames in flight cost no timers or
 * closures. Decode → ACK → handler allocates only what the codec does (control frames reuse one
 * message and header object), plus one `ack` closure per deferred-ACK message.
 */
import { createBurstThrottle, type BurstThrottle } from '../../burst-throttle.js';
import type { ErrorCode } from '../../errors.js';
import { SortlineError } from '../../errors.js';
import type { Codec } from '../codec.js';
import { NAK_REASON_NAMES, NakReason, type NakReasonCode } from '../codes.js';
import {
  nakReasonFor,
  type DecodedFrame,
  type DecodeFault,
  type StreamDecoder,
} from '../faults.js';
import type { Ack, FrameHeader, Heartbeat, LinkSync, Message, Nak } from '../messages.js';
import { Candidates, type Candidate } from './candidates.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { frameFingerprint } from './fingerprint.js';
import type {
  AckFn,
  BusinessMessage,
  BusinessType,
  SessionFault,
  SessionHandler,
} from './handler.js';
import type { Link, LinkFault } from './link.js';
import type { SessionLogger } from './logger.js';
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

const NOOP: AckFn = () => {};
const NOT_DEFERRED: Readonly<Record<BusinessType, boolean>> = {
  sortRequest: false,
  destinationReply: false,
  sortConfirmation: false,
  chuteState: false,
};
/** At most one fault is logged at `warn` per this many ms; the rest go to `debug`. */
const FAULT_LOG_INTERVAL_MS = 1_000;

/** NAK reasons that forbid a resend: the sender drops the frame, so its number is settled. */
function isFinalNak(reason: NakReasonCode): boolean {
  return (
    reason === NakReason.UNSUPPORTED ||
    reason === NakReason.MALFORMED ||
    reason === NakReason.TOO_LARGE ||
    reason === NakReason.CLOCK
  );
}

/** One conversation with a gateway; see the file comment for the rules. */
export class Session {
  readonly codec: Codec;
  readonly options: Readonly<SessionOptions>;
  readonly stats: SessionStats = createSessionStats();
  /** @internal the clock, shared with the candidate handshakes. */
  readonly clock: Clock;
  /** @internal the logger, shared with the candidate handshakes. */
  readonly log: SessionLogger;
  private readonly handler: SessionHandler;
  private readonly out: SendWindow;
  private readonly rx: ReceiveWindow;
  private readonly deferred: Readonly<Record<BusinessType, boolean>>;
  private readonly maxInFlight: number;
  private readonly candidates: Candidates;
  private link: Link | null = null;
  private decoder: StreamDecoder | null = null;
  /** Links whose events this session listens to (listeners cannot be removed from a link). */
  private readonly listened = new WeakSet<Link>();
  /** Discarded bytes of decoders of earlier links. */
  private discardedBefore = 0;
  private syncing = false;
  private syncDeadline = 0;
  /** The peer sent its link sync (authenticated when `auth` is set) on the current link. */
  private peerSynced = false;
  /** The last link sync received on this link was answered with ours (so its answer is not answered again). */
  private answeredSync = false;
  /** Host with auth: the challenge (nonce) of the current link. */
  private challenge = '';
  /** PLC with auth: the last challenge answered on the current link. */
  private answered = '';
  /** When our link sync was last written on the current link (rate limit of resync answers). */
  private lastSyncAt = -Infinity;
  private linkBlocked = false;
  private blockedSince = 0;
  private readPaused = false;
  /** The link's send buffer passed `maxWriteBufferBytes`: dropped on the next tick. */
  private overflowed = false;
  /** Since when deferred ACKs hold the receive window (0: not held). */
  private busySince = 0;
  /** The partial-frame check found the line quiet once: check again after pending I/O. */
  private partialRecheck = false;
  private lastTxAt = 0;
  private lastRxAt = 0;
  private lastByteAt = 0;
  private timer: TimerHandle = null;
  private timerAt = Infinity;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private closing: Promise<void> | null = null;
  private finishClosing: (() => void) | null = null;
  private closeTimer: TimerHandle = null;
  private drainWanted = false;
  private readonly drainCbs: (() => void)[] = [];
  /** At most one fault a {@link FAULT_LOG_INTERVAL_MS} at `warn`; the rest go to `debug`. */
  private readonly faultLog: BurstThrottle;
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
    this.faultLog = createBurstThrottle({
      repeatMs: FAULT_LOG_INTERVAL_MS,
      now: () => clock.now(),
    });
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
    this.candidates = new Candidates(this);
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

  /** Connections offered and still waiting for their link sync. */
  get pendingCandidates(): number {
    return this.candidates.size;
  }

  /**
   * Attaches `link` (a new connection to the same gateway): detaches and destroys the link attached
   * before, sends a link sync, and resends what the peer has not acknowledged once the peer's link
   * sync arrived (or `resendAfterMs` passed without one). The dialling side (a PLC) uses this.
   * @throws SortlineError `SORTLINE_ERR_SESSION_CLOSED` after `close()`.
   */
  attach(link: Link): void {
    if (this.state === 'closed')
      throw new SortlineError(
        'SORTLINE_ERR_SESSION_CLOSED',
        `cannot attach ${link.remote}: the session is closed`,
      );
    if (!this.replace(link)) return;
    this.begin(link, this.makeDecoder());
    if (this.options.auth?.role === 'host') this.challenge = this.options.auth.nonce();
    this.writeSync(link, '');
    this.armAll();
    // after our link sync is written: bytes the link received early (the peer's link sync may
    // come in the same chunk as the connection) are handed over now, and may answer it at once
    this.listen(link);
  }

  /**
   * Offers a new connection (the listening side, a controller): it is held until the peer's link
   * sync arrives (with a right proof when `auth` is set), then attached — unless another link is
   * alive, which it does not take over (docs/protocol.md "One link per gateway"). Business frames
   * before the sync are answered NAK `resync`. With `requirePeerSync` false and no `auth`, the
   * link is attached at once, as `attach` does.
   * @throws SortlineError `SORTLINE_ERR_SESSION_CLOSED` after `close()`.
   */
  offer(link: Link): void {
    if (this.state === 'closed')
      throw new SortlineError(
        'SORTLINE_ERR_SESSION_CLOSED',
        `cannot offer ${link.remote}: the session is closed`,
      );
    this.stats.offered++;
    if (!this.options.requirePeerSync && this.options.auth === null) {
      this.attach(link);
      return;
    }
    const c = this.candidates.add(link, this.makeDecoder());
    if (c === null) return;
    this.writeSyncOn(link, c.challenge, '');
    this.arm(c.since + this.options.handshakeTimeoutMs);
    // after the candidate exists: data the link received early is handed over at once
    this.listen(link);
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

  /** Room left in the send queue (`maxInFlight + maxQueued` minus what is unacknowledged). */
  get room(): number {
    return this.out.capacity - this.out.count;
  }

  /**
   * Every frame not yet acknowledged (written or still queued), oldest first, as encoded: what a
   * peer that restarts keeps in retentive memory to send again (the emulated PLC's restarts).
   */
  unacknowledgedFrames(): Uint8Array[] {
    const out = this.out;
    const frames: Uint8Array[] = [];
    for (let k = 0; k < out.count; k++) if (!out.isAcked(k)) frames.push(out.frame(k));
    return frames;
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
    this.candidates.closeAll('session closing');
    this.closing = new Promise<void>((resolve) => {
      this.finishClosing = resolve;
    });
    this.closeTimer = this.clock.setTimeout(() => this.finishClose(), this.options.closeTimeoutMs);
    this.checkClosed();
    return this.closing;
  }

  // ---- links ----------------------------------------------------------------------------------

  private makeDecoder(): StreamDecoder {
    const max = this.options.maxFrameBytes;
    return this.codec.createDecoder(max === undefined ? undefined : { maxFrameBytes: max });
  }

  /** Listens to `link`'s events once; each event goes to the current link or to its candidate. */
  private listen(link: Link): void {
    if (this.listened.has(link)) return;
    this.listened.add(link);
    link.onData((chunk) => {
      if (this.link === link) this.receive(chunk);
      else this.candidates.data(link, chunk);
    });
    link.onDrain(() => {
      if (this.link === link) this.drained(link);
    });
    link.onFault((f) => {
      if (this.link === link) this.linkFault(f);
    });
    link.onClose((reason) => {
      if (this.link === link) this.down(reason);
      else this.candidates.closed(link);
    });
  }

  /** Detaches and destroys the current link for `link`; false when the session closed meanwhile. */
  private replace(link: Link): boolean {
    const old = this.link;
    if (old !== null) {
      this.down('replaced by a new connection from ' + link.remote);
      old.destroy('replaced by a new connection');
      if (this.closed) {
        link.destroy('session closed');
        return false;
      }
    }
    return true;
  }

  /** Makes `link` the current link with `decoder`, waiting for the peer's link sync. */
  private begin(link: Link, decoder: StreamDecoder): void {
    const now = this.clock.now();
    this.link = link;
    this.decoder = decoder;
    this.out.txCount = 0;
    this.syncing = true;
    this.peerSynced = false;
    this.answeredSync = false;
    this.answered = '';
    this.challenge = '';
    this.lastSyncAt = -Infinity;
    this.syncDeadline = now + this.options.resendAfterMs;
    this.linkBlocked = false;
    this.readPaused = false;
    this.overflowed = false;
    this.busySince = 0;
    this.partialRecheck = false;
    this.lastRxAt = now;
    this.lastByteAt = now;
    this.stats.linkUps++;
    this.log.info(
      { remote: link.remote, queued: this.out.queued, inFlight: this.out.inFlight },
      'gateway link attached',
    );
  }

  /**
   * @internal A candidate completed its link sync (`sync`, verified when `auth` is set): attach
   * it, unless the current link is alive and from another peer address. Called by candidates.ts.
   */
  promote(c: Candidate, sync: LinkSync): void {
    const current = this.link;
    const now = this.clock.now();
    if (
      current !== null &&
      current.peerAddress !== c.link.peerAddress &&
      now - this.lastRxAt < this.options.takeoverIdleMs
    ) {
      this.stats.refusedPeers++;
      this.fault(
        'session',
        'SORTLINE_ERR_SESSION_SECOND_PEER',
        `${c.link.remote} completed a link sync while the link from ${current.remote} is alive (a valid frame ${now - this.lastRxAt} ms ago); refused, not a takeover`,
        -1,
      );
      c.link.destroy('SORTLINE_ERR_SESSION_SECOND_PEER: another peer holds this gateway');
      return;
    }
    if (!this.replace(c.link)) return;
    this.begin(c.link, c.decoder);
    this.challenge = c.challenge;
    this.lastSyncAt = c.since;
    this.onPeerSync(sync, true);
    this.armAll();
    // frames that came with the link sync, in the same chunk or just after
    if (this.link === c.link) this.decodeAll(c.link);
  }

  // ---- receiving ------------------------------------------------------------------------------

  private receive(chunk: Uint8Array): void {
    const link = this.link!;
    const dec = this.decoder!;
    this.stats.bytesIn += chunk.length;
    this.lastByteAt = this.clock.now();
    this.partialRecheck = false;
    dec.push(chunk);
    this.decodeAll(link);
  }

  /** Handles every frame and fault the current decoder holds. */
  private decodeAll(link: Link): void {
    const dec = this.decoder!;
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
    if (dec.bufferedBytes > 0) this.arm(this.lastByteAt + this.options.partialFrameTimeoutMs);
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
        this.onPeerSync(m, false);
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
    if (this.options.requirePeerSync && !this.peerSynced) {
      this.stats.unsyncedFrames++;
      this.askResync(
        link,
        seq,
        `${m.type} ${seq} arrived before the peer's link sync on this connection; answered NAK resync`,
      );
      return;
    }
    const window = this.options.clockWindowMs;
    const ts = f.timestampMs;
    if (window > 0 && ts !== 0) {
      const skew = ts - this.clock.now();
      if (skew > window || skew < -window) {
        this.stats.clockRefused++;
        this.rx.settle(seq);
        this.writeNak(link, seq, NakReason.CLOCK);
        this.fault(
          'session',
          'SORTLINE_ERR_SESSION_CLOCK_SKEW',
          `${m.type} ${seq} is stamped ${ts} ms, ${Math.round(skew / 1000)} s from our clock, outside the window of ±${window / 1000} s; refused (NAK clock)`,
          seq,
        );
        return;
      }
    }
    const deferred = this.deferred[m.type];
    const rx = this.rx;
    let v = rx.accept(seq, deferred, frameFingerprint(m, ts));
    if (rx.lastSkipped > 0) {
      this.stats.holesSkipped += rx.lastSkipped;
      this.fault(
        'session',
        'SORTLINE_ERR_SESSION_HOLE_SKIPPED',
        `${rx.lastSkipped} sequence number${rx.lastSkipped === 1 ? '' : 's'} of the peer before ${seq} never arrived and lie outside its window: given up`,
        seq,
      );
      if (this.link !== link) return;
    }
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
    if (v !== Verdict.BUSY) this.busySince = 0;
    switch (v) {
      case Verdict.NEW:
        if (!deferred) {
          this.writeAck(link, seq);
          this.deliver(m, f, NOOP, -1, -1);
        } else {
          const pos = rx.lastPos;
          const epoch = rx.epoch;
          this.deliver(m, f, (refuse) => this.ackDeferred(pos, epoch, seq, refuse), pos, epoch);
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
      case Verdict.REUSED:
        this.stats.reusedSeqs++;
        this.peerSynced = false;
        this.askResync(
          link,
          seq,
          `${m.type} ${seq} reuses a sequence number with other content: the peer restarted its numbering without a link sync; answered NAK resync`,
        );
        return;
      case Verdict.BUSY:
        if (this.busySince === 0) {
          this.busySince = this.clock.now();
          this.arm(this.busySince + this.options.windowStallMs);
        }
        this.writeNak(link, seq, NakReason.BUSY);
        this.fault(
          'session',
          'SORTLINE_ERR_SESSION_WINDOW_FULL',
          `frame ${seq} is beyond the receive window of ${rx.size} while older frames wait for their ACK; answered busy`,
          seq,
        );
        return;
    }
  }

  /** Answers a business frame NAK resync, writes our link sync (at most once per resend time). */
  private askResync(link: Link, seq: number, why: string): void {
    this.writeNak(link, seq, NakReason.RESYNC);
    const now = this.clock.now();
    if (now - this.lastSyncAt >= this.options.resendAfterMs) {
      if (this.options.auth?.role === 'host') this.challenge = this.options.auth.nonce();
      this.writeSync(link, '');
    }
    if (this.link === link) this.fault('session', 'SORTLINE_ERR_SESSION_SYNC_REQUIRED', why, seq);
  }

  private deliver(
    m: BusinessMessage,
    header: FrameHeader,
    ack: AckFn,
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

  private ackDeferred(pos: number, epoch: number, seq: number, refuse?: NakReasonCode): void {
    if (refuse !== undefined) {
      if (!this.rx.refuse(pos, epoch)) return;
      this.stats.framesRefused++;
      const link = this.link;
      if (link !== null) this.writeNak(link, seq, refuse);
      return;
    }
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
      case NakReason.RESYNC: {
        // The peer has no (valid) link sync from us or lost its state: sync, resend later.
        const now = this.clock.now();
        if (now - this.lastSyncAt >= this.options.resendAfterMs) this.writeSync(link, '');
        out.sentAt[i] = now;
        out.sends[i] = 1;
        return;
      }
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

  /**
   * The peer's link sync. `verified`: a candidate's, already checked. With `auth`, a host takes a
   * sync only with a right proof of its challenge (a sync without one is answered with a new
   * challenge; a wrong proof drops the link); a PLC answers each new challenge with a proof.
   */
  private onPeerSync(m: LinkSync, verified: boolean): void {
    this.stats.linkSyncsIn++;
    const link = this.link;
    const auth = this.options.auth;
    let answer = '';
    if (auth !== null && link !== null) {
      if (auth.role === 'host' && !verified) {
        if (m.proof === undefined) {
          // the peer (re)announces itself unseen: challenge it again, take nothing meanwhile
          this.peerSynced = false;
          this.challenge = auth.nonce();
          this.writeSync(link, '');
          return;
        }
        if (!auth.verify(this.challenge, m)) {
          this.stats.authFailures++;
          this.dead(
            link,
            'SORTLINE_ERR_SESSION_AUTH_FAILED',
            `the link sync from ${link.remote} does not prove the gateway secret`,
          );
          return;
        }
      } else if (auth.role === 'plc' && m.nonce !== undefined && m.nonce !== this.answered) {
        answer = m.nonce;
        this.answered = m.nonce;
      }
    }
    if (this.rx.peerSync(m.nextSendSeq)) {
      this.stats.peerResets++;
      this.fault(
        'session',
        'SORTLINE_ERR_SESSION_PEER_RESET',
        `the peer's link sync announces frame ${m.nextSendSeq} next, which cannot follow what was received: its numbering restarted`,
        m.nextSendSeq,
      );
      if (this.link !== link) return;
    }
    this.peerSynced = true;
    // The peer has every frame up to lastReceivedSeq: release them from the head (0 = none).
    const out = this.out;
    while (out.indexOfWritten(m.lastReceivedSeq) >= 0) out.ack(0);
    // Write everything unacknowledged again, then the queue.
    out.txCount = 0;
    const wasSyncing = this.syncing;
    this.syncing = false;
    this.log.info(
      {
        lastReceivedSeq: m.lastReceivedSeq,
        nextSendSeq: m.nextSendSeq,
        resend: out.inFlight,
        authenticated: auth !== null,
      },
      'link sync from the peer',
    );
    if (link !== null) {
      if (answer !== '') {
        // a challenge: answer it with our proof (before any resend, so it is taken first)
        this.writeSync(link, answer);
        this.answeredSync = true;
      } else if (!wasSyncing && !verified && !this.answeredSync && auth?.role !== 'host') {
        // A link sync while we wait for none: the peer (re)attached without this side noticing (a
        // serial line has no connections). It waits for ours: answer, first — unless the last
        // one received was itself answered, so two answers never chase each other.
        this.answeredSync = true;
        this.writeSync(link, '');
      } else this.answeredSync = false;
    }
    this.released();
    if (wasSyncing) this.handler.onLinkUp?.();
  }

  private decodeFault(link: Link, f: DecodeFault): void {
    this.report(f);
    const reason = nakReasonFor(f);
    if (reason === 0) return;
    if (isFinalNak(reason)) {
      // the sender drops it: its number must not stay a hole
      this.stats.framesRefused++;
      this.rx.settle(f.seq);
    }
    this.writeNak(link, f.seq, reason);
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
        ok = this.write(link, bytes);
        out.sentAt[i] = now;
        out.sends[i] = 1;
        this.stats.framesOut++;
        wrote = true;
      }
      out.txCount++;
      if (out.txCount > out.txEver) out.txEver = out.txCount;
      if (!ok) break;
    }
    if (wrote) {
      this.lastTxAt = now;
      this.arm(now + this.options.resendAfterMs);
    }
    this.stats.queued = out.queued;
    this.stats.inFlight = out.inFlight;
  }

  /** Writes `bytes` to `link`, counting them; a refused write starts backpressure. */
  private write(link: Link, bytes: Uint8Array): boolean {
    const ok = link.write(bytes);
    this.stats.bytesOut += bytes.length;
    if (!ok && link === this.link) this.blocked(link);
    return ok;
  }

  /**
   * The link's send buffer is above its high-water mark: business frames wait for the drain;
   * past `pauseReadAboveBytes` we stop reading from the peer, past `maxWriteBufferBytes` the link
   * is dropped on the next tick.
   */
  private blocked(link: Link): void {
    if (!this.linkBlocked) {
      this.linkBlocked = true;
      this.blockedSince = this.clock.now();
      this.arm(this.blockedSince + this.options.writeStallMs);
    }
    const buffered = link.bufferedBytes;
    if (!this.readPaused && buffered > this.options.pauseReadAboveBytes) {
      this.readPaused = true;
      this.stats.readPauses++;
      link.pauseReading();
    }
    if (!this.overflowed && buffered > this.options.maxWriteBufferBytes) {
      this.overflowed = true;
      this.arm(this.clock.now());
    }
  }

  /** The link drained: read again, write what waits. */
  private drained(link: Link): void {
    this.linkBlocked = false;
    if (this.readPaused && link.bufferedBytes <= this.options.pauseReadAboveBytes >>> 1) {
      this.readPaused = false;
      link.resumeReading();
    }
    this.pump();
  }

  /** Writes entry k again, unchanged. */
  private rewrite(link: Link, k: number, now: number): void {
    const out = this.out;
    const i = out.slot(k);
    const bytes = out.frame(k);
    this.write(link, bytes);
    out.sentAt[i] = now;
    out.sends[i]!++;
    this.stats.resends++;
    this.stats.framesOut++;
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

  /** @internal Writes a NAK on `link` (also a candidate's). */
  writeNak(link: Link, seq: number, reason: NakReasonCode): void {
    this.nakMsg.nakSeq = seq;
    this.nakMsg.reason = reason;
    this.writeControl(link, this.nakMsg);
    this.stats.naksOut++;
  }

  /**
   * Writes our link sync on the current link: what we received and acknowledged, the number of
   * our next new frame, and with `auth` the host's challenge, or the PLC's nonce with the proof
   * answering `answering` (when not '').
   */
  private writeSync(link: Link, answering: string): void {
    const auth = this.options.auth;
    let nonce = '';
    let proof = '';
    if (auth !== null) {
      if (auth.role === 'host') nonce = this.challenge;
      else {
        nonce = auth.nonce();
        if (answering !== '')
          proof = auth.proof(answering, nonce, this.rx.lastReceivedSeq(), this.out.firstUnsentSeq);
      }
    }
    this.writeSyncOn(link, nonce, proof);
    this.lastSyncAt = this.clock.now();
  }

  /** @internal Writes a link sync with our numbering on `link` (also a candidate's). */
  writeSyncOn(link: Link, nonce: string, proof: string): void {
    if (nonce === '') {
      const m = this.syncMsg;
      m.lastReceivedSeq = this.rx.lastReceivedSeq();
      m.nextSendSeq = this.out.firstUnsentSeq;
      this.writeControl(link, m);
      return;
    }
    const m: LinkSync = {
      type: 'linkSync',
      lastReceivedSeq: this.rx.lastReceivedSeq(),
      nextSendSeq: this.out.firstUnsentSeq,
      nonce,
    };
    if (proof !== '') m.proof = proof;
    this.writeControl(link, m);
  }

  /** Writes a frame numbered 0, not ACK-required (control frames, unnumbered messages). */
  private writeControl(link: Link, m: Message): void {
    const now = this.clock.now();
    const h = this.ctrlHeader;
    h.timestampMs = now;
    this.write(link, this.codec.encode(m, h));
    this.stats.framesOut++;
    if (link === this.link) this.lastTxAt = now;
  }

  // ---- time -----------------------------------------------------------------------------------

  /** @internal Arms the one timer for `at` unless it is already armed for earlier. */
  arm(at: number): void {
    if (this.timer !== null) {
      if (this.timerAt <= at) return;
      this.clock.clearTimeout(this.timer);
    }
    this.timerAt = at;
    this.timer = this.clock.setTimeout(this.onTimer, Math.max(0, at - this.clock.now()));
  }

  /** Arms the timer for the current link's sync, heartbeat and idle deadlines. */
  private armAll(): void {
    this.arm(
      Math.min(
        this.syncing ? this.syncDeadline : Infinity,
        this.lastTxAt + this.options.heartbeatMs,
        this.lastRxAt + this.options.idleTimeoutMs,
      ),
    );
  }

  private disarm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  /**
   * The timer: handshakes of offered links, then on the current link the write bounds, idle
   * check, partial frame, window stall, sync timeout, resend scan and heartbeat; then re-arms for
   * the earliest deadline.
   */
  private tick(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const o = this.options;
    const now = this.clock.now();
    let next = this.candidates.expire(now);
    const link = this.link;
    if (link === null) {
      if (next < Infinity) this.arm(next);
      return;
    }
    if (this.overflowed || (this.linkBlocked && now - this.blockedSince >= o.writeStallMs)) {
      this.stats.notReading++;
      this.dead(
        link,
        'SORTLINE_ERR_SESSION_PEER_NOT_READING',
        this.overflowed
          ? `${link.bufferedBytes} bytes wait to be written, over the bound of ${o.maxWriteBufferBytes}: the peer does not read`
          : `writes blocked for ${now - this.blockedSince} ms: the peer does not read`,
      );
      return;
    }
    if (now - this.lastRxAt >= o.idleTimeoutMs) {
      this.dead(
        link,
        'SORTLINE_ERR_SESSION_IDLE_TIMEOUT',
        `nothing received for ${now - this.lastRxAt} ms`,
      );
      return;
    }
    if (!this.checkPartialFrame(link, now)) return;
    if (this.busySince > 0 && now - this.busySince >= o.windowStallMs) {
      this.stats.windowStalls++;
      this.rx.restart();
      this.dead(
        link,
        'SORTLINE_ERR_SESSION_WINDOW_STALL',
        `the receive window was held full by unacknowledged deferred frames for ${now - this.busySince} ms; link reset, the peer resyncs`,
      );
      return;
    }
    if (this.syncing && now >= this.syncDeadline) {
      // Expected on a serial line (no connections: the far end may not be there yet, and learns of
      // us only from our link sync); elsewhere the peer does not speak the protocol as it should.
      this.log[link.kind === 'serial' ? 'debug' : 'warn'](
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
        if (this.link !== link) return;
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
    if (this.linkBlocked) next = Math.min(next, this.blockedSince + o.writeStallMs);
    if (this.busySince > 0) next = Math.min(next, this.busySince + o.windowStallMs);
    if (this.decoder !== null && this.decoder.bufferedBytes > 0)
      next = Math.min(next, this.partialRecheck ? now : this.lastByteAt + o.partialFrameTimeoutMs);
    this.arm(next);
  }

  /**
   * A frame left incomplete while the line has been quiet for `partialFrameTimeoutMs` is
   * discarded (a truncated frame). The first time the check finds the line quiet it only looks
   * again after pending I/O has been read (a late timer must not discard bytes that are waiting
   * in the socket). False when the link went away.
   */
  private checkPartialFrame(link: Link, now: number): boolean {
    const dec = this.decoder!;
    if (dec.bufferedBytes === 0 || now - this.lastByteAt < this.options.partialFrameTimeoutMs) {
      this.partialRecheck = false;
      return true;
    }
    if (!this.partialRecheck) {
      this.partialRecheck = true;
      return true;
    }
    this.partialRecheck = false;
    const f = dec.end();
    if (f === null) return true;
    this.stats.partialFramesDiscarded++;
    this.report(f);
    if (this.link !== link) return false;
    if (f.seq > 0 && f.ackRequired) this.writeNak(link, f.seq, NakReason.CHECKSUM);
    return this.link === link;
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
    this.peerSynced = false;
    this.linkBlocked = false;
    this.readPaused = false;
    this.overflowed = false;
    this.busySince = 0;
    this.out.txCount = 0;
    this.disarm();
    const pending = this.candidates.nextDeadline();
    if (pending < Infinity) this.arm(pending);
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
    this.candidates.closeAll('session closed');
    const link = this.link;
    if (link !== null) {
      this.down('session closed');
      link.close('session closed');
    }
    this.disarm();
    this.finishClosing!();
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** @internal Counts, logs (at most one `warn` per second) and hands a fault to the handler. */
  fault(kind: 'link' | 'session', code: ErrorCode, message: string, seq: number): void {
    this.report({ kind, code, message, seq });
  }

  /** Counts, logs (at most one `warn` per second) and hands a fault to the handler. */
  private report(f: SessionFault): void {
    this.stats.faults++;
    const suppressed = this.faultLog.hit();
    if (suppressed !== undefined)
      this.log.warn({ code: f.code, seq: f.seq, suppressed }, f.message);
    else this.log.debug({ code: f.code, seq: f.seq }, f.message);
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
