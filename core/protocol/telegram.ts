/**
 * The telegram dialect (docs/protocol.md "Telegram dialect"): fixed-length ASCII telegrams
 * between STX (0x02) and ETX (0x03), in the style of the fixed-layout telegrams of sorter PLCs.
 *
 * ```
 * STX | type 2 | seq 6 | ack 1 | timestamp 13 | body (fixed per type) | BCC 2 | ETX
 * ```
 * Numbers are decimal, zero-padded on the left; text is space-padded on the right. The BCC is the
 * XOR of every byte from the first type character to the last body character, written as two
 * uppercase hex digits. Body layouts are in {@link TELEGRAM_BODY_BYTES} and docs/protocol.md.
 * Telegrams hold printable ASCII (0x20–0x7E) only, plus 0x1D (FNC1) inside read data, so STX and
 * ETX never occur inside one: an STX before the ETX means the previous telegram was cut.
 */
import { MESSAGE_TYPE_NAMES, MessageType, type MessageTypeCode } from './codes.js';
import { checkHeaderForEncode, checkMessageForEncode, encodeError, type Codec } from './codec.js';
import {
  ProtocolFault,
  type DecodedFrame,
  type DecodeFault,
  type DecoderOptions,
  type ProtocolFaultId,
} from './faults.js';
import { Limits } from './limits.js';
import type { FrameHeader, Message, Read } from './messages.js';
import { LINK_NONCE_HEX, LINK_PROOF_HEX, ObjectBodyReader, type FieldMap } from './object-body.js';
import { FramedDecoder, resolveMaxFrameBytes } from './stream.js';

export const STX = 0x02;
export const ETX = 0x03;
const SPACE = 0x20;
const GS = 0x1d;
const ZERO = 0x30;
const ONE = 0x31;

/** Telegram limits that are tighter than the common ones (limits.ts). */
export const TelegramLimits = {
  /** Sequence numbers are six digits; sessions wrap from 999,999 to 1. */
  MAX_SEQ: 999_999,
  /** Timestamps are 13 digits of ms since the Unix epoch (up to the year 2286). */
  MAX_TIMESTAMP_MS: 9_999_999_999_999,
  /** Read slots in a sort request. */
  MAX_READS: 4,
  /** Characters of read data per slot. */
  READ_DATA_CHARS: 64,
} as const;

/** Two-character type code of each message type. */
export const TELEGRAM_TYPES: Readonly<Record<MessageTypeCode, string>> = {
  [MessageType.SORT_REQUEST]: 'SR',
  [MessageType.DESTINATION_REPLY]: 'DR',
  [MessageType.SORT_CONFIRMATION]: 'SC',
  [MessageType.CHUTE_STATE]: 'CS',
  [MessageType.HEARTBEAT]: 'HB',
  [MessageType.ACK]: 'AK',
  [MessageType.NAK]: 'NK',
  [MessageType.LINK_SYNC]: 'LS',
};

/** Bytes between STX and the body: type 2, seq 6, ack flag 1, timestamp 13. */
export const TELEGRAM_HEADER_BYTES = 22;
/** One read slot of a sort request: source 1, scanner 5, data length 2, data 64. */
const READ_SLOT = 1 + 5 + 2 + TelegramLimits.READ_DATA_CHARS;
/** Fields of a sort request before its read slots: task 10, turn 3, induct 5, scanner 5, carrier 5, weight 6, length 5, width 5, height 5, read count 1. */
const SR_FIXED = 10 + 3 + 5 + 5 + 5 + 6 + 5 + 5 + 5 + 1;

/** Body length of each message type. */
export const TELEGRAM_BODY_BYTES: Readonly<Record<MessageTypeCode, number>> = {
  [MessageType.SORT_REQUEST]: SR_FIXED + TelegramLimits.MAX_READS * READ_SLOT,
  [MessageType.DESTINATION_REPLY]: 10 + 3 + 2 + 5 + 1 + Limits.MAX_CHUTES * 5,
  [MessageType.SORT_CONFIRMATION]: 10 + 3 + 5 + 2,
  [MessageType.CHUTE_STATE]: 5 + 1 + 5,
  [MessageType.HEARTBEAT]: 0,
  [MessageType.ACK]: 6,
  [MessageType.NAK]: 6 + 2,
  [MessageType.LINK_SYNC]: 6 + 6,
};

