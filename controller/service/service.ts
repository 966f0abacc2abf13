/**
 * The sort service (DESIGN.md "The gateway protocol", issue 4 item 4): sort requests → label
 * resolution (core/labels ParcelRouter, the resolver the simulator uses) → the compiled sort plan →
 * chute assignment aware of live chute states and fill (core/assign ChuteAssigner) → destination
 * reply; tasks from first request to one terminal outcome; chute states from PLC sensors and
 * operators, with rerouting of parcels already assigned to a chute that stopped taking parcels.
 *
 * Hot path (a sort request, a confirmation): typed-array work only ({@link TaskTable}); the only
 * objects made per request are the reply message and its chute list.
 * Specified in docs/operations.md "The sort service".
 */
import { pino, type Logger } from 'pino';
import { ChuteAssigner } from '../../core/assign/index.js';
import { SortlineError } from '../../core/errors.js';
import type { ParcelRouter } from '../../core/labels/index.js';
import { type CompiledPlan, Fallback, type FallbackCode } from '../../core/plan/index.js';
import {
  ReplyStatus,
  type ReplyStatusCode,
  Limits,
  type ChuteStateMessage,
  type DestinationReply,
  type FrameHeader,
  type Message,
  type SortConfirmation,
  type SortRequest,
  Outcome,
  isTerminalOutcome,
  frameFingerprint,
  NakReason,
  type AckFn,
} from '../../core/protocol/index.js';
import {
  fallbackOf,
  machineChuteState,
  replyStatusOf,
  wireChuteState,
} from '../../core/wire-map.js';
import {
  type ChuteTable,
  CHUTE_STATE_NAMES,
  type ChuteStateCode,
  type ChuteNumbering,
} from '../../core/sorter/index.js';
import {
  ChuteSource,
  ConfirmationKind,
  RequestKind,
  nullRecorder,
  type ChuteSourceCode,
  type ConfirmationKindCode,
  type RequestKindCode,
  type RecoveredState,
  type ServiceRecorder,
} from './recorder.js';
import { Admission, Shed, type AdmissionOptions, type ShedCode } from './admission.js';
import { createServiceStats, type ServiceStats } from './stats.js';
import { NO_OUTCOME, TaskState, TaskTable } from './task-table.js';

/** Where replies and host chute states go: a gateway session (controller/session `Session.send`). */
export interface ReplySender {
  /** Queues the message for the PLC; false when it could not be queued (backpressure, closed). */
  send(message: DestinationReply | ChuteStateMessage): boolean;
}

/** Size and weight limits of the sorter; a parcel over any of them goes to the oversize chute. 0 = no limit. */
export interface ParcelLimits {
  maxWeightG: number;
  maxLengthMm: number;
  maxWidthMm: number;
  maxHeightMm: number;
}

/** Clocks of the service (injectable for tests). */
export interface ServiceClock {
  /** Wall clock, ms since the Unix epoch (journal timestamps). */
  nowMs(): number;
  /** Monotonic clock in ms with sub-ms resolution (reply latency). */
  monotonicMs(): number;
}

/** How a {@link SortService} is built. */
export interface SortServiceOptions {
  /** The active compiled plan: compiled against `chutes.ids`. */
  plan: CompiledPlan;
  /** The live chute table (state and fill are changed by the service). */
  chutes: ChuteTable;
  /** Wire chute numbers of `chutes`. */
  numbering: ChuteNumbering;
  /** The label router, over the same plan. */
  router: ParcelRouter;
  /** Oversize limits (default: none). */
  limits?: Partial<ParcelLimits>;
  /** Reply budget in ms: a reply that took the service longer is recorded as late. Default 150 (DESIGN.md). */
  replyBudgetMs?: number;
  /**
   * Recirculations a parcel may make: a request of turn > limit + 1 is answered with the
   * recirculation-limit exception chute. Default 0: no limit here (the PLC enforces its own).
   */
  recirculationLimit?: number;
  /** Open tasks kept in memory; past it the oldest is forgotten (counted in `stats.evictedTasks`). Default 1,000,000. */
  maxOpenTasks?: number;
  /** Admission control: when to answer busy instead of serving (admission.ts; defaults there). */
  admission?: Partial<AdmissionOptions>;
  /** Closed tasks remembered to recognise resent confirmations. Default 65,536. */
  closedMemory?: number;
  /** The journal (default: records nothing, confirms at once). */
  recorder?: ServiceRecorder;
  clock?: ServiceClock;
  /**
   * pino logger (default: silent). Stale sort requests (`SORTLINE_ERR_SERVICE_STALE_REQUEST`) and
   * messages a PLC must not send (`SORTLINE_ERR_SERVICE_UNEXPECTED_MESSAGE`) are logged at `warn`,
   * once per burst (the first after {@link WARN_QUIET_MS} without one); every one is counted in `stats`.
   */
  logger?: Logger;
}

