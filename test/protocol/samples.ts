/**
 * Sample messages of every type, shared by the protocol tests. The golden frames of the three
 * dialects encode exactly these messages with the headers in GOLDEN_HEADERS.
 */
import { ChuteState } from '../../core/sorter/states.js';
import {
  NakReason,
  Outcome,
  ReadSource,
  ReplyStatus,
  type FrameHeader,
  type Message,
  type MessageTypeName,
} from '../../core/protocol/index.js';

/** 2025-11-29T12:40:00Z in ms since the Unix epoch (0x0000019ACFA09900). */
export const TS = 1_764_420_000_000;

export const SAMPLES: Record<MessageTypeName, Message> = {
  sortRequest: {
    type: 'sortRequest',
    taskId: 70_000,
    turn: 1,
    induct: 2,
    scanner: 3,
    carrier: 417,
    reads: [{ source: ReadSource.SCANNER, scanner: 1, data: ']C1403771-K23-05' }],
    weightG: 1250,
    lengthMm: 300,
    widthMm: 200,
    heightMm: 100,
  },
  destinationReply: {
    type: 'destinationReply',
    taskId: 70_000,
    turn: 1,
    chutes: [17, 18],
    exceptionChute: 200,
    status: ReplyStatus.OK,
  },
  sortConfirmation: {
    type: 'sortConfirmation',
    taskId: 70_000,
    turn: 1,
    chute: 17,
    outcome: Outcome.DISCHARGED,
  },
  chuteState: { type: 'chuteState', chute: 17, state: ChuteState.FULL, fill: 10 },
  heartbeat: { type: 'heartbeat' },
  ack: { type: 'ack', ackSeq: 41 },
  nak: { type: 'nak', nakSeq: 42, reason: NakReason.CHECKSUM },
  linkSync: { type: 'linkSync', lastReceivedSeq: 40, nextSendSeq: 43 },
};

/** Headers of the golden frames: business messages numbered and ACK-required, control frames seq 0. */
export const GOLDEN_HEADERS: Record<MessageTypeName, FrameHeader> = {
  sortRequest: { seq: 41, ackRequired: true, timestampMs: TS },
  destinationReply: { seq: 7, ackRequired: true, timestampMs: TS },
  sortConfirmation: { seq: 42, ackRequired: true, timestampMs: TS },
  chuteState: { seq: 43, ackRequired: true, timestampMs: TS },
  heartbeat: { seq: 0, ackRequired: false, timestampMs: TS },
  ack: { seq: 0, ackRequired: false, timestampMs: TS },
  nak: { seq: 0, ackRequired: false, timestampMs: TS },
  linkSync: { seq: 0, ackRequired: false, timestampMs: TS },
};

export const TYPE_NAMES = Object.keys(SAMPLES) as MessageTypeName[];

/** Hex string (spaces allowed) to bytes. */
export function hexBytes(hex: string): Uint8Array {
  const h = hex.replace(/\s+/g, '');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bytes to lowercase hex. */
export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A string of char codes 0–255 to bytes. */
export function latin1Bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