/** Whole telegram length, STX to ETX: 1 + 22 + body + 2 + 1. */
export function telegramLength(type: MessageTypeCode): number {
  return 1 + TELEGRAM_HEADER_BYTES + TELEGRAM_BODY_BYTES[type] + 2 + 1;
}

/**
 * `LA`, the authenticated link sync (docs/protocol.md "Authentication"): the LS body, then the
 * nonce (32 lowercase hex digits) and the proof (64 lowercase hex digits, or 64 spaces when the
 * sync carries only a nonce, as the controller's challenge does). Decodes to a `linkSync` message.
 */
export const TELEGRAM_AUTH_SYNC_TYPE = 'LA';
/** Body length of an `LA` telegram: lastReceivedSeq 6, nextSendSeq 6, nonce 32, proof 64. */
export const TELEGRAM_AUTH_SYNC_BODY_BYTES = 6 + 6 + LINK_NONCE_HEX + LINK_PROOF_HEX;
const AUTH_SYNC_LENGTH = 1 + TELEGRAM_HEADER_BYTES + TELEGRAM_AUTH_SYNC_BODY_BYTES + 2 + 1;
/** The pseudo type code `typeAt` gives an `LA` telegram (not a message type of its own). */
const AUTH_SYNC = -2;

/** Character of each read source code: S scanner, R rfid, M manual. */
const SOURCE_CHARS: readonly number[] = [0x53, 0x52, 0x4d];
const HEX = '0123456789ABCDEF';
const MAX_TELEGRAM = telegramLength(MessageType.SORT_REQUEST);

/** Message type of a two-character code at `b[i]`, {@link AUTH_SYNC} for `LA`, or -1. */
function typeAt(b: Uint8Array, i: number): MessageTypeCode | -1 | -2 {
  const c0 = b[i]!;
  const c1 = b[i + 1]!;
  if (c0 === 0x4c && c1 === 0x41) return AUTH_SYNC;
  for (const [code, t] of TYPE_ENTRIES)
    if (t.charCodeAt(0) === c0 && t.charCodeAt(1) === c1) return code;
  return -1;
}
const TYPE_ENTRIES = Object.entries(TELEGRAM_TYPES).map(
  ([k, v]) => [Number(k) as MessageTypeCode, v] as const,
);

