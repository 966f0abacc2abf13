/**
 * The task lifecycle (docs/operations.md "Tasks"): a task lives from a parcel's first sort request
 * to its one terminal confirmation. Sort requests are admitted (./admission.ts), routed (oversize,
 * recirculation limit, labels → destination through core/labels ParcelRouter, destination →
 * chutes through core/assign ChuteAssigner aware of live chute states and fill) and answered;
 * duplicates are answered again, stale requests and reused task ids recognised; confirmations
 * are counted once, journaled, and ACKed only through the recorder's commit callback.
 *
 * Hot path (a sort request, a confirmation): typed-array work only (./task-table.ts); the only
 * objects made per request are the reply message and its chute list.
 */
import { Fallback, type FallbackCode } from '../../core/plan/index.js';
import {
  ReplyStatus,
  type ReplyStatusCode,
  type AckFn,
  type DestinationReply,
  type SortConfirmation,
  type SortRequest,
  Outcome,
  isTerminalOutcome,
  frameFingerprint,
  NakReason,
} from '../../core/protocol/index.js';
import { replyStatusOf } from '../../core/wire-map.js';
import { Shed, type ShedCode } from './admission.js';
import type { ChuteStates } from './chutes.js';
import { WARN_QUIET_MS, type ServiceContext } from './context.js';
import {
  ConfirmationKind,
  RequestKind,
  type ConfirmationKindCode,
  type RequestKindCode,
} from './recorder.js';
import { NO_OUTCOME, TaskState } from './task-table.js';

const MS_TO_US = 1000;

