/**
 * A session that dials its peer and keeps dialling (docs/transports.md "Connecting"): the
 * emulated PLC's side, and tests. Every connection is attached to the same session, so what the
 * peer did not acknowledge before a drop is resent after the next link sync. How to dial is
 * injected (`dial`), so this runs over any byte link: controller/session `connectSession` dials
 * a gateway address over the transports.
 *
 * Reconnects wait `initialDelayMs`, doubling per failed attempt up to `maxDelayMs`; the delay
 * starts again from `initialDelayMs` after a connection that lasted at least `maxDelayMs`.
 */
import { SortlineError } from '../../errors.js';
import type { Codec } from '../codec.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { SessionHandler } from './handler.js';
import type { Link } from './link.js';
import type { SessionOptions } from './options.js';
import { Session, type HandlerFactory } from './session.js';

/** Opens one new link to the peer, or rejects (a `SORTLINE_ERR_TRANSPORT_CONNECT` error). */
export type Dial = () => Promise<Link>;

/** Reconnect backoff (ms). */
export interface ReconnectOptions {
  /** First wait after a drop or a failed attempt (default 100). */
  initialDelayMs?: number;
  /** Longest wait (default 5,000). */
  maxDelayMs?: number;
}

/** Options of {@link dialSession}. */
export interface DialSessionOptions {
  /** Options of the session. */
  session?: Partial<SessionOptions>;
  /** Reconnect backoff. */
  reconnect?: ReconnectOptions;
  /** Time source of the session and the backoff (default the system clock). */
  clock?: Clock;
  /** Called with every failed connection attempt (`SORTLINE_ERR_TRANSPORT_CONNECT`); attempts go on. */
  onConnectError?: (error: SortlineError) => void;
  /**
   * Wraps every new connection before the session is attached to it (a decorator such as the
   * emulator's fault injection or a wire tap); its close must follow the wrapped link's.
   */
  wrapLink?: (link: Link) => Link;
}

/** A dialling session. */
export interface SessionClient {
  /** The session (send through it at any time: messages queue while disconnected). */
  readonly session: Session;
  /** The peer dialled, for logs and errors (a gateway address such as `tcp://127.0.0.1:7300`). */
  readonly url: string;
  /** Stops dialling, closes the session (waiting, bounded, for its queue to be acknowledged). */
  close(): Promise<void>;
}

/**
 * Starts dialling with `dial` at once and returns. The session's handler (or `factory`) is told
 * `onLinkUp` when a connection is synchronised.
 * @param url names the peer in logs and errors.
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_OPTION` (reconnect delays),
 *   `SORTLINE_ERR_SESSION_BAD_OPTION` (at once, not retried).
 */
export function dialSession(
  dial: Dial,
  url: string,
  codec: Codec,
  handler: SessionHandler | HandlerFactory,
  options: DialSessionOptions = {},
): SessionClient {
  const clock = options.clock ?? systemClock;
  const initial = options.reconnect?.initialDelayMs ?? 100;
  const max = options.reconnect?.maxDelayMs ?? 5_000;
  if (!Number.isInteger(initial) || initial < 1 || !Number.isInteger(max) || max < initial) {
    throw new SortlineError(
      'SORTLINE_ERR_TRANSPORT_BAD_OPTION',
      `reconnect: expected integers 1 ≤ initialDelayMs ≤ maxDelayMs, got ${initial} and ${max}`,
    );
  }
  const session = new Session(codec, handler, options.session, clock);
  const log = session.options.logger;
  let delay = initial;
  let stopped = false;
  let timer: TimerHandle = null;

  const later = (): void => {
    if (stopped) return;
    timer = clock.setTimeout(attempt, delay);
    delay = Math.min(delay * 2, max);
  };

  function attempt(): void {
    timer = null;
    dial().then(
      (raw) => {
        if (stopped || session.closed) {
          raw.destroy('client closed');
          return;
        }
        const link = options.wrapLink ? options.wrapLink(raw) : raw;
        const since = clock.now();
        session.attach(link);
        link.onClose(() => {
          if (clock.now() - since >= max) delay = initial;
          later();
        });
      },
      (err: unknown) => {
        const e =
          err instanceof SortlineError
            ? err
            : new SortlineError(
                'SORTLINE_ERR_TRANSPORT_CONNECT',
                `cannot connect to ${url}: ${String(err)}`,
                {},
                { cause: err },
              );
        log.warn({ code: e.code, url, retryInMs: delay }, e.message);
        options.onConnectError?.(e);
        later();
      },
    );
  }

  attempt();
  return {
    session,
    url,
    close(): Promise<void> {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      return session.close();
    },
  };
}