/** Value of `n` decimal digits at `b[i]`, or -1 when one is not a digit. */
function digits(b: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = b[k]! - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** The `n` bytes at `b[i]` as a string of the same character codes. */
function latin1(b: Uint8Array, i: number, n: number): string {
  return String.fromCharCode.apply(null, b.subarray(i, i + n) as unknown as number[]);
}

function hex(v: number): string {
  return v.toString(16).toUpperCase().padStart(2, '0');
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Writes the ASCII string `s` at `b[i]`. */
function putAscii(b: Uint8Array, i: number, s: string): void {
  for (let k = 0; k < s.length; k++) b[i + k] = s.charCodeAt(k);
}

/** Writes `v` as `n` zero-padded decimal digits at `b[i]` (v fits: checked by the caller). */
function putDigits(b: Uint8Array, i: number, n: number, v: number): void {
  for (let k = i + n - 1; k >= i; k--) {
    b[k] = ZERO + (v % 10);
    v = Math.floor(v / 10);
  }
}

/** The telegram codec. */
class TelegramCodec implements Codec {
  readonly name = 'telegram' as const;
  readonly maxSeq = TelegramLimits.MAX_SEQ;
  readonly maxTimestampMs = TelegramLimits.MAX_TIMESTAMP_MS;
  readonly defaultMaxFrameBytes = MAX_TELEGRAM;
  readonly minMaxFrameBytes = MAX_TELEGRAM;
  private readonly reader = new ObjectBodyReader(false, TelegramLimits.MAX_SEQ);

  encode(message: Message, header: FrameHeader): Uint8Array {
    const { code, message: m } = checkMessageForEncode(this.reader, message);
    checkHeaderForEncode(header, this.maxSeq, this.maxTimestampMs);
    const auth = m.type === 'linkSync' && m.nonce !== undefined;
    const out = new Uint8Array(auth ? AUTH_SYNC_LENGTH : telegramLength(code)).fill(SPACE);
    out[0] = STX;
    const t = auth ? TELEGRAM_AUTH_SYNC_TYPE : TELEGRAM_TYPES[code];
    out[1] = t.charCodeAt(0);
    out[2] = t.charCodeAt(1);
    putDigits(out, 3, 6, header.seq);
    out[9] = header.ackRequired ? ONE : ZERO;
    putDigits(out, 10, 13, header.timestampMs);
    writeBody(out, 1 + TELEGRAM_HEADER_BYTES, m);
    const bccAt = out.length - 3;
    let x = 0;
    for (let i = 1; i < bccAt; i++) x ^= out[i]!;
    out[bccAt] = HEX.charCodeAt(x >>> 4);
    out[bccAt + 1] = HEX.charCodeAt(x & 15);
    out[bccAt + 2] = ETX;
    return out;
  }

  createDecoder(options?: DecoderOptions): TelegramDecoder {
    return new TelegramDecoder(
      resolveMaxFrameBytes(options, this.defaultMaxFrameBytes, this.minMaxFrameBytes),
    );
  }
}

/** Writes the body of `m` at `b[i]` (the array is pre-filled with spaces). */
function writeBody(b: Uint8Array, i: number, m: Message): void {
  switch (m.type) {
    case 'sortRequest': {
      if (m.reads.length > TelegramLimits.MAX_READS) {
        throw encodeError(
          `reads: ${m.reads.length} reads, a telegram has ${TelegramLimits.MAX_READS} read slots`,
        );
      }
      putDigits(b, i, 10, m.taskId);
      putDigits(b, i + 10, 3, m.turn);
      putDigits(b, i + 13, 5, m.induct);
      putDigits(b, i + 18, 5, m.scanner);
      putDigits(b, i + 23, 5, m.carrier);
      putDigits(b, i + 28, 6, m.weightG);
      putDigits(b, i + 34, 5, m.lengthMm);
      putDigits(b, i + 39, 5, m.widthMm);
      putDigits(b, i + 44, 5, m.heightMm);
      putDigits(b, i + 49, 1, m.reads.length);
      for (let r = 0; r < m.reads.length; r++)
        writeRead(b, i + SR_FIXED + r * READ_SLOT, m.reads[r]!, r);
      return;
    }
    case 'destinationReply':
      putDigits(b, i, 10, m.taskId);
      putDigits(b, i + 10, 3, m.turn);
      putDigits(b, i + 13, 2, m.status);
      putDigits(b, i + 15, 5, m.exceptionChute);
      putDigits(b, i + 20, 1, m.chutes.length);
      for (let c = 0; c < Limits.MAX_CHUTES; c++) putDigits(b, i + 21 + c * 5, 5, m.chutes[c] ?? 0);
      return;
    case 'sortConfirmation':
      putDigits(b, i, 10, m.taskId);
      putDigits(b, i + 10, 3, m.turn);
      putDigits(b, i + 13, 5, m.chute);
      putDigits(b, i + 18, 2, m.outcome);
      return;
    case 'chuteState':
      putDigits(b, i, 5, m.chute);
      putDigits(b, i + 5, 1, m.state);
      if (m.fill !== undefined) putDigits(b, i + 6, 5, m.fill);
      return;
    case 'heartbeat':
      return;
    case 'ack':
      putDigits(b, i, 6, m.ackSeq);
      return;
    case 'nak':
      putDigits(b, i, 6, m.nakSeq);
      putDigits(b, i + 6, 2, m.reason);
      return;
    case 'linkSync':
      putDigits(b, i, 6, m.lastReceivedSeq);
      putDigits(b, i + 6, 6, m.nextSendSeq);
      if (m.nonce !== undefined) putAscii(b, i + 12, m.nonce);
      if (m.proof !== undefined) putAscii(b, i + 12 + LINK_NONCE_HEX, m.proof);
      return;
  }
}

function writeRead(b: Uint8Array, i: number, r: Read, index: number): void {
  const d = r.data;
  if (d.length > TelegramLimits.READ_DATA_CHARS) {
    throw encodeError(
      `reads[${index}].data: ${d.length} characters, a telegram slot holds ${TelegramLimits.READ_DATA_CHARS}`,
    );
  }
  b[i] = SOURCE_CHARS[r.source]!;
  putDigits(b, i + 1, 5, r.scanner);
  putDigits(b, i + 6, 2, d.length);
  for (let k = 0; k < d.length; k++) {
    const c = d.charCodeAt(k);
    if ((c < 0x20 || c > 0x7e) && c !== GS) {
      throw encodeError(
        `reads[${index}].data: character ${k} is U+${c.toString(16).toUpperCase().padStart(4, '0')}; telegrams carry printable ASCII and 0x1D only`,
      );
    }
    b[i + 8 + k] = c;
  }
}

/** Stream decoder of telegrams. */
class TelegramDecoder extends FramedDecoder {
  private readonly reader = new ObjectBodyReader(false, TelegramLimits.MAX_SEQ);
  /** The fault of the last {@link parseBody}, '' after a good one. */
  private fieldError = '';

  protected scan(): DecodedFrame | DecodeFault | null {
    const b = this.buf;
    for (;;) {
      const p = this.start;
      if (p === this.filled) return null;
      if (b[p] !== STX) {
        if (!this.resyncing) {
          this.beginResync();
          return this.fault(ProtocolFault.GARBAGE, `expected STX (02), got ${hex(b[p]!)}`, p);
        }
        let q = p + 1;
        while (q < this.filled && b[q] !== STX) q++;
        this.drop(q - p);
        continue;
      }
      const limit = Math.min(this.filled, p + this.maxFrameBytes);
      let i = p + 1 + this.scanned;
      while (i < limit && b[i] !== ETX && b[i] !== STX) i++;
      if (i < limit) {
        if (b[i] === STX) {
          const f = this.fault(
            ProtocolFault.TRUNCATED,
            `telegram cut: STX at offset ${this.offsetOf(i)} before ETX`,
            p,
          );
          this.drop(i - p);
          this.resyncing = false;
          return f;
        }
        return this.telegram(p, i + 1 - p);
      }
      if (limit === p + this.maxFrameBytes) {
        const f = this.fault(
          ProtocolFault.LENGTH_OVER_LIMIT,
          `no ETX within maxFrameBytes ${this.maxFrameBytes}`,
          p,
        );
        this.drop(limit - p);
        this.beginResync();
        return f;
      }
      this.scanned = i - p - 1;
      return null;
    }
  }

  /** The telegram at `buf[p..p+len)`, STX to ETX. */
  private telegram(p: number, len: number): DecodedFrame | DecodeFault {
    const b = this.buf;
    this.resyncing = false;
    const min = 1 + TELEGRAM_HEADER_BYTES + 2 + 1;
    if (len < min)
      return this.bad(
        ProtocolFault.BAD_LENGTH,
        `telegram of ${len} bytes, shorter than the ${min} of a heartbeat`,
        p,
        len,
      );
    const bccAt = p + len - 3;
    let x = 0;
    for (let i = p + 1; i < bccAt; i++) x ^= b[i]!;
    const hi = hexValue(b[bccAt]!);
    const lo = hexValue(b[bccAt + 1]!);
    if (hi < 0 || lo < 0 || ((hi << 4) | lo) !== x) {
      return this.bad(
        ProtocolFault.CHECKSUM,
        `BCC: expected ${HEX[x >>> 4]}${HEX[x & 15]}, got bytes ${hex(b[bccAt]!)} ${hex(b[bccAt + 1]!)}`,
        p,
        len,
      );
    }
    const seq = digits(b, p + 3, 6);
    if (seq < 0) return this.bad(ProtocolFault.BAD_HEADER, 'seq: expected 6 digits', p, len);
    const flag = b[p + 9]!;
    if (flag !== ZERO && flag !== ONE)
      return this.bad(ProtocolFault.BAD_HEADER, 'ack: expected 0 or 1', p, len, seq);
    const ack = flag === ONE;
    const ts = digits(b, p + 10, 13);
    if (ts < 0)
      return this.bad(ProtocolFault.BAD_HEADER, 'timestamp: expected 13 digits', p, len, seq, ack);
    const at = typeAt(b, p + 1);
    if (at === -1) {
      return this.bad(
        ProtocolFault.UNKNOWN_TYPE,
        `message type "${String.fromCharCode(b[p + 1]!, b[p + 2]!)}"`,
        p,
        len,
        seq,
        ack,
      );
    }
    const auth = at === AUTH_SYNC;
    const type: MessageTypeCode = auth ? MessageType.LINK_SYNC : at;
    const expected = auth ? AUTH_SYNC_LENGTH : telegramLength(type);
    if (len !== expected) {
      return this.bad(
        ProtocolFault.BAD_LENGTH,
        `${auth ? TELEGRAM_AUTH_SYNC_TYPE : TELEGRAM_TYPES[type]} telegram of ${len} bytes, expected ${expected}`,
        p,
        len,
        seq,
        ack,
      );
    }
    const m = this.parseBody(type, p + 1 + TELEGRAM_HEADER_BYTES, auth);
    if (m === null)
      return this.bad(
        ProtocolFault.BAD_FIELD,
        `${MESSAGE_TYPE_NAMES[type]}.${this.fieldError}`,
        p,
        len,
        seq,
        ack,
      );
    return this.frame(m, seq, ack, ts, p, len);
  }

  /** A fault for the telegram at `buf[p..p+len)`, which is dropped. */
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

  /** The message of a body at `buf[i]`, or null with {@link fieldError} set. */
  private parseBody(type: MessageTypeCode, i: number, auth = false): Message | null {
    this.fieldError = '';
    let o: FieldMap;
    switch (type) {
      case MessageType.SORT_REQUEST: {
        o = {
          taskId: this.num('taskId', i, 10),
          turn: this.num('turn', i + 10, 3),
          induct: this.num('induct', i + 13, 5),
          scanner: this.num('scanner', i + 18, 5),
          carrier: this.num('carrier', i + 23, 5),
          weightG: this.num('weightG', i + 28, 6),
          lengthMm: this.num('lengthMm', i + 34, 5),
          widthMm: this.num('widthMm', i + 39, 5),
          heightMm: this.num('heightMm', i + 44, 5),
        };
        const count = this.num('readCount', i + 49, 1);
        if (count > TelegramLimits.MAX_READS)
          this.failField(`readCount: expected 0–${TelegramLimits.MAX_READS}, got ${count}`);
        const reads: FieldMap[] = [];
        for (let r = 0; r < TelegramLimits.MAX_READS && this.fieldError === ''; r++) {
          const at = i + SR_FIXED + r * READ_SLOT;
          if (r < count) reads.push(this.read(at, r));
          else if (!this.blank(at, READ_SLOT))
            this.failField(`reads[${r}]: an unused read slot must be spaces`);
        }
        o['reads'] = reads;
        break;
      }
      case MessageType.DESTINATION_REPLY: {
        o = {
          taskId: this.num('taskId', i, 10),
          turn: this.num('turn', i + 10, 3),
          status: this.num('status', i + 13, 2),
          exceptionChute: this.num('exceptionChute', i + 15, 5),
        };
        const count = this.num('chuteCount', i + 20, 1);
        if (count > Limits.MAX_CHUTES)
          this.failField(`chuteCount: expected 0–${Limits.MAX_CHUTES}, got ${count}`);
        const chutes: number[] = [];
        for (let c = 0; c < Limits.MAX_CHUTES && this.fieldError === ''; c++) {
          const v = this.num(`chutes[${c}]`, i + 21 + c * 5, 5);
          if (c < count) chutes.push(v);
          else if (v !== 0) this.failField(`chutes[${c}]: an unused chute slot must be 00000`);
        }
        o['chutes'] = chutes;
        break;
      }
      case MessageType.SORT_CONFIRMATION:
        o = {
          taskId: this.num('taskId', i, 10),
          turn: this.num('turn', i + 10, 3),
          chute: this.num('chute', i + 13, 5),
          outcome: this.num('outcome', i + 18, 2),
        };
        break;
      case MessageType.CHUTE_STATE:
        o = { chute: this.num('chute', i, 5), state: this.num('state', i + 5, 1) };
        if (!this.blank(i + 6, 5)) o['fill'] = this.num('fill', i + 6, 5);
        break;
      case MessageType.HEARTBEAT:
        o = {};
        break;
      case MessageType.ACK:
        o = { ackSeq: this.num('ackSeq', i, 6) };
        break;
      case MessageType.NAK:
        o = { nakSeq: this.num('nakSeq', i, 6), reason: this.num('reason', i + 6, 2) };
        break;
      case MessageType.LINK_SYNC:
        o = {
          lastReceivedSeq: this.num('lastReceivedSeq', i, 6),
          nextSendSeq: this.num('nextSendSeq', i + 6, 6),
        };
        if (auth) {
          o['nonce'] = latin1(this.buf, i + 12, LINK_NONCE_HEX);
          const proofAt = i + 12 + LINK_NONCE_HEX;
          if (!this.blank(proofAt, LINK_PROOF_HEX))
            o['proof'] = latin1(this.buf, proofAt, LINK_PROOF_HEX);
        }
        break;
    }
    if (this.fieldError !== '') return null;
    const m = this.reader.read(type, o, NO_KEYS);
    if (m === null) this.fieldError = this.reader.error;
    return m;
  }

  /** The value of `n` digits at `buf[i]`; a fault naming `key` when they are not all digits. */
  private num(key: string, i: number, n: number): number {
    const v = digits(this.buf, i, n);
    if (v < 0) this.failField(`${key}: expected ${n} digits, got "${latin1(this.buf, i, n)}"`);
    return v;
  }

  /** The read slot at `buf[i]`, as a field map for the common checks. */
  private read(i: number, r: number): FieldMap {
    const b = this.buf;
    const source = SOURCE_CHARS.indexOf(b[i]!);
    if (source < 0)
      this.failField(`reads[${r}].source: expected S, R or M, got "${String.fromCharCode(b[i]!)}"`);
    const scanner = this.num(`reads[${r}].scanner`, i + 1, 5);
    const n = this.num(`reads[${r}].length`, i + 6, 2);
    if (n > TelegramLimits.READ_DATA_CHARS)
      this.failField(`reads[${r}].length: expected 00–${TelegramLimits.READ_DATA_CHARS}, got ${n}`);
    if (this.fieldError !== '') return {};
    for (let k = 0; k < n; k++) {
      const c = b[i + 8 + k]!;
      if ((c < 0x20 || c > 0x7e) && c !== GS) {
        this.failField(
          `reads[${r}].data: character ${k} is byte ${hex(c)}; expected printable ASCII or 1D`,
        );
        return {};
      }
    }
    if (!this.blank(i + 8 + n, TelegramLimits.READ_DATA_CHARS - n)) {
      this.failField(`reads[${r}].data: the padding after ${n} characters must be spaces`);
    }
    return { source, scanner, data: latin1(b, i + 8, n) };
  }

  private blank(i: number, n: number): boolean {
    for (let k = i; k < i + n; k++) if (this.buf[k] !== SPACE) return false;
    return true;
  }

  private failField(message: string): void {
    if (this.fieldError === '') this.fieldError = message;
  }
}

const NO_KEYS: readonly string[] = [];

/** The telegram dialect. */
export const telegramCodec: Codec = new TelegramCodec();
