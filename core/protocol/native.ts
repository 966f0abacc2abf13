/**
 * Sortline's native dialect (docs/protocol.md "Native dialect"): binary frames, big-endian.
 *
 * ```
 * offset size field
 *  0     2    magic 0xC1 0x53
 *  2     1    version (1)
 *  3     1    message type (codes.ts MessageType)
 *  4     1    flags: bit 0 ACK-required; bits 1–7 reserved, 0
 *  5     1    reserved, 0
 *  6     2    body length N (uint16)
 *  8     4    sequence number (uint32)
 * 12     8    timestamp, ms since the Unix epoch (uint64, < 2^53)
 * 20     4    header CRC: CRC-32/ISO-HDLC of bytes 0..19
 * 24     N    body: one MessagePack map (object-body.ts keys, enumerations as integer codes)
 * 24+N   4    body CRC: CRC-32/ISO-HDLC of the N body bytes
 * ```
 * The header CRC lets a corrupted length be caught at once; the body CRC confirms the length. A
 * frame refused before its body CRC is checked (version, reserved bits, oversized, unknown type)
 * or failing it is dropped by scanning for the next magic from its second byte, so a wrong length
 * never swallows the frames after it, and an oversized frame is never buffered.
 * The body is written by msgpackr with records off, so any MessagePack decoder reads it.
 */
import { Packr, Unpackr } from 'msgpackr';
import { MESSAGE_TYPE_NAMES, type MessageTypeCode } from './codes.js';
import { checkHeaderForEncode, checkMessageForEncode, encodeError, type Codec } from './codec.js';
import { crc32 } from './crc32.js';
import {
  errorText,
  ProtocolFault,
  type DecodedFrame,
  type DecodeFault,
  type DecoderOptions,
  type ProtocolFaultId,
} from './faults.js';
import { Limits } from './limits.js';
import type { FrameHeader, Message } from './messages.js';
import { isFieldMap, messageToFieldMap, ObjectBodyReader } from './object-body.js';
import { FramedDecoder, resolveMaxFrameBytes } from './stream.js';

/** Constants of the native frame layout. */
export const Native = {
  MAGIC_0: 0xc1,
  MAGIC_1: 0x53,
  VERSION: 1,
  HEADER_BYTES: 24,
  CRC_BYTES: 4,
  /** Header bytes covered by the header CRC. */
  HEADER_CRC_AT: 20,
  FLAG_ACK_REQUIRED: 0x01,
  /** Longest body the length field can say. */
  MAX_BODY_BYTES: 0xffff,
  /** Default decoder limit: above the longest frame a valid message needs (about 2.6 KiB). */
  DEFAULT_MAX_FRAME_BYTES: 4096,
} as const;

const OVERHEAD = Native.HEADER_BYTES + Native.CRC_BYTES;
/** Highest timestamp high word: timestamps stay below 2^53. */
const MAX_TS_HIGH = 0x1f_ffff;

const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

function readU32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function writeU32(b: Uint8Array, i: number, v: number): void {
  b[i] = v >>> 24;
  b[i + 1] = v >>> 16;
  b[i + 2] = v >>> 8;
  b[i + 3] = v;
}

/** The native codec. */
class NativeCodec implements Codec {
  readonly name = 'native' as const;
  readonly maxSeq = Limits.U32_MAX;
  readonly maxTimestampMs = Limits.MAX_TIMESTAMP_MS;
  readonly defaultMaxFrameBytes = Native.DEFAULT_MAX_FRAME_BYTES;
  /** A heartbeat: header, a one-byte empty map, body CRC. */
  readonly minMaxFrameBytes = OVERHEAD + 1;
  private readonly reader = new ObjectBodyReader(false, Limits.U32_MAX);

  encode(message: Message, header: FrameHeader): Uint8Array {
    const { code, message: m } = checkMessageForEncode(this.reader, message);
    checkHeaderForEncode(header, this.maxSeq, this.maxTimestampMs);
    const body = packr.pack(messageToFieldMap(m, false));
    const n = body.length;
    if (n > this.defaultMaxFrameBytes - OVERHEAD)
      throw encodeError(
        `body: ${n} bytes, more than the ${this.defaultMaxFrameBytes - OVERHEAD} a native frame carries`,
      );
    const out = new Uint8Array(OVERHEAD + n);
    out[0] = Native.MAGIC_0;
    out[1] = Native.MAGIC_1;
    out[2] = Native.VERSION;
    out[3] = code;
    out[4] = header.ackRequired ? Native.FLAG_ACK_REQUIRED : 0;
    out[5] = 0;
    out[6] = n >>> 8;
    out[7] = n & 0xff;
    writeU32(out, 8, header.seq);
    writeU32(out, 12, Math.floor(header.timestampMs / 0x1_0000_0000));
    writeU32(out, 16, header.timestampMs % 0x1_0000_0000);
    writeU32(out, Native.HEADER_CRC_AT, crc32(out, 0, Native.HEADER_CRC_AT));
    out.set(body, Native.HEADER_BYTES);
    writeU32(
      out,
      Native.HEADER_BYTES + n,
      crc32(out, Native.HEADER_BYTES, Native.HEADER_BYTES + n),
    );
    return out;
  }

  createDecoder(options?: DecoderOptions): NativeDecoder {
    return new NativeDecoder(
      resolveMaxFrameBytes(options, this.defaultMaxFrameBytes, this.minMaxFrameBytes),
    );
  }
}

