/**
 * Session options, their defaults (the typical figures of DESIGN.md "The gateway protocol") and
 * their checks.
 */
import { SortlineError } from '../../errors.js';
import type { Codec } from '../codec.js';
import { SILENT_LOGGER, type SessionLogger } from './logger.js';
import type { LinkAuthenticator } from './auth.js';
import type { BusinessType } from './handler.js';

/** Options of a session. */
export interface SessionOptions {
  /** Resend an unacknowledged frame, unchanged, after this many ms (default 300). */
  resendAfterMs: number;
  /** Resends per frame before the link is declared dead (default 3; 0 = never resend). */
  maxResends: number;
  /** Send a heartbeat after this many ms without sending anything (default 5,000). */
  heartbeatMs: number;
  /** Declare the link dead after this many ms without receiving a valid frame (default 30,000). */
  idleTimeoutMs: number;
  /**
   * Window: at most this many consecutive sequence numbers, from the oldest unacknowledged frame
   * on, are on the wire (default 1,024). The peer's `duplicateWindow` must be at least this.
   */
  maxInFlight: number;
  /** Messages waiting behind the window; `send()` refuses (returns false) when both are full (default 4,096). */
  maxQueued: number;
  /** Types whose ACK waits for the handler's `ack()` (host: `['sortConfirmation']`, ACKed once journaled). Default none. */
  deferAck: readonly BusinessType[];
  /**
   * Receive window: sequence numbers remembered for duplicate suppression, and how far ahead of
   * the oldest frame not yet ACKed a frame may be (default 4,096; at least `maxInFlight`; rounded
   * up to a power of two).
   */
  duplicateWindow: number;
  /** Sequence number of the first frame a new session sends (default 1). */
  initialSeq: number;
  /** `close()` waits at most this many ms for the peer to acknowledge what is queued (default 2,000). */
  closeTimeoutMs: number;
  /** Decoder limit in bytes (default: the codec's `defaultMaxFrameBytes`). */
  maxFrameBytes: number | undefined;
  /** Logger, a pino logger or any {@link SessionLogger} (default: silent). Link events and faults at `info`/`warn`, resends at `debug`. */
  logger: SessionLogger;
  /**
   * Business frames are taken only from a peer that sent its link sync on the current connection
   * (default true): before it, each is answered NAK `resync` (docs/protocol.md "Link sync").
   * false: a peer that sends no link sync is served after the sync wait, as older gateways expect.
   */
  requirePeerSync: boolean;
  /**
   * Link authentication by a shared secret (docs/protocol.md "Authentication"): the controller
   * challenges and verifies (`role: 'host'`), the PLC answers (`role: 'plc'`). null: none.
   */
  auth: LinkAuthenticator | null;
  /**
   * A business frame whose header timestamp is further than this many ms from our clock is
   * refused (NAK `clock`) and never delivered, so a peer's clock cannot move ours (default
   * 600,000 = 10 min; 0 = no check). Frames stamped 0 (no clock) pass.
   */
  clockWindowMs: number;
  /** Stop reading from the peer while more than this many bytes wait to be written to it (default 262,144). */
  pauseReadAboveBytes: number;
  /** More than this many bytes waiting to be written: the peer does not read; the link is dropped (default 4,194,304). */
  maxWriteBufferBytes: number;
  /** Writes blocked this many ms without a drain: the peer does not read; the link is dropped (default 10,000). */
  writeStallMs: number;
  /**
   * The first bytes of a frame that stay incomplete while the line is quiet for this many ms are
   * discarded (a truncated frame; default 250).
   */
  partialFrameTimeoutMs: number;
  /**
   * A window held full this long by deferred ACKs (the owner does not acknowledge) ends in a link
   * reset: the receive window starts afresh and the link is dropped for a resync (default 10,000).
   */
  windowStallMs: number;
  /** A connection offered with `offer()` must complete its link sync within this many ms (default 5,000). */
  handshakeTimeoutMs: number;
  /** At most this many offered connections wait for their link sync at a time (default 4). */
  maxCandidates: number;
  /**
   * A second peer's link sync takes the link over only when the current link has received no
   * valid frame for this many ms, or comes from the same peer address (default 10,000).
   */
  takeoverIdleMs: number;
}

/** The defaults of {@link SessionOptions}. */
export const SESSION_DEFAULTS: Readonly<SessionOptions> = {
  resendAfterMs: 300,
  maxResends: 3,
  heartbeatMs: 5_000,
  idleTimeoutMs: 30_000,
  maxInFlight: 1_024,
  maxQueued: 4_096,
  deferAck: [],
  duplicateWindow: 4_096,
  initialSeq: 1,
  closeTimeoutMs: 2_000,
  maxFrameBytes: undefined,
  logger: SILENT_LOGGER,
  requirePeerSync: true,
  auth: null,
  clockWindowMs: 600_000,
  pauseReadAboveBytes: 256 * 1024,
  maxWriteBufferBytes: 4 * 1024 * 1024,
  writeStallMs: 10_000,
  partialFrameTimeoutMs: 250,
  windowStallMs: 10_000,
  handshakeTimeoutMs: 5_000,
  maxCandidates: 4,
  takeoverIdleMs: 10_000,
};