/** One gateway's connection to the service: pass it to a Session as its handler. */
export interface GatewayPort {
  /** The gateway id (stable across restarts, from the recorder). */
  readonly id: number;
  readonly name: string;
  /**
   * A business message from this gateway's PLC (SessionHandler.onMessage). `ack` is called once
   * the message is durable (sort confirmations, after the journal committed); for other messages
   * it is called at once.
   */
  onMessage(message: Message, header: FrameHeader, ack: AckFn): void;
  /** Routes replies (and host chute states) to `sender`; null while the gateway is away. */
  bind(sender: ReplySender | null): void;
}

/** A task as {@link SortService.task} reports it (API edge). */
export interface TaskView {
  /** Task number (the journal's id for this parcel's life). */
  task: number;
  open: boolean;
  turn: number;
  /** Reply status code of the latest reply. */
  status: number;
  /** Chute numbers of the latest reply. */
  chutes: number[];
  /** Exception chute number of the latest reply (0 none). */
  exceptionChute: number;
  /** Terminal outcome code when closed, else null. */
  outcome: number | null;
}

const MS_TO_US = 1000;
/** A burst of stale requests (or of unexpected messages) ends after this many ms without one; each burst is logged once. */
export const WARN_QUIET_MS = 10_000;
const SILENT: Logger = pino({ level: 'silent' });

/** Answers sort requests and tracks tasks for any number of gateways. */
export class SortService {
  readonly stats: ServiceStats;
  private readonly plan: CompiledPlan;
  private readonly chutes: ChuteTable;
  private readonly numbering: ChuteNumbering;
  private readonly router: ParcelRouter;
  private readonly assigner: ChuteAssigner;
  private readonly recorder: ServiceRecorder;
  private readonly clock: ServiceClock;
  private readonly tasks: TaskTable;
  private readonly limits: ParcelLimits;
  private readonly budgetMs: number;
  private readonly maxTurn: number;
  private readonly senders: (ReplySender | null)[] = [];
  private readonly ports = new Map<string, GatewayPort>();
  private readonly scratch = new Int32Array(Limits.MAX_CHUTES);
  private readonly log: Logger;
  private lastTask = 0;
  /** Wall ms of the last stale request and of the last unexpected message (bursts). */
  private lastStaleMs = -Infinity;
  private lastUnexpectedMs = -Infinity;
  private lastReusedMs = -Infinity;
  private lastBusyMs = -Infinity;
  private lastMissingMs = -Infinity;
  private readonly admission: Admission;
  private lastUnknownChuteMs = -Infinity;

  /** @throws SortlineError `SORTLINE_ERR_PLAN_MACHINE_MISMATCH` when the plan was not compiled against `chutes`. */
  constructor(options: SortServiceOptions) {
    this.plan = options.plan;
    this.chutes = options.chutes;
    this.numbering = options.numbering;
    this.router = options.router;
    this.assigner = new ChuteAssigner(options.plan, options.chutes);
    this.recorder = options.recorder ?? nullRecorder();
    this.clock = options.clock ?? { nowMs: Date.now, monotonicMs: () => performance.now() };
    this.log = options.logger ?? SILENT;
    this.limits = {
      maxWeightG: 0,
      maxLengthMm: 0,
      maxWidthMm: 0,
      maxHeightMm: 0,
      ...options.limits,
    };
    this.budgetMs = options.replyBudgetMs ?? 150;
    const limit = options.recirculationLimit ?? 0;
    this.maxTurn = limit > 0 ? limit + 1 : Limits.MAX_TURN;
    this.tasks = new TaskTable({
      maxOpen: Math.max(1, options.maxOpenTasks ?? 1_000_000),
      closedMemory: options.closedMemory ?? 65_536,
      chuteCount: options.chutes.count,
    });
    this.stats = createServiceStats();
    this.admission = new Admission(options.admission);
  }

  /** Open tasks in memory now. */
  get openTasks(): number {
    return this.tasks.openCount;
  }

  /**
   * The port of gateway `name` (created on first call; the same port afterwards, so a gateway
   * that reconnects keeps its tasks). Gateway ids come from the recorder and survive restarts.
   */
  attachGateway(name: string): GatewayPort {
    const known = this.ports.get(name);
    if (known !== undefined) return known;
    const id = this.recorder.gatewayId(name);
    while (this.senders.length <= id) this.senders.push(null);
    const port: GatewayPort = {
      id,
      name,
      onMessage: (message, header, ack) => this.onMessage(id, message, header.timestampMs, ack),
      bind: (sender) => {
        this.senders[id] = sender;
      },
    };
    this.ports.set(name, port);
    return port;
  }

