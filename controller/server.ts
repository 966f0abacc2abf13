/**
 * A running controller (`sortline serve`; docs/operations.md): a gateway listener → sessions
 * (controller/session) → the sort service (controller/service) → the journal (controller/journal),
 * wired from a {@link ServeConfig}. Tests and the emulated PLC start one in-process with
 * `startServer(loadServeConfig(undefined, { gateway: 'tcp://127.0.0.1:0', data: dir }))`.
 */
import { pino, type Logger } from 'pino';
import { type SortlineError } from '../core/errors.js';
import { ParcelRouter } from '../core/labels/index.js';
import {
  codecByName,
  createLinkAuthenticator,
  type DialectName,
  type SessionHandler,
} from '../core/protocol/index.js';
import type { ServeConfig } from './config/index.js';
import { Journal } from './journal/index.js';
import type { ChuteNumbering } from '../core/sorter/index.js';
import { buildMachine, type Machine } from '../core/plan/index.js';
import { SortService, type GatewayPort } from './service/index.js';
import { nodeLinkCrypto, serveSessions, type SessionServer } from './session/index.js';

/** A controller started by {@link startServer}. */
export interface RunningServer {
  /** The gateway address listened on (port 0 replaced by the port chosen). */
  readonly address: string;
  readonly dialect: DialectName;
  /** Version label of the sort plan served. */
  readonly planVersion: string;
  /** Absolute path of the journal database. */
  readonly journalPath: string;
  /**
   * The line `sortline serve` prints, for scripts:
   * `sortline serve: listening on ADDRESS (dialect NAME, plan VERSION, journal PATH)`.
   */
  readonly banner: string;
  readonly service: SortService;
  /** The sessions of the gateway (one in `connections: 'one'` mode). */
  readonly sessions: SessionServer;
  /** Connections the gateway listener refused before reading a byte of them. */
  readonly gatewayStats: GatewayListenerStats;
  readonly journal: Journal;
  readonly machine: Machine;
  /**
   * Drains and stops (idempotent): commits the journal so pending confirmations are acknowledged,
   * closes the sessions (each waits, bounded by `closeTimeoutMs`, for the PLC to acknowledge what
   * is queued) and the listener, then commits and closes the journal.
   */
  close(): Promise<void>;
  /** Settles once the server has stopped: null after `close()`, the error when the journal failed. */
  readonly stopped: Promise<SortlineError | null>;
}

/** Counters of the gateway listener. */
export interface GatewayListenerStats {
  /** Connections closed at accept: not on the allow-list, listener full, or a refused origin. */
  refusedConnections: number;
  /** WebSocket handshakes refused for their `Origin` (counted in `refusedConnections` too). */
  refusedOrigins: number;
}

/** Options of {@link startServer} beyond the configuration. */
export interface StartOptions {
  /** Logger (default: pino at `config.log.level`, to stderr). */
  logger?: Logger;
}

/**
 * Starts a controller: builds the machine and the service, opens the journal and rebuilds the
 * service from it, and listens.
 * @throws SortlineError `SORTLINE_ERR_PLAN_INVALID`, `SORTLINE_ERR_LABEL_CONFIG`,
 *   `SORTLINE_ERR_JOURNAL_LOCKED` / `_OPEN` / `_SCHEMA`, `SORTLINE_ERR_TRANSPORT_LISTEN` /
 *   `_BAD_URL`, `SORTLINE_ERR_SESSION_BAD_OPTION`.
 */
