import { LoopScheduler, UNDECIDED, type LoopHooks } from '../../core/schedule/loop-scheduler.js';
import { Outcome, ReadSource, type DestinationReply, type ChuteStateMessage, type OutcomeCode, type Read, type SortConfirmation, type SortRequest } from '../../core/protocol/index.js';
import { ChuteState } from '../../core/sorter/states.js';
import { Hub } from '../../sim/hub.js';
import type { SimModel } from '../../sim/model.js';

/** Where the emulated PLC sends its messages (a Session in practice). */
export interface PlcPort {
  request(message: SortRequest): void;
  confirm(message: SortConfirmation): void;
}

/** Options of the emulated PLC. */
export interface EmulatedPlcOptions {
  /**
   * Wire number of each machine chute id (the controller's numbering); chutes without a number
   * cannot be named in replies.
   */
  chuteNumbers: ReadonlyMap<string, number>;
  /**
   * Distance in metres from the scan tunnel (at the induct) to the first divert: the deadline for
   * the destination reply is this travel time (DESIGN.md: 5 m at 2.5 m/s → 2 s). Default 5.
   */
  scanToDivertMeters?: number;
  /** Create at most this many parcels (then arrivals stop); default unlimited. */
  parcels?: number;
  /** Machine chute id the PLC uses when no reply came in time; default the scenario's first exception chute. */
  lateReplyChute?: string;
}

/** Per-task record the emulator keeps for its ledger. */
export interface LedgerEntry {
  taskId: number;
  /** Terminal outcome code (Outcome) and the chute number it happened at. */
  outcome: OutcomeCode;
  chute: number;
  /** Requests sent for the task (one per turn). */
  turns: number;
}

const MAX_REPLY_CHUTES = 8;

/**
 * The emulated PLC of a loop sorter (issue 4: the simulator stands in for the PLC): the hub of a
 * scenario run by the core scheduler, in simulated time advanced by its owner. At the scan each
 * parcel becomes a sort request (the scan tunnel's reads) and stays undecided; a destination reply
 * that arrives before the parcel reaches the first divert sets its chutes (the first listed chute
 * that can take it is used), otherwise the parcel goes to the exception chute with the terminal
 * outcome `late reply`, as a real PLC would. A parcel meeting a full chute tries the next listed
 * chute, then recirculates and re-requests (next turn), up to the scenario's recirculation limit,
 * then goes to the exception chute (`loop limit`). Every outcome is reported as a sort
 * confirmation; exactly one is terminal per task.
 */
export class EmulatedPlc implements LoopHooks {
  readonly hub: Hub;
  readonly scheduler: LoopScheduler;
  /** Terminal outcomes by task id. */
  readonly ledger = new Map<number, LedgerEntry>();
  readonly counts = { requested: 0, replied: 0, late: 0, discharged: 0, exception: 0, intermediate: 0, staleReplies: 0 };
  /** Round-trip times in ms (request sent → reply received, wall clock), one per reply. */
  readonly roundTripsMs: number[] = [];

  private readonly numberOf: Int32Array;
  private readonly chuteOfNumber = new Map<number, number>();
  private readonly lateChute: number;
  private readonly maxParcels: number;
  private created = 0;
  private nextTaskId = 1;
  private tick = 0;
  private nextArrival: number;
  // per parcel id (grown with the parcel table)
  private taskOf = new Uint32Array(0);
  private turnOf = new Uint8Array(0);
  private replyTurn = new Uint8Array(0);
  private replyAt = new Float64Array(0);
  private sentAtMs = new Float64Array(0);
  private replyCount = new Uint8Array(0);
  private replyIndex = new Uint8Array(0);
  private replyChutes = new Int32Array(0);
  private replyException = new Int32Array(0);
  private pendingOutcome = new Uint8Array(0);
  private readonly parcelOfTask = new Map<number, number>();
  /** Reads and weight of each parcel's first request, repeated in its re-requests. */
  private readonly firstReads = new Map<number, Read[]>();
  private readonly weights = new Map<number, number>();

