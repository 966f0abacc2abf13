/**
 * Runs an emulated PLC against a controller (`sortline emulate`): the scenario's hub
 * ({@link EmulatedPlc}) in scaled real time, wired to a dialling client session over TCP,
 * WebSocket or a serial line, with optional fault injection, until `parcels` parcels have a
 * terminal outcome and every confirmation is acknowledged (or the caller aborts).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Logger } from 'pino';
import { SortlineError } from '../../core/errors.js';
import {
  codecByName,
  isTerminalOutcome,
  dialSession,
  type BusinessMessage,
  type ChuteStateMessage,
  type Dial,
  type DialectName,
  type Link,
  type Session,
  type SessionClient,
  type SessionOptions,
  type SortConfirmation,
  type SortRequest,
} from '../../core/protocol/index.js';
import { RandomStream } from '../random.js';
import type { SimModel } from '../scenario/index.js';
import { buildMachine } from '../../core/plan/index.js';
import { ConfirmationTracker, type WireListener } from './confirmation-tracker.js';
import {
  FaultyLink,
  createFaultStats,
  hasFaults,
  resolveFaultOptions,
  type FaultOptions,
} from './faulty-link.js';
import { MachineClock } from './machine-clock.js';
import { EmulatedPlc, type PlcPort } from './plc.js';
import { summarize, type EmulatorSummary } from './summary.js';

/** One PLC restart of {@link EmulatorOptions.restarts}. */
export interface EmulatorRestart {
  /** Restart once this many parcels were created. */
  afterParcels: number;
  /** New parcels get task ids from the lowest one the controller may still hold open. */
  reuseTaskIds?: boolean;
}

/** Options of {@link runEmulator}. */
export interface EmulatorOptions {
  /** Gateway address of the controller (`tcp://HOST:PORT`, `ws://HOST:PORT[/path]`, a serial device), named in the summary and in errors. */
  connect: string;
  /**
   * Opens a new link to the controller at `connect` (bin/ wires controller/transport `connect`
   * here); called again after every drop, with backoff.
   */
  dial: Dial;
  /** Wire dialect (default native). */
  dialect?: DialectName;
  /** Simulated seconds per wall-clock second (default 1: real time). Reply deadlines are in simulated time. */
  timeScale?: number;
  /** Stop creating parcels after this many and finish once all have a terminal outcome (default: until aborted). */
  parcels?: number;
  /** Scan-to-first-divert distance in metres (the reply deadline; default 5). */
  scanToDivertMeters?: number;
  /** Chute sensor reports every this many simulated seconds (default 5; 0 = none). */
  chuteReportSeconds?: number;
  /** Faults to inject on the PLC's writes. */
  faults?: FaultOptions;
  /** Seed of the fault injection (default 1). The scenario's own seed is in the model. */
  faultSeed?: number;
  /**
   * Once the last parcel has its terminal outcome (or after an abort), wait at most this many ms
   * for the controller to acknowledge every confirmation (default 60,000).
   */
  drainTimeoutMs?: number;
  /** Wait at most this many ms for the first connection to the controller (default 30,000). */
  connectTimeoutMs?: number;
  /**
   * Once connected, wait at most this many ms for the first valid frame from the controller (its
   * link sync comes at once, a heartbeat within 5 s) before giving up: nothing valid coming back
   * means the two sides speak different dialects. Default 6,000; bounded by `connectTimeoutMs`.
   */
  answerTimeoutMs?: number;
  /** Session options of the PLC side (default: SESSION_DEFAULTS). */
  session?: Partial<Omit<SessionOptions, 'deferAck'>>;
  /**
   * PLC restarts to play (docs/emulator.md "PLC restarts"): each once `afterParcels` parcels were
   * created; `reuseTaskIds` restores the task-id counter from an old checkpoint.
   */
  restarts?: readonly EmulatorRestart[];
  /** Stops creating parcels; the run then drains as after the last parcel. */
  signal?: AbortSignal;
  /** Receives both directions' bytes of every connection (recording a session). */
  wire?: WireListener;
  logger?: Logger;
  /**
   * Called with the counts so far while the machine runs and while it drains, at most every
   * {@link PROGRESS_INTERVAL_MS} of wall time (`sortline emulate`'s progress line). Must not throw.
   */
  onProgress?: (progress: EmulatorProgress) => void;
}

