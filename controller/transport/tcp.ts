/**
 * TCP transport (node:net, and node:tls for `tls://`): a listener and a connector for
 * `tcp://HOST:PORT` and `tls://HOST:PORT`. Sockets run with
 * Nagle off (`setNoDelay`) and TCP keepalive on. Writes made in one turn of the event loop are
 * corked and leave in one `writev`, so a burst of small frames costs one system call.
 */
import net from 'node:net';
import tls from 'node:tls';
import { SortlineError } from '../../core/errors.js';
import { LinkBase } from '../../core/protocol/index.js';
import type { Listener, OnLink } from './listener.js';
import type { ResolvedTransportOptions } from './options.js';
import { urlHost } from './url.js';

type Resolved = ResolvedTransportOptions;

/** A link over one TCP socket. */
export class TcpLink extends LinkBase {
  readonly kind = 'tcp' as const;
  /** The socket (tests destroy it to inject a drop). */
  readonly socket: net.Socket;
  private readonly closeTimeoutMs: number;
  private ending = false;
  private corked = false;
  private reason: string | null = null;
  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  constructor(socket: net.Socket, options: Resolved) {
    super(
      `${socket instanceof tls.TLSSocket ? 'tls' : 'tcp'}://${urlHost(socket.remoteAddress ?? '?')}:${socket.remotePort ?? 0}`,
    );
    this.socket = socket;
    this.peerAddress = socket.remoteAddress ?? '?';
    this.closeTimeoutMs = options.closeTimeoutMs;
    socket.setNoDelay(true);
    socket.setKeepAlive(options.keepAliveMs > 0, options.keepAliveMs);
    socket.on('data', (chunk: Buffer) => this.emitData(chunk));
    socket.on('drain', () => this.emitDrain());
    socket.on('end', () => {
      this.reason ??= 'closed by peer';
    });
    socket.on('error', (err: Error) => {
      this.reason ??= `socket error: ${err.message}`;
    });
    socket.on('close', () => this.emitClose(this.reason ?? 'closed by peer'));
  }

  readonly peerAddress: string;

  get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    if (!this.socket.destroyed) this.socket.resume();
  }

  write(bytes: Uint8Array): boolean {
    if (this.ending || this.socket.destroyed) return false;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    return this.socket.write(bytes);
  }

  close(reason = 'closed'): void {
    if (this.ending) return;
    this.ending = true;
    this.reason ??= reason;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), this.closeTimeoutMs).unref();
  }

  destroy(reason = 'destroyed'): void {
    this.ending = true;
    this.reason ??= reason;
    this.socket.destroy();
  }
}

/**
 * Refuses `socket` before a byte of it is read when its address is not on the allow-list or the
 * listener holds `maxConnections` already; true when it was refused.
 */
function refuse(socket: net.Socket, scheme: string, open: number, options: Resolved): boolean {
  const remote = `${scheme}://${urlHost(socket.remoteAddress ?? '?')}:${socket.remotePort ?? 0}`;
  let why = '';
  if (options.allow !== null && !options.allow.allows(socket.remoteAddress))
    why = `${remote} refused: its address is not on the gateway's allow-list (${options.allow.entries.join(', ')})`;
  else if (open >= options.maxConnections)
    why = `${remote} refused: the listener already holds ${open} connections (maxConnections)`;
  if (why === '') return false;
  socket.destroy();
  options.onRefused({ code: 'SORTLINE_ERR_TRANSPORT_PEER_REFUSED', remote, message: why });
  return true;
}

/**
 * Listens on `host:port` (port 0: a free port) and hands every accepted connection to `onLink`;
 * with `secure`, over TLS with `options.tls.cert` and `.key` (connections whose handshake fails
 * are closed and never handed out).
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_LISTEN` (address in use, no permission, unknown
 *   host), `SORTLINE_ERR_TRANSPORT_TLS` (secure without a certificate and key, or unusable ones).
 */
