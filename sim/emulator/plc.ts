import { UNDECIDED, type LoopScheduler } from '../../core/schedule/index.js';
import {
  Outcome,
  ReplyStatus,
  ReadSource,
  isTerminalOutcome,
  type ChuteStateMessage,
  type DestinationReply,
  type OutcomeCode,
  type Read,
  type SortConfirmation,
  type SortRequest,
} from '../../core/protocol/index.js';
import { SortlineError } from '../../core/errors.js';
import { ChuteState, type ChuteStateCode, UNLIMITED } from '../../core/sorter/index.js';
import { machineChuteState, wireChuteState } from '../../core/wire-map.js';
import { Hub, HubTicks, type TickHooks } from '../hub.js';
import type { SimModel } from '../scenario/index.js';
import { MAX_REPLY_CHUTES, PlcParcelTable } from './parcels.js';

/** Where the emulated PLC sends its messages (a Session in practice). Calls must not throw. */
export interface PlcPort {
  request(message: SortRequest): void;
  confirm(message: SortConfirmation): void;
  /** A chute sensor report (state and fill) of the PLC. */
  chuteState(message: ChuteStateMessage): void;
}

/** Options of the emulated PLC. */
export interface EmulatedPlcOptions {
  /**
   * Wire number of each machine chute id (the controller's numbering, controller/service
   * `ChuteNumbering`); chutes without a number cannot be named in replies and are not reported.
   */
  chuteNumbers: ReadonlyMap<string, number>;
  /**
   * Distance in metres from the scan tunnel (at the induct) to the first divert: the deadline for
   * the destination reply is this travel time (DESIGN.md: 5 m at 2.5 m/s → 2 s), rounded to whole
   * ticks, at least one. Default 5.
   */
  scanToDivertMeters?: number;
  /** Create at most this many parcels (then arrivals stop); default unlimited. */
  parcels?: number;
  /** Exception chute (machine id) the PLC uses when no reply came in time; default the scenario's first exception chute. */
  lateReplyChute?: string;
  /**
   * Every this many simulated seconds the PLC checks its chutes' fill sensors and reports, as a
   * chute-state message (state and fill), each destination chute where the controller's view is
   * wrong: its state changed (a chute at capacity is reported `full`), or the controller's fill
   * estimate (the fill last reported plus one per discharge confirmed since, as the sort service
   * counts) is on the other side of the capacity than the real fill. 0 = never. Default 5.
   */
  chuteReportSeconds?: number;
}

/** Terminal record of one task (one parcel) in the emulator's ledger. */
export interface LedgerEntry {
  /** The parcel's serial number: 1, 2, 3, … in the order parcels were scanned (unique). */
  parcel: number;
  /** Its task id on the wire (unique among open tasks; reused after a PLC restart with `reuseTaskIds`). */
  taskId: number;
  /** Terminal outcome code ({@link Outcome}: discharged, loop limit or late reply). */
  outcome: OutcomeCode;
  /** Wire number of the chute the parcel ended in. */
  chute: number;
  /** Sort requests sent for the task (one per turn). */
  turns: number;
}

/** Counters of an emulated PLC (see {@link EmulatedPlc.counts}). */
export interface PlcCounts {
  /** Sort requests sent, every turn counted. */
  requested: number;
  /** Sort requests whose destination reply arrived before the parcel's decision point. */
  replied: number;
  /** Sort requests with no reply at the decision point: the parcel went to the exception chute (`late reply`). */
  late: number;
  /**
   * Parcels that ended in a destination chute. (Not the outcome `discharged`, which also counts
   * parcels a fallback reply sent to an exception chute; see `outcomes` of the summary.)
   */
  sorted: number;
  /** Parcels that ended in an exception chute: the reply's fallback (no-read, no-rule ...), `late reply` or `loop limit` (terminal). */
  exception: number;
  /** Intermediate confirmations sent (chute full, disabled, blocked, recirculated). */
  intermediate: number;
  /** Later replies for a turn already answered, applied before the decision point (reroutes, repeats). */
  updatedReplies: number;
  /**
   * Replies for a parcel's current turn that arrived after its decision point, and were ignored:
   * a first reply too late (its request is counted in `late`), or a reroute for a parcel already
   * past the divert (reroutes only matter before it).
   */
  repliesAfterDecision: number;
  /** Replies ignored because they name no parcel on the machine (unknown or finished task) or another turn. */
  ignoredReplies: number;
  /** Chute-state reports sent. */
  chuteReports: number;
  /** Chute-state commands from the controller applied to the machine. */
  chuteCommands: number;
  /** Busy replies (the controller shed the request): the parcel went on as without a reply. */
  busy: number;
}

