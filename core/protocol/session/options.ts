/**
 * Session options, their defaults (the typical figures of DESIGN.md "The gateway protocol") and
 * their checks.
 */
import { SortlineError } from '../../errors.js';
import type { Codec } from '../codec.js';
import { SILENT_LOGGER, type SessionLogger } from './logger.js';
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
