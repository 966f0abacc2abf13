/**
 * Options shared by the transports, their defaults and their checks (docs/transports.md
 * "Transport options").
 */
import { SortlineError } from '../../core/errors.js';

/** Transport options; every field is optional. */
export interface TransportOptions {
  /** TCP keepalive: idle time in ms before the OS sends keepalive probes (default 10,000; 0 = off). */
  keepAliveMs?: number;
  /** Give up a connection attempt (TCP connect, WebSocket handshake, serial open) after this many ms (default 5,000). */
  connectTimeoutMs?: number;
  /** `Link.close` flushes, then destroys the connection if it is not closed after this many ms (default 1,000). */
  closeTimeoutMs?: number;
  /** Largest WebSocket message accepted, in bytes (default 1 MiB); a larger one closes the connection (RFC 6455 code 1009). */
  maxMessageBytes?: number;
  /** A serial listener re-opens its device this many ms after the device closed or failed to open (default 1,000). */
  reopenDelayMs?: number;
}

/** The defaults of {@link TransportOptions}. */
export const TRANSPORT_DEFAULTS: Readonly<Required<TransportOptions>> = {
  keepAliveMs: 10_000,
  connectTimeoutMs: 5_000,
  closeTimeoutMs: 1_000,
  maxMessageBytes: 1 << 20,
  reopenDelayMs: 1_000,
};

const RANGES: Readonly<Record<keyof TransportOptions, readonly [number, number]>> = {
  keepAliveMs: [0, 86_400_000],
  connectTimeoutMs: [1, 3_600_000],
  closeTimeoutMs: [0, 3_600_000],
  maxMessageBytes: [64, 1 << 30],
  reopenDelayMs: [1, 3_600_000],
};

/**
 * `options` completed with the defaults.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_OPTION` for an unknown option or a value that is not an integer in its range.
 */
export function resolveTransportOptions(
  options: TransportOptions = {},
): Readonly<Required<TransportOptions>> {
  const out: Required<TransportOptions> = { ...TRANSPORT_DEFAULTS };
  for (const [key, value] of Object.entries(options) as [keyof TransportOptions, unknown][]) {
    if (value === undefined) continue;
    const range = Object.hasOwn(RANGES, key) ? RANGES[key] : undefined;
    if (range === undefined) {
      throw new SortlineError(
        'SORTLINE_ERR_TRANSPORT_BAD_OPTION',
        `unknown transport option ${JSON.stringify(key)}; expected one of ${Object.keys(RANGES).join(', ')}`,
      );
    }
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < range[0] ||
      value > range[1]
    ) {
      throw new SortlineError(
        'SORTLINE_ERR_TRANSPORT_BAD_OPTION',
        `${key}: expected an integer ${range[0]}–${range[1]}, got ${JSON.stringify(value)}`,
      );
    }
    out[key] = value;
  }
  return out;
}