/**
 * The emulated PLC of a loop sorter (issue 4: the simulator stands in for the PLC): the hub of a
 * scenario run by the core scheduler, in simulated time advanced by its owner. At the scan each
 * parcel becomes a sort request (the scan tunnel's reads) and stays undecided; a destination reply
 * that arrives before the parcel reaches the decision point (the first divert) sets its chutes —
 * a later reply for the same turn before that point replaces them — and the first listed chute
 * that can take the parcel is used; otherwise the parcel goes to the exception chute with the
 * terminal outcome `late reply`, as a real PLC would. A parcel meeting a full chute tries the next
 * listed chute, then recirculates and re-requests (next turn), up to the scenario's recirculation
 * limit, then goes to the exception chute (`loop limit`). Exception chutes take every parcel.
 * Every outcome is reported as a sort confirmation; exactly one is terminal per task. Task ids
 * count from 1 in the order parcels are scanned. The hub runs on the engine's tick loop
 * (sim/hub.ts `HubTicks`, this class its hooks) and each task's fields live at the parcel's id in
 * the hub's parcel table ({@link PlcParcelTable}).
 */
export class EmulatedPlc implements TickHooks {
  readonly hub: Hub;
  readonly scheduler: LoopScheduler;
  /** Terminal outcomes by parcel serial number. */
  readonly ledger = new Map<number, LedgerEntry>();
  readonly counts: PlcCounts = {
    requested: 0,
    replied: 0,
    late: 0,
    sorted: 0,
    exception: 0,
    intermediate: 0,
    updatedReplies: 0,
    busy: 0,
    repliesAfterDecision: 0,
    ignoredReplies: 0,
    chuteReports: 0,
    chuteCommands: 0,
  };
  /** Round-trip times in ms (request sent → first reply of its turn received, wall clock), one per request answered. */
  readonly roundTripsMs: number[] = [];

  private readonly numberOf: Int32Array;
  private readonly chuteOfNumber = new Map<number, number>();
  private readonly lateChute: number;
  private readonly decisionTicks: number;
  private readonly reportEvery: number;
  private nextReport: number;
  private readonly reportedState: Uint8Array;
  /** The controller's fill estimate of each chute: fill last reported + discharges since. */
  private readonly estimatedFill: Int32Array;
  private nextTaskId = 1;
  private serial = 0;
  /** The hub's parcel table, with the per-parcel fields of the tasks. */
  private readonly parcels: PlcParcelTable;
  /** The hub's tick loop (shared with the simulator's engine). */
  private readonly ticks: HubTicks;
  private readonly parcelOfTask = new Map<number, number>();