  /**
   * Rebuilds open tasks, recently closed tasks and chute states and fills from a journal
   * (call once, before any message). Chute numbers the numbering does not know are skipped.
   */
  restore(state: RecoveredState): void {
    this.lastTask = Math.max(this.lastTask, state.lastTask);
    const t = this.tasks;
    for (const c of state.chutes) {
      const i = this.numbering.indexOf(c.chute);
      if (i < 0) continue;
      this.chutes.state[i] = c.state;
      this.chutes.fill[i] = c.fill;
    }
    for (const c of state.closedTasks) {
      let r = t.find(c.gateway, c.taskId);
      if (r >= 0) t.remove(r);
      r = t.open(c.gateway, c.taskId, c.task);
      t.turn[r] = c.turn;
      t.lastTurn[r] = c.turn;
      t.lastOutcome[r] = c.outcome;
      t.lastChute[r] = c.chute;
      t.close(r, c.outcome, c.stampMs);
    }
    for (const o of state.openTasks) {
      let r = t.find(o.gateway, o.taskId);
      if (r >= 0) t.remove(r);
      r = t.open(o.gateway, o.taskId, o.task);
      t.turn[r] = o.turn;
      const d = o.destination === null ? -1 : this.plan.destinationIndex(o.destination);
      let n = 0;
      for (const number of o.chutes) {
        const i = this.numbering.indexOf(number);
        if (i >= 0 && n < Limits.MAX_CHUTES) this.scratch[n++] = i;
      }
      const destination =
        d >= 0
          ? d
          : o.status === ReplyStatus.OK || o.status === ReplyStatus.NO_CHUTE
            ? -Fallback.NO_RULE
            : // a busy reply opens no task, so none is restored with one
              -(fallbackOf(o.status as ReplyStatusCode) ?? Fallback.NO_RULE);
      t.setReply(
        r,
        destination,
        o.status,
        this.numbering.indexOf(o.exceptionChute),
        this.scratch,
        n,
      );
      const old = t.overflow();
      if (old >= 0) t.remove(old);
    }
  }

  /**
   * Operator command: sets the state (and optionally the fill) of the chute with wire number
   * `chute`, reroutes open tasks whose first chute no longer takes parcels, and tells every
   * connected PLC (a host chuteState message).
   * @throws SortlineError `SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE` for a number no chute has,
   *   `SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE` for a state or fill out of range.
   */
  setChuteState(chute: number, state: ChuteStateCode, fill?: number): void {
    const c = this.numbering.indexOf(chute);
    if (!Number.isInteger(chute) || c < 0) {
      throw new SortlineError(
        'SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE',
        `chute: no chute has number ${String(chute)}; expected one of the configured chute numbers`,
        { pointer: '/chute' },
      );
    }
    if (!Number.isInteger(state) || CHUTE_STATE_NAMES[state] === undefined) {
      throw new SortlineError(
        'SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE',
        `state: expected a chute state code 0–${CHUTE_STATE_NAMES.length - 1} (${CHUTE_STATE_NAMES.join(', ')}), got ${String(state)}`,
        { pointer: '/state' },
      );
    }
    if (fill !== undefined && !(Number.isInteger(fill) && fill >= 0 && fill <= Limits.U16_MAX)) {
      throw new SortlineError(
        'SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE',
        `fill: expected an integer 0–${Limits.U16_MAX}, got ${String(fill)}`,
        { pointer: '/fill' },
      );
    }
    this.applyChuteState(c, state, fill, ChuteSource.OPERATOR, 0);
    const message: ChuteStateMessage =
      fill === undefined
        ? { type: 'chuteState', chute, state: wireChuteState(state) }
        : { type: 'chuteState', chute, state: wireChuteState(state), fill };
    for (const sender of this.senders) sender?.send(message);
  }

  /** The task of PLC task id `taskId` on gateway `gateway` as the service holds it, or null (API edge). */
  task(gateway: string, taskId: number): TaskView | null {
    const port = this.ports.get(gateway);
    const r = port === undefined ? -1 : this.tasks.find(port.id, taskId);
    if (r < 0) return null;
    const t = this.tasks;
    const chutes: number[] = [];
    for (let k = 0; k < t.chuteCount[r]!; k++)
      chutes.push(this.numbering.numberOf(t.chutes[r * Limits.MAX_CHUTES + k]!));
    const exc = t.exceptionChute[r]!;
    const open = t.state[r] === TaskState.OPEN;
    return {
      task: t.number[r]!,
      open,
      turn: t.turn[r]!,
      status: t.status[r]!,
      chutes,
      exceptionChute: exc >= 0 ? this.numbering.numberOf(exc) : 0,
      outcome: open ? null : t.outcome[r]!,
    };
  }

