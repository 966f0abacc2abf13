/**
 * The NDJSON dialect (docs/protocol.md "NDJSON dialect"): one JSON object (RFC 8259) per line,
 * UTF-8, each line ended by LF (a CR before it is ignored), in the manner of ndjson.org.
 *
 * ```
 * {"type":"ack","seq":0,"ack":false,"ts":1764420000000,"ackSeq":41}
 * ```
 * Header keys: `type` (message type name), `seq` (uint32), `ack` (boolean, default false), `ts`
 * (ms since the Unix epoch, default 0); then the body keys of object-body.ts with enumerations as
 * names. A line longer than `maxFrameBytes` is a fault and the decoder resumes after the next LF.
 * Blank lines are skipped.
 */
import { SortlineError } from '../errors.js';
import { MESSAGE_TYPE_NAMES } from './codes.js';
import { checkHeaderForEncode, checkMessageForEncode, type Codec } from './codec.js';
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
import {
  isFieldMap,
  messageToFieldMap,
  messageTypeCode,
  ObjectBodyReader,
  type FieldMap,
} from './object-body.js';
import { FramedDecoder, resolveMaxFrameBytes } from './stream.js';

const LF = 0x0a;
const CR = 0x0d;

/** Header keys of an NDJSON line, besides the body keys. */
export const NDJSON_HEADER_KEYS: readonly string[] = ['type', 'seq', 'ack', 'ts'];

/**
 * Default line limit in bytes, LF included: the longest valid message is a sort request of 8 reads
 * of 256 control characters, each escaped as `\u001d` (6 bytes): about 12.9 KiB.
 */
export const NDJSON_DEFAULT_MAX_LINE_BYTES = 16_384;

const encoder = new TextEncoder();

/** The NDJSON codec. */
class NdjsonCodec implements Codec {
  readonly name = 'ndjson' as const;
  readonly maxSeq = Limits.U32_MAX;
  readonly maxTimestampMs = Limits.MAX_TIMESTAMP_MS;
  readonly defaultMaxFrameBytes = NDJSON_DEFAULT_MAX_LINE_BYTES;
  /** `{"type":"heartbeat","seq":0}` and its LF. */
  readonly minMaxFrameBytes = 29;
  private readonly reader = new ObjectBodyReader(false, Limits.U32_MAX);

  encode(message: Message, header: FrameHeader): Uint8Array {
    const { message: m } = checkMessageForEncode(this.reader, message);
    checkHeaderForEncode(header, this.maxSeq, this.maxTimestampMs);
    const line: FieldMap = {
      type: m.type,
      seq: header.seq,
      ack: header.ackRequired,
      ts: header.timestampMs,
    };
    const out = encoder.encode(JSON.stringify(messageToFieldMap(m, true, line)) + '\n');
    if (out.length > this.defaultMaxFrameBytes) {
      throw new SortlineError(
        'SORTLINE_ERR_PROTOCOL_ENCODE_INVALID',
        `cannot encode: line of ${out.length} bytes, over ${this.defaultMaxFrameBytes}`,
      );
    }
    return out;
  }

  createDecoder(options?: DecoderOptions): NdjsonDecoder {
    return new NdjsonDecoder(
      resolveMaxFrameBytes(options, this.defaultMaxFrameBytes, this.minMaxFrameBytes),
    );
  }
}