  /**
   * @param model the scenario (sim/scenario `loadScenario`).
   * @param port where requests, confirmations and chute reports go.
   * @param wallMs wall clock in ms for round-trip times (default `performance.now`).
   * @throws SortlineError `SORTLINE_ERR_EMULATOR_NO_EXCEPTION_CHUTE` when `lateReplyChute` is not
   *   one of the scenario's exception chutes.
   */
  constructor(
    readonly model: SimModel,
    private readonly port: PlcPort,
    options: EmulatedPlcOptions,
    private readonly wallMs: () => number = () => performance.now(),
  ) {
    this.parcels = new PlcParcelTable(4096);
    this.hub = new Hub(model, this.parcels);
    const { chutes, loop } = this.hub;
    this.numberOf = new Int32Array(chutes.count);
    chutes.ids.forEach((id, c) => {
      const n = options.chuteNumbers.get(id) ?? 0;
      this.numberOf[c] = n;
      if (n > 0) this.chuteOfNumber.set(n, c);
    });
    const late = options.lateReplyChute ?? chutes.ids.find((_, c) => chutes.exception[c] === 1);
    this.lateChute = late === undefined ? -1 : chutes.indexOf(late);
    if (this.lateChute < 0 || chutes.exception[this.lateChute] !== 1) {
      throw new SortlineError(
        'SORTLINE_ERR_EMULATOR_NO_EXCEPTION_CHUTE',
        `scenario ${model.name}: ${late === undefined ? 'no exception chute' : `"${late}" is not an exception chute`} for parcels whose reply comes too late; expected one of sorter.exceptionChutes`,
        { pointer: '/sorter/exceptionChutes' },
      );
    }
    this.decisionTicks = Math.max(1, Math.round((options.scanToDivertMeters ?? 5) / loop.pitch));
    this.reportEvery = options.chuteReportSeconds ?? 5;
    this.nextReport = this.reportEvery > 0 ? this.reportEvery : Infinity;
    this.reportedState = new Uint8Array(chutes.count);
    this.estimatedFill = new Int32Array(chutes.count);
    this.ticks = new HubTicks(this.hub, this, this.decisionTicks);
    this.ticks.maxParcels = options.parcels ?? Infinity;
    this.scheduler = this.ticks.scheduler;
  }

  /** Simulated seconds so far: the time of the next tick to run. */
  get now(): number {
    return this.ticks.tick * this.hub.dt;
  }

  /** Seconds from the scan to the decision point (the reply deadline), in whole ticks. */
  get replyDeadlineSeconds(): number {
    return this.decisionTicks * this.hub.dt;
  }

  /** Parcels created so far. */
  get parcelsCreated(): number {
    return this.ticks.created;
  }

  /** True when every parcel allowed by `parcels` was created and has a terminal outcome. */
  get finished(): boolean {
    const { created, maxParcels } = this.ticks;
    return created >= maxParcels && this.ledger.size >= created;
  }

  /**
   * The PLC restarted with its task-id counter restored from an old checkpoint
   * (docs/emulator.md "PLC restarts"): new parcels get ids from `from` on again, skipping the
   * ids of parcels still on the machine. `from` default: the lowest id still tracked.
   */
  resetTaskIds(from?: number): void {
    let low = from ?? Infinity;
    if (from === undefined) for (const id of this.parcelOfTask.keys()) if (id < low) low = id;
    this.nextTaskId = Number.isFinite(low) ? Math.max(1, low) : 1;
  }

  /** Creates no more parcels: the run finishes once the parcels created so far have a terminal outcome. */
  stopArrivals(): void {
    this.ticks.maxParcels = Math.min(this.ticks.maxParcels, this.ticks.created);
  }

  /** Runs every tick up to simulated time `t` (s), admitting arrivals and sending chute reports on the way. */
  advanceTo(t: number): void {
    this.ticks.runThrough(t);
  }

