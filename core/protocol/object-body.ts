/**
 * Messages as plain key/value maps: the body of a native frame (a MessagePack map, enumerations
 * as integer codes) and the object of an NDJSON line (enumerations as names). One reader checks
 * every field against limits.ts for both, and for messages handed to an encoder.
 * Key names and order are specified in docs/protocol.md "Message bodies".
 */
import {
  MESSAGE_TYPE_CODES,
  MessageType,
  NAK_REASON_NAMES,
  READ_SOURCE_NAMES,
  REPLY_STATUS_NAMES,
  WIRE_CHUTE_STATE_NAMES,
  type MessageTypeCode,
  type NakReasonCode,
  type ReadSourceCode,
  type ReplyStatusCode,
  type WireChuteStateCode,
} from './codes.js';
import { Limits, utf8Length } from './limits.js';
import type { LinkSync, Message, Read } from './messages.js';
import { OUTCOME_NAMES, type OutcomeCode } from './outcomes.js';

/** Hex digits of a link-sync nonce (16 bytes) and proof (HMAC-SHA256, 32 bytes). */
export const LINK_NONCE_HEX = 32;
export const LINK_PROOF_HEX = 64;

/** True when every character of `s` is 0-9 or a-f. */
function isLowerHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** A map decoded from the wire, or a message object. */
export type FieldMap = Record<string, unknown>;

/** Body keys of each message type, in the order encoders write them. */
export const BODY_KEYS: Readonly<Record<MessageTypeCode, readonly string[]>> = {
  [MessageType.SORT_REQUEST]: [
    'taskId',
    'turn',
    'induct',
    'scanner',
    'carrier',
    'reads',
    'weightG',
    'lengthMm',
    'widthMm',
    'heightMm',
  ],
  [MessageType.DESTINATION_REPLY]: ['taskId', 'turn', 'chutes', 'exceptionChute', 'status'],
  [MessageType.SORT_CONFIRMATION]: ['taskId', 'turn', 'chute', 'outcome'],
  [MessageType.CHUTE_STATE]: ['chute', 'state', 'fill'],
  [MessageType.HEARTBEAT]: [],
  [MessageType.ACK]: ['ackSeq'],
  [MessageType.NAK]: ['nakSeq', 'reason'],
  [MessageType.LINK_SYNC]: ['lastReceivedSeq', 'nextSendSeq', 'nonce', 'proof'],
};

/** Keys of one read, in the order encoders write them. */
export const READ_KEYS: readonly string[] = ['source', 'scanner', 'data'];

const hasOwn = Object.hasOwn;

