/**
 * Serial-line transport (the `serialport` package): a device path such as `/dev/ttyUSB0`, or a pty
 * made by `socat` for commissioning (docs/transports.md "Serial lines"). A serial line has no
 * connections: "connect" opens the device, and a serial "listener" keeps the device open for as
 * long as it runs, opening it again `reopenDelayMs` after it closed or failed to open (a USB
 * adapter unplugged and plugged in again).
 *
 * `serialport` is loaded on first use, so its native binding is needed only when a serial line is.
 */
import type { SerialPort } from 'serialport';
import { SortlineError } from '../../core/errors.js';
import { LinkBase } from '../../core/protocol/index.js';
import type { Listener, OnLink } from './listener.js';
import type { ResolvedTransportOptions } from './options.js';
import { formatEndpoint, type SerialEndpoint } from './url.js';

type Resolved = ResolvedTransportOptions;

/** A link over one open serial device. */
export class SerialLink extends LinkBase {
  readonly kind = 'serial' as const;
  /** The open port. */
  readonly port: SerialPort;
  private readonly closeTimeoutMs: number;
  private ending = false;
  private reason: string | null = null;

  constructor(port: SerialPort, remote: string, options: Resolved) {
    super(remote);
    this.port = port;
    this.closeTimeoutMs = options.closeTimeoutMs;
    port.on('data', (chunk: Buffer) => this.emitData(chunk));
    port.on('drain', () => this.emitDrain());
    port.on('error', (err: Error) => {
      this.reason ??= `serial error: ${err.message}`;
    });
    port.on('close', (err: Error | null) =>
      this.emitClose(
        this.reason ?? (err ? `device disconnected: ${err.message}` : 'device closed'),
      ),
    );
  }

  /** The device path (a serial line has no network address). */
  get peerAddress(): string {
    return this.port.path;
  }

  get bufferedBytes(): number {
    return this.port.writableLength;
  }

  write(bytes: Uint8Array): boolean {
    if (this.ending || !this.port.isOpen) return false;
    return this.port.write(bytes);
  }

  pauseReading(): void {
    this.port.pause();
  }

  resumeReading(): void {
    this.port.resume();
  }

  close(reason = 'closed'): void {
    if (this.ending) return;
    this.ending = true;
    this.reason ??= reason;
    const timer = setTimeout(() => this.shut(), this.closeTimeoutMs);
    timer.unref();
    this.port.drain(() => {
      clearTimeout(timer);
      this.shut();
    });
  }

  destroy(reason = 'destroyed'): void {
    this.ending = true;
    this.reason ??= reason;
    this.shut();
  }

  private shut(): void {
    if (this.port.isOpen && !this.port.closing) this.port.close(() => {});
  }
}

/**
 * Opens the serial device of `e`.
 * @throws SortlineError `code` (`SORTLINE_ERR_TRANSPORT_CONNECT` by default) when it cannot be
 *   opened (missing, busy, no permission) within `connectTimeoutMs`.
 */
export async function openSerial(
  e: SerialEndpoint,
  options: Resolved,
  code:
    | 'SORTLINE_ERR_TRANSPORT_CONNECT'
    | 'SORTLINE_ERR_TRANSPORT_LISTEN' = 'SORTLINE_ERR_TRANSPORT_CONNECT',
): Promise<SerialLink> {
  const where = formatEndpoint(e);
  let ctor: typeof SerialPort;
  try {
    ctor = (await import('serialport')).SerialPort;
  } catch (err) {
    throw new SortlineError(
      code,
      `cannot open ${where}: the serialport package could not be loaded (${(err as Error).message})`,
      {},
      { cause: err },
    );
  }
  return new Promise<SerialLink>((resolve, reject) => {
    let port: SerialPort;
    const fail = (what: string, cause?: unknown): void => {
      clearTimeout(timer);
      reject(new SortlineError(code, `cannot open ${where}: ${what}`, {}, { cause }));
    };
    const timer = setTimeout(() => {
      fail(`not open within ${options.connectTimeoutMs} ms`);
      if (port.isOpen) port.close(() => {});
    }, options.connectTimeoutMs);
    try {
      port = new ctor(
        {
          path: e.path,
          baudRate: e.baudRate,
          dataBits: e.dataBits,
          parity: e.parity,
          stopBits: e.stopBits,
        },
        (err) => {
          if (err) return fail(err.message, err);
          clearTimeout(timer);
          resolve(new SerialLink(port, where, options));
        },
      );
    } catch (err) {
      fail((err as Error).message, err);
    }
  });
}

/**
 * Keeps the serial device of `e` open and hands each opening to `onLink`: at once (the first
 * opening must succeed), then again `reopenDelayMs` after the link closed.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_LISTEN` when the device cannot be opened the first time.
 */
export async function listenSerial(
  e: SerialEndpoint,
  onLink: OnLink,
  options: Resolved,
): Promise<Listener> {
  let current: SerialLink | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const adopt = (link: SerialLink): void => {
    current = link;
    link.onClose(() => {
      current = null;
      if (!stopped) schedule();
    });
    onLink(link);
  };
  const schedule = (): void => {
    retry = setTimeout(() => {
      retry = null;
      openSerial(e, options, 'SORTLINE_ERR_TRANSPORT_LISTEN').then(
        (link) => (stopped ? link.destroy('listener closed') : adopt(link)),
        () => {
          if (!stopped) schedule();
        },
      );
    }, options.reopenDelayMs);
  };
  adopt(await openSerial(e, options, 'SORTLINE_ERR_TRANSPORT_LISTEN'));
  let closing: Promise<void> | null = null;
  return {
    address: formatEndpoint(e),
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        stopped = true;
        if (retry !== null) clearTimeout(retry);
        const link: SerialLink | null = current;
        if (link === null) return resolve();
        link.onClose(() => resolve());
        link.close('listener closed');
      });
      return closing;
    },
  };
}