/** Wall-clock ms between two calls of `onProgress` at the least. */
export const PROGRESS_INTERVAL_MS = 250;

/** What `onProgress` receives: counts so far (see {@link EmulatorSummary} for their meaning). */
export interface EmulatorProgress {
  /** Parcels created. */
  parcels: number;
  /** Parcels with a terminal outcome. */
  done: number;
  /** Sort requests without a reply at the decision point. */
  late: number;
  /** Confirmations sent and not yet acknowledged by the controller. */
  unacknowledged: number;
  /** Simulated seconds run. */
  simulatedSeconds: number;
  /** True once the machine has stopped and the run waits for the last acknowledgements. */
  draining: boolean;
}

/** What {@link runEmulator} resolves to. */
export interface EmulatorRun {
  summary: EmulatorSummary;
  plc: EmulatedPlc;
}

/**
 * Runs the emulated PLC of `model` against the controller at `options.connect`. Resolves with the
 * ledger summary once every parcel has a terminal outcome and every confirmation is acknowledged,
 * or once the drain timeout passed (then `summary.complete` is false and `summary.unacknowledged`
 * names the tasks).
 * @throws SortlineError `SORTLINE_ERR_EMULATOR_BAD_OPTION`, `SORTLINE_ERR_EMULATOR_NO_CONTROLLER`
 *   (no connection within `connectTimeoutMs`), `SORTLINE_ERR_EMULATOR_NO_EXCEPTION_CHUTE`,
 *   `SORTLINE_ERR_TRANSPORT_BAD_URL`, `SORTLINE_ERR_SESSION_BAD_OPTION`,
 *   `SORTLINE_ERR_PROTOCOL_UNKNOWN_DIALECT`.
 */
