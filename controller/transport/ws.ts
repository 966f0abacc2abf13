/**
 * WebSocket transport (RFC 6455, the `ws` package): a listener on its own HTTP server and a
 * connector for `ws://HOST:PORT[/path]`. Gateway bytes travel in binary messages, in any chunking
 * (a message may hold several frames or part of one); a text message is dropped and reported as a
 * `SORTLINE_ERR_TRANSPORT_TEXT_MESSAGE` fault. Compression is off.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { SortlineError } from '../../core/errors.js';
import { LinkBase } from '../../core/protocol/index.js';
import type { Listener, OnLink } from './listener.js';
import { tlsServerOptions } from './tcp.js';
import type { ResolvedTransportOptions } from './options.js';
import { urlHost } from './url.js';

type Resolved = ResolvedTransportOptions;

/** `write` returns false above this many buffered bytes; drain is reported below half of it. */
const HIGH_WATER = 64 * 1024;
const BINARY = { binary: true, compress: false } as const;

/** A link over one WebSocket connection. */
export class WsLink extends LinkBase {
  readonly kind = 'ws' as const;
  /** The WebSocket (tests terminate it to inject a drop). */
  readonly ws: WebSocket;
  private readonly closeTimeoutMs: number;
  private ending = false;
  private blocked = false;
  private reason: string | null = null;
  /** One callback for every send: reports drain once the buffer is below half the high-water mark. */
  private readonly sent = (): void => {
    if (this.blocked && this.ws.bufferedAmount < HIGH_WATER / 2) {
      this.blocked = false;
      this.emitDrain();
    }
  };

  constructor(ws: WebSocket, remote: string, peerAddress: string, options: Resolved) {
    super(remote);
    this.ws = ws;
    this.peerAddress = peerAddress;
    this.closeTimeoutMs = options.closeTimeoutMs;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) this.emitData(data as Buffer);
      else
        this.emitFault(
          'SORTLINE_ERR_TRANSPORT_TEXT_MESSAGE',
          `WebSocket text message of ${(data as Buffer).length} bytes dropped; expected binary messages`,
        );
    });
    ws.on('error', (err: Error) => {
      this.reason ??= `WebSocket error: ${err.message}`;
    });
    ws.on('close', (code: number, why: Buffer) => {
      this.emitClose(
        this.reason ??
          `closed by peer (code ${code}${why.length > 0 ? `, ${why.toString()}` : ''})`,
      );
    });
  }

  readonly peerAddress: string;

  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  pauseReading(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.pause();
  }

  resumeReading(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.resume();
  }

  write(bytes: Uint8Array): boolean {
    if (this.ending || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(bytes, BINARY, this.sent);
    if (this.ws.bufferedAmount < HIGH_WATER) return true;
    this.blocked = true;
    return false;
  }

  close(reason = 'closed'): void {
    if (this.ending) return;
    this.ending = true;
    this.reason ??= reason;
    // RFC 6455 §5.5.1: the close reason is at most 123 bytes of UTF-8.
    this.ws.close(1000, Buffer.from(reason).subarray(0, 123).toString());
    setTimeout(() => this.ws.terminate(), this.closeTimeoutMs).unref();
  }

  destroy(reason = 'destroyed'): void {
    this.ending = true;
    this.reason ??= reason;
    this.ws.terminate();
  }
}

/**
 * Listens on `host:port` for WebSocket upgrades to `path` and hands every connection to `onLink`;
 * with `secure`, over TLS (`wss://`). Before the upgrade a connection is refused when its address
 * is not on the allow-list or the listener is full (the TCP connection is closed), or when its
 * `Origin` header is not in `allowOrigins` (HTTP 403). Other paths are refused (HTTP 400); plain
 * HTTP requests get 426 Upgrade Required.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_LISTEN`, `SORTLINE_ERR_TRANSPORT_TLS`.
 */