const BUSINESS_TYPES: readonly BusinessType[] = [
  'sortRequest',
  'destinationReply',
  'sortConfirmation',
  'chuteState',
];

function bad(message: string): SortlineError {
  return new SortlineError('SORTLINE_ERR_SESSION_BAD_OPTION', message);
}

function int(
  o: SessionOptions,
  key:
    | 'resendAfterMs'
    | 'maxResends'
    | 'heartbeatMs'
    | 'idleTimeoutMs'
    | 'maxInFlight'
    | 'maxQueued'
    | 'clockWindowMs'
    | 'pauseReadAboveBytes'
    | 'maxWriteBufferBytes'
    | 'writeStallMs'
    | 'partialFrameTimeoutMs'
    | 'windowStallMs'
    | 'handshakeTimeoutMs'
    | 'maxCandidates'
    | 'takeoverIdleMs'
    | 'duplicateWindow'
    | 'initialSeq'
    | 'closeTimeoutMs',
  min: number,
  max: number,
): void {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw bad(`${key}: expected an integer ${min}–${max}, got ${String(v)}`);
}

/**
 * `options` completed with the defaults and checked against `codec` (sequence-number space).
 * `duplicateWindow` comes back rounded up to a power of two.
 * @throws SortlineError `SORTLINE_ERR_SESSION_BAD_OPTION` naming the option and its range.
 */
export function resolveSessionOptions(
  codec: Codec,
  options: Partial<SessionOptions> = {},
): Readonly<SessionOptions> {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(SESSION_DEFAULTS, key))
      throw bad(
        `unknown session option ${JSON.stringify(key)}; expected one of ${Object.keys(SESSION_DEFAULTS).join(', ')}`,
      );
  }
  const o: SessionOptions = { ...SESSION_DEFAULTS };
  for (const [k, v] of Object.entries(options))
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  // Sequence distances must stay below half the number space to be unambiguous (RFC 1982 style).
  const half = Math.floor(codec.maxSeq / 2) - 1;
  int(o, 'resendAfterMs', 1, 3_600_000);
  int(o, 'maxResends', 0, 100);
  int(o, 'heartbeatMs', 1, 3_600_000);
  int(o, 'idleTimeoutMs', 1, 86_400_000);
  int(o, 'maxInFlight', 1, 1 << 16);
  int(o, 'maxQueued', 0, 1 << 20);
  int(o, 'duplicateWindow', o.maxInFlight, 1 << 20);
  int(o, 'initialSeq', 1, codec.maxSeq);
  int(o, 'closeTimeoutMs', 0, 3_600_000);
  int(o, 'clockWindowMs', 0, 366 * 86_400_000);
  int(o, 'pauseReadAboveBytes', 1024, 1 << 30);
  int(o, 'maxWriteBufferBytes', o.pauseReadAboveBytes, 1 << 30);
  int(o, 'writeStallMs', 1, 3_600_000);
  int(o, 'partialFrameTimeoutMs', 1, 3_600_000);
  int(o, 'windowStallMs', 1, 3_600_000);
  int(o, 'handshakeTimeoutMs', 1, 3_600_000);
  int(o, 'maxCandidates', 1, 1_000);
  int(o, 'takeoverIdleMs', 0, 86_400_000);
  if (typeof o.requirePeerSync !== 'boolean')
    throw bad(`requirePeerSync: expected true or false, got ${String(o.requirePeerSync)}`);
  if (o.auth !== null && (typeof o.auth !== 'object' || typeof o.auth.verify !== 'function'))
    throw bad('auth: expected a link authenticator (createLinkAuthenticator) or null');
  let w = 1;
  while (w < o.duplicateWindow) w *= 2;
  o.duplicateWindow = w;
  if (w >= half)
    throw bad(`duplicateWindow: ${w} is not below half the ${codec.name} sequence space (${half})`);
  if (o.maxInFlight + o.maxQueued >= half)
    throw bad(
      `maxInFlight + maxQueued: ${o.maxInFlight + o.maxQueued} is not below half the ${codec.name} sequence space (${half})`,
    );
  if (
    !Array.isArray(o.deferAck) ||
    !o.deferAck.every((t: unknown) => BUSINESS_TYPES.includes(t as BusinessType))
  ) {
    throw bad(
      `deferAck: expected a list of ${BUSINESS_TYPES.join(', ')}, got ${JSON.stringify(o.deferAck)}`,
    );
  }
  if (
    o.maxFrameBytes !== undefined &&
    (!Number.isInteger(o.maxFrameBytes) ||
      o.maxFrameBytes < codec.minMaxFrameBytes ||
      o.maxFrameBytes > 1 << 20)
  ) {
    throw bad(
      `maxFrameBytes: expected an integer ${codec.minMaxFrameBytes}–${1 << 20} for the ${codec.name} dialect, got ${String(o.maxFrameBytes)}`,
    );
  }
  if (typeof o.logger?.warn !== 'function')
    throw bad('logger: expected a logger with debug, info, warn and error methods (a pino logger)');
  return o;
}
