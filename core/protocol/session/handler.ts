/**
 * What a session hands its owner (the sort service, the emulated PLC, a test): business messages,
 * link state changes and faults (docs/transports.md "Sessions").
 */
import type { ErrorCode } from '../../errors.js';
import type { NakReasonCode } from '../codes.js';
import type { DecodeFault } from '../faults.js';
import type {
  ChuteStateMessage,
  DestinationReply,
  FrameHeader,
  SortConfirmation,
  SortRequest,
} from '../messages.js';

/** The messages a session numbers, acknowledges and delivers (DESIGN.md "The gateway protocol"). */
export type BusinessMessage = SortRequest | DestinationReply | SortConfirmation | ChuteStateMessage;

/** The `type` of a {@link BusinessMessage}. */
export type BusinessType = BusinessMessage['type'];

/** A fault found by the link or the session rather than the decoder. */
export interface SessionIssue {
  /** `link`: reported by the transport (a WebSocket text message); `session`: by the session. */
  readonly kind: 'link' | 'session';
  /** Stable error code (core/errors.ts). */
  readonly code: ErrorCode;
  /** For people: what happened, naming the sequence number when there is one. */
  readonly message: string;
  /** Sequence number concerned, or -1. */
  readonly seq: number;
}

/** Anything a session counts in `stats.faults` and reports to `onFault`. */
export type SessionFault = DecodeFault | SessionIssue;

/** Acknowledges a delivered message, or with a NAK reason refuses it (deferred-ACK types only). */
export type AckFn = (refuse?: NakReasonCode) => void;

/** The owner of a session. Callbacks must not throw (a throw is logged and counted, see `onMessage`). */
export interface SessionHandler {
  /**
   * A business message arrived and is not a duplicate. For types in `options.deferAck` the session
   * ACKs it only when `ack()` is called (for example once the journal has committed it; calls
   * after the first do nothing); for other types the ACK has already been written (ACK on receipt,
   * before business work) and `ack` does nothing. `header` is valid during the call only.
   * If this throws, the session logs `SORTLINE_ERR_SESSION_HANDLER`; a deferred-ACK message is then
   * left unacknowledged so the peer resends it and it is delivered again.
   *
   * `ack(reason)` with a NAK reason instead refuses a deferred-ACK message for good: the peer gets
   * a NAK with that reason (use one that forbids a resend, such as `NakReason.MALFORMED`, for a
   * message the owner will never accept) and the sequence number is settled.
   */
  onMessage(message: BusinessMessage, header: FrameHeader, ack: AckFn): void;
  /** A link was attached and synchronised (link sync exchanged, or the sync timeout passed): sends flow. */
  onLinkUp?(): void;
  /** The link went away (closed by the peer, dead, idle, replaced, detached); queued frames wait for the next link. */
  onLinkDown?(reason: string): void;
  /** A decode, link or session fault (garbage, bad CRC, refused frame ...), already counted. */
  onFault?(fault: SessionFault): void;
}