  /** `stampMs`: the PLC's clock in the frame header (ms; 0 when it has none). */
  private onMessage(gateway: number, message: Message, stampMs: number, ack: AckFn): void {
    switch (message.type) {
      case 'sortRequest':
        this.onRequest(gateway, message, stampMs);
        ack();
        return;
      case 'sortConfirmation':
        this.onConfirmation(gateway, message, stampMs, ack);
        return;
      case 'chuteState':
        this.onChuteState(gateway, message);
        ack();
        return;
      default:
        // a destination reply from the PLC: the wrong direction (acknowledged, so it is not resent, and ignored)
        this.onUnexpected(gateway, message);
        ack();
    }
  }

  private onUnexpected(gateway: number, message: Message): void {
    const stats = this.stats;
    stats.unexpectedMessages++;
    const now = this.clock.nowMs();
    if (now - this.lastUnexpectedMs > WARN_QUIET_MS) {
      this.log.warn(
        {
          code: 'SORTLINE_ERR_SERVICE_UNEXPECTED_MESSAGE',
          gateway,
          type: message.type,
          unexpectedMessages: stats.unexpectedMessages,
        },
        `the PLC sent a ${message.type}, which only the controller sends; acknowledged and ignored (check the PLC program and which side is which)`,
      );
    }
    this.lastUnexpectedMs = now;
  }

  /**
   * Request `m` (stamped `stampMs`) for the task of record `r` was taken as stale, not answered:
   * counts it and warns once per burst.
   */
  private onStale(m: SortRequest, r: number, stampMs: number): void {
    const t = this.tasks;
    const stats = this.stats;
    const closed = t.state[r] === TaskState.CLOSED;
    stats.staleRequests++;
    if (closed) stats.staleAfterClose++;
    const now = this.clock.nowMs();
    if (now - this.lastStaleMs > WARN_QUIET_MS) {
      stats.staleBursts++;
      const closedAt = t.closedStampMs[r]!;
      const why = !closed
        ? `its task is open on the later turn ${t.turn[r]}`
        : stampMs === 0 || closedAt === 0
          ? `its task closed on turn ${t.lastTurn[r]} and ${stampMs === 0 ? 'the PLC stamps no clock on its frames' : 'the stamp of the closing frame is unknown'}, so the turn alone decides (a PLC that reuses task ids must stamp its frames)`
          : `it belongs to the closed life of its task (turn not after the closing turn ${t.lastTurn[r]}, stamped ${stampMs} ms, not after the closing frame's ${closedAt} ms)`;
      this.log.warn(
        {
          code: 'SORTLINE_ERR_SERVICE_STALE_REQUEST',
          taskId: m.taskId,
          turn: m.turn,
          staleRequests: stats.staleRequests,
          staleAfterClose: stats.staleAfterClose,
        },
        `sort request for task id ${m.taskId} turn ${m.turn} not answered: ${why}; the rest of this burst is only counted`,
      );
    }
    this.lastStaleMs = now;
  }

