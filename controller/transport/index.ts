/**
 * Transports: byte links to sorter gateways over TCP, WebSocket and serial lines, chosen by the
 * address (docs/transports.md). `listen` serves, `connect` dials; both hand out byte links
 * (core/protocol `Link`) that a session (core/protocol `Session`) drives.
 */
import type { Dial, Link } from '../../core/protocol/index.js';
import type { Listener, OnLink } from './listener.js';
import { resolveTransportOptions, type TransportOptions } from './options.js';
import { listenSerial, openSerial } from './serial.js';
import { connectTcp, listenTcp } from './tcp.js';
import { formatEndpoint, parseEndpoint } from './url.js';
import { connectWs, listenWs } from './ws.js';

export type { Listener, OnLink } from './listener.js';
export {
  TRANSPORT_DEFAULTS,
  resolveTransportOptions,
  type Refusal,
  type ResolvedTransportOptions,
  type TlsOptions,
  type TransportOptions,
} from './options.js';
export { compileAllowList, isLoopbackHost, LOOPBACK_ALLOW, type AllowList } from './allow-list.js';
export {
  parseEndpoint,
  formatEndpoint,
  SERIAL_DEFAULTS,
  type Endpoint,
  type SerialEndpoint,
  type Parity,
} from './url.js';
export { TcpLink } from './tcp.js';
export { WsLink } from './ws.js';
export { SerialLink } from './serial.js';

/**
 * Serves the gateway address `url` and calls `onLink` for every connection (TCP, WebSocket) or
 * opening of the device (serial). Port 0 picks a free port: read it from `Listener.address`.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_URL`, `SORTLINE_ERR_TRANSPORT_BAD_OPTION`,
 *   `SORTLINE_ERR_TRANSPORT_LISTEN`.
 */
export async function listen(
  url: string,
  onLink: OnLink,
  options?: TransportOptions,
): Promise<Listener> {
  const e = parseEndpoint(url);
  const o = resolveTransportOptions(options);
  switch (e.kind) {
    case 'tcp':
      return listenTcp(e.host, e.port, onLink, o, e.secure);
    case 'ws':
      return listenWs(e.host, e.port, e.path, onLink, o, e.secure);
    case 'serial':
      return listenSerial(e, onLink, o);
  }
}

/**
 * Connects to the gateway address `url` (opens the device for a serial line).
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_URL`, `SORTLINE_ERR_TRANSPORT_BAD_OPTION`,
 *   `SORTLINE_ERR_TRANSPORT_CONNECT`.
 */
export async function connect(url: string, options?: TransportOptions): Promise<Link> {
  const e = parseEndpoint(url);
  const o = resolveTransportOptions(options);
  switch (e.kind) {
    case 'tcp':
      return connectTcp(e.host, e.port, o, e.secure);
    case 'ws':
      return connectWs(formatEndpoint(e), o);
    case 'serial':
      return openSerial(e, o);
  }
}

/**
 * A {@link Dial} for the gateway address `url` (what core/protocol `dialSession` and the emulated
 * PLC call to open each new link). The address and options are checked now, not at each dial.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_URL`, `SORTLINE_ERR_TRANSPORT_BAD_OPTION`.
 */
export function dialer(url: string, options?: TransportOptions): Dial {
  parseEndpoint(url);
  resolveTransportOptions(options);
  return () => connect(url, options);
}
