/**
 * Options shared by the transports, their defaults and their checks (docs/transports.md
 * "Transport options", "Who may connect", "TLS").
 */
import { SortlineError } from '../../core/errors.js';
import { compileAllowList, type AllowList } from './allow-list.js';

/** TLS material, PEM text (RFC 7468), for `tls://` and `wss://` addresses. */
export interface TlsOptions {
  /** The listener's certificate chain (required to listen). */
  cert?: string;
  /** The listener's private key (required to listen). */
  key?: string;
  /** Certificate authorities a dialling side trusts (default: the system's); also lets a listener verify client certificates. */
  ca?: string;
  /** Server name a dialling side checks the certificate against (default: the address's host). */
  servername?: string;
}

/** Why a listener refused a connection before any byte of it was read. */
export interface Refusal {
  /** `SORTLINE_ERR_TRANSPORT_PEER_REFUSED` (allow-list) or `SORTLINE_ERR_TRANSPORT_ORIGIN_REFUSED`. */
  readonly code: 'SORTLINE_ERR_TRANSPORT_PEER_REFUSED' | 'SORTLINE_ERR_TRANSPORT_ORIGIN_REFUSED';
  /** The peer, `tcp://10.0.0.9:51234`. */
  readonly remote: string;
  /** For people: what was refused and which setting decides. */
  readonly message: string;
}

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
  /** Connections a TCP or WebSocket listener holds at once; more are refused at accept (default 64). */
  maxConnections?: number;
  /**
   * Peer addresses a TCP or WebSocket listener accepts: IP addresses and CIDR blocks. Others are
   * closed at accept, before a byte is read, and reported to `onRefused`. Default: every address.
   */
  allow?: readonly string[];
  /**
   * WebSocket `Origin` values a listener accepts (RFC 6455 §10.2). A handshake with an `Origin`
   * header not listed is refused with HTTP 403 (a browser page cannot reach the gateway); one
   * without the header (a PLC gateway, not a browser) is accepted. Default: none listed.
   */
  allowOrigins?: readonly string[];
  /** TLS for `tls://` and `wss://` addresses. */
  tls?: TlsOptions;
  /** Told of every connection a listener refused (allow-list, origin). */
  onRefused?: (refusal: Refusal) => void;
}

/** Numeric transport options. */
type NumericKey =
  | 'keepAliveMs'
  | 'connectTimeoutMs'
  | 'closeTimeoutMs'
  | 'maxMessageBytes'
  | 'reopenDelayMs'
  | 'maxConnections';

/** Transport options with every default filled in and the allow-list compiled. */
export interface ResolvedTransportOptions extends Readonly<Record<NumericKey, number>> {
  /** null: every address. */
  readonly allow: AllowList | null;
  readonly allowOrigins: readonly string[];
  readonly tls: Readonly<TlsOptions>;
  readonly onRefused: (refusal: Refusal) => void;
}

/** The defaults of the numeric {@link TransportOptions}. */
export const TRANSPORT_DEFAULTS: Readonly<Record<NumericKey, number>> = {
  keepAliveMs: 10_000,
  connectTimeoutMs: 5_000,
  closeTimeoutMs: 1_000,
  maxMessageBytes: 1 << 20,
  reopenDelayMs: 1_000,
  maxConnections: 64,
};

const RANGES: Readonly<Record<NumericKey, readonly [number, number]>> = {
  keepAliveMs: [0, 86_400_000],
  connectTimeoutMs: [1, 3_600_000],
  closeTimeoutMs: [0, 3_600_000],
  maxMessageBytes: [64, 1 << 30],
  reopenDelayMs: [1, 3_600_000],
  maxConnections: [1, 100_000],
};

const OTHER_KEYS = ['allow', 'allowOrigins', 'tls', 'onRefused'] as const;
const TLS_KEYS = ['cert', 'key', 'ca', 'servername'] as const;

function bad(message: string): SortlineError {
  return new SortlineError('SORTLINE_ERR_TRANSPORT_BAD_OPTION', message);
}

/**
 * `options` completed with the defaults.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_OPTION` for an unknown option, a number not
 *   an integer in its range, an allow-list entry that is not an IP address or CIDR block, or TLS
 *   material that is not text.
 */
export function resolveTransportOptions(options: TransportOptions = {}): ResolvedTransportOptions {
  const numbers: Record<NumericKey, number> = { ...TRANSPORT_DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || (OTHER_KEYS as readonly string[]).includes(key)) continue;
    const range = Object.hasOwn(RANGES, key) ? RANGES[key as NumericKey] : undefined;
    if (range === undefined)
      throw bad(
        `unknown transport option ${JSON.stringify(key)}; expected one of ${[...Object.keys(RANGES), ...OTHER_KEYS].join(', ')}`,
      );
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < range[0] ||
      value > range[1]
    )
      throw bad(
        `${key}: expected an integer ${range[0]}–${range[1]}, got ${JSON.stringify(value)}`,
      );
    numbers[key as NumericKey] = value;
  }
  const allowOrigins = options.allowOrigins ?? [];
  if (!Array.isArray(allowOrigins) || !allowOrigins.every((o) => typeof o === 'string'))
    throw bad('allowOrigins: expected a list of origins such as "https://ops.example"');
  const tls = options.tls ?? {};
  for (const [key, value] of Object.entries(tls)) {
    if (!(TLS_KEYS as readonly string[]).includes(key))
      throw bad(`tls: unknown key ${JSON.stringify(key)}; expected ${TLS_KEYS.join(', ')}`);
    if (value !== undefined && typeof value !== 'string')
      throw bad(`tls.${key}: expected PEM text (read the file first)`);
  }
  if (options.onRefused !== undefined && typeof options.onRefused !== 'function')
    throw bad('onRefused: expected a function');
  return {
    ...numbers,
    allow: options.allow === undefined ? null : compileAllowList(options.allow),
    allowOrigins,
    tls,
    onRefused: options.onRefused ?? (() => {}),
  };
}
