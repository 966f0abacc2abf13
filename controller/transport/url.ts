/**
 * Gateway addresses (docs/transports.md "Addresses"): parsing a URL or device path into an
 * {@link Endpoint} and formatting it back.
 *
 * - `tcp://HOST:PORT` — HOST an IPv4 address, a host name or a bracketed IPv6 address; PORT 0–65535
 *   (0 = any free port when listening).
 * - `ws://HOST:PORT[/path]` — WebSocket (RFC 6455), binary messages; path `/` when absent, port 80
 *   when absent (WHATWG URL rules).
 * - `tls://HOST:PORT`, `wss://HOST:PORT[/path]` — the same over TLS (RFC 8446); port 443 when a
 *   wss address has none.
 * - `/dev/ttyUSB0`, `/dev/pts/3`, `COM3` — a serial device with the default line settings.
 * - `serial:///dev/ttyUSB0?baudRate=9600&dataBits=8&parity=none&stopBits=1` — with line settings.
 */
import { SortlineError } from '../../core/errors.js';

/** Serial line parity, as serialport names it. */
export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';

/** A parsed gateway address. */
export type Endpoint =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly secure: boolean }
  | {
      readonly kind: 'ws';
      readonly host: string;
      readonly port: number;
      readonly path: string;
      readonly secure: boolean;
    }
  | SerialEndpoint;

/** A serial device and its line settings. */
export interface SerialEndpoint {
  readonly kind: 'serial';
  /** Device path: `/dev/ttyUSB0`, `/dev/pts/3`, `COM3`. */
  readonly path: string;
  /** Bits per second (default 115200). */
  readonly baudRate: number;
  /** Data bits 5–8 (default 8). */
  readonly dataBits: 5 | 6 | 7 | 8;
  /** Parity (default none). */
  readonly parity: Parity;
  /** Stop bits 1, 1.5 or 2 (default 1). */
  readonly stopBits: 1 | 1.5 | 2;
}

/** Line settings of a serial device named without them: 115200 bit/s, 8 data bits, no parity, 1 stop bit (8N1). */
export const SERIAL_DEFAULTS = {
  baudRate: 115_200,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
} as const;

const EXPECTED =
  'expected tcp://HOST:PORT, tls://HOST:PORT, ws://HOST:PORT[/path], wss://HOST:PORT[/path], a serial device path (/dev/ttyUSB0) or serial:///dev/ttyUSB0?baudRate=115200';
const PARITIES: readonly Parity[] = ['none', 'even', 'odd', 'mark', 'space'];

function bad(url: string, what: string): SortlineError {
  return new SortlineError(
    'SORTLINE_ERR_TRANSPORT_BAD_URL',
    `gateway address ${JSON.stringify(url)}: ${what}`,
  );
}

/**
 * The endpoint named by `url`.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_URL` naming the wrong part and what was expected.
 */