  private onRequest(gateway: number, m: SortRequest, stampMs: number): void {
    const start = this.clock.monotonicMs();
    const now = this.clock.nowMs();
    const t = this.tasks;
    const stats = this.stats;
    stats.requests++;
    let r = t.find(gateway, m.taskId);
    let opened = false;
    if (!(r >= 0 && t.state[r] === TaskState.OPEN && t.turn[r]! >= m.turn)) {
      // a request that needs routing: admitted only when it can still be answered in time
      const shed = this.admission.check(now, stampMs, this.recorder.pending ?? 0);
      if (shed !== Shed.NONE) {
        this.onBusy(gateway, m, shed, now);
        return;
      }
    }
    if (r >= 0 && t.state[r] === TaskState.CLOSED && this.beforeClose(r, m, stampMs)) {
      // a request the PLC sent before the task closed, delivered late (resent after a corrupted
      // frame, or overtaken by the confirmation): not a new parcel reusing the task id
      this.onStale(m, r, stampMs);
      this.recorder.request(t.number[r]!, now, m, RequestKind.STALE, null, null, false, 0, false);
      return;
    }
    const print = frameFingerprint(m, 0);
    let kind: RequestKindCode = RequestKind.NEW;
    if (r >= 0 && t.state[r] === TaskState.OPEN && t.turn[r]! >= m.turn) {
      if (this.reusesOpenTask(r, m, stampMs, print)) {
        // another parcel with the id of an open task (a PLC that restarted and reuses task ids):
        // the old task is closed as lost, this request is a new task
        this.onReused(gateway, m, r, now, stampMs);
        kind = RequestKind.REUSED;
      }
    }
    if (
      kind === RequestKind.NEW &&
      r >= 0 &&
      t.state[r] === TaskState.OPEN &&
      t.turn[r]! >= m.turn
    ) {
      const number = t.number[r]!;
      if (t.turn[r]! > m.turn) {
        this.onStale(m, r, stampMs);
        this.recorder.request(number, now, m, RequestKind.STALE, null, null, false, 0, false);
        return;
      }
      stats.duplicateRequests++;
      const reply = this.replyOf(r, m.taskId, m.turn);
      const sent = this.send(gateway, reply);
      const latency = this.clock.monotonicMs() - start;
      this.countLatency(latency);
      this.recorder.request(
        number,
        now,
        m,
        RequestKind.DUPLICATE,
        reply,
        this.destinationId(r),
        sent,
        Math.round(latency * MS_TO_US),
        latency > this.budgetMs,
      );
      return;
    }
    if (r < 0) {
      r = t.open(gateway, m.taskId, ++this.lastTask);
      opened = true;
      this.evictOverflow();
    } else if (t.state[r] === TaskState.CLOSED) {
      t.reopen(r, ++this.lastTask);
      opened = true;
    }
    t.turn[r] = m.turn;
    t.requestPrint[r] = print;
    t.requestStampMs[r] = stampMs;
    this.assignRequest(r, m);
    const reply = this.replyOf(r, m.taskId, m.turn);
    const sent = this.send(gateway, reply);
    const latency = this.clock.monotonicMs() - start;
    this.countLatency(latency);
    stats.byStatus[t.status[r]!]!++;
    const number = t.number[r]!;
    const destination = this.destinationId(r);
    if (opened) this.recorder.opened(number, gateway, m.taskId, now, reply, destination);
    else this.recorder.replied(number, reply, destination);
    this.recorder.request(
      number,
      now,
      m,
      kind,
      reply,
      destination,
      sent,
      Math.round(latency * MS_TO_US),
      latency > this.budgetMs,
    );
  }

  /**
   * Sheds request `m`: answers it at once with a busy reply (no routing, no task, no journal
   * record), counts it and warns once per burst (`SORTLINE_ERR_SERVICE_OVERLOADED`).
   */
  private onBusy(gateway: number, m: SortRequest, why: ShedCode, now: number): void {
    const stats = this.stats;
    stats.busyReplies++;
    if (why === Shed.JOURNAL) stats.busyForJournal++;
    const reply: DestinationReply = {
      type: 'destinationReply',
      taskId: m.taskId,
      turn: m.turn,
      chutes: [],
      exceptionChute: this.numbering.numberOf(this.assigner.fallbackChute(Fallback.NO_CHUTE)),
      status: ReplyStatus.BUSY,
    };
    this.send(gateway, reply);
    if (now - this.lastBusyMs > WARN_QUIET_MS) {
      const a = this.admission;
      this.log.warn(
        {
          code: 'SORTLINE_ERR_SERVICE_OVERLOADED',
          gateway,
          busyReplies: stats.busyReplies,
          queueDelayMs: a.lastDelayMs,
          journalBacklog: this.recorder.pending ?? 0,
        },
        why === Shed.JOURNAL
          ? `over capacity: the journal holds more than ${a.options.maxJournalBacklog} uncommitted operations; new sort requests are answered busy until it catches up; the rest of this burst is only counted`
          : `over capacity: sort requests queued ${Math.round(a.lastDelayMs)} ms (over ${a.options.maxQueueDelayMs} ms) are answered busy; the rest of this burst is only counted`,
      );
    }
    this.lastBusyMs = now;
  }

  /**
   * True when request `m` (stamped `stampMs`, content fingerprint `print`) is another parcel's
   * than that of the open task `r` with the same id (docs/operations.md "Tasks"): of the task's
   * latest turn but with other content (reads, induct, carrier, weight), or of an earlier turn but
   * stamped after the task's latest request (a resend keeps its original stamp).
   */
  private reusesOpenTask(r: number, m: SortRequest, stampMs: number, print: number): boolean {
    const t = this.tasks;
    const turn = t.turn[r]!;
    if (turn === 0) return false; // opened by a confirmation: no request to compare with
    // 0: not known (a task rebuilt from the journal after a controller restart): the turn decides
    if (m.turn === turn) return t.requestPrint[r] !== 0 && t.requestPrint[r] !== print;
    const last = t.requestStampMs[r]!;
    return stampMs > 0 && last > 0 && stampMs > last;
  }