  /**
   * A destination reply arrived at simulated time `at` (s; default {@link now}). It is applied
   * when it answers the current turn of a parcel that has not reached its decision point by `at`;
   * otherwise it is ignored and counted (`repliesAfterDecision`, or `ignoredReplies` when it names
   * no parcel on the machine or another turn).
   */
  onReply(reply: DestinationReply, at: number = this.now): void {
    const p = this.parcelOfTask.get(reply.taskId);
    const parcels = this.parcels;
    if (p === undefined || parcels.turn[p] !== reply.turn) {
      this.counts.ignoredReplies++;
      return;
    }
    if (parcels.heardTurn[p] !== reply.turn) {
      parcels.heardTurn[p] = reply.turn;
      this.roundTripsMs.push(this.wallMs() - parcels.sentAtMs[p]!);
    }
    if (!(at <= parcels.decisionAt[p]!)) {
      this.counts.repliesAfterDecision++;
      return;
    }
    if (reply.status === ReplyStatus.BUSY) {
      // the controller shed the request: no destination; the parcel goes as without a reply
      this.counts.busy++;
      return;
    }
    if (parcels.replyTurn[p] === reply.turn) this.counts.updatedReplies++;
    else this.counts.replied++;
    parcels.replyTurn[p] = reply.turn;
    let n = 0;
    for (const number of reply.chutes) {
      const c = this.chuteOfNumber.get(number);
      if (c !== undefined && n < MAX_REPLY_CHUTES)
        parcels.replyChutes[p * MAX_REPLY_CHUTES + n++] = c;
    }
    parcels.replyCount[p] = n;
    parcels.replyIndex[p] = 0;
    parcels.replyException[p] = this.chuteOfNumber.get(reply.exceptionChute) ?? this.lateChute;
  }

  /** The controller set a chute's state (an operator command): the machine follows it. Unknown chutes are ignored. */
  onChuteState(message: ChuteStateMessage): void {
    const c = this.chuteOfNumber.get(message.chute);
    if (c === undefined) return;
    this.hub.chutes.state[c] = machineChuteState(message.state);
    this.counts.chuteCommands++;
  }

  // ---- TickHooks ------------------------------------------------------------------------------

  arrived(): void {}

  beforeTick(): void {}

  afterTick(t: number): void {
    if (t >= this.nextReport) this.reportChutes(t);
  }

  scan(p: number, induct: number, tick: number): number {
    const parcels = this.parcels;
    let taskId = this.nextTaskId++;
    // never the id of a parcel still tracked (after a restart that reset the counter)
    while (this.parcelOfTask.has(taskId)) taskId = this.nextTaskId++;
    if (this.nextTaskId > 0xffffffff) this.nextTaskId = 1;
    parcels.task[p] = taskId;
    parcels.serial[p] = ++this.serial;
    parcels.turn[p] = 0;
    parcels.replyTurn[p] = 0;
    parcels.heardTurn[p] = 0;
    parcels.pendingOutcome[p] = Outcome.DISCHARGED;
    this.parcelOfTask.set(taskId, p);
    const hub = this.hub;
    const n = hub.tunnel.scan(parcels.truth[p]!);
    const reads: Read[] = [];
    for (let i = 0; i < n; i++)
      reads.push({
        source: ReadSource.SCANNER,
        scanner: hub.tunnel.cameras[i]!,
        data: hub.tunnel.reads[i]!,
      });
    parcels.reads[p] = reads;
    parcels.weightG[p] = hub.tunnel.weightGrams;
    this.requestTurn(p, induct, tick);
    return UNDECIDED;
  }

  decide(p: number, _tick: number): number {
    const parcels = this.parcels;
    parcels.decisionAt[p] = -1;
    if (parcels.replyTurn[p] === parcels.turn[p]) {
      if (parcels.replyCount[p]! > 0) return parcels.replyChutes[p * MAX_REPLY_CHUTES]!;
      return parcels.replyException[p]!;
    }
    this.counts.late++;
    parcels.pendingOutcome[p] = Outcome.LATE_REPLY;
    return this.lateChute;
  }