export async function listenTcp(
  host: string,
  port: number,
  onLink: OnLink,
  options: Resolved,
  secure = false,
): Promise<Listener> {
  const scheme = secure ? 'tls' : 'tcp';
  const links = new Set<TcpLink>();
  let open = 0;
  const accept = (socket: net.Socket): void => {
    const link = new TcpLink(socket, options);
    links.add(link);
    link.onClose(() => links.delete(link));
    onLink(link);
  };
  let server: net.Server;
  if (secure) {
    server = tls.createServer(
      tlsServerOptions(options, `${scheme}://${urlHost(host)}:${port}`),
      accept,
    );
    server.on('tlsClientError', () => {
      // a failed handshake closes that connection; it never became a link
    });
  } else server = net.createServer(accept);
  // the raw TCP connection, before TLS and before any byte is read: the allow-list
  server.prependListener('connection', (socket: net.Socket) => {
    if (refuse(socket, scheme, open, options)) return;
    open++;
    socket.once('close', () => open--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new SortlineError(
          'SORTLINE_ERR_TRANSPORT_LISTEN',
          `cannot listen on ${scheme}://${urlHost(host)}:${port}: ${err.message}`,
          {},
          { cause: err },
        ),
      ),
    );
    server.listen({ host, port }, () => resolve());
  });
  server.on('error', () => {
    // After a successful listen the server reports nothing that needs handling here.
  });
  const bound = server.address() as net.AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    address: `${scheme}://${urlHost(bound.address)}:${bound.port}`,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const link of links) link.close('listener closed');
      });
      return closing;
    },
  };
}

/**
 * The TLS server options: the certificate and key (and client-certificate CAs when `ca` is set).
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_TLS` when the certificate or key is missing or unusable.
 */
export function tlsServerOptions(options: Resolved, where: string): tls.TlsOptions {
  const { cert, key, ca } = options.tls;
  if (cert === undefined || key === undefined)
    throw new SortlineError(
      'SORTLINE_ERR_TRANSPORT_TLS',
      `cannot listen on ${where}: TLS needs a certificate and a private key (gateway.tls.certFile and keyFile)`,
    );
  try {
    tls.createSecureContext({ cert, key });
  } catch (err) {
    throw new SortlineError(
      'SORTLINE_ERR_TRANSPORT_TLS',
      `cannot listen on ${where}: the TLS certificate or key is unusable: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  return ca === undefined
    ? { cert, key }
    : { cert, key, ca, requestCert: true, rejectUnauthorized: true };
}

/**
 * Connects to `host:port`; with `secure`, over TLS, checking the server's certificate against
 * `options.tls.ca` (default: the system's CAs) and `servername` (default `host`).
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_CONNECT` (refused, unreachable, no answer within
 *   `connectTimeoutMs`, a certificate that does not verify).
 */
export function connectTcp(
  host: string,
  port: number,
  options: Resolved,
  secure = false,
): Promise<TcpLink> {
  const where = `${secure ? 'tls' : 'tcp'}://${urlHost(host)}:${port}`;
  return new Promise<TcpLink>((resolve, reject) => {
    const t = options.tls;
    const socket = secure
      ? tls.connect({
          host,
          port,
          servername: t.servername ?? (net.isIP(host) === 0 ? host : undefined),
          ...(t.ca !== undefined ? { ca: t.ca } : {}),
          ...(t.cert !== undefined && t.key !== undefined ? { cert: t.cert, key: t.key } : {}),
          rejectUnauthorized: true,
          checkServerIdentity: (name, cert) =>
            t.servername === undefined && net.isIP(host) !== 0
              ? tls.checkServerIdentity(host, cert)
              : tls.checkServerIdentity(name, cert),
        })
      : net.connect({ host, port });
    const fail = (what: string, cause?: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        new SortlineError(
          'SORTLINE_ERR_TRANSPORT_CONNECT',
          `cannot connect to ${where}: ${what}`,
          {},
          { cause },
        ),
      );
    };
    const timer = setTimeout(
      () => fail(`no answer within ${options.connectTimeoutMs} ms`),
      options.connectTimeoutMs,
    );
    socket.once('error', (err: Error) => fail(err.message, err));
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(new TcpLink(socket, options));
    });
  });
}
