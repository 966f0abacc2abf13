/**
 * Gateway messages between a sorter PLC (or its gateway) and the Sortline controller, whatever the
 * dialect on the wire (DESIGN.md "The gateway protocol"; wire forms in docs/protocol.md).
 *
 * Numbers on the wire are machine numbers as the PLC knows them (induct 3, chute 117); the sort
 * service maps them to table indices. Enumerations are the numeric wire codes of codes.ts and
 * outcomes.ts (core/wire-map.ts maps them to the machine's own). Limits are in limits.ts.
 */
import type {
  NakReasonCode,
  ReadSourceCode,
  ReplyStatusCode,
  WireChuteStateCode,
} from './codes.js';
import type { OutcomeCode } from './outcomes.js';

/** One read of a parcel by a scanner, an RFID reader or an operator (manual coding). */
export interface Read {
  /** {@link ReadSource} code: scanner, rfid or manual. */
  source: ReadSourceCode;
  /** Number of the scanner, reader or coding station that produced the read (0–65535). */
  scanner: number;
  /**
   * The decoded data as sent by the device: AIM symbology identifier first when the scanner sends
   * one, 0x1D as FNC1 separator, EPC as hex for RFID. At most 256 UTF-8 bytes (64 printable ASCII
   * characters in the telegram dialect).
   */
  data: string;
}

/**
 * Sort request (PLC → host): a parcel was scanned and needs a destination. A recirculating parcel
 * asks again on its next lap with the same `taskId` and `turn` + 1.
 */
export interface SortRequest {
  type: 'sortRequest';
  /** Task id the PLC gave the parcel (uint32); unique among open tasks. */
  taskId: number;
  /** Lap of this request: 1 for the first request, +1 per re-request (1–255). */
  turn: number;
  /** Induct number (0–65535). */
  induct: number;
  /** Number of the scan tunnel or scanner that read the parcel (0–65535). */
  scanner: number;
  /** Carrier (cross-belt cell or tilt tray) number the parcel rides on (0–65535). */
  carrier: number;
  /** Reads of the parcel, in the order the PLC received them; empty for a no-read (0–8). */
  reads: Read[];
  /** Weight in grams (0–999,999); 0 = not weighed. */
  weightG: number;
  /** Length in mm along the direction of travel (0–65535); 0 = not measured. */
  lengthMm: number;
  /** Width in mm (0–65535); 0 = not measured. */
  widthMm: number;
  /** Height in mm (0–65535); 0 = not measured. */
  heightMm: number;
}

/** Destination reply (host → PLC): where the parcel of a sort request goes. */
export interface DestinationReply {
  type: 'destinationReply';
  /** Task id of the sort request answered (uint32). */
  taskId: number;
  /** Turn of the sort request answered (1–255); a reply for an older turn is stale. */
  turn: number;
  /**
   * Chute numbers in priority order (1–65535 each, 0–8 of them): the PLC discharges into the first
   * that can take the parcel. At least one when `status` is OK.
   */
  chutes: number[];
  /** Exception chute for the parcel when no listed chute can take it (1–65535). */
  exceptionChute: number;
  /** {@link ReplyStatus} code: OK, or the fallback (no-read, no-rule, multi-read, ...) that applied. */
  status: ReplyStatusCode;
}

/**
 * Sort confirmation (PLC → host): what happened to the parcel. Intermediate outcomes may repeat;
 * exactly one terminal outcome ({@link isTerminalOutcome}) closes the task.
 */
export interface SortConfirmation {
  type: 'sortConfirmation';
  /** Task id (uint32). */
  taskId: number;
  /** Turn (lap) during which it happened (1–255). */
  turn: number;
  /** Chute concerned (1–65535): the chute discharged into, or the one that could not take the parcel; 0 = none. */
  chute: number;
  /** {@link Outcome} code. */
  outcome: OutcomeCode;
}

/** Chute state (both ways): a sensor or the PLC reports it, or an operator command sets it. */
export interface ChuteStateMessage {
  type: 'chuteState';
  /** Chute number (1–65535). */
  chute: number;
  /** {@link WireChuteState} code: open, full, blocked, disabled, bagging. */
  state: WireChuteStateCode;
  /** Parcels in the chute now (0–65535), when the sender counts them. */
  fill?: number;
}

/** Heartbeat: sent by either side after 5 s without sending anything else. Never acknowledged. */
export interface Heartbeat {
  type: 'heartbeat';
}

/** Acknowledgement of one frame received with the ACK-required flag. Never acknowledged itself. */
export interface Ack {
  type: 'ack';
  /** Sequence number of the frame acknowledged. */
  ackSeq: number;
}

/** Negative acknowledgement: a frame with a readable sequence number was refused. */
export interface Nak {
  type: 'nak';
  /** Sequence number of the frame refused. */
  nakSeq: number;
  /** {@link NakReason} code: tells the sender whether to resend. */
  reason: NakReasonCode;
}

/**
 * Link sync: the first frame each side sends after a (re)connect, so each side can resend what
 * the other did not receive.
 */
export interface LinkSync {
  type: 'linkSync';
  /** Highest sequence number s such that every frame from the peer up to s was received; 0 = none yet. */
  lastReceivedSeq: number;
  /** Sequence number this side will give its next ACK-required frame. */
  nextSendSeq: number;
  /**
   * Link authentication (docs/protocol.md "Authentication"), present when a gateway secret is
   * configured: 16 random bytes as 32 lowercase hex digits. The controller's nonce is the
   * challenge; the PLC's is its own contribution to the proof.
   */
  nonce?: string;
  /**
   * The PLC's answer to the controller's challenge: HMAC-SHA256 of the shared secret over the
   * challenge, its own nonce and the two sequence numbers, as 64 lowercase hex digits.
   */
  proof?: string;
}

/** Any gateway message; narrow on `type`. */
export type Message =
  | SortRequest
  | DestinationReply
  | SortConfirmation
  | ChuteStateMessage
  | Heartbeat
  | Ack
  | Nak
  | LinkSync;

/** The frame header fields every dialect carries besides the message. */
export interface FrameHeader {
  /** Sequence number (uint32 in native and NDJSON, 0–999,999 in telegrams; see the codec's `maxSeq`). */
  seq: number;
  /** True when the receiver must answer with an ACK (or a NAK). */
  ackRequired: boolean;
  /** Sender's clock when the frame was first built, ms since the Unix epoch (UTC); 0 = no clock. */
  timestampMs: number;
}