  /**
   * Closes the open task `r` as lost (its id now names another parcel), journals it, counts it
   * and warns once per burst (`SORTLINE_ERR_SERVICE_TASK_ID_REUSED`).
   */
  private onReused(gateway: number, m: SortRequest, r: number, now: number, stampMs: number): void {
    const t = this.tasks;
    const stats = this.stats;
    stats.taskIdReuses++;
    const number = t.number[r]!;
    t.close(r, Outcome.TRACKING_LOST, stampMs);
    stats.closedTasks++;
    this.recorder.closed(number, now, Outcome.TRACKING_LOST, 0, t.turn[r]!, stampMs);
    if (now - this.lastReusedMs > WARN_QUIET_MS) {
      this.log.warn(
        {
          code: 'SORTLINE_ERR_SERVICE_TASK_ID_REUSED',
          gateway,
          taskId: m.taskId,
          task: number,
          taskIdReuses: stats.taskIdReuses,
        },
        `sort request for task id ${m.taskId} turn ${m.turn} has other content than the open task with that id: the PLC reuses task ids of parcels it no longer tracks (a restart?); the old task ${number} is closed as tracking lost and the request is a new task; the rest of this burst is only counted`,
      );
    }
    this.lastReusedMs = now;
  }

  /**
   * True when request `m` (stamped `stampMs` by the PLC) belongs to the life of the closed task `r`
   * rather than to a new parcel reusing its task id: its turn is not after the closing turn and it
   * was not sent after the closing frame (a resend keeps its original stamp; a reused id comes with
   * a later one). Without a clock on either frame (a PLC without a clock, or a task closed in a
   * journal of schema 1) the turn alone decides.
   */
  private beforeClose(r: number, m: SortRequest, stampMs: number): boolean {
    const t = this.tasks;
    if (m.turn > t.lastTurn[r]!) return false;
    const closedAt = t.closedStampMs[r]!;
    return stampMs === 0 || closedAt === 0 || stampMs <= closedAt;
  }

  /** Routes request `m` and stores the reply in record `r`. */
  private assignRequest(r: number, m: SortRequest): void {
    let d: number;
    if (this.oversize(m)) d = -Fallback.OVERSIZE;
    else if (m.turn > this.maxTurn) d = -Fallback.RECIRCULATION_LIMIT;
    else {
      const router = this.router;
      router.begin();
      const reads = m.reads;
      for (let i = 0; i < reads.length; i++) {
        const read = reads[i]!;
        router.addRead(read.data, read.source, read.scanner);
      }
      d = router.finish();
    }
    this.storeAssignment(r, d);
  }

  /** Assigns chutes for destination (or -fallback) `d` and stores them in record `r`. */
  private storeAssignment(r: number, d: number): void {
    const a = this.assigner;
    let status: ReplyStatusCode;
    let n = 0;
    let exc: number;
    if (d >= 0) {
      n = a.candidates(d, this.scratch);
      status = n > 0 ? ReplyStatus.OK : ReplyStatus.NO_CHUTE;
      exc = a.fallbackChute(n > 0 ? Fallback.RECIRCULATION_LIMIT : Fallback.NO_CHUTE);
    } else {
      status = replyStatusOf(-d as FallbackCode);
      exc = a.fallbackChute(-d);
    }
    this.tasks.setReply(r, d, status, exc, this.scratch, n);
  }

  private oversize(m: SortRequest): boolean {
    const l = this.limits;
    return (
      (l.maxWeightG > 0 && m.weightG > l.maxWeightG) ||
      (l.maxLengthMm > 0 && m.lengthMm > l.maxLengthMm) ||
      (l.maxWidthMm > 0 && m.widthMm > l.maxWidthMm) ||
      (l.maxHeightMm > 0 && m.heightMm > l.maxHeightMm)
    );
  }