  constructor(
    readonly model: SimModel,
    private readonly port: PlcPort,
    options: EmulatedPlcOptions,
    private readonly wallMs: () => number = () => performance.now(),
  ) {
    this.hub = new Hub(model);
    const { chutes, loop } = this.hub;
    this.numberOf = new Int32Array(chutes.count);
    chutes.ids.forEach((id, c) => {
      const n = options.chuteNumbers.get(id) ?? 0;
      this.numberOf[c] = n;
      if (n > 0) this.chuteOfNumber.set(n, c);
    });
    const late = options.lateReplyChute ?? chutes.ids.find((_, c) => chutes.exception[c] === 1);
    this.lateChute = late === undefined ? -1 : chutes.indexOf(late);
    if (this.lateChute < 0) throw new Error(`emulated PLC: no exception chute for late replies (${late ?? 'none in the scenario'})`);
    this.maxParcels = options.parcels ?? Infinity;
    const decisionTicks = Math.max(1, Math.round((options.scanToDivertMeters ?? 5) / loop.pitch));
    this.scheduler = new LoopScheduler(loop, this.hub.inducts, chutes, this.hub.parcels, this, {
      recirculationLimit: model.recirculationLimit,
      slotPolicy: model.slotPolicy,
      decisionTicks,
    });
    this.nextArrival = this.hub.arrivals.next();
  }

  /** Simulated seconds so far. */
  get now(): number {
    return this.tick * this.hub.dt;
  }

  /** Parcels created so far. */
  get parcelsCreated(): number {
    return this.created;
  }

  /** True when every parcel allowed by `parcels` was created and has a terminal outcome. */
  get finished(): boolean {
    return this.created >= this.maxParcels && this.ledger.size >= this.created;
  }

  /** Runs every tick up to simulated time `t` (s), admitting arrivals on the way. */
  advanceTo(t: number): void {
    const hub = this.hub;
    const dt = hub.dt;
    while (this.tick * dt <= t) {
      const now = this.tick * dt;
      while (this.nextArrival <= now && this.created < this.maxParcels) {
        hub.arrive(this.nextArrival);
        this.created++;
        this.nextArrival = hub.arrivals.next();
      }
      this.scheduler.tick(this.tick);
      this.tick++;
    }
  }

  /** A destination reply arrived (at the current simulated time). Stale or unknown replies are counted and ignored. */
  onReply(reply: DestinationReply): void {
    const p = this.parcelOfTask.get(reply.taskId);
    if (p === undefined || this.turnOf[p] !== reply.turn || this.replyTurn[p] === reply.turn) {
      this.counts.staleReplies++;
      return;
    }
    this.counts.replied++;
    this.roundTripsMs.push(this.wallMs() - this.sentAtMs[p]!);
    this.replyTurn[p] = reply.turn;
    this.replyAt[p] = this.now;
    let n = 0;
    for (const number of reply.chutes) {
      const c = this.chuteOfNumber.get(number);
      if (c !== undefined && n < MAX_REPLY_CHUTES) this.replyChutes[p * MAX_REPLY_CHUTES + n++] = c;
    }
    this.replyCount[p] = n;
    this.replyIndex[p] = 0;
    this.replyException[p] = this.chuteOfNumber.get(reply.exceptionChute) ?? this.lateChute;
  }

  /** The controller set a chute's state (an operator command): the machine follows it. */
  onChuteState(message: ChuteStateMessage): void {
    const c = this.chuteOfNumber.get(message.chute);
    if (c !== undefined) this.hub.chutes.state[c] = message.state;
  }

  // ---- LoopHooks ------------------------------------------------------------------------------

  scan(p: number, induct: number): number {
    this.grow();
    const taskId = this.nextTaskId++;
    this.taskOf[p] = taskId;
    this.turnOf[p] = 0;
    this.replyTurn[p] = 0;
    this.pendingOutcome[p] = Outcome.DISCHARGED;
    this.parcelOfTask.set(taskId, p);
    const hub = this.hub;
    const n = hub.tunnel.scan(hub.parcels.truth[p]!);
    const reads: Read[] = [];
    for (let i = 0; i < n; i++) reads.push({ source: ReadSource.SCANNER, scanner: hub.tunnel.cameras[i]!, data: hub.tunnel.reads[i]! });
    this.requestTurn(p, induct, reads, hub.tunnel.weightGrams);
    return UNDECIDED;
  }

  decide(p: number, tick: number): number {
    const t = tick * this.hub.dt;
    if (this.replyTurn[p] === this.turnOf[p] && this.replyAt[p]! <= t) {
      if (this.replyCount[p]! > 0) return this.replyChutes[p * MAX_REPLY_CHUTES]!;
      return this.replyException[p]!;
    }
    this.counts.late++;
    this.pendingOutcome[p] = Outcome.LATE_REPLY;
    return this.lateChute;
  }

