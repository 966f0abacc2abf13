/**
 * The byte link: the pipe between a session and its peer (docs/transports.md), the contract every
 * transport (controller/transport: TCP, WebSocket, serial line; memory-link.ts here) implements.
 * A link carries bytes only; framing is the codec's (core/protocol), numbering and ACKs the
 * session's (core/protocol/session).
 */
import type { ErrorCode } from '../../errors.js';

/** Which transport carries a link. */
export type LinkKind = 'tcp' | 'ws' | 'serial' | 'memory';

/** Something wrong on the link that is not a frame fault (a WebSocket text message). */
export interface LinkFault {
  readonly kind: 'link';
  /** Stable error code (core/errors.ts), e.g. `SORTLINE_ERR_TRANSPORT_TEXT_MESSAGE`. */
  readonly code: ErrorCode;
  /** For people: what arrived and what was expected. */
  readonly message: string;
}

/**
 * One connection to a gateway. Every `on…` method adds a listener (called in the order added).
 * Listeners run on the event loop's I/O callbacks; they must not throw.
 */
export interface Link {
  readonly kind: LinkKind;
  /** The peer, for logs: `tcp://127.0.0.1:53122`, `ws://[::1]:53130`, `serial:///dev/pts/3`, `memory://b`. */
  readonly remote: string;
  /**
   * The peer's host without the port, for the one-link rule and allow-lists: an IP address
   * (`127.0.0.1`, `::1`), the device path of a serial line, the end's name in memory.
   */
  readonly peerAddress: string;
  /** True once `onClose` listeners have run. */
  readonly closed: boolean;
  /** Bytes written and not yet handed to the operating system (the transport's send buffer). */
  readonly bufferedBytes: number;
  /**
   * Queues `bytes` for the peer (the link may keep a reference until it is written: do not reuse
   * the array). Returns false when the transport's buffer is above its high-water mark (wait for
   * `onDrain` before writing more than control frames) or the link is closing; bytes written after
   * `close`/`destroy` are dropped.
   */
  write(bytes: Uint8Array): boolean;
  /** Flushes what was written, then closes (forcibly after `closeTimeoutMs`). Idempotent. */
  close(reason?: string): void;
  /** Closes at once, dropping unwritten bytes (TCP: RST). Idempotent. */
  destroy(reason?: string): void;
  /**
   * Stops reading from the peer (backpressure: the peer's writes block once the operating
   * system's buffers are full) until {@link resumeReading}. Idempotent.
   */
  pauseReading(): void;
  /** Reads from the peer again after {@link pauseReading}. Idempotent. */
  resumeReading(): void;
  /** Bytes from the peer, in order, chunked arbitrarily. Chunks that arrive before the first listener is added are kept for it. */
  onData(cb: (chunk: Uint8Array) => void): void;
  /** The buffer went below its low-water mark after `write` returned false. */
  onDrain(cb: () => void): void;
  /** The link closed (either side, or an error): called once per listener, at once when already closed. */
  onClose(cb: (reason: string) => void): void;
  /** A fault on the link that does not close it (counted by the session). */
  onFault(cb: (fault: LinkFault) => void): void;
}

/**
 * Listener bookkeeping shared by the transports: callbacks, data arriving before the first data
 * listener, and `onClose` called exactly once.
 */
export abstract class LinkBase implements Link {
  abstract readonly kind: LinkKind;
  readonly remote: string;
  private readonly dataCbs: ((chunk: Uint8Array) => void)[] = [];
  private readonly drainCbs: (() => void)[] = [];
  private readonly faultCbs: ((fault: LinkFault) => void)[] = [];
  private closeCbs: ((reason: string) => void)[] = [];
  private early: Uint8Array[] | null = null;
  private closeReason: string | null = null;

  constructor(remote: string) {
    this.remote = remote;
  }

  get closed(): boolean {
    return this.closeReason !== null;
  }

  abstract readonly peerAddress: string;
  abstract readonly bufferedBytes: number;
  abstract write(bytes: Uint8Array): boolean;
  abstract close(reason?: string): void;
  abstract destroy(reason?: string): void;
  abstract pauseReading(): void;
  abstract resumeReading(): void;

  onData(cb: (chunk: Uint8Array) => void): void {
    this.dataCbs.push(cb);
    const early = this.early;
    if (early !== null) {
      this.early = null;
      for (const c of early) cb(c);
    }
  }

  onDrain(cb: () => void): void {
    this.drainCbs.push(cb);
  }

  onClose(cb: (reason: string) => void): void {
    if (this.closeReason !== null) cb(this.closeReason);
    else this.closeCbs.push(cb);
  }

  onFault(cb: (fault: LinkFault) => void): void {
    this.faultCbs.push(cb);
  }

  protected emitData(chunk: Uint8Array): void {
    const cbs = this.dataCbs;
    if (cbs.length === 0) {
      (this.early ??= []).push(chunk);
      return;
    }
    for (let i = 0; i < cbs.length; i++) cbs[i]!(chunk);
  }

  protected emitDrain(): void {
    for (const cb of this.drainCbs) cb();
  }

  protected emitFault(code: ErrorCode, message: string): void {
    const fault: LinkFault = { kind: 'link', code, message };
    for (const cb of this.faultCbs) cb(fault);
  }

  /** Runs the close listeners once; later calls do nothing. */
  protected emitClose(reason: string): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    this.early = null;
    const cbs = this.closeCbs;
    this.closeCbs = [];
    for (const cb of cbs) cb(reason);
  }
}
