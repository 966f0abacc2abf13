/**
 * The codec interface every gateway dialect implements (bytes ↔ messages), and the argument
 * checks their encoders share. Transports feed a codec's decoder; sessions call its encoder.
 */
import { SortlineError } from '../errors.js';
import type { MessageTypeCode } from './codes.js';
import type { DecoderOptions, StreamDecoder } from './faults.js';
import type { FrameHeader, Message } from './messages.js';
import { messageTypeCode, type FieldMap, type ObjectBodyReader } from './object-body.js';

/** Dialect names, as given to `--dialect`. */
export type DialectName = 'native' | 'telegram' | 'ndjson';

/** A wire dialect: frames messages into bytes and decodes byte streams back into messages. */
export interface Codec {
  readonly name: DialectName;
  /** Highest sequence number the dialect carries; sessions wrap from it back to 1 (sequence.ts). */
  readonly maxSeq: number;
  /** Highest header timestamp (ms since the Unix epoch) the dialect carries. */
  readonly maxTimestampMs: number;
  /** Default `maxFrameBytes` of its decoders: the longest frame any valid message can need. */
  readonly defaultMaxFrameBytes: number;
  /** Smallest `maxFrameBytes` its decoders accept. */
  readonly minMaxFrameBytes: number;
  /**
   * One frame holding `message`, in a new array.
   * @throws SortlineError `SORTLINE_ERR_PROTOCOL_ENCODE_INVALID` when the message or header is
   *   outside the dialect's limits (the message names the field).
   */
  encode(message: Message, header: FrameHeader): Uint8Array;
  /**
   * A decoder for one byte stream (one connection).
   * @throws SortlineError `SORTLINE_ERR_PROTOCOL_BAD_OPTION` for an out-of-range option.
   */
  createDecoder(options?: DecoderOptions): StreamDecoder;
}

/**
 * Checks `message` with `reader` (codes mode) and returns its type code and the normalised copy
 * the encoder writes.
 * @throws SortlineError `SORTLINE_ERR_PROTOCOL_ENCODE_INVALID`.
 */
export function checkMessageForEncode(
  reader: ObjectBodyReader,
  message: Message,
): { code: MessageTypeCode; message: Message } {
  const code = messageTypeCode((message as { type?: unknown }).type);
  if (code === -1) {
    throw new SortlineError(
      'SORTLINE_ERR_PROTOCOL_ENCODE_INVALID',
      `type: unknown message type ${JSON.stringify((message as { type?: unknown }).type)}`,
      { pointer: '/type' },
    );
  }
  const m = reader.read(code, message as unknown as FieldMap, TYPE_KEY);
  if (m === null) throw encodeError(reader.error);
  return { code, message: m };
}

const TYPE_KEY = ['type'] as const;

/**
 * Checks a frame header against a dialect's limits.
 * @throws SortlineError `SORTLINE_ERR_PROTOCOL_ENCODE_INVALID`.
 */
export function checkHeaderForEncode(
  header: FrameHeader,
  maxSeq: number,
  maxTimestampMs: number,
): void {
  const { seq, ackRequired, timestampMs } = header;
  if (!Number.isInteger(seq) || seq < 0 || seq > maxSeq)
    throw encodeError(`seq: expected an integer 0–${maxSeq}, got ${String(seq)}`);
  if (typeof ackRequired !== 'boolean')
    throw encodeError(`ackRequired: expected a boolean, got ${String(ackRequired)}`);
  if (!Number.isInteger(timestampMs) || timestampMs < 0 || timestampMs > maxTimestampMs) {
    throw encodeError(
      `timestampMs: expected an integer 0–${maxTimestampMs}, got ${String(timestampMs)}`,
    );
  }
}

/** An `SORTLINE_ERR_PROTOCOL_ENCODE_INVALID` error for a fault text `field: what was expected`. */
export function encodeError(fault: string): SortlineError {
  const field = fault.slice(0, Math.max(0, fault.indexOf(':')));
  const pointer = '/' + field.replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/');
  return new SortlineError('SORTLINE_ERR_PROTOCOL_ENCODE_INVALID', `cannot encode: ${fault}`, {
    pointer,
  });
}
