/**
 * What a stream decoder hands out: decoded frames and coded faults. Decoders never throw; every
 * malformed input becomes a {@link DecodeFault} whose `code` is a stable
 * `SORTLINE_ERR_PROTOCOL_*` code from core/errors.ts.
 */
import type { ErrorCode } from '../errors.js';
import { NakReason, type NakReasonCode } from './codes.js';
import type { FrameHeader, Message } from './messages.js';

/** Small integer fault ids used inside the decoders; {@link FAULT_CODES} maps them to error codes. */
export const ProtocolFault = {
  GARBAGE: 1,
  HEADER_CHECKSUM: 2,
  CHECKSUM: 3,
  BAD_VERSION: 4,
  BAD_HEADER: 5,
  LENGTH_OVER_LIMIT: 6,
  BAD_LENGTH: 7,
  UNKNOWN_TYPE: 8,
  TRUNCATED: 9,
  BAD_BODY: 10,
  BAD_FIELD: 11,
} as const;
export type ProtocolFaultId = (typeof ProtocolFault)[keyof typeof ProtocolFault];

/** Error code of each {@link ProtocolFault} id. */
export const FAULT_CODES: Readonly<Record<ProtocolFaultId, ErrorCode>> = {
  1: 'SORTLINE_ERR_PROTOCOL_GARBAGE',
  2: 'SORTLINE_ERR_PROTOCOL_HEADER_CHECKSUM',
  3: 'SORTLINE_ERR_PROTOCOL_CHECKSUM',
  4: 'SORTLINE_ERR_PROTOCOL_BAD_VERSION',
  5: 'SORTLINE_ERR_PROTOCOL_BAD_HEADER',
  6: 'SORTLINE_ERR_PROTOCOL_LENGTH_OVER_LIMIT',
  7: 'SORTLINE_ERR_PROTOCOL_BAD_LENGTH',
  8: 'SORTLINE_ERR_PROTOCOL_UNKNOWN_TYPE',
  9: 'SORTLINE_ERR_PROTOCOL_TRUNCATED',
  10: 'SORTLINE_ERR_PROTOCOL_BAD_BODY',
  11: 'SORTLINE_ERR_PROTOCOL_BAD_FIELD',
};

/** A frame decoded and validated: its header fields, the message, and where it lay in the stream. */
export interface DecodedFrame extends FrameHeader {
  readonly kind: 'frame';
  /** The message; every field has been checked against the limits (limits.ts). */
  readonly message: Message;
  /** Byte offset of the frame's first byte in the stream (0 = first byte ever pushed). */
  readonly offset: number;
  /** Length of the frame in bytes, delimiters included. */
  readonly length: number;
}

/** A malformed, oversized or cut frame, or garbage between frames. */
export interface DecodeFault {
  readonly kind: 'fault';
  /** Fault id ({@link ProtocolFault}). */
  readonly fault: ProtocolFaultId;
  /** Stable error code (core/errors.ts). */
  readonly code: ErrorCode;
  /** For people: what was wrong, naming the field and what was expected. */
  readonly message: string;
  /** Byte offset in the stream of the first byte of the bad frame or garbage. */
  readonly offset: number;
  /**
   * Sequence number of the bad frame when its header was intact (native header CRC good, telegram
   * BCC good and sequence digits readable, NDJSON `seq` readable), else -1. The session layer NAKs
   * a fault that has a sequence number and `ackRequired` ({@link nakReasonFor}).
   */
  readonly seq: number;
  /** The frame's ACK-required flag when `seq` is known, else false. */
  readonly ackRequired: boolean;
}

/** Counters of one stream decoder, updated in place. */
export interface DecoderStats {
  /** Frames decoded and handed out. */
  frames: number;
  /** Faults handed out. */
  faults: number;
  /** Bytes not handed out as part of a frame (garbage, bad and oversized frames). */
  bytesDiscarded: number;
  /** Times the decoder lost frame alignment and scanned for the next frame start. */
  resyncs: number;
}

/** Options of a stream decoder. */
export interface DecoderOptions {
  /**
   * Longest frame accepted, in bytes with delimiters (native header and CRC, telegram STX…ETX,
   * NDJSON line with its newline). Longer frames are skipped with
   * `SORTLINE_ERR_PROTOCOL_LENGTH_OVER_LIMIT`. It is also the size of the decoder's only buffer.
   * Default and allowed range: the codec's `defaultMaxFrameBytes` and `minMaxFrameBytes`..1 MiB.
   */
  maxFrameBytes?: number;
}

/**
 * A push-driven decoder of one byte stream (one connection). Never throws.
 *
 * Use: `push(chunk)` each chunk as it arrives, then call `next()` until it returns null. The
 * decoder keeps a reference to a pushed chunk until `next()` has consumed it (do not reuse the
 * chunk's memory before then), copying only the bytes of an unfinished frame into its one buffer of
 * `maxFrameBytes` bytes.
 */
export interface StreamDecoder {
  /** Hands the decoder the next bytes of the stream. */
  push(chunk: Uint8Array): void;
  /** The next frame or fault, or null when more bytes are needed. */
  next(): DecodedFrame | DecodeFault | null;
  /**
   * The stream has ended: returns a `SORTLINE_ERR_PROTOCOL_TRUNCATED` fault when bytes of an
   * unfinished frame remain (after `next()` returned null), else null; then the decoder starts afresh.
   */
  end(): DecodeFault | null;
  /** Bytes held in the decoder's buffer now (≤ `maxFrameBytes`). */
  readonly bufferedBytes: number;
  /** The limit in force. */
  readonly maxFrameBytes: number;
  readonly stats: DecoderStats;
}

/**
 * The NAK reason a session sends for `fault`, or 0 when no NAK is due (sequence number unknown, or
 * the frame did not ask for an ACK). See docs/protocol.md "NAK".
 */
export function nakReasonFor(fault: DecodeFault): NakReasonCode | 0 {
  if (fault.seq < 0 || !fault.ackRequired) return 0;
  switch (fault.fault) {
    case ProtocolFault.CHECKSUM:
      return NakReason.CHECKSUM;
    case ProtocolFault.BAD_VERSION:
    case ProtocolFault.UNKNOWN_TYPE:
      return NakReason.UNSUPPORTED;
    case ProtocolFault.LENGTH_OVER_LIMIT:
      return NakReason.TOO_LARGE;
    default:
      return NakReason.MALFORMED;
  }
}

/** The first 80 characters of what a parser threw, for a fault message (whatever was thrown). */
export function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.slice(0, 80);
}
