import { LoopScheduler, type LoopHooks } from '../core/schedule/index.js';
import { ChuteTable, InductTable, LoopSorter, ParcelTable } from '../core/sorter/index.js';
import { ArrivalProcess } from './arrivals.js';
import { sampler } from './distributions.js';
import { LabelPool } from './labels.js';
import type { SimModel } from './scenario/index.js';
import { ChuteOperators, type ChuteLayout } from './operators.js';
import { AliasSampler, randomStreams, type RandomStream } from './random.js';
import { ScanTunnel } from './scanner.js';

/**
 * A simulated hub built from a scenario: the loop sorter's tables (carriers, inducts, chutes,
 * parcels), the parcel flow (arrivals, induct choice, destination mix), the label printer and scan
 * tunnel, and the chute operators, each on its own random stream. The simulator's engine drives it
 * as fast as it can; the emulated PLC drives it in (scaled) real time against a controller; both
 * through a {@link HubTicks}.
 */
export class Hub {
  readonly loop: LoopSorter;
  readonly inducts: InductTable;
  /** The chutes without their fill: read the fill at a time through {@link operators}. */
  readonly chutes: ChuteLayout;
  readonly parcels: ParcelTable;
  /** The chutes' operators, fill and assignment (the only way to the fill, always at a time). */
  readonly operators: ChuteOperators;
  readonly arrivals: ArrivalProcess;
  readonly pool: LabelPool;
  readonly tunnel: ScanTunnel;
  /** Seconds per tick. */
  readonly dt: number;
  /** Simulated seconds of the run. */
  readonly horizon: number;
  /** Seconds of warm-up. */
  readonly warmup: number;
  private readonly table: ChuteTable;
  private readonly mix: AliasSampler;
  private readonly inductChoice: AliasSampler;
  private readonly rngMix: RandomStream;

  /**
   * @param model the scenario (sim/scenario `loadScenario`).
   * @param parcels the parcel table (default a plain {@link ParcelTable}); an owner with more
   *   per-parcel fields passes its subclass (the emulated PLC).
   */
  constructor(
    readonly model: SimModel,
    parcels: ParcelTable = new ParcelTable(4096),
  ) {
    const rng = randomStreams(model.seed);
    this.loop = new LoopSorter(model.loop);
    this.dt = this.loop.tickSeconds;
    this.inducts = new InductTable(model.inducts, this.dt);
    this.table = new ChuteTable(model.chutes);
    this.chutes = this.table;
    this.parcels = parcels;
    this.horizon = model.hours * 3600;
    this.warmup = model.warmupHours * 3600;
    this.operators = new ChuteOperators(
      this.table,
      model.plan,
      model.operators.perChute,
      sampler(model.operators.handlingSeconds),
      rng.operators,
      this.warmup,
      this.horizon,
    );
    this.mix = new AliasSampler(model.mix);
    this.rngMix = rng.mix;
    this.inductChoice = new AliasSampler(model.inductWeights);
    this.arrivals = new ArrivalProcess(
      model.arrivals.ratePerHour,
      model.arrivals.waves,
      rng.arrivals,
    );
    this.pool = new LabelPool(model, rng.labels);
    this.tunnel = new ScanTunnel(model.scanner, this.pool, this.mix, rng.scanner);
  }

  /** A parcel arrives at time `t` (s): it gets an induct and a destination and joins that induct's queue. Returns its id. */
  arrive(t: number): number {
    const parcels = this.parcels;
    const p = parcels.alloc();
    const induct = this.inductChoice.size === 1 ? 0 : this.inductChoice.sample(this.rngMix);
    parcels.arrival[p] = t;
    parcels.induct[p] = induct;
    parcels.truth[p] = this.mix.sample(this.rngMix);
    this.inducts.queues[induct]!.push(p);
    return p;
  }

  /**
   * The core scheduler over this hub's tables with the owner's hooks (the scenario's recirculation
   * limit and slot policy; `decisionTicks` for hooks that leave parcels undecided at the scan).
   */
  scheduler(hooks: LoopHooks, decisionTicks?: number): LoopScheduler {
    return new LoopScheduler(this.loop, this.inducts, this.table, this.parcels, hooks, {
      recirculationLimit: this.model.recirculationLimit,
      slotPolicy: this.model.slotPolicy,
      ...(decisionTicks === undefined ? {} : { decisionTicks }),
    });
  }
}

/** What a driver of the tick loop adds to the scheduler's hooks (see {@link HubTicks}). */
export interface TickHooks extends LoopHooks {
  /** Parcel `p` arrived at time `t` (s) and joined its induct queue. */
  arrived(p: number, t: number): void;
  /** Tick at time `t` (s) is about to run: its arrivals are queued, nothing has moved yet. */
  beforeTick(t: number): void;
  /** Tick at time `t` (s) has run (discharges, then loads). */
  afterTick(t: number): void;
}

/**
 * The hub's tick loop, one for the simulator's engine and the emulated PLC (DESIGN.md "machine
 * model"): at tick k (time k·dt) the parcels that have arrived by then join their induct queues
 * (at most `maxParcels` in all), then `beforeTick`, the scheduler's tick (discharge, then load,
 * calling the scan/decide/discharge/retry hooks), then `afterTick`. Nothing is allocated per tick
 * or per parcel here.
 */
export class HubTicks {
  readonly scheduler: LoopScheduler;
  /** The next tick to run. */
  tick = 0;
  /** Parcels created so far. */
  created = 0;
  /** Create at most this many parcels (then arrivals stop). */
  maxParcels = Infinity;
  private nextArrival: number;

  /**
   * @param hub the hub to run.
   * @param hooks the driver's hooks.
   * @param decisionTicks ticks from the induct to the decision point, for hooks that leave parcels
   *   undecided at the scan (`LoopScheduleOptions.decisionTicks`).
   */
  constructor(
    readonly hub: Hub,
    private readonly hooks: TickHooks,
    decisionTicks?: number,
  ) {
    this.scheduler = hub.scheduler(hooks, decisionTicks);
    this.nextArrival = hub.arrivals.next();
  }

  /** Runs the ticks before tick `end` (from {@link tick} on). */
  runUntil(end: number): void {
    const hub = this.hub;
    const hooks = this.hooks;
    const scheduler = this.scheduler;
    const dt = hub.dt;
    for (let k = this.tick; k < end; k++) {
      const t = k * dt;
      this.admit(t, true);
      hooks.beforeTick(t);
      scheduler.tick(k);
      hooks.afterTick(t);
      this.tick = k + 1;
    }
  }

  /** Runs every tick whose time is at most `t` (s). */
  runThrough(t: number): void {
    const dt = this.hub.dt;
    let end = this.tick;
    while (end * dt <= t) end++;
    this.runUntil(end);
  }

  /**
   * Admits the arrivals before time `t` (s) (or at `t` too when `inclusive`) into their induct
   * queues, without running a tick (the simulator's end of run).
   */
  admit(t: number, inclusive = false): void {
    const hub = this.hub;
    while (
      (inclusive ? this.nextArrival <= t : this.nextArrival < t) &&
      this.created < this.maxParcels
    ) {
      const at = this.nextArrival;
      const p = hub.arrive(at);
      this.created++;
      this.hooks.arrived(p, at);
      this.nextArrival = hub.arrivals.next();
    }
  }
}
