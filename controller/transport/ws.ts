/**
 * WebSocket transport (RFC 6455, the `ws` package): a listener on its own HTTP server and a
 * connector for `ws://HOST:PORT[/path]`. Gateway bytes travel in binary messages, in any chunking
 * (a message may hold several frames or part of one); a text message is dropped and reported as a
 * `SORTLINE_ERR_TRANSPORT_TEXT_MESSAGE` fault. Compression is off.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { SortlineError } from '../../core/errors.js';
import { LinkBase } from '../../core/protocol/index.js';
import type { Listener, OnLink } from './listener.js';
import type { TransportOptions } from './options.js';
import { urlHost } from './url.js';

type Resolved = Readonly<Required<TransportOptions>>;

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
 * Listens on `host:port` for WebSocket upgrades to `path` and hands every connection to `onLink`.
 * Other paths are refused (HTTP 400); plain HTTP requests get 426 Upgrade Required.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_LISTEN`.
 */
export async function listenWs(
  host: string,
  port: number,
  path: string,
  onLink: OnLink,
  options: Resolved,
): Promise<Listener> {
  const server = http.createServer((_req, res) => {
    res
      .writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' })
      .end('WebSocket only\n');
  });
  const wss = new WebSocketServer({
    server,
    path,
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
  });
  const links = new Set<WsLink>();
  wss.on('connection', (ws, req) => {
    const s = req.socket;
    if (options.keepAliveMs > 0) s.setKeepAlive(true, options.keepAliveMs);
    const link = new WsLink(
      ws,
      `ws://${urlHost(s.remoteAddress ?? '?')}:${s.remotePort ?? 0}`,
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new SortlineError(
          'SORTLINE_ERR_TRANSPORT_LISTEN',
          `cannot listen on ws://${urlHost(host)}:${port}${path}: ${err.message}`,
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
    address: `ws://${urlHost(bound.address)}:${bound.port}${path}`,
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
 * Opens a WebSocket to `url` (`ws://HOST:PORT/path`).
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_CONNECT` (refused, handshake refused or not done within `connectTimeoutMs`).
 */
export function connectWs(url: string, options: Resolved): Promise<WsLink> {
  return new Promise<WsLink>((resolve, reject) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      maxPayload: options.maxMessageBytes,
      handshakeTimeout: options.connectTimeoutMs,
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