/** Stream decoder of native frames. */
class NativeDecoder extends FramedDecoder {
  private readonly reader = new ObjectBodyReader(false, Limits.U32_MAX);

  protected scan(): DecodedFrame | DecodeFault | null {
    const b = this.buf;
    for (;;) {
      const p = this.start;
      const avail = this.filled - p;
      if (avail === 0) return null;
      if (b[p] !== Native.MAGIC_0 || (avail > 1 && b[p + 1] !== Native.MAGIC_1)) {
        if (!this.resyncing) {
          this.beginResync();
          return this.fault(ProtocolFault.GARBAGE, `expected magic C1 53, got ${hex(b[p]!)}`, p);
        }
        let q = p + 1;
        while (q < this.filled && b[q] !== Native.MAGIC_0) q++;
        this.drop(q - p);
        continue;
      }
      if (avail < Native.HEADER_BYTES) return null;
      if (crc32(b, p, p + Native.HEADER_CRC_AT) !== readU32(b, p + Native.HEADER_CRC_AT)) {
        const silent = this.resyncing;
        const f = silent
          ? null
          : this.fault(ProtocolFault.HEADER_CHECKSUM, 'header CRC-32 mismatch', p);
        this.drop(1);
        this.beginResync();
        if (f !== null) return f;
        continue;
      }
      return this.frameAt(p, avail);
    }
  }

  /** The frame whose header at `buf[p]` passed its CRC. */
  private frameAt(p: number, avail: number): DecodedFrame | DecodeFault | null {
    const b = this.buf;
    const version = b[p + 2]!;
    const type = b[p + 3]!;
    const flags = b[p + 4]!;
    const n = (b[p + 6]! << 8) | b[p + 7]!;
    const seq = readU32(b, p + 8);
    const tsHigh = readU32(b, p + 12);
    const ack = (flags & Native.FLAG_ACK_REQUIRED) !== 0;
    const total = OVERHEAD + n;
    this.resyncing = false;
    let id: ProtocolFaultId | 0 = 0;
    let why = '';
    if (version !== Native.VERSION) {
      id = ProtocolFault.BAD_VERSION;
      why = `version ${version}, expected ${Native.VERSION}`;
    } else if ((flags & ~Native.FLAG_ACK_REQUIRED) !== 0 || b[p + 5] !== 0) {
      id = ProtocolFault.BAD_HEADER;
      why = `reserved flag bits or reserved byte not zero (flags ${hex(flags)}, byte 5 ${hex(b[p + 5]!)})`;
    } else if (tsHigh > MAX_TS_HIGH) {
      id = ProtocolFault.BAD_HEADER;
      why = 'timestamp: expected below 2^53 ms';
    } else if (total > this.maxFrameBytes) {
      id = ProtocolFault.LENGTH_OVER_LIMIT;
      why = `frame of ${total} bytes, longer than maxFrameBytes ${this.maxFrameBytes}`;
    } else if (!Object.hasOwn(MESSAGE_TYPE_NAMES, type)) {
      id = ProtocolFault.UNKNOWN_TYPE;
      why = `message type ${type}`;
    }
    if (id !== 0) {
      // The length of a refused frame is not confirmed by its body CRC (and an oversized frame
      // cannot be buffered to check it): look for the next magic from the next byte instead.
      const f = this.fault(id, why, p, seq, ack);
      this.drop(1);
      this.beginResync();
      return f;
    }
    if (avail < total) return null;
    const bodyAt = p + Native.HEADER_BYTES;
    if (crc32(b, bodyAt, bodyAt + n) !== readU32(b, bodyAt + n)) {
      const f = this.fault(ProtocolFault.CHECKSUM, 'body CRC-32 mismatch', p, seq, ack);
      // The header is intact but the body is not: bytes may have been lost inside it, so look for
      // the next magic from the next byte rather than trusting the length.
      this.drop(1);
      this.beginResync();
      return f;
    }
    let body: unknown;
    try {
      body = n === 0 ? undefined : unpackr.unpack(b, { start: bodyAt, end: bodyAt + n });
    } catch (e) {
      const f = this.fault(
        ProtocolFault.BAD_BODY,
        `body is not one MessagePack value: ${errorText(e)}`,
        p,
        seq,
        ack,
      );
      this.drop(total);
      return f;
    }
    if (!isFieldMap(body)) {
      const f = this.fault(ProtocolFault.BAD_BODY, 'body: expected a MessagePack map', p, seq, ack);
      this.drop(total);
      return f;
    }
    const m = this.reader.read(type as MessageTypeCode, body, NO_KEYS);
    if (m === null) {
      const f = this.fault(
        ProtocolFault.BAD_FIELD,
        `${MESSAGE_TYPE_NAMES[type as MessageTypeCode]}.${this.reader.error}`,
        p,
        seq,
        ack,
      );
      this.drop(total);
      return f;
    }
    const ts = tsHigh * 0x1_0000_0000 + readU32(b, p + 16);
    return this.frame(m, seq, ack, ts, p, total);
  }
}

const NO_KEYS: readonly string[] = [];

function hex(v: number): string {
  return v.toString(16).toUpperCase().padStart(2, '0');
}

/** The native dialect. */
export const nativeCodec: Codec = new NativeCodec();
