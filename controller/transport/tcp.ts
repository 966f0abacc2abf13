/**
 * TCP transport (node:net): a listener and a connector for `tcp://HOST:PORT`. Sockets run with
 * Nagle off (`setNoDelay`) and TCP keepalive on. Writes made in one turn of the event loop are
 * corked and leave in one `writev`, so a burst of small frames costs one system call.
 */
import net from 'node:net';
import { SortlineError } from '../../core/errors.js';
import { LinkBase } from '../../core/protocol/index.js';
import type { Listener, OnLink } from './listener.js';
import type { TransportOptions } from './options.js';
import { urlHost } from './url.js';

type Resolved = Readonly<Required<TransportOptions>>;

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
    super(`tcp://${urlHost(socket.remoteAddress ?? '?')}:${socket.remotePort ?? 0}`);
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
 * Listens on `host:port` (port 0: a free port) and hands every accepted connection to `onLink`.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_LISTEN` (address in use, no permission, unknown host).
 */
export async function listenTcp(
  host: string,
  port: number,
  onLink: OnLink,
  options: Resolved,
): Promise<Listener> {
  const links = new Set<TcpLink>();
  const server = net.createServer((socket) => {
    const link = new TcpLink(socket, options);
    links.add(link);
    link.onClose(() => links.delete(link));
    onLink(link);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new SortlineError(
          'SORTLINE_ERR_TRANSPORT_LISTEN',
          `cannot listen on tcp://${urlHost(host)}:${port}: ${err.message}`,
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
    address: `tcp://${urlHost(bound.address)}:${bound.port}`,
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
 * Connects to `host:port`.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_CONNECT` (refused, unreachable, no answer within `connectTimeoutMs`).
 */
export function connectTcp(host: string, port: number, options: Resolved): Promise<TcpLink> {
  const where = `tcp://${urlHost(host)}:${port}`;
  return new Promise<TcpLink>((resolve, reject) => {
    const socket = net.connect({ host, port });
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
    socket.once('error', (err) => fail(err.message, err));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(new TcpLink(socket, options));
    });
  });
}