  discharge(p: number, chute: number, tick: number): boolean {
    const hub = this.hub;
    const chutes = hub.chutes;
    const t = tick * hub.dt;
    const parcels = this.parcels;
    const exception = chutes.exception[chute] === 1;
    if (exception) {
      hub.operators.receive(chute, t); // an exception chute takes every parcel
    } else {
      if (!hub.operators.take(chute, t)) {
        const state = chutes.state[chute];
        const outcome =
          state === ChuteState.BLOCKED
            ? Outcome.BLOCKED
            : state === ChuteState.OPEN || state === ChuteState.FULL
              ? Outcome.CHUTE_FULL
              : Outcome.CHUTE_DISABLED;
        this.report(p, chute, outcome);
        return false;
      }
      this.estimatedFill[chute]!++;
    }
    const outcome = parcels.pendingOutcome[p] as OutcomeCode;
    this.report(p, chute, outcome);
    if (exception) this.counts.exception++;
    else this.counts.sorted++;
    const taskId = parcels.task[p]!;
    const parcel = parcels.serial[p]!;
    this.ledger.set(parcel, {
      parcel,
      taskId,
      outcome,
      chute: this.numberOf[chute]!,
      turns: parcels.turn[p]!,
    });
    this.parcelOfTask.delete(taskId);
    parcels.reads[p] = undefined;
    return true;
  }

  retry(p: number, chute: number, tick: number): number {
    const parcels = this.parcels;
    const next = parcels.replyIndex[p]! + 1;
    if (parcels.replyTurn[p] === parcels.turn[p] && next < parcels.replyCount[p]!) {
      parcels.replyIndex[p] = next;
      return parcels.replyChutes[p * MAX_REPLY_CHUTES + next]!;
    }
    this.report(p, chute, Outcome.RECIRCULATED);
    this.requestTurn(p, parcels.induct[p]!, tick);
    return UNDECIDED;
  }

  overLimit(p: number): number {
    const parcels = this.parcels;
    parcels.pendingOutcome[p] = Outcome.LOOP_LIMIT;
    return parcels.replyTurn[p] === parcels.turn[p] ? parcels.replyException[p]! : this.lateChute;
  }

  // ---------------------------------------------------------------------------------------------

  /** Sends the sort request of the parcel's next turn (re-requests repeat the first reads). */
  private requestTurn(p: number, induct: number, tick: number): void {
    const parcels = this.parcels;
    const turn = parcels.turn[p]! + 1;
    parcels.turn[p] = turn;
    parcels.decisionAt[p] = (tick + this.decisionTicks) * this.hub.dt;
    this.counts.requested++;
    parcels.sentAtMs[p] = this.wallMs();
    this.port.request({
      type: 'sortRequest',
      taskId: parcels.task[p]!,
      turn,
      induct: induct + 1,
      scanner: 1,
      carrier: parcels.carrier[p]! + 1,
      reads: parcels.reads[p] ?? [],
      weightG: parcels.weightG[p]!,
      lengthMm: 0,
      widthMm: 0,
      heightMm: 0,
    });
  }

  private report(p: number, chute: number, outcome: OutcomeCode): void {
    if (!isTerminalOutcome(outcome)) this.counts.intermediate++;
    this.port.confirm({
      type: 'sortConfirmation',
      taskId: this.parcels.task[p]!,
      turn: this.parcels.turn[p]!,
      chute: this.numberOf[chute]!,
      outcome,
    });
  }

  /** Reports every numbered destination chute whose state or fullness the controller sees wrongly. */
  private reportChutes(now: number): void {
    this.nextReport = now + this.reportEvery;
    const chutes = this.hub.chutes;
    for (let c = 0; c < chutes.count; c++) {
      const number = this.numberOf[c]!;
      const capacity = chutes.capacity[c]!;
      if (number === 0 || chutes.exception[c] === 1 || capacity === UNLIMITED) continue;
      const fill = this.hub.operators.fillAt(c, now);
      const machine = chutes.state[c] as ChuteStateCode;
      const state = machine === ChuteState.OPEN && fill >= capacity ? ChuteState.FULL : machine;
      if (
        state === this.reportedState[c] &&
        fill >= capacity === this.estimatedFill[c]! >= capacity
      )
        continue;
      this.reportedState[c] = state;
      this.estimatedFill[c] = fill;
      this.counts.chuteReports++;
      this.port.chuteState({
        type: 'chuteState',
        chute: number,
        state: wireChuteState(state),
        fill: Math.min(fill, 0xffff),
      });
    }
  }
}
