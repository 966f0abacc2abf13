/**
 * Numeric codes carried by gateway messages: message types, read sources, destination-reply
 * status, chute states, sort-confirmation outcomes and NAK reasons. The same numbers appear on the
 * wire of the native and telegram dialects; NDJSON carries the names. Specified in
 * docs/protocol.md.
 *
 * These are wire tables, fixed by the protocol: the sort plan's fallbacks and the machine's chute
 * states have tables of their own, mapped to these explicitly in core/wire-map.ts, so an internal
 * code can change without changing the wire.
 */

/**
 * Message type codes (native header byte 3). 1–15 are business messages that the session layer
 * numbers and acknowledges; 16–31 are link-control messages.
 */
export const MessageType = {
  SORT_REQUEST: 1,
  DESTINATION_REPLY: 2,
  SORT_CONFIRMATION: 3,
  CHUTE_STATE: 4,
  HEARTBEAT: 16,
  ACK: 17,
  NAK: 18,
  LINK_SYNC: 19,
} as const;
export type MessageTypeCode = (typeof MessageType)[keyof typeof MessageType];

/** The `type` discriminant of each message, by {@link MessageType} code. */
export const MESSAGE_TYPE_NAMES = {
  1: 'sortRequest',
  2: 'destinationReply',
  3: 'sortConfirmation',
  4: 'chuteState',
  16: 'heartbeat',
  17: 'ack',
  18: 'nak',
  19: 'linkSync',
} as const satisfies Record<MessageTypeCode, string>;
export type MessageTypeName = (typeof MESSAGE_TYPE_NAMES)[MessageTypeCode];

/**
 * True for business messages (sort request, destination reply, sort confirmation, chute state):
 * they are numbered and sent ACK-required. False for link-control messages (heartbeat, ACK, NAK,
 * link sync), which carry sequence number 0 and are never acknowledged (docs/protocol.md
 * "Sequence numbers").
 */
export function isBusinessMessage(type: MessageTypeName): boolean {
  return MESSAGE_TYPE_CODES[type] < 16;
}

/** {@link MessageType} code of a message type name. */
export const MESSAGE_TYPE_CODES: Readonly<Record<MessageTypeName, MessageTypeCode>> = {
  sortRequest: 1,
  destinationReply: 2,
  sortConfirmation: 3,
  chuteState: 4,
  heartbeat: 16,
  ack: 17,
  nak: 18,
  linkSync: 19,
};

/** Where a read came from: the same codes on the wire as in the label resolver. */
export { ReadSource, READ_SOURCE_NAMES, type ReadSourceCode } from '../labels/index.js';

/**
 * Status of a destination reply (docs/protocol.md "Reply status"): `OK` when the parcel was routed
 * to a destination, else the fallback that sent it to the exception chute.
 */
export const ReplyStatus = {
  OK: 0,
  NO_READ: 1,
  NO_RULE: 2,
  MULTI_READ: 3,
  RECIRCULATION_LIMIT: 4,
  OVERSIZE: 5,
  NO_CHUTE: 6,
  /**
   * The controller is over its capacity and did not route the parcel (load shedding): treat it as
   * a reply that came too late (exception chute or recirculation) and re-request on the next lap.
   */
  BUSY: 7,
} as const;
export type ReplyStatusCode = (typeof ReplyStatus)[keyof typeof ReplyStatus];
/** Names of {@link ReplyStatus} codes on the wire (NDJSON), indexed by code. */
export const REPLY_STATUS_NAMES = [
  'ok',
  'noRead',
  'noRule',
  'multiRead',
  'recirculationLimit',
  'oversize',
  'noChute',
  'busy',
] as const;

/** Chute state on the wire (docs/protocol.md "Chute states"), both directions. */
export const WireChuteState = {
  OPEN: 0,
  FULL: 1,
  BLOCKED: 2,
  DISABLED: 3,
  BAGGING: 4,
} as const;
export type WireChuteStateCode = (typeof WireChuteState)[keyof typeof WireChuteState];
/** Names of {@link WireChuteState} codes on the wire (NDJSON), indexed by code. */
export const WIRE_CHUTE_STATE_NAMES = ['open', 'full', 'blocked', 'disabled', 'bagging'] as const;

/** Why a NAK refused a frame, and what the sender does about it (docs/protocol.md "NAK"). */
export const NakReason = {
  /** The body failed its checksum: resend the unchanged frame at once (counts as a resend). */
  CHECKSUM: 1,
  /** Version or message type not supported: do not resend; log and drop. */
  UNSUPPORTED: 2,
  /** Body undecodable or a field invalid: do not resend; log and drop. */
  MALFORMED: 3,
  /** Frame longer than the receiver's limit: do not resend; log and drop. */
  TOO_LARGE: 4,
  /** Receiver cannot take the frame now (queue full): resend after the resend timeout. */
  BUSY: 5,
  /**
   * The receiver has no link sync from you on this connection, or your numbering restarted
   * without one: send a link sync (answering its challenge when it sent one), then resend the
   * frame after the resend timeout. Not counted as a resend.
   */
  RESYNC: 6,
  /**
   * The frame's header timestamp is outside the receiver's clock window: fix the clock; the frame
   * is not resent.
   */
  CLOCK: 7,
} as const;
export type NakReasonCode = (typeof NakReason)[keyof typeof NakReason];
/** Names of {@link NakReason} codes, indexed by code (index 0 is unused). */
export const NAK_REASON_NAMES = [
  '',
  'checksum',
  'unsupported',
  'malformed',
  'tooLarge',
  'busy',
  'resync',
  'clock',
] as const;