export async function runEmulator(model: SimModel, options: EmulatorOptions): Promise<EmulatorRun> {
  const dialect = options.dialect ?? 'native';
  const codec = codecByName(dialect);
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0 && timeScale <= 1e6))
    throw badOption(`timeScale: expected a number > 0 and ≤ 1,000,000, got ${String(timeScale)}`);
  if (
    options.parcels !== undefined &&
    !(Number.isSafeInteger(options.parcels) && options.parcels >= 1)
  ) {
    throw badOption(`parcels: expected an integer ≥ 1, got ${String(options.parcels)}`);
  }
  const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  const answerTimeoutMs = options.answerTimeoutMs ?? 6_000;
  const faultOptions = resolveFaultOptions(options.faults);
  const faultRng = new RandomStream(xoroshiro128plus((options.faultSeed ?? 1) | 0));
  const faultStats = createFaultStats();
  const tracker = new ConfirmationTracker(codec);
  const { numbering } = buildMachine(model.planDoc);
  const chuteNumbers = new Map(numbering.ids.map((id, i) => [id, numbering.numberOf(i)] as const));

  // Messages the session refused (its queue was full) wait here, in order, for its drain.
  const overflow: BusinessMessage[] = [];
  let client: SessionClient | null = null;
  const send = (m: BusinessMessage): void => {
    if (overflow.length > 0 || !client!.session.send(m)) overflow.push(m);
  };
  const port: PlcPort = {
    request: (m: SortRequest) => send(m),
    confirm: (m: SortConfirmation) => {
      tracker.expect(m);
      send(m);
    },
    chuteState: (m: ChuteStateMessage) => send(m),
  };
  const plcOptions: ConstructorParameters<typeof EmulatedPlc>[2] = { chuteNumbers };
  if (options.parcels !== undefined) plcOptions.parcels = options.parcels;
  if (options.scanToDivertMeters !== undefined)
    plcOptions.scanToDivertMeters = options.scanToDivertMeters;
  if (options.chuteReportSeconds !== undefined)
    plcOptions.chuteReportSeconds = options.chuteReportSeconds;
  const plc = new EmulatedPlc(model, port, plcOptions);

  // The machine clock may read at most a quarter of the reply deadline (at least one tick) past the
  // machine's next tick: timer jitter passes, a stall of the emulator does not eat the deadline.
  const clock = new MachineClock(timeScale, Math.max(plc.hub.dt, plc.replyDeadlineSeconds / 4));
  let started = false;
  const simNow = (): number => (started ? clock.read(plc.now) : 0);
  // The tap sits next to the session: it sees frames as the session wrote them, before any fault.
  const decorate = (link: Link): Link =>
    tracker.tap(
      hasFaults(faultOptions) ? new FaultyLink(link, faultOptions, faultRng, faultStats) : link,
      options.wire,
    );
  const dialPlc = (): SessionClient =>
    dialSession(
      options.dial,
      options.connect,
      codec,
      (session) => {
        session.onDrain(() => {
          while (overflow.length > 0 && session.send(overflow[0]!)) overflow.shift();
        });
        return {
          onMessage: (m) => {
            if (m.type === 'destinationReply') plc.onReply(m, simNow());
            else if (m.type === 'chuteState') plc.onChuteState(m);
          },
        };
      },
      {
        session: { ...options.session, ...(options.logger ? { logger: options.logger } : {}) },
        reconnect: { initialDelayMs: 50, maxDelayMs: 1_000 },
        wrapLink: decorate,
      },
    );
  client = dialPlc();
  const session = client.session;
  const restarts = [...(options.restarts ?? [])].sort((a, b) => a.afterParcels - b.afterParcels);
  let restarted = 0;
  /**
   * A PLC restart (docs/emulator.md "PLC restarts"): the connection dropped without a word, a new
   * session numbering from 1 again, the unacknowledged messages kept (retentive) and sent again
   * first, the tracking of parcels kept; with `reuseTaskIds` the task-id counter restored from an
   * old checkpoint, so new parcels get ids the controller may still hold open.
   */
  const restart = (reuseTaskIds: boolean): void => {
    const old = client!;
    const kept: BusinessMessage[] = [];
    const dec = codec.createDecoder();
    for (const bytes of old.session.unacknowledgedFrames()) {
      dec.push(bytes);
      for (let r = dec.next(); r !== null; r = dec.next())
        if (
          r.kind === 'frame' &&
          r.message.type !== 'ack' &&
          r.message.type !== 'nak' &&
          r.message.type !== 'heartbeat' &&
          r.message.type !== 'linkSync'
        )
          kept.push(r.message);
    }
    old.session.currentLink?.destroy('the PLC restarts');
    void old.close();
    tracker.restarted();
    const queue = [...kept, ...overflow];
    overflow.length = 0;
    client = dialPlc();
    for (const m of queue) send(m);
    if (reuseTaskIds) {
      let low = Infinity;
      for (const m of kept)
        if (m.type === 'sortConfirmation' && isTerminalOutcome(m.outcome) && m.taskId < low)
          low = m.taskId;
      plc.resetTaskIds(Number.isFinite(low) ? low : undefined);
    }
    restarted++;
  };

  try {
    await awaitController(session, options.connect, dialect, connectTimeoutMs, answerTimeoutMs);
  } catch (err) {
    await client.close();
    throw err;
  }

  clock.start();
  started = true;
  const wallStart = performance.now();
  let stopArrivals = false;
  const onAbort = (): void => {
    stopArrivals = true;
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const dt = plc.hub.dt;
  let progressAt = -Infinity;
  const progress = (draining: boolean): void => {
    if (!options.onProgress || performance.now() - progressAt < PROGRESS_INTERVAL_MS) return;
    progressAt = performance.now();
    options.onProgress({
      parcels: plc.parcelsCreated,
      done: plc.ledger.size,
      late: plc.counts.late,
      unacknowledged: tracker.pending,
      simulatedSeconds: plc.now,
      draining,
    });
  };

  // Every timer turn runs the ticks up to the machine clock, then sleeps until the next tick is due.
  await new Promise<void>((resolve) => {
    const step = (): void => {
      if (stopArrivals) plc.stopArrivals();
      while (restarted < restarts.length && plc.parcelsCreated >= restarts[restarted]!.afterParcels)
        restart(restarts[restarted]!.reuseTaskIds === true);
      if (!plc.finished) plc.advanceTo(simNow());
      progress(false);
      if (plc.finished) {
        resolve();
        return;
      }
      const wait = clock.wallAt(plc.now + dt * 1e-9) - performance.now();
      if (wait > 0) setTimeout(step, wait);
      else setImmediate(step); // behind: the next tick after the I/O of this turn (replies) is read
    };
    step();
  });
  // the machine has stopped: later readings (replies while draining) are no stalls of the run
  const { stalls, lagSeconds } = clock;

  // Drain: every confirmation acknowledged, or the timeout.
  const drainEnd = performance.now() + drainTimeoutMs;
  while ((tracker.pending > 0 || overflow.length > 0) && performance.now() < drainEnd) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    progress(true);
  }
  options.signal?.removeEventListener('abort', onAbort);
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const last = client;
  await last.close();

  let lost = 0;
  for (const e of plc.ledger.values()) {
    if (
      tracker.isPending({
        type: 'sortConfirmation',
        taskId: e.taskId,
        turn: e.turns,
        outcome: e.outcome,
        chute: e.chute,
      })
    )
      lost++;
  }
  const summary = summarize(plc, {
    connect: options.connect,
    dialect,
    seed: model.seed,
    timeScale,
    wallSeconds,
    unacknowledged: tracker.unacknowledgedTasks(),
    lost,
    stalls,
    lagSeconds,
    session: last.session.stats,
    faults: faultStats,
    plcRestarts: restarted,
  });
  return { summary, plc };
}

