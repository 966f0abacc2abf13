/**
 * Serving sessions on a gateway address (docs/transports.md "Serving"): a listener whose
 * connections are attached to sessions.
 *
 * - `connections: 'one'` (default): the address serves one gateway (one PLC). One session lives
 *   from the start to `close()`; every new connection is attached to it, replacing (destroying)
 *   the one before, so messages not yet acknowledged survive a reconnect.
 * - `connections: 'many'`: every connection gets its own session, closed with the connection
 *   (benchmarks with many gateway connections; nothing survives a reconnect).
 */
import {
  type Codec,
  type Link,
  type Clock,
  type SessionOptions,
  Session,
  type HandlerFactory,
} from '../../core/protocol/index.js';
import { listen, type TransportOptions } from '../transport/index.js';

/** Options of {@link serveSessions}. */
export interface ServeSessionsOptions {
  /** One session for the address (default) or one per connection. */
  connections?: 'one' | 'many';
  /** Options of every session. */
  session?: Partial<SessionOptions>;
  /** Options of the listener and its links. */
  transport?: TransportOptions;
  /** Time source of the sessions (default the system clock). */
  clock?: Clock;
}

/** A running session server. */
export interface SessionServer {
  /** The address listened on (port 0 replaced by the port chosen). */
  readonly address: string;
  /** The sessions now: the one session in `'one'` mode; one per open connection in `'many'` mode. */
  readonly sessions: ReadonlySet<Session>;
  /** Closes every session (each waits, bounded, for its queue to be acknowledged), then the listener. */
  close(): Promise<void>;
}

/**
 * Listens on `url` and runs sessions in `codec` over its connections; `factory` makes the handler
 * of each session (in `'one'` mode once, at start).
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_URL`, `SORTLINE_ERR_TRANSPORT_LISTEN`,
 *   `SORTLINE_ERR_SESSION_BAD_OPTION`, `SORTLINE_ERR_TRANSPORT_BAD_OPTION`.
 */
export async function serveSessions(
  url: string,
  codec: Codec,
  factory: HandlerFactory,
  options: ServeSessionsOptions = {},
): Promise<SessionServer> {
  const sessions = new Set<Session>();
  const make = (): Session => new Session(codec, factory, options.session, options.clock);
  let onLink: (link: Link) => void;
  if ((options.connections ?? 'one') === 'one') {
    const session = make();
    sessions.add(session);
    onLink = (link) => {
      if (session.closed) link.destroy('server closing');
      else session.offer(link);
    };
  } else {
    onLink = (link) => {
      const session = make();
      sessions.add(session);
      session.offer(link);
      link.onClose(() => {
        sessions.delete(session);
        void session.close();
      });
    };
  }
  const listener = await listen(url, (link) => onLink(link), options.transport);
  let closing: Promise<void> | null = null;
  return {
    address: listener.address,
    sessions,
    close(): Promise<void> {
      closing ??= (async () => {
        onLink = (link) => link.destroy('server closing');
        await Promise.all([...sessions].map((s) => s.close()));
        await listener.close();
      })();
      return closing;
    },
  };
}
