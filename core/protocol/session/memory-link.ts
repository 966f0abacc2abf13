/**
 * An in-memory link pair for tests and in-process wiring: what one end writes arrives at the other
 * end in a later microtask (never inside `write`, as with a real socket), in order, chunk by
 * chunk. A paused end holds what is written to it, which exercises backpressure.
 */
import { LinkBase } from './link.js';

/** Options of {@link memoryLinkPair}. */
export interface MemoryLinkOptions {
  /** `write` returns false once this many bytes wait for delivery (default 65,536). */
  highWaterMark?: number;
}

/** One end of an in-memory pair. */
export class MemoryLink extends LinkBase {
  readonly kind = 'memory' as const;
  private peer!: MemoryLink;
  private readonly highWaterMark: number;
  /** Chunks written by this end, not yet delivered to the peer. */
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private scheduled = false;
  private blocked = false;
  private paused = false;
  private ending = false;
  private readonly flush = (): void => this.deliver();

  constructor(remote: string, highWaterMark: number) {
    super(remote);
    this.highWaterMark = highWaterMark;
  }

  /** Connects two fresh ends. */
  static pair(highWaterMark: number): [MemoryLink, MemoryLink] {
    const a = new MemoryLink('memory://b', highWaterMark);
    const b = new MemoryLink('memory://a', highWaterMark);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  /** The peer end's name (`a` or `b`). */
  get peerAddress(): string {
    return this.remote.slice('memory://'.length);
  }

  /** Stops the peer's deliveries to this end (this end reads nothing until resumed). */
  pauseReading(): void {
    this.peer.pause();
  }

  resumeReading(): void {
    this.peer.resume();
  }

  /** Bytes written by this end and not yet delivered. */
  get bufferedBytes(): number {
    return this.queuedBytes;
  }

  /** Copies `bytes` and queues them for the peer. */
  write(bytes: Uint8Array): boolean {
    if (this.ending || this.closed) return false;
    this.queue.push(bytes.slice());
    this.queuedBytes += bytes.length;
    this.schedule();
    if (this.queuedBytes < this.highWaterMark) return true;
    this.blocked = true;
    return false;
  }

  /** Holds what this end writes until {@link resume} (a peer that does not read). */
  pause(): void {
    this.paused = true;
  }

  /** Delivers what was held, then carries on. */
  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Delivers what was written, then closes both ends. */
  close(reason = 'closed'): void {
    if (this.ending || this.closed) return;
    this.ending = true;
    queueMicrotask(() => {
      this.paused = false;
      this.deliver();
      this.end(reason);
    });
  }

  /** Closes both ends at once; bytes not yet delivered are lost. */
  destroy(reason = 'destroyed'): void {
    if (this.closed) return;
    this.ending = true;
    this.end(reason);
  }

  private end(reason: string): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.peer.queue.length = 0;
    this.peer.queuedBytes = 0;
    this.peer.ending = true;
    this.emitClose(reason);
    this.peer.emitClose('closed by peer');
  }

  private schedule(): void {
    if (this.scheduled || this.paused) return;
    this.scheduled = true;
    queueMicrotask(this.flush);
  }

  private deliver(): void {
    this.scheduled = false;
    if (this.paused) return;
    const peer = this.peer;
    while (this.queue.length > 0 && !this.closed) {
      const chunk = this.queue.shift()!;
      this.queuedBytes -= chunk.length;
      peer.emitData(chunk);
    }
    if (this.blocked && this.queuedBytes === 0 && !this.closed) {
      this.blocked = false;
      this.emitDrain();
    }
  }
}

/**
 * Two connected in-memory links: `[a, b]`, `a.remote` is `memory://b` and the other way round.
 * @param options.highWaterMark bytes waiting before `write` returns false (default 65,536).
 */
export function memoryLinkPair(options: MemoryLinkOptions = {}): [MemoryLink, MemoryLink] {
  return MemoryLink.pair(options.highWaterMark ?? 65_536);
}