/** Sort requests and confirmations of every gateway, over the shared {@link ServiceContext}. */
export class TaskLifecycle {
  /** Wall ms of the last warning of each kind (one warning per burst). */
  private lastStaleMs = -Infinity;
  private lastReusedMs = -Infinity;
  private lastBusyMs = -Infinity;
  private lastUnknownChuteMs = -Infinity;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly chutes: ChuteStates,
  ) {}

  /**
   * Request `m` (stamped `stampMs`) for the task of record `r` was taken as stale, not answered:
   * counts it and warns once per burst.
   */
  private onStale(m: SortRequest, r: number, stampMs: number): void {
    const t = this.ctx.tasks;
    const stats = this.ctx.stats;
    const closed = t.state[r] === TaskState.CLOSED;
    stats.staleRequests++;
    if (closed) stats.staleAfterClose++;
    const now = this.ctx.clock.nowMs();
    if (now - this.lastStaleMs > WARN_QUIET_MS) {
      stats.staleBursts++;
      const closedAt = t.closedStampMs[r]!;
      const why = !closed
        ? `its task is open on the later turn ${t.turn[r]}`
        : stampMs === 0 || closedAt === 0
          ? `its task closed on turn ${t.lastTurn[r]} and ${stampMs === 0 ? 'the PLC stamps no clock on its frames' : 'the stamp of the closing frame is unknown'}, so the turn alone decides (a PLC that reuses task ids must stamp its frames)`
          : `it belongs to the closed life of its task (turn not after the closing turn ${t.lastTurn[r]}, stamped ${stampMs} ms, not after the closing frame's ${closedAt} ms)`;
      this.ctx.log.warn(
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

  /**
   * Sort request `m` from gateway `gateway`, stamped `stampMs` by the PLC (0: no clock): answered
   * (routed, or again for a duplicate, or busy when shed) or taken as stale; journaled.
   */
  onRequest(gateway: number, m: SortRequest, stampMs: number): void {
    const start = this.ctx.clock.monotonicMs();
    const now = this.ctx.clock.nowMs();
    const t = this.ctx.tasks;
    const stats = this.ctx.stats;
    stats.requests++;
    let r = t.find(gateway, m.taskId);
    let opened = false;
    if (!(r >= 0 && t.state[r] === TaskState.OPEN && t.turn[r]! >= m.turn)) {
      // a request that needs routing: admitted only when it can still be answered in time
      const shed = this.ctx.admission.check(now, stampMs, this.ctx.recorder.pending ?? 0);
      if (shed !== Shed.NONE) {
        this.onBusy(gateway, m, shed, now);
        return;
      }
    }
    if (r >= 0 && t.state[r] === TaskState.CLOSED && this.beforeClose(r, m, stampMs)) {
      // a request the PLC sent before the task closed, delivered late (resent after a corrupted
      // frame, or overtaken by the confirmation): not a new parcel reusing the task id
      this.onStale(m, r, stampMs);
      this.ctx.recorder.request(
        t.number[r]!,
        now,
        m,
        RequestKind.STALE,
        null,
        null,
        false,
        0,
        false,
      );
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
        this.ctx.recorder.request(number, now, m, RequestKind.STALE, null, null, false, 0, false);
        return;
      }
      stats.duplicateRequests++;
      const reply = this.ctx.replyOf(r, m.taskId, m.turn);
      const sent = this.ctx.send(gateway, reply);
      const latency = this.ctx.clock.monotonicMs() - start;
      this.countLatency(latency);
      this.ctx.recorder.request(
        number,
        now,
        m,
        RequestKind.DUPLICATE,
        reply,
        this.ctx.destinationId(r),
        sent,
        Math.round(latency * MS_TO_US),
        latency > this.ctx.budgetMs,
      );
      return;
    }
    if (r < 0) {
      r = t.open(gateway, m.taskId, ++this.ctx.lastTask);
      opened = true;
      this.ctx.evictOverflow();
    } else if (t.state[r] === TaskState.CLOSED) {
      t.reopen(r, ++this.ctx.lastTask);
      opened = true;
    }
    t.turn[r] = m.turn;
    t.requestPrint[r] = print;
    t.requestStampMs[r] = stampMs;
    this.assignRequest(r, m);
    const reply = this.ctx.replyOf(r, m.taskId, m.turn);
    const sent = this.ctx.send(gateway, reply);
    const latency = this.ctx.clock.monotonicMs() - start;
    this.countLatency(latency);
    stats.byStatus[t.status[r]!]!++;
    const number = t.number[r]!;
    const destination = this.ctx.destinationId(r);
    if (opened) this.ctx.recorder.opened(number, gateway, m.taskId, now, reply, destination);
    else this.ctx.recorder.replied(number, reply, destination);
    this.ctx.recorder.request(
      number,
      now,
      m,
      kind,
      reply,
      destination,
      sent,
      Math.round(latency * MS_TO_US),
      latency > this.ctx.budgetMs,
    );
  }

  /**
   * Sheds request `m`: answers it at once with a busy reply (no routing, no task, no journal
   * record), counts it and warns once per burst (`SORTLINE_ERR_SERVICE_OVERLOADED`).
   */
  private onBusy(gateway: number, m: SortRequest, why: ShedCode, now: number): void {
    const stats = this.ctx.stats;
    stats.busyReplies++;
    if (why === Shed.JOURNAL) stats.busyForJournal++;
    const reply: DestinationReply = {
      type: 'destinationReply',
      taskId: m.taskId,
      turn: m.turn,
      chutes: [],
      exceptionChute: this.ctx.numbering.numberOf(
        this.ctx.assigner.fallbackChute(Fallback.NO_CHUTE),
      ),
      status: ReplyStatus.BUSY,
    };
    this.ctx.send(gateway, reply);
    if (now - this.lastBusyMs > WARN_QUIET_MS) {
      const a = this.ctx.admission;
      this.ctx.log.warn(
        {
          code: 'SORTLINE_ERR_SERVICE_OVERLOADED',
          gateway,
          busyReplies: stats.busyReplies,
          queueDelayMs: a.lastDelayMs,
          journalBacklog: this.ctx.recorder.pending ?? 0,
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
    const t = this.ctx.tasks;
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
    const t = this.ctx.tasks;
    const stats = this.ctx.stats;
    stats.taskIdReuses++;
    const number = t.number[r]!;
    t.close(r, Outcome.TRACKING_LOST, stampMs);
    stats.closedTasks++;
    this.ctx.recorder.closed(number, now, Outcome.TRACKING_LOST, 0, t.turn[r]!, stampMs);
    if (now - this.lastReusedMs > WARN_QUIET_MS) {
      this.ctx.log.warn(
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
    const t = this.ctx.tasks;
    if (m.turn > t.lastTurn[r]!) return false;
    const closedAt = t.closedStampMs[r]!;
    return stampMs === 0 || closedAt === 0 || stampMs <= closedAt;
  }

  /** Routes request `m` and stores the reply in record `r`. */
  private assignRequest(r: number, m: SortRequest): void {
    let d: number;
    if (this.oversize(m)) d = -Fallback.OVERSIZE;
    else if (m.turn > this.ctx.maxTurn) d = -Fallback.RECIRCULATION_LIMIT;
    else {
      const router = this.ctx.router;
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
    const a = this.ctx.assigner;
    let status: ReplyStatusCode;
    let n = 0;
    let exc: number;
    if (d >= 0) {
      n = a.candidates(d, this.ctx.scratch);
      status = n > 0 ? ReplyStatus.OK : ReplyStatus.NO_CHUTE;
      exc = a.fallbackChute(n > 0 ? Fallback.RECIRCULATION_LIMIT : Fallback.NO_CHUTE);
    } else {
      status = replyStatusOf(-d as FallbackCode);
      exc = a.fallbackChute(-d);
    }
    this.ctx.tasks.setReply(r, d, status, exc, this.ctx.scratch, n);
  }

  private oversize(m: SortRequest): boolean {
    const l = this.ctx.limits;
    return (
      (l.maxWeightG > 0 && m.weightG > l.maxWeightG) ||
      (l.maxLengthMm > 0 && m.lengthMm > l.maxLengthMm) ||
      (l.maxWidthMm > 0 && m.widthMm > l.maxWidthMm) ||
      (l.maxHeightMm > 0 && m.heightMm > l.maxHeightMm)
    );
  }

  /**
   * Sort confirmation `m` from gateway `gateway` (stamped `stampMs`): classified (counted,
   * duplicate, after close, unknown task), journaled with `ack` as its commit callback (so the
   * session ACKs it only once durable), and a terminal one closes its task.
   */
  onConfirmation(gateway: number, m: SortConfirmation, stampMs: number, ack: AckFn): void {
    const now = this.ctx.clock.nowMs();
    const t = this.ctx.tasks;
    const stats = this.ctx.stats;
    stats.confirmations++;
    if (m.chute !== 0 && this.ctx.numbering.indexOf(m.chute) < 0) {
      this.onUnknownChute(gateway, m, now);
      ack(NakReason.MALFORMED);
      return;
    }
    const terminal = isTerminalOutcome(m.outcome);
    let r = t.find(gateway, m.taskId);
    let kind: ConfirmationKindCode = ConfirmationKind.COUNTED;
    if (r < 0) {
      r = t.open(gateway, m.taskId, ++this.ctx.lastTask);
      kind = ConfirmationKind.UNKNOWN_TASK;
      stats.unknownTaskConfirmations++;
      this.ctx.recorder.opened(t.number[r]!, gateway, m.taskId, now, null, null);
      this.ctx.evictOverflow();
    } else if (t.state[r] === TaskState.CLOSED && this.afterCloseFrame(r, m, stampMs)) {
      // sent after the frame that closed the task: another parcel with the reused id whose
      // request never arrived (lost with a link or a controller restart); a task of its own
      t.reopen(r, ++this.ctx.lastTask);
      kind = ConfirmationKind.UNKNOWN_TASK;
      stats.unknownTaskConfirmations++;
      this.ctx.recorder.opened(t.number[r]!, gateway, m.taskId, now, null, null);
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
      if (m.outcome === Outcome.DISCHARGED) this.chutes.discharged(m.chute, now);
    }
    this.ctx.recorder.confirmation(number, now, m, kind, ack);
    if (terminal && (kind === ConfirmationKind.COUNTED || kind === ConfirmationKind.UNKNOWN_TASK)) {
      t.close(r, m.outcome, stampMs);
      stats.closedTasks++;
      this.ctx.recorder.closed(number, now, m.outcome, m.chute, m.turn, stampMs);
    }
  }

  /**
   * A confirmation names a chute number no chute has: it is refused (NAK malformed: the PLC must
   * not resend it), not counted and not applied; counted and logged once per burst.
   */
  private onUnknownChute(gateway: number, m: SortConfirmation, now: number): void {
    const stats = this.ctx.stats;
    stats.unknownChuteConfirmations++;
    if (now - this.lastUnknownChuteMs > WARN_QUIET_MS) {
      this.ctx.log.warn(
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
    const closedAt = this.ctx.tasks.closedStampMs[r]!;
    return stampMs > 0 && closedAt > 0 && stampMs > closedAt && !this.isRepeat(r, m);
  }

  /** True when `m` repeats the last confirmation counted for record `r` (a resend). */
  private isRepeat(r: number, m: SortConfirmation): boolean {
    const t = this.ctx.tasks;
    return (
      t.lastOutcome[r] !== NO_OUTCOME &&
      t.lastOutcome[r] === m.outcome &&
      t.lastTurn[r] === m.turn &&
      t.lastChute[r] === m.chute
    );
  }

  private countLatency(ms: number): void {
    const s = this.ctx.stats;
    if (ms > this.ctx.budgetMs) s.lateReplies++;
    if (ms > s.maxLatencyMs) s.maxLatencyMs = ms;
  }
}