function badOption(message: string): SortlineError {
  return new SortlineError('SORTLINE_ERR_EMULATOR_BAD_OPTION', message);
}

/**
 * Resolves once the controller has answered over `session`: a link is attached and synchronised
 * and a valid frame (its link sync, a heartbeat, an ACK) came back.
 * @throws SortlineError `SORTLINE_ERR_EMULATOR_NO_CONTROLLER` when no connection is made within
 *   `connectMs`, or when nothing valid comes back within `answerMs` of the first connection (the
 *   two sides speak different dialects, or the address is not a Sortline controller).
 */
async function awaitController(
  session: Session,
  url: string,
  dialect: DialectName,
  connectMs: number,
  answerMs: number,
): Promise<void> {
  const stats = session.stats;
  const start = performance.now();
  let linkedAt = -1;
  for (;;) {
    const now = performance.now();
    if (linkedAt < 0 && stats.linkUps > 0) linkedAt = now;
    if (stats.framesIn > 0 && session.linkUp) return;
    if (
      linkedAt >= 0 &&
      stats.framesIn === 0 &&
      now - linkedAt >= Math.min(answerMs, connectMs - (linkedAt - start))
    ) {
      throw new SortlineError(
        'SORTLINE_ERR_EMULATOR_NO_CONTROLLER',
        `connected to ${url}, but nothing valid in the ${dialect} dialect came back within ${Math.round(now - linkedAt)} ms ` +
          `(${stats.faults} decode faults, ${stats.bytesDiscarded} bytes discarded); check that sortline serve uses the same --dialect`,
      );
    }
    if (now - start >= connectMs) {
      throw new SortlineError(
        'SORTLINE_ERR_EMULATOR_NO_CONTROLLER',
        `no controller answered at ${url} within ${connectMs} ms; start it first (sortline serve) and check the address and dialect`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