  private onConfirmation(gateway: number, m: SortConfirmation, stampMs: number, ack: AckFn): void {
    const now = this.clock.nowMs();
    const t = this.tasks;
    const stats = this.stats;
    stats.confirmations++;
    if (m.chute !== 0 && this.numbering.indexOf(m.chute) < 0) {
      this.onUnknownChute(gateway, m, now);
      ack(NakReason.MALFORMED);
      return;
    }
    const terminal = isTerminalOutcome(m.outcome);
    let r = t.find(gateway, m.taskId);
    let kind: ConfirmationKindCode = ConfirmationKind.COUNTED;
    if (r < 0) {
      r = t.open(gateway, m.taskId, ++this.lastTask);
      kind = ConfirmationKind.UNKNOWN_TASK;
      stats.unknownTaskConfirmations++;
      this.recorder.opened(t.number[r]!, gateway, m.taskId, now, null, null);
      this.evictOverflow();
    } else if (t.state[r] === TaskState.CLOSED && this.afterCloseFrame(r, m, stampMs)) {
      // sent after the frame that closed the task: another parcel with the reused id whose
      // request never arrived (lost with a link or a controller restart); a task of its own
      t.reopen(r, ++this.lastTask);
      kind = ConfirmationKind.UNKNOWN_TASK;
      stats.unknownTaskConfirmations++;
      this.recorder.opened(t.number[r]!, gateway, m.taskId, now, null, null);
    } else if (t.state[r] === TaskState.CLOSED) {
      kind = this.isRepeat(r, m) ? ConfirmationKind.DUPLICATE : ConfirmationKind.AFTER_CLOSE;
    } else if (!terminal && this.isRepeat(r, m)) {
      kind = ConfirmationKind.DUPLICATE;
    }
    const number = t.number[r]!;
    if (kind === ConfirmationKind.DUPLICATE) stats.duplicateConfirmations++;
    else if (kind === ConfirmationKind.AFTER_CLOSE) stats.confirmationsAfterClose++;
    else {
      // counted (COUNTED, or UNKNOWN_TASK on the task just opened for it)
      t.lastTurn[r] = m.turn;
      t.lastOutcome[r] = m.outcome;
      t.lastChute[r] = m.chute;
      stats.byOutcome[m.outcome]!++;
      if (m.outcome === Outcome.DISCHARGED) this.discharged(m.chute, now);
    }
    this.recorder.confirmation(number, now, m, kind, ack);
    if (terminal && (kind === ConfirmationKind.COUNTED || kind === ConfirmationKind.UNKNOWN_TASK)) {
      t.close(r, m.outcome, stampMs);
      stats.closedTasks++;
      this.recorder.closed(number, now, m.outcome, m.chute, m.turn, stampMs);
    }
  }

  /**
   * A confirmation names a chute number no chute has: it is refused (NAK malformed: the PLC must
   * not resend it), not counted and not applied; counted and logged once per burst.
   */
  private onUnknownChute(gateway: number, m: SortConfirmation, now: number): void {
    const stats = this.stats;
    stats.unknownChuteConfirmations++;
    if (now - this.lastUnknownChuteMs > WARN_QUIET_MS) {
      this.log.warn(
        {
          code: 'SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE',
          gateway,
          taskId: m.taskId,
          chute: m.chute,
          unknownChuteConfirmations: stats.unknownChuteConfirmations,
        },
        `sort confirmation for task id ${m.taskId} names chute ${m.chute}, which no chute has: refused (NAK malformed), not counted; check the chute numbering of the PLC against sortline serve --print-config; the rest of this burst is only counted`,
      );
    }
    this.lastUnknownChuteMs = now;
  }

  /**
   * True when confirmation `m` (stamped `stampMs`) of the closed task `r` is not a resend but was
   * sent after the frame that closed it (a resend keeps its original stamp, and a PLC sends
   * nothing for a parcel after its terminal confirmation): its task id now names another parcel.
   * Without a clock on either frame this cannot be told, and the confirmation stays one of the
   * closed task.
   */
  private afterCloseFrame(r: number, m: SortConfirmation, stampMs: number): boolean {
    const closedAt = this.tasks.closedStampMs[r]!;
    return stampMs > 0 && closedAt > 0 && stampMs > closedAt && !this.isRepeat(r, m);
  }

  /** True when `m` repeats the last confirmation counted for record `r` (a resend). */
  private isRepeat(r: number, m: SortConfirmation): boolean {
    const t = this.tasks;
    return (
      t.lastOutcome[r] !== NO_OUTCOME &&
      t.lastOutcome[r] === m.outcome &&
      t.lastTurn[r] === m.turn &&
      t.lastChute[r] === m.chute
    );
  }

  /** A parcel went into chute number `chute`: the fill estimate grows by one. */
  private discharged(chute: number, now: number): void {
    const c = this.numbering.indexOf(chute);
    if (c < 0) return;
    const fill = this.chutes.fill;
    fill[c] = fill[c]! + 1;
    this.recorder.fill(now, chute, this.chutes.state[c]!, fill[c]);
  }

  private onChuteState(gateway: number, m: ChuteStateMessage): void {
    const c = this.numbering.indexOf(m.chute);
    if (c < 0) {
      this.stats.unknownChutes++;
      this.recorder.chute(
        this.clock.nowMs(),
        m.chute,
        machineChuteState(m.state),
        m.fill ?? 0,
        ChuteSource.PLC,
        gateway,
      );
      return;
    }
    this.applyChuteState(c, machineChuteState(m.state), m.fill, ChuteSource.PLC, gateway);
  }