/** Stream decoder of NDJSON lines. */
class NdjsonDecoder extends FramedDecoder {
  private readonly reader = new ObjectBodyReader(true, Limits.U32_MAX);
  private readonly text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  protected scan(): DecodedFrame | DecodeFault | null {
    const b = this.buf;
    for (;;) {
      const p = this.start;
      if (p === this.filled) return null;
      if (this.resyncing) {
        // The rest of an overlong line: skip through its LF.
        let q = p;
        while (q < this.filled && b[q] !== LF) q++;
        if (q === this.filled) {
          this.drop(q - p);
          return null;
        }
        this.drop(q + 1 - p);
        this.resyncing = false;
        continue;
      }
      const limit = Math.min(this.filled, p + this.maxFrameBytes);
      let i = p + this.scanned;
      while (i < limit && b[i] !== LF) i++;
      if (i === limit) {
        if (limit === p + this.maxFrameBytes) {
          const f = this.fault(
            ProtocolFault.LENGTH_OVER_LIMIT,
            `line longer than maxFrameBytes ${this.maxFrameBytes} without LF`,
            p,
          );
          this.drop(limit - p);
          this.beginResync();
          return f;
        }
        this.scanned = i - p;
        return null;
      }
      let e = i > p && b[i - 1] === CR ? i - 1 : i;
      let s = p;
      while (s < e && isSpace(b[s]!)) s++;
      while (e > s && isSpace(b[e - 1]!)) e--;
      if (s === e) {
        this.drop(i + 1 - p);
        continue;
      }
      return this.line(p, s, e, i + 1 - p);
    }
  }

  /** The line at `buf[p..p+len)` whose JSON text is `buf[s..e)`. */
  private line(p: number, s: number, e: number, len: number): DecodedFrame | DecodeFault {
    let v: unknown;
    try {
      v = JSON.parse(this.text.decode(this.buf.subarray(s, e)));
    } catch (err) {
      return this.bad(ProtocolFault.BAD_BODY, `line is not UTF-8 JSON: ${errorText(err)}`, p, len);
    }
    if (!isFieldMap(v))
      return this.bad(ProtocolFault.BAD_BODY, 'line: expected a JSON object', p, len);
    const seq = v['seq'];
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > Limits.U32_MAX) {
      return this.bad(
        ProtocolFault.BAD_HEADER,
        `seq: expected an integer 0–${Limits.U32_MAX}`,
        p,
        len,
      );
    }
    const ackV = Object.hasOwn(v, 'ack') ? v['ack'] : false;
    if (typeof ackV !== 'boolean')
      return this.bad(ProtocolFault.BAD_HEADER, 'ack: expected true or false', p, len, seq);
    const ts = Object.hasOwn(v, 'ts') ? v['ts'] : 0;
    if (typeof ts !== 'number' || !Number.isInteger(ts) || ts < 0 || ts > Limits.MAX_TIMESTAMP_MS) {
      return this.bad(
        ProtocolFault.BAD_HEADER,
        'ts: expected an integer number of ms, 0–2^53-1',
        p,
        len,
        seq,
        ackV,
      );
    }
    const typeV = v['type'];
    if (typeof typeV !== 'string')
      return this.bad(
        ProtocolFault.BAD_HEADER,
        'type: expected a message type name',
        p,
        len,
        seq,
        ackV,
      );
    const type = messageTypeCode(typeV);
    if (type === -1)
      return this.bad(
        ProtocolFault.UNKNOWN_TYPE,
        `message type ${JSON.stringify(typeV.slice(0, 40))}`,
        p,
        len,
        seq,
        ackV,
      );
    const m = this.reader.read(type, v, NDJSON_HEADER_KEYS);
    if (m === null) {
      return this.bad(
        ProtocolFault.BAD_FIELD,
        `${MESSAGE_TYPE_NAMES[type]}.${this.reader.error}`,
        p,
        len,
        seq,
        ackV,
      );
    }
    return this.frame(m, seq, ackV, ts, p, len);
  }

  /** A fault for the line at `buf[p..p+len)`, which is dropped. */
  private bad(
    id: ProtocolFaultId,
    why: string,
    p: number,
    len: number,
    seq = -1,
    ack = false,
  ): DecodeFault {
    const f = this.fault(id, why, p, seq, ack);
    this.drop(len);
    return f;
  }
}

/** JSON insignificant whitespace (RFC 8259 §2) other than LF. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === CR;
}

/** The NDJSON dialect. */
export const ndjsonCodec: Codec = new NdjsonCodec();
