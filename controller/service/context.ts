/**
 * The state the parts of the sort service share (./service.ts builds one; ./tasks.ts,
 * ./chutes.ts, ./restore.ts and ./commands.ts work on it): the plan, the live chute table and its
 * numbering, the chute assigner, the task table, the journal (recorder), clocks, counters, the
 * senders of the gateways, and the replies built from a task record and sent to its gateway.
 *
 * Hot path: {@link ServiceContext.replyOf} allocates the reply message and its chute list (the
 * only objects a request makes); the rest is typed-array work over one scratch buffer.
 */
import { pino, type Logger } from 'pino';
import { ChuteAssigner } from '../../core/assign/index.js';
import type { ParcelRouter } from '../../core/labels/index.js';
import { type CompiledPlan, Fallback } from '../../core/plan/index.js';
import { Limits, type DestinationReply, type ReplyStatusCode } from '../../core/protocol/index.js';
import type { ChuteNumbering, ChuteTable } from '../../core/sorter/index.js';
import { Admission } from './admission.js';
import { SERVICE_DEFAULTS } from './defaults.js';
import { nullRecorder, type ServiceRecorder } from './recorder.js';
import { createServiceStats, type ServiceStats } from './stats.js';
import { TaskTable } from './task-table.js';
import type { ParcelLimits, ReplySender, ServiceClock, SortServiceOptions } from './types.js';

/** A burst of stale requests (or of unexpected messages) ends after this many ms without one; each burst is logged once. */
export const WARN_QUIET_MS = 10_000;
const SILENT: Logger = pino({ level: 'silent' });

/** Shared state of one sort service, with the reply helpers every part uses. */
export class ServiceContext {
  readonly stats: ServiceStats;
  readonly plan: CompiledPlan;
  readonly chutes: ChuteTable;
  readonly numbering: ChuteNumbering;
  readonly router: ParcelRouter;
  readonly assigner: ChuteAssigner;
  readonly recorder: ServiceRecorder;
  readonly clock: ServiceClock;
  readonly tasks: TaskTable;
  readonly limits: ParcelLimits;
  /** Reply budget, ms. */
  readonly budgetMs: number;
  /** Highest turn routed normally; later turns go to the recirculation-limit chute. */
  readonly maxTurn: number;
  readonly admission: Admission;
  readonly log: Logger;
  /** Senders by gateway id (null while a gateway is away). */
  readonly senders: (ReplySender | null)[] = [];
  /** Chute indexes of the reply being built (Limits.MAX_CHUTES). */
  readonly scratch = new Int32Array(Limits.MAX_CHUTES);
  /** Highest task number given out (journal task ids). */
  lastTask = 0;
  private lastMissingMs = -Infinity;

  /** @throws SortlineError `SORTLINE_ERR_PLAN_MACHINE_MISMATCH` when the plan was not compiled against `chutes`. */
  constructor(options: SortServiceOptions) {
    const d = SERVICE_DEFAULTS;
    this.plan = options.plan;
    this.chutes = options.chutes;
    this.numbering = options.numbering;
    this.router = options.router;
    this.assigner = new ChuteAssigner(options.plan, options.chutes);
    this.recorder = options.recorder ?? nullRecorder();
    this.clock = options.clock ?? { nowMs: Date.now, monotonicMs: () => performance.now() };
    this.log = options.logger ?? SILENT;
    this.limits = { ...d.limits, ...options.limits };
    this.budgetMs = options.replyBudgetMs ?? d.replyBudgetMs;
    const limit = options.recirculationLimit ?? d.recirculationLimit;
    this.maxTurn = limit > 0 ? limit + 1 : Limits.MAX_TURN;
    this.tasks = new TaskTable({
      maxOpen: Math.max(1, options.maxOpenTasks ?? d.maxOpenTasks),
      closedMemory: options.closedMemory ?? d.closedMemory,
      chuteCount: options.chutes.count,
    });
    this.stats = createServiceStats();
    this.admission = new Admission(options.admission);
  }

  /** The reply message of record `r`, for task `taskId` and `turn`. */
  replyOf(r: number, taskId: number, turn: number): DestinationReply {
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
  destinationId(r: number): string | null {
    const d = this.tasks.destination[r]!;
    return d >= 0 ? this.plan.destinationIds[d]! : null;
  }

  /** Queues `reply` for gateway `gateway`; false (counted, logged once per burst) when it could not be. */
  send(gateway: number, reply: DestinationReply): boolean {
    const sender = this.senders[gateway];
    const sent = sender !== null && sender !== undefined && sender.send(reply);
    if (sent) this.stats.replies++;
    else this.onMissing(gateway, reply, sender === null || sender === undefined);
    return sent;
  }

  /** Forgets the oldest open task when the table is over `maxOpenTasks` (counted in `evictedTasks`). */
  evictOverflow(): void {
    const old = this.tasks.overflow();
    if (old >= 0) {
      this.tasks.remove(old);
      this.stats.evictedTasks++;
    }
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
}
