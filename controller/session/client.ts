/**
 * Dialling a gateway address (docs/transports.md "Connecting"): a core/protocol session client
 * whose links come from the transports.
 */
import {
  dialSession,
  type Codec,
  type DialSessionOptions,
  type HandlerFactory,
  type SessionClient,
  type SessionHandler,
} from '../../core/protocol/index.js';
import { dialer, type TransportOptions } from '../transport/index.js';

/** Options of {@link connectSession}. */
export interface ConnectSessionOptions extends DialSessionOptions {
  /** Options of the links. */
  transport?: TransportOptions;
}

/**
 * Starts dialling `url` (`tcp://HOST:PORT`, `ws://HOST:PORT[/path]`, a serial device) at once
 * and returns; reconnects with backoff after every drop.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_URL`, `SORTLINE_ERR_TRANSPORT_BAD_OPTION`,
 *   `SORTLINE_ERR_SESSION_BAD_OPTION` (at once, not retried).
 */
export function connectSession(
  url: string,
  codec: Codec,
  handler: SessionHandler | HandlerFactory,
  options: ConnectSessionOptions = {},
): SessionClient {
  return dialSession(dialer(url, options.transport), url, codec, handler, options);
}