export async function startServer(
  config: ServeConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const log =
    options.logger ??
    pino({ level: config.log.level, base: { name: 'sortline' } }, pino.destination(2));
  const machine = buildMachine(config.plan.doc, config.chutes);
  const router = new ParcelRouter(machine.plan, config.labels);
  const codec = codecByName(config.gateway.dialect);
  let stop: (err: SortlineError | null) => void = () => {};
  const stopped = new Promise<SortlineError | null>((resolve) => {
    stop = resolve;
  });
  let running: RunningServer | null = null;
  let failure: SortlineError | null = null;
  const journal = Journal.open({
    dir: config.data,
    synchronous: config.journal.synchronous,
    batchRows: config.journal.batchRows,
    flushMs: config.journal.flushMs,
    onError: (err) => {
      log.fatal({ code: err.code }, err.message);
      failure = err;
      void running?.close();
    },
  });
  const service = new SortService({
    ...machine,
    router,
    limits: config.service.limits,
    replyBudgetMs: config.service.replyBudgetMs,
    recirculationLimit: config.service.recirculationLimit,
    maxOpenTasks: config.service.maxOpenTasks,
    admission: config.service.admission,
    closedMemory: config.service.closedMemory,
    recorder: journal,
    logger: log.child({ component: 'service' }),
  });
  const recovered = journal.recover(config.service.closedMemory);
  service.restore(recovered);
  journal.chuteIds(machine.numbering);
  log.info(
    {
      openTasks: recovered.openTasks.length,
      closedTasks: recovered.closedTasks.length,
      lastTask: recovered.lastTask,
    },
    'journal recovered',
  );
  log.info(
    { chuteNumbers: chuteNumberText(machine.numbering) },
    'chute numbering (wire number = plan chute id)',
  );

  for (const w of config.warnings) log.warn({ gateway: config.gateway.name }, w);
  const gatewayStats: GatewayListenerStats = { refusedConnections: 0, refusedOrigins: 0 };
  const ports: GatewayPort[] = [];
  const many = config.gateway.connections === 'many';
  const prefix = `${config.gateway.name}#`;
  let connection = journal.gatewayNames().filter((n) => n.startsWith(prefix)).length;
  let sessions: SessionServer;
  try {
    sessions = await serveSessions(
      config.gateway.listen,
      codec,
      (session): SessionHandler => {
        const port = service.attachGateway(many ? `${prefix}${++connection}` : config.gateway.name);
        port.bind(session);
        ports.push(port);
        return {
          onMessage: (m, h, ack) => port.onMessage(m, h, ack),
          onLinkDown: many ? () => port.bind(null) : undefined,
        };
      },
      {
        connections: config.gateway.connections,
        session: {
          ...config.gateway.session,
          // what the service needs of its sessions (a confirmation ACKed after its journal commit);
          // the service refuses a session built without it
          ...service.requires,
          logger: log.child({ gateway: config.gateway.name }),
          auth:
            config.gateway.secret === null
              ? null
              : createLinkAuthenticator('host', config.gateway.secret, nodeLinkCrypto),
        },
        transport: {
          allow: config.gateway.allow,
          allowOrigins: config.gateway.allowOrigins,
          maxConnections: config.gateway.maxConnections,
          ...(config.gateway.tls === null ? {} : { tls: config.gateway.tls }),
          onRefused: (r) => {
            gatewayStats.refusedConnections++;
            if (r.code === 'SORTLINE_ERR_TRANSPORT_ORIGIN_REFUSED') gatewayStats.refusedOrigins++;
            log.warn({ code: r.code, remote: r.remote, gateway: config.gateway.name }, r.message);
          },
        },
      },
    );
  } catch (err) {
    await journal.discard(); // a new journal is removed again, so a failed start leaves nothing behind
    throw err;
  }

  const pruner = startPruning(journal, config, log);
  let closing: Promise<void> | null = null;
  const server: RunningServer = {
    address: sessions.address,
    dialect: config.gateway.dialect,
    planVersion: machine.plan.version,
    journalPath: journal.path,
    banner: `sortline serve: listening on ${sessions.address} (dialect ${config.gateway.dialect}, plan ${machine.plan.version}, journal ${journal.path})`,
    service,
    sessions,
    gatewayStats,
    journal,
    machine,
    stopped,
    close(): Promise<void> {
      closing ??= (async () => {
        clearInterval(pruner);
        await journal.settle(); // pending confirmations get their ACK before the sessions drain
        await sessions.close();
        for (const p of ports) p.bind(null);
        await journal.close();
        log.info({ stats: summary(service) }, 'stopped');
        stop(failure);
      })();
      return closing;
    },
  };
  running = server;
  if (failure !== null) void server.close(); // the journal failed while the listener was starting
  return server;
}

/** Prunes the journal at start and every `pruneIntervalMinutes`, in slices on the writer thread. */
function startPruning(
  journal: Journal,
  config: ServeConfig,
  log: Logger,
): NodeJS.Timeout | undefined {
  const hours = config.journal.retentionHours;
  if (hours <= 0) return undefined;
  let busy = false;
  const prune = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    const before = Date.now() - hours * 3_600_000;
    let tasks = 0;
    let events = 0;
    try {
      for (let more = true; more;) {
        const r = await journal.prune(before);
        tasks += r.tasks;
        events += r.events;
        more = r.more;
      }
      if (tasks + events > 0)
        log.info({ tasks, events, before: new Date(before).toISOString() }, 'journal pruned');
    } catch (err) {
      log.error({ err }, 'journal prune failed');
    }
    busy = false;
  };
  void prune();
  const timer = setInterval(() => void prune(), config.journal.pruneIntervalMinutes * 60_000);
  timer.unref();
  return timer;
}

/** The numbering as one line: `1=C53 2=C56 …` in wire-number order. */
export function chuteNumberText(numbering: ChuteNumbering): string {
  const order = numbering.ids
    .map((_, i) => i)
    .sort((a, b) => numbering.numberOf(a) - numbering.numberOf(b));
  return order.map((i) => `${numbering.numberOf(i)}=${numbering.ids[i]}`).join(' ');
}

/** The service counters worth a log line. */
function summary(service: SortService): Record<string, number> {
  const s = service.stats;
  return {
    requests: s.requests,
    replies: s.replies,
    missingReplies: s.missingReplies,
    lateReplies: s.lateReplies,
    staleRequests: s.staleRequests,
    unexpectedMessages: s.unexpectedMessages,
    confirmations: s.confirmations,
    closedTasks: s.closedTasks,
    openTasks: service.openTasks,
  };
}