export function parseEndpoint(url: string): Endpoint {
  if (typeof url !== 'string' || url.trim() === '') throw bad(String(url), EXPECTED);
  if (url.startsWith('/') || /^COM[0-9]+$/i.test(url)) {
    if (url.includes('?'))
      throw bad(url, `line settings need the serial:// form, as in serial://${url}`);
    return serial(url, url, '');
  }
  if (/^(\[[0-9a-f:.]+\]|[^/:?#\s]+):[0-9]+$/i.test(url))
    throw bad(url, `no scheme; did you mean tcp://${url} (or ws://${url})?`);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) throw bad(url, `no scheme; ${EXPECTED}`);
  if (scheme === 'serial') return parseSerialUrl(url);
  if (scheme !== 'tcp' && scheme !== 'ws' && scheme !== 'tls' && scheme !== 'wss') {
    const hint =
      scheme === 'https' || scheme === 'http' ? ' (the gateway speaks wss:// or ws://)' : '';
    throw bad(url, `scheme ${scheme}: is not supported${hint}; ${EXPECTED}`);
  }
  const secure = scheme === 'tls' || scheme === 'wss';
  let u: URL;
  try {
    // WHATWG URL parses only special schemes' hosts reliably: read tls:// as tcp://
    u = new URL(scheme === 'tls' ? 'tcp' + url.slice(3) : url);
  } catch {
    throw bad(url, `not a valid URL (check the host and that the port is 0–65535); ${EXPECTED}`);
  }
  if (u.username !== '' || u.password !== '')
    throw bad(url, 'user names and passwords are not supported');
  if (u.search !== '' || u.hash !== '')
    throw bad(url, `no query or fragment expected in a ${scheme}:// address`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  if (host === '') throw bad(url, `expected a host, as in ${scheme}://127.0.0.1:7000`);
  if (scheme === 'tcp' || scheme === 'tls') {
    if (u.port === '')
      throw bad(url, `expected a port, as in ${scheme}://127.0.0.1:7000 (0 = any free port)`);
    if (u.pathname !== '' && u.pathname !== '/')
      throw bad(
        url,
        `no path expected after the port of a ${scheme}:// address, got ${u.pathname}`,
      );
    return { kind: 'tcp', host, port: Number(u.port), secure };
  }
  return {
    kind: 'ws',
    host,
    port: u.port === '' ? (secure ? 443 : 80) : Number(u.port),
    path: u.pathname === '' ? '/' : u.pathname,
    secure,
  };
}

function parseSerialUrl(url: string): SerialEndpoint {
  const m = /^serial:\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (m === null || m[1] !== '' || m[2] === '')
    throw bad(
      url,
      'expected serial:///DEVICE (three slashes, no host), as in serial:///dev/ttyUSB0?baudRate=115200',
    );
  if (m[4] !== undefined) throw bad(url, 'no fragment expected');
  let path: string;
  try {
    path = decodeURIComponent(m[2]!);
  } catch {
    throw bad(url, 'the device path has a malformed %-escape');
  }
  return serial(url, /^\/COM[0-9]+$/i.test(path) ? path.slice(1) : path, m[3] ?? '');
}

function serial(url: string, path: string, query: string): SerialEndpoint {
  let baudRate: number = SERIAL_DEFAULTS.baudRate;
  let dataBits: SerialEndpoint['dataBits'] = SERIAL_DEFAULTS.dataBits;
  let parity: Parity = SERIAL_DEFAULTS.parity;
  let stopBits: SerialEndpoint['stopBits'] = SERIAL_DEFAULTS.stopBits;
  for (const [key, value] of new URLSearchParams(query)) {
    switch (key) {
      case 'baudRate': {
        const v = Number(value);
        if (!/^[0-9]+$/.test(value) || v < 1 || v > 20_000_000)
          throw bad(
            url,
            `baudRate: expected a whole number of bits per second (e.g. 9600, 115200), got ${JSON.stringify(value)}`,
          );
        baudRate = v;
        break;
      }
      case 'dataBits':
        if (value !== '5' && value !== '6' && value !== '7' && value !== '8')
          throw bad(url, `dataBits: expected 5, 6, 7 or 8, got ${JSON.stringify(value)}`);
        dataBits = Number(value) as SerialEndpoint['dataBits'];
        break;
      case 'parity':
        if (!(PARITIES as readonly string[]).includes(value))
          throw bad(
            url,
            `parity: expected one of ${PARITIES.join(', ')}, got ${JSON.stringify(value)}`,
          );
        parity = value as Parity;
        break;
      case 'stopBits':
        if (value !== '1' && value !== '1.5' && value !== '2')
          throw bad(url, `stopBits: expected 1, 1.5 or 2, got ${JSON.stringify(value)}`);
        stopBits = Number(value) as SerialEndpoint['stopBits'];
        break;
      default:
        throw bad(
          url,
          `unknown setting ${JSON.stringify(key)}; expected baudRate, dataBits, parity or stopBits`,
        );
    }
  }
  return { kind: 'serial', path, baudRate, dataBits, parity, stopBits };
}

/** `host` as it appears in a URL: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The canonical URL of `e`: `tcp://[::1]:7000`, `ws://127.0.0.1:7001/gateway`, `serial:///dev/pts/3?baudRate=115200`. */
export function formatEndpoint(e: Endpoint): string {
  switch (e.kind) {
    case 'tcp':
      return `${e.secure ? 'tls' : 'tcp'}://${urlHost(e.host)}:${e.port}`;
    case 'ws':
      return `${e.secure ? 'wss' : 'ws'}://${urlHost(e.host)}:${e.port}${e.path}`;
    case 'serial': {
      let q = `?baudRate=${e.baudRate}`;
      if (e.dataBits !== SERIAL_DEFAULTS.dataBits) q += `&dataBits=${e.dataBits}`;
      if (e.parity !== SERIAL_DEFAULTS.parity) q += `&parity=${e.parity}`;
      if (e.stopBits !== SERIAL_DEFAULTS.stopBits) q += `&stopBits=${e.stopBits}`;
      return `serial://${e.path.startsWith('/') ? '' : '/'}${encodeURI(e.path)}${q}`;
    }
  }
}