/** A short description of a wrong value for fault messages. */
function describe(v: unknown): string {
  if (typeof v === 'string')
    return v.length > 20 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `${v} (64-bit)`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a value of type ${typeof v}`;
}

/**
 * True for a plain key/value map, as JSON.parse and msgpackr (mapsAsObjects) build them: not null,
 * not an array, and not an instance of a class (Date, Error, typed arrays and the like, which
 * MessagePack extension types decode to).
 */
export function isFieldMap(v: unknown): v is FieldMap {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Reads and checks messages from field maps. Not re-entrant; one per decoder or encoder.
 * On a fault the read returns null and {@link error} says which field and what was expected.
 */
export class ObjectBodyReader {
  /** The fault of the last read, '' after a good one. */
  error = '';
  private readonly names: boolean;
  private readonly maxSeq: number;

  /**
   * @param names true when enumerations are names (NDJSON), false for integer codes (native,
   *   and message objects).
   * @param maxSeq highest sequence number of the dialect, for ack/nak/link-sync fields.
   */
  constructor(names: boolean, maxSeq: number) {
    this.names = names;
    this.maxSeq = maxSeq;
  }

  /**
   * The message of type `type` held in `map`, or null (see {@link error}). `headerKeys` are keys
   * the caller has consumed (NDJSON `type`, `seq`, `ack`, `ts`); any other key not in
   * {@link BODY_KEYS} is a fault.
   */
  read(type: MessageTypeCode, map: FieldMap, headerKeys: readonly string[]): Message | null {
    this.error = '';
    const m = this.readFields(type, map);
    if (this.error !== '') return null;
    if (!this.onlyKnownKeys(map, BODY_KEYS[type], headerKeys, '')) return null;
    return m;
  }

  private readFields(type: MessageTypeCode, o: FieldMap): Message | null {
    const seqMax = this.maxSeq;
    switch (type) {
      case MessageType.SORT_REQUEST:
        return {
          type: 'sortRequest',
          taskId: this.int(o, 'taskId', 0, Limits.U32_MAX, -1),
          turn: this.int(o, 'turn', 1, Limits.MAX_TURN, 1),
          induct: this.int(o, 'induct', 0, Limits.U16_MAX, -1),
          scanner: this.int(o, 'scanner', 0, Limits.U16_MAX, -1),
          carrier: this.int(o, 'carrier', 0, Limits.U16_MAX, -1),
          reads: this.reads(o),
          weightG: this.int(o, 'weightG', 0, Limits.MAX_WEIGHT_G, 0),
          lengthMm: this.int(o, 'lengthMm', 0, Limits.U16_MAX, 0),
          widthMm: this.int(o, 'widthMm', 0, Limits.U16_MAX, 0),
          heightMm: this.int(o, 'heightMm', 0, Limits.U16_MAX, 0),
        };
      case MessageType.DESTINATION_REPLY: {
        const taskId = this.int(o, 'taskId', 0, Limits.U32_MAX, -1);
        const turn = this.int(o, 'turn', 1, Limits.MAX_TURN, 1);
        const chutes = this.chutes(o);
        const exceptionChute = this.int(o, 'exceptionChute', 1, Limits.U16_MAX, -1);
        const status = this.enumeration(o, 'status', REPLY_STATUS_NAMES);
        if (this.error === '' && status === 0 && chutes.length === 0) {
          this.error = 'chutes: expected at least one chute when status is ok';
        }
        return {
          type: 'destinationReply',
          taskId,
          turn,
          chutes,
          exceptionChute,
          status: status as ReplyStatusCode,
        };
      }
      case MessageType.SORT_CONFIRMATION:
        return {
          type: 'sortConfirmation',
          taskId: this.int(o, 'taskId', 0, Limits.U32_MAX, -1),
          turn: this.int(o, 'turn', 1, Limits.MAX_TURN, 1),
          chute: this.int(o, 'chute', 0, Limits.U16_MAX, -1),
          outcome: this.enumeration(o, 'outcome', OUTCOME_NAMES) as OutcomeCode,
        };
      case MessageType.CHUTE_STATE: {
        const chute = this.int(o, 'chute', 1, Limits.U16_MAX, -1);
        const state = this.enumeration(o, 'state', WIRE_CHUTE_STATE_NAMES) as WireChuteStateCode;
        const fill = this.int(o, 'fill', 0, Limits.U16_MAX, -2);
        return fill === -2
          ? { type: 'chuteState', chute, state }
          : { type: 'chuteState', chute, state, fill };
      }
      case MessageType.HEARTBEAT:
        return { type: 'heartbeat' };
      case MessageType.ACK:
        return { type: 'ack', ackSeq: this.int(o, 'ackSeq', 0, seqMax, -1) };
      case MessageType.NAK:
        return {
          type: 'nak',
          nakSeq: this.int(o, 'nakSeq', 0, seqMax, -1),
          reason: this.enumeration(o, 'reason', NAK_REASON_NAMES) as NakReasonCode,
        };
      case MessageType.LINK_SYNC: {
        const m: LinkSync = {
          type: 'linkSync',
          lastReceivedSeq: this.int(o, 'lastReceivedSeq', 0, seqMax, -1),
          nextSendSeq: this.int(o, 'nextSendSeq', 0, seqMax, -1),
        };
        const nonce = this.hexField(o, 'nonce', LINK_NONCE_HEX);
        const proof = this.hexField(o, 'proof', LINK_PROOF_HEX);
        if (nonce !== undefined) m.nonce = nonce;
        if (proof !== undefined) {
          if (nonce === undefined) this.fail('proof: expected a nonce with the proof');
          m.proof = proof;
        }
        return m;
      }
    }
  }

  /** Optional field `key`: exactly `digits` lowercase hex digits, or absent (undefined). */
  private hexField(o: FieldMap, key: string, digits: number): string | undefined {
    const v = hasOwn(o, key) ? o[key] : undefined;
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length !== digits || !isLowerHex(v)) {
      this.fail(`${key}: expected ${digits} lowercase hex digits, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  /**
   * Integer field `key` in [min, max]. Absent (or undefined): `dflt`, or a fault when `dflt` is -1.
   * Floats with an integral value are accepted (some MessagePack writers send them).
   */
  private int(
    o: FieldMap,
    key: string,
    min: number,
    max: number,
    dflt: number,
    path: string = key,
  ): number {
    const v = hasOwn(o, key) ? o[key] : undefined;
    if (v === undefined) {
      if (dflt === -1) this.fail(`${path}: missing; expected an integer ${min}–${max}`);
      return dflt;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(`${path}: expected an integer ${min}–${max}, got ${describe(v)}`);
      return 0;
    }
    return v;
  }

  /** Enumeration `key`: a name of `names` (names mode) or its index (codes mode); '' names are unused codes. */
  private enumeration(
    o: FieldMap,
    key: string,
    names: readonly string[],
    path: string = key,
  ): number {
    const v = hasOwn(o, key) ? o[key] : undefined;
    if (this.names) {
      const i = typeof v === 'string' && v !== '' ? names.indexOf(v) : -1;
      if (i < 0)
        this.fail(
          `${path}: expected one of ${names.filter((n) => n !== '').join(', ')}, got ${describe(v)}`,
        );
      return i < 0 ? 0 : i;
    }
    if (
      typeof v !== 'number' ||
      !Number.isInteger(v) ||
      v < 0 ||
      v >= names.length ||
      names[v] === ''
    ) {
      const codes = names.flatMap((n, i) => (n === '' ? [] : [`${i} (${n})`])).join(', ');
      this.fail(`${path}: expected one of ${codes}, got ${describe(v)}`);
      return 0;
    }
    return v;
  }

  private reads(o: FieldMap): Read[] {
    const v = hasOwn(o, 'reads') ? o['reads'] : undefined;
    if (!Array.isArray(v) || v.length > Limits.MAX_READS) {
      this.fail(
        `reads: expected an array of 0–${Limits.MAX_READS} reads, got ${describe(v)}${Array.isArray(v) ? ` of ${v.length}` : ''}`,
      );
      return [];
    }
    const out = new Array<Read>(v.length);
    for (let i = 0; i < v.length; i++) {
      const r: unknown = v[i];
      const path = `reads[${i}]`;
      if (!isFieldMap(r)) {
        this.fail(`${path}: expected a map with source, scanner, data, got ${describe(r)}`);
        return [];
      }
      const source = this.enumeration(r, 'source', READ_SOURCE_NAMES, `${path}.source`);
      const scanner = this.int(r, 'scanner', 0, Limits.U16_MAX, -1, `${path}.scanner`);
      const data = hasOwn(r, 'data') ? r['data'] : undefined;
      const bytes = typeof data === 'string' ? utf8Length(data) : -1;
      if (typeof data !== 'string' || bytes < 0 || bytes > Limits.MAX_READ_BYTES) {
        this.fail(
          `${path}.data: expected a string of at most ${Limits.MAX_READ_BYTES} UTF-8 bytes, got ${typeof data === 'string' ? (bytes < 0 ? 'a lone surrogate' : `${bytes} bytes`) : describe(data)}`,
        );
        return [];
      }
      if (!this.onlyKnownKeys(r, READ_KEYS, [], `${path}.`)) return [];
      out[i] = { source: source as ReadSourceCode, scanner, data };
    }
    return out;
  }

  private chutes(o: FieldMap): number[] {
    const v = hasOwn(o, 'chutes') ? o['chutes'] : undefined;
    if (!Array.isArray(v) || v.length > Limits.MAX_CHUTES) {
      this.fail(
        `chutes: expected an array of 0–${Limits.MAX_CHUTES} chute numbers, got ${describe(v)}${Array.isArray(v) ? ` of ${v.length}` : ''}`,
      );
      return [];
    }
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) {
      const c: unknown = v[i];
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 1 || c > Limits.U16_MAX) {
        this.fail(`chutes[${i}]: expected a chute number 1–${Limits.U16_MAX}, got ${describe(c)}`);
        return [];
      }
      out[i] = c;
    }
    return out;
  }

  /** False (with a fault naming the key) when `o` has an own key outside `known` and `extra`. */
  private onlyKnownKeys(
    o: FieldMap,
    known: readonly string[],
    extra: readonly string[],
    prefix: string,
  ): boolean {
    let own = 0;
    for (const k in o) if (hasOwn(o, k)) own++;
    let expected = 0;
    for (let i = 0; i < known.length; i++) if (hasOwn(o, known[i]!)) expected++;
    for (let i = 0; i < extra.length; i++) if (hasOwn(o, extra[i]!)) expected++;
    if (own === expected) return true;
    for (const k in o) {
      if (hasOwn(o, k) && !known.includes(k) && !extra.includes(k)) {
        this.fail(
          `${prefix}${k}: unknown key; expected only ${[...known].join(', ') || '(no keys)'}`,
        );
        break;
      }
    }
    return false;
  }

  private fail(message: string): void {
    if (this.error === '') this.error = message;
  }
}