  /** Sets chute index `c`, records it, and reroutes the tasks filed under it when it no longer takes parcels. */
  private applyChuteState(
    c: number,
    state: number,
    fill: number | undefined,
    source: ChuteSourceCode,
    gateway: number,
  ): void {
    const chutes = this.chutes;
    chutes.state[c] = state;
    if (fill !== undefined) chutes.fill[c] = fill;
    this.stats.chuteChanges++;
    const now = this.clock.nowMs();
    this.recorder.chute(now, this.numbering.numberOf(c), state, chutes.fill[c]!, source, gateway);
    if (!chutes.accepts(c)) this.reroute(c, now);
  }

  /**
   * Gives every open task whose reply lists chute `c` first a new reply (same task and turn) when
   * its destination's chutes now give a different answer.
   */
  private reroute(c: number, now: number): void {
    const t = this.tasks;
    const a = this.assigner;
    const scratch = this.scratch;
    let r = t.chuteHead[c]!;
    while (r >= 0) {
      const next = t.nextOnChute(r);
      const d = t.destination[r]!;
      if (d >= 0) {
        const n = a.candidates(d, scratch);
        const status = n > 0 ? ReplyStatus.OK : ReplyStatus.NO_CHUTE;
        const exc = a.fallbackChute(n > 0 ? Fallback.RECIRCULATION_LIMIT : Fallback.NO_CHUTE);
        if (!t.sameReply(r, status, exc, scratch, n)) {
          t.setReply(r, d, status, exc, scratch, n);
          const gateway = t.gateway[r]!;
          const reply = this.replyOf(r, t.taskId[r]!, t.turn[r]!);
          const sent = this.send(gateway, reply);
          this.stats.rerouteReplies++;
          const destination = this.destinationId(r);
          this.recorder.replied(t.number[r]!, reply, destination);
          this.recorder.rerouted(t.number[r]!, now, reply, destination, sent);
        }
      }
      r = next;
    }
  }

  /** The reply message of record `r`, for task `taskId` and `turn`. */
  private replyOf(r: number, taskId: number, turn: number): DestinationReply {
    const t = this.tasks;
    const n = t.chuteCount[r]!;
    const chutes = new Array<number>(n);
    const base = r * Limits.MAX_CHUTES;
    for (let k = 0; k < n; k++) chutes[k] = this.numbering.numberOf(t.chutes[base + k]!);
    const exc = t.exceptionChute[r]!;
    return {
      type: 'destinationReply',
      taskId,
      turn,
      chutes,
      exceptionChute:
        exc >= 0
          ? this.numbering.numberOf(exc)
          : this.numbering.numberOf(this.assigner.fallbackChute(Fallback.NO_RULE)),
      status: t.status[r]! as ReplyStatusCode,
    };
  }

  /** Destination id of record `r`'s reply, null when a fallback applied. */
  private destinationId(r: number): string | null {
    const d = this.tasks.destination[r]!;
    return d >= 0 ? this.plan.destinationIds[d]! : null;
  }

  private send(gateway: number, reply: DestinationReply): boolean {
    const sender = this.senders[gateway];
    const sent = sender !== null && sender !== undefined && sender.send(reply);
    if (sent) this.stats.replies++;
    else this.onMissing(gateway, reply, sender === null || sender === undefined);
    return sent;
  }

  /** A reply could not be queued for the PLC: counted, journaled as not sent, logged once per burst. */
  private onMissing(gateway: number, reply: DestinationReply, unlinked: boolean): void {
    const stats = this.stats;
    stats.missingReplies++;
    const now = this.clock.nowMs();
    if (now - this.lastMissingMs > WARN_QUIET_MS) {
      this.log.warn(
        {
          code: 'SORTLINE_ERR_SERVICE_REPLY_DROPPED',
          gateway,
          taskId: reply.taskId,
          missingReplies: stats.missingReplies,
        },
        unlinked
          ? `no reply for task id ${reply.taskId}: the gateway has no link now; the PLC re-requests after it reconnects; the rest of this burst is only counted`
          : `no reply for task id ${reply.taskId}: the send queue to the PLC is full (it does not acknowledge our frames fast enough); the rest of this burst is only counted`,
      );
    }
    this.lastMissingMs = now;
  }

  private countLatency(ms: number): void {
    const s = this.stats;
    if (ms > this.budgetMs) s.lateReplies++;
    if (ms > s.maxLatencyMs) s.maxLatencyMs = ms;
  }

  private evictOverflow(): void {
    const old = this.tasks.overflow();
    if (old >= 0) {
      this.tasks.remove(old);
      this.stats.evictedTasks++;
    }
  }
}