export async function listenWs(
  host: string,
  port: number,
  path: string,
  onLink: OnLink,
  options: Resolved,
  secure = false,
): Promise<Listener> {
  const scheme = secure ? 'wss' : 'ws';
  const where = `${scheme}://${urlHost(host)}:${port}${path}`;
  const plain = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    res
      .writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' })
      .end('WebSocket only\n');
  };
  const server = secure
    ? https.createServer(tlsServerOptions(options, where), plain)
    : http.createServer(plain);
  let open = 0;
  server.prependListener('connection', (socket: Socket) => {
    const remote = `${scheme}://${urlHost(socket.remoteAddress ?? '?')}:${socket.remotePort ?? 0}`;
    let why = '';
    if (options.allow !== null && !options.allow.allows(socket.remoteAddress))
      why = `${remote} refused: its address is not on the gateway's allow-list (${options.allow.entries.join(', ')})`;
    else if (open >= options.maxConnections)
      why = `${remote} refused: the listener already holds ${open} connections (maxConnections)`;
    if (why !== '') {
      socket.destroy();
      options.onRefused({ code: 'SORTLINE_ERR_TRANSPORT_PEER_REFUSED', remote, message: why });
      return;
    }
    open++;
    socket.once('close', () => open--);
  });
  const wss = new WebSocketServer({
    server,
    path,
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
    verifyClient: (info: { origin: string; req: http.IncomingMessage }, done) => {
      const origin = info.req.headers.origin;
      if (origin === undefined || options.allowOrigins.includes(origin)) {
        done(true);
        return;
      }
      const s = info.req.socket;
      const remote = `${scheme}://${urlHost(s.remoteAddress ?? '?')}:${s.remotePort ?? 0}`;
      options.onRefused({
        code: 'SORTLINE_ERR_TRANSPORT_ORIGIN_REFUSED',
        remote,
        message: `${remote} refused: WebSocket handshake from the web page origin ${JSON.stringify(origin)}, not in the gateway's allowOrigins`,
      });
      done(false, 403, 'Origin not allowed');
    },
  });
  const links = new Set<WsLink>();
  wss.on('connection', (ws, req) => {
    const s = req.socket;
    if (options.keepAliveMs > 0) s.setKeepAlive(true, options.keepAliveMs);
    const link = new WsLink(
      ws,
      `${scheme}://${urlHost(s.remoteAddress ?? '?')}:${s.remotePort ?? 0}`,
      s.remoteAddress ?? '?',
      options,
    );
    links.add(link);
    link.onClose(() => links.delete(link));
    onLink(link);
  });
  wss.on('error', () => {
    // Errors of the HTTP server are reported by listen below; later ones need no handling.
  });
  server.on('tlsClientError', () => {
    // a failed TLS handshake closes that connection; it never became a link
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new SortlineError(
          'SORTLINE_ERR_TRANSPORT_LISTEN',
          `cannot listen on ${where}: ${err.message}`,
          {},
          { cause: err },
        ),
      ),
    );
    server.listen({ host, port }, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    address: `${scheme}://${urlHost(bound.address)}:${bound.port}${path}`,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        for (const link of links) link.close('listener closed');
        wss.close();
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/**
 * Opens a WebSocket to `url` (`ws://HOST:PORT/path`, or `wss://` checking the server's
 * certificate against `options.tls.ca`, default the system's CAs). Sends no `Origin` header.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_CONNECT` (refused, handshake refused or not done
 *   within `connectTimeoutMs`, a certificate that does not verify).
 */
export function connectWs(url: string, options: Resolved): Promise<WsLink> {
  return new Promise<WsLink>((resolve, reject) => {
    const t = options.tls;
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      maxPayload: options.maxMessageBytes,
      handshakeTimeout: options.connectTimeoutMs,
      ...(t.ca !== undefined ? { ca: t.ca } : {}),
      ...(t.servername !== undefined ? { servername: t.servername } : {}),
      rejectUnauthorized: true,
    });
    const fail = (what: string, cause?: Error): void => {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      reject(
        new SortlineError(
          'SORTLINE_ERR_TRANSPORT_CONNECT',
          `cannot connect to ${url}: ${what}`,
          {},
          { cause },
        ),
      );
    };
    ws.once('error', (err) => fail(err.message, err));
    ws.once('unexpected-response', (_req, res) =>
      fail(`handshake refused with HTTP ${res.statusCode ?? '?'}`),
    );
    ws.once('open', () => {
      ws.removeAllListeners();
      resolve(new WsLink(ws, url, new URL(url).hostname.replace(/^\[|\]$/g, ''), options));
    });
  });
}