/** The field map of `m` in {@link BODY_KEYS} order, enumerations as names (NDJSON) or codes (native). `m` must have been read by an {@link ObjectBodyReader}. */
export function messageToFieldMap(m: Message, names: boolean, into: FieldMap = {}): FieldMap {
  switch (m.type) {
    case 'sortRequest': {
      into['taskId'] = m.taskId;
      into['turn'] = m.turn;
      into['induct'] = m.induct;
      into['scanner'] = m.scanner;
      into['carrier'] = m.carrier;
      into['reads'] = m.reads.map((r) => ({
        source: names ? READ_SOURCE_NAMES[r.source] : r.source,
        scanner: r.scanner,
        data: r.data,
      }));
      into['weightG'] = m.weightG;
      into['lengthMm'] = m.lengthMm;
      into['widthMm'] = m.widthMm;
      into['heightMm'] = m.heightMm;
      break;
    }
    case 'destinationReply':
      into['taskId'] = m.taskId;
      into['turn'] = m.turn;
      into['chutes'] = m.chutes;
      into['exceptionChute'] = m.exceptionChute;
      into['status'] = names ? REPLY_STATUS_NAMES[m.status] : m.status;
      break;
    case 'sortConfirmation':
      into['taskId'] = m.taskId;
      into['turn'] = m.turn;
      into['chute'] = m.chute;
      into['outcome'] = names ? OUTCOME_NAMES[m.outcome] : m.outcome;
      break;
    case 'chuteState':
      into['chute'] = m.chute;
      into['state'] = names ? WIRE_CHUTE_STATE_NAMES[m.state] : m.state;
      if (m.fill !== undefined) into['fill'] = m.fill;
      break;
    case 'heartbeat':
      break;
    case 'ack':
      into['ackSeq'] = m.ackSeq;
      break;
    case 'nak':
      into['nakSeq'] = m.nakSeq;
      into['reason'] = names ? NAK_REASON_NAMES[m.reason] : m.reason;
      break;
    case 'linkSync':
      into['lastReceivedSeq'] = m.lastReceivedSeq;
      into['nextSendSeq'] = m.nextSendSeq;
      if (m.nonce !== undefined) into['nonce'] = m.nonce;
      if (m.proof !== undefined) into['proof'] = m.proof;
      break;
  }
  return into;
}

/** {@link MessageType} code of a message object's `type`, or -1 when it names no type. */
export function messageTypeCode(type: unknown): MessageTypeCode | -1 {
  return typeof type === 'string' && hasOwn(MESSAGE_TYPE_CODES, type)
    ? MESSAGE_TYPE_CODES[type as keyof typeof MESSAGE_TYPE_CODES]
    : -1;
}
