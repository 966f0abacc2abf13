/**
 * The buffering shared by every dialect's stream decoder: a queue of pushed chunks, one buffer of
 * `maxFrameBytes` bytes holding at most one unfinished frame, stream offsets and counters.
 * A dialect supplies {@link FramedDecoder.scan}, which looks at `buf[start..filled)`.
 */
import { SortlineError } from '../errors.js';
import {
  FAULT_CODES,
  type DecodedFrame,
  type DecodeFault,
  type DecoderOptions,
  type DecoderStats,
  type ProtocolFaultId,
  ProtocolFault,
  type StreamDecoder,
} from './faults.js';
import type { Message } from './messages.js';

/** Largest `maxFrameBytes` a decoder accepts (1 MiB). */
export const MAX_FRAME_BYTES_CEILING = 1 << 20;

/**
 * `options.maxFrameBytes`, or `dflt` when absent.
 * @throws SortlineError `SORTLINE_ERR_PROTOCOL_BAD_OPTION` when it is not an integer in [min, 1 MiB].
 */
export function resolveMaxFrameBytes(
  options: DecoderOptions | undefined,
  dflt: number,
  min: number,
): number {
  const v = options?.maxFrameBytes ?? dflt;
  if (!Number.isInteger(v) || v < min || v > MAX_FRAME_BYTES_CEILING) {
    throw new SortlineError(
      'SORTLINE_ERR_PROTOCOL_BAD_OPTION',
      `maxFrameBytes: expected an integer ${min}–${MAX_FRAME_BYTES_CEILING}, got ${String(v)}`,
    );
  }
  return v;
}

/** Base of the dialects' stream decoders; see {@link StreamDecoder} for the contract. */
export abstract class FramedDecoder implements StreamDecoder {
  readonly stats: DecoderStats = { frames: 0, faults: 0, bytesDiscarded: 0, resyncs: 0 };
  readonly maxFrameBytes: number;
  /** The one buffer; `buf[start..filled)` holds bytes not yet handed out or dropped. */
  protected readonly buf: Uint8Array;
  protected start = 0;
  protected filled = 0;
  /**
   * True while the decoder has lost frame alignment and skips bytes silently up to the next frame
   * start (the fault that caused it has been reported).
   */
  protected resyncing = false;
  /**
   * Bytes after `start` a dialect has already searched for a delimiter without finding one, so a
   * frame arriving byte by byte is not searched again from its start. Reset whenever `start` moves.
   */
  protected scanned = 0;
  /** Stream offset of `buf[filled]`: every byte moved into the buffer. */
  private streamPos = 0;
  private readonly queue: Uint8Array[] = [];
  private queueHead = 0;
  /** Bytes of `queue[queueHead]` already consumed. */
  private queueOffset = 0;

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
    this.buf = new Uint8Array(maxFrameBytes);
  }

  get bufferedBytes(): number {
    return this.filled - this.start;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length > 0) this.queue.push(chunk);
  }

  next(): DecodedFrame | DecodeFault | null {
    for (;;) {
      const r = this.scan();
      if (r !== null) return r;
      if (this.filled - this.start >= this.buf.length) {
        // A dialect asked for more bytes with a full buffer: the frame cannot fit. (The dialects
        // report their own over-limit faults first; this keeps the bound whatever a scan does.)
        const f = this.fault(
          ProtocolFault.LENGTH_OVER_LIMIT,
          `frame longer than maxFrameBytes ${this.maxFrameBytes}`,
          this.start,
        );
        this.drop(this.filled - this.start);
        this.beginResync();
        return f;
      }
      if (!this.fill()) return null;
    }
  }

  end(): DecodeFault | null {
    const left = this.filled - this.start;
    const f =
      left > 0 && !this.resyncing
        ? this.fault(
            ProtocolFault.TRUNCATED,
            `stream ended inside a frame (${left} bytes of it received)`,
            this.start,
          )
        : null;
    this.drop(left);
    this.resyncing = false;
    this.queue.length = 0;
    this.queueHead = 0;
    this.queueOffset = 0;
    return f;
  }

  /**
   * Looks at `buf[start..filled)`: returns a frame or a fault (having moved `start` past what it
   * consumed, with {@link frame} or {@link drop}), or null when it needs more bytes
   * (it may have dropped resync bytes first). Must not return null while the buffer is full.
   */
  protected abstract scan(): DecodedFrame | DecodeFault | null;

  /** Stream offset of `buf[i]`. */
  protected offsetOf(i: number): number {
    return this.streamPos - this.filled + i;
  }

  /** Drops `n` buffered bytes from `start`, counting them as discarded. */
  protected drop(n: number): void {
    this.start += n;
    this.scanned = 0;
    this.stats.bytesDiscarded += n;
  }

  /** Enters resync mode (counted once per loss of alignment). */
  protected beginResync(): void {
    if (!this.resyncing) {
      this.resyncing = true;
      this.stats.resyncs++;
    }
  }

  /** Hands out the frame at `buf[at..at+length)` and consumes it. */
  protected frame(
    message: Message,
    seq: number,
    ackRequired: boolean,
    timestampMs: number,
    at: number,
    length: number,
  ): DecodedFrame {
    this.start = at + length;
    this.scanned = 0;
    this.resyncing = false;
    this.stats.frames++;
    return {
      kind: 'frame',
      seq,
      ackRequired,
      timestampMs,
      message,
      offset: this.offsetOf(at),
      length,
    };
  }

  /** A fault at `buf[at]`, counted; `seq` -1 when the frame's sequence number is not trusted. */
  protected fault(
    id: ProtocolFaultId,
    message: string,
    at: number,
    seq = -1,
    ackRequired = false,
  ): DecodeFault {
    this.stats.faults++;
    const offset = this.offsetOf(at);
    return {
      kind: 'fault',
      fault: id,
      code: FAULT_CODES[id],
      message: `${message} (at stream offset ${offset})`,
      offset,
      seq,
      ackRequired: seq >= 0 && ackRequired,
    };
  }

  /** Compacts the buffer and copies queued bytes into it; false when nothing could be added. */
  private fill(): boolean {
    const buf = this.buf;
    if (this.start > 0) {
      if (this.filled > this.start) buf.copyWithin(0, this.start, this.filled);
      this.filled -= this.start;
      this.start = 0;
    }
    let added = 0;
    while (this.filled < buf.length && this.queueHead < this.queue.length) {
      const chunk = this.queue[this.queueHead]!;
      const n = Math.min(buf.length - this.filled, chunk.length - this.queueOffset);
      buf.set(
        n === chunk.length ? chunk : chunk.subarray(this.queueOffset, this.queueOffset + n),
        this.filled,
      );
      this.filled += n;
      this.queueOffset += n;
      this.streamPos += n;
      added += n;
      this.advanceQueue();
    }
    return added > 0;
  }

  private advanceQueue(): void {
    if (this.queueOffset < this.queue[this.queueHead]!.length) return;
    this.queueHead++;
    this.queueOffset = 0;
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
  }
}
