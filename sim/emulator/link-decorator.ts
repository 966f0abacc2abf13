/**
 * A {@link Link} wrapped around another one (the emulated PLC's wire tap and fault injection):
 * every call and event passes through unchanged unless a subclass overrides it. Subclasses see
 * the bytes written (`write`) and received (`received`).
 */
import { type Link, type LinkFault, type LinkKind, LinkBase } from '../../core/protocol/index.js';

/** Forwards everything between a session and the link it wraps. */
export abstract class LinkDecorator extends LinkBase {
  readonly kind: LinkKind;
  private hooked = false;

  constructor(protected readonly inner: Link) {
    super(inner.remote);
    this.kind = inner.kind;
  }

  get peerAddress(): string {
    return this.inner.peerAddress;
  }

  get bufferedBytes(): number {
    return this.inner.bufferedBytes;
  }

  write(bytes: Uint8Array): boolean {
    return this.inner.write(bytes);
  }

  pauseReading(): void {
    this.inner.pauseReading();
  }

  resumeReading(): void {
    this.inner.resumeReading();
  }

  close(reason?: string): void {
    this.inner.close(reason);
  }

  destroy(reason?: string): void {
    this.inner.destroy(reason);
  }

  override onData(cb: (chunk: Uint8Array) => void): void {
    this.hook();
    super.onData(cb);
  }

  override onDrain(cb: () => void): void {
    this.hook();
    super.onDrain(cb);
  }

  override onClose(cb: (reason: string) => void): void {
    this.hook();
    super.onClose(cb);
  }

  override onFault(cb: (fault: LinkFault) => void): void {
    this.hook();
    super.onFault(cb);
  }

  /** Bytes from the peer, before the session sees them. */
  protected received(_chunk: Uint8Array): void {}

  /** The wrapped link closed (before the session hears of it). */
  protected innerClosed(_reason: string): void {}

  /**
   * Listens to the wrapped link once the first listener is added here: after the subclass is
   * fully built, and so that data the link received early reaches this decorator's listeners.
   */
  private hook(): void {
    if (this.hooked) return;
    this.hooked = true;
    const inner = this.inner;
    inner.onData((chunk) => {
      this.received(chunk);
      this.emitData(chunk);
    });
    inner.onDrain(() => this.emitDrain());
    inner.onFault((f) => this.emitFault(f.code, f.message));
    inner.onClose((reason) => {
      this.innerClosed(reason);
      this.emitClose(reason);
    });
  }
}