  discharge(p: number, chute: number, tick: number): boolean {
    const hub = this.hub;
    const t = tick * hub.dt;
    hub.operators.catchUp(chute, t);
    if (!hub.chutes.accepts(chute)) {
      const state = hub.chutes.state[chute];
      const outcome =
        state === ChuteState.BLOCKED ? Outcome.BLOCKED : state === ChuteState.OPEN || state === ChuteState.FULL ? Outcome.CHUTE_FULL : Outcome.CHUTE_DISABLED;
      this.report(p, chute, outcome);
      return false;
    }
    hub.operators.receive(chute, t);
    const outcome = this.pendingOutcome[p] as OutcomeCode;
    this.report(p, chute, outcome);
    if (hub.chutes.exception[chute]) this.counts.exception++;
    else this.counts.discharged++;
    this.ledger.set(this.taskOf[p]!, { taskId: this.taskOf[p]!, outcome, chute: this.numberOf[chute]!, turns: this.turnOf[p]! });
    this.parcelOfTask.delete(this.taskOf[p]!);
    return true;
  }

  retry(p: number, chute: number): number {
    if (this.pendingOutcome[p] !== Outcome.DISCHARGED) return chute; // bound for an exception chute: try it again
    const next = this.replyIndex[p]! + 1;
    if (this.replyTurn[p] === this.turnOf[p] && next < this.replyCount[p]!) {
      this.replyIndex[p] = next;
      return this.replyChutes[p * MAX_REPLY_CHUTES + next]!;
    }
    this.report(p, chute, Outcome.RECIRCULATED);
    const hub = this.hub;
    this.requestTurn(p, hub.parcels.induct[p]!, EMPTY_READS_AGAIN, 0);
    return UNDECIDED;
  }

  overLimit(p: number): number {
    this.pendingOutcome[p] = Outcome.LOOP_LIMIT;
    return this.replyTurn[p] === this.turnOf[p] ? this.replyException[p]! : this.lateChute;
  }

  // ---------------------------------------------------------------------------------------------

  /** Sends the sort request of the parcel's next turn (re-requests repeat the first reads). */
  private requestTurn(p: number, induct: number, reads: Read[], weightGrams: number): void {
    const turn = this.turnOf[p]! + 1;
    this.turnOf[p] = turn;
    if (reads === EMPTY_READS_AGAIN) reads = this.firstReads.get(p) ?? [];
    else this.firstReads.set(p, reads);
    if (weightGrams > 0) this.weights.set(p, weightGrams);
    this.counts.requested++;
    this.sentAtMs[p] = this.wallMs();
    this.port.request({
      type: 'sortRequest',
      taskId: this.taskOf[p]!,
      turn,
      induct: induct + 1,
      scanner: 1,
      carrier: this.hub.parcels.carrier[p]! + 1,
      reads,
      weightG: this.weights.get(p) ?? 0,
      lengthMm: 0,
      widthMm: 0,
      heightMm: 0,
    });
  }

  private report(p: number, chute: number, outcome: OutcomeCode): void {
    if (outcome !== Outcome.DISCHARGED && outcome !== Outcome.LATE_REPLY && outcome !== Outcome.LOOP_LIMIT) this.counts.intermediate++;
    this.port.confirm({ type: 'sortConfirmation', taskId: this.taskOf[p]!, turn: this.turnOf[p]!, chute: this.numberOf[chute]!, outcome });
    if (outcome === Outcome.DISCHARGED || outcome === Outcome.LATE_REPLY || outcome === Outcome.LOOP_LIMIT) {
      this.firstReads.delete(p);
      this.weights.delete(p);
    }
  }

  /** Keeps the per-parcel arrays as large as the parcel table. */
  private grow(): void {
    const cap = this.hub.parcels.capacity;
    if (this.taskOf.length >= cap) return;
    const g = <T extends Uint32Array | Uint8Array | Float64Array | Int32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a as never);
      return b;
    };
    this.taskOf = g(this.taskOf, cap);
    this.turnOf = g(this.turnOf, cap);
    this.replyTurn = g(this.replyTurn, cap);
    this.replyAt = g(this.replyAt, cap);
    this.sentAtMs = g(this.sentAtMs, cap);
    this.replyCount = g(this.replyCount, cap);
    this.replyIndex = g(this.replyIndex, cap);
    this.replyChutes = g(this.replyChutes, cap * MAX_REPLY_CHUTES);
    this.replyException = g(this.replyException, cap);
    this.pendingOutcome = g(this.pendingOutcome, cap);
  }
}

/** Marker: a re-request repeats the reads of the first request. */
const EMPTY_READS_AGAIN: Read[] = [];
