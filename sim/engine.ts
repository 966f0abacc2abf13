import { ChuteAssigner } from '../core/assign/index.js';
import { ParcelRouter, ReadSource } from '../core/labels/index.js';
import { LoopScheduler, type LoopHooks } from '../core/schedule/index.js';
import type { ChuteTable, InductTable, LoopSorter, ParcelTable } from '../core/sorter/index.js';
import { Fallback } from '../core/plan/index.js';
import { Hub } from './hub.js';
import { Kpis } from './kpis.js';
import type { SimModel } from './scenario/index.js';
import type { ChuteOperators } from './operators.js';
import type { ScanTunnel } from './scanner.js';

/** Options of one run. */
export interface RunOptions {
  /** Called about every 1 % of the run with simulated and total seconds. */
  onProgress?: (simulatedSeconds: number, totalSeconds: number) => void;
}

/** What a run leaves: the model, its tables and counters, for the report. */
export interface RunResult {
  model: SimModel;
  kpis: Kpis;
  loop: LoopSorter;
  inducts: InductTable;
  chutes: ChuteTable;
  scheduler: LoopScheduler;
  operators: ChuteOperators;
  /** Simulated seconds. */
  simulatedSeconds: number;
  /** Wall-clock seconds of the engine (set-up and run; not loading or reporting). */
  wallSeconds: number;
}

/**
 * The deterministic simulation engine (DESIGN.md "machine model"): a time-stepped loop sorter —
 * one step per tick (pitch / speed) — fed by a Poisson arrival process, with the scan tunnel, chute
 * assignment and operators as event hooks of the core scheduler. The same model and seed give the
 * same result.
 */
export function runSimulation(model: SimModel, options: RunOptions = {}): RunResult {
  const started = performance.now();
  const engine = new Engine(model);
  engine.run(options);
  const wallSeconds = (performance.now() - started) / 1000;
  return { ...engine.result(), wallSeconds };
}

class Engine implements LoopHooks {
  private readonly hub: Hub;
  private readonly loop: LoopSorter;
  private readonly inducts: InductTable;
  private readonly chutes: ChuteTable;
  private readonly parcels: ParcelTable;
  private readonly operators: ChuteOperators;
  private readonly tunnel: ScanTunnel;
  private readonly scheduler: LoopScheduler;
  private readonly assigner: ChuteAssigner;
  private readonly router: ParcelRouter;
  private readonly kpis: Kpis;
  private readonly dt: number;
  private readonly warmup: number;
  private readonly horizon: number;
  private readonly destStart: Int32Array;
  private readonly destList: Int32Array;

  constructor(private readonly model: SimModel) {
    const hub = new Hub(model);
    this.hub = hub;
    this.loop = hub.loop;
    this.inducts = hub.inducts;
    this.chutes = hub.chutes;
    this.parcels = hub.parcels;
    this.operators = hub.operators;
    this.tunnel = hub.tunnel;
    this.dt = hub.dt;
    this.horizon = hub.horizon;
    this.warmup = hub.warmup;
    this.kpis = new Kpis(
      this.inducts.count,
      this.chutes.count,
      model.plan.destinationCount,
      this.horizon,
    );
    this.assigner = new ChuteAssigner(model.plan, this.chutes);
    this.router = new ParcelRouter(model.plan);
    this.destStart = model.plan.destChuteStart;
    this.destList = model.plan.destChuteList;
    this.scheduler = new LoopScheduler(this.loop, this.inducts, this.chutes, this.parcels, this, {
      recirculationLimit: model.recirculationLimit,
      slotPolicy: model.slotPolicy,
    });
  }

  run(options: RunOptions): void {
    const dt = this.dt;
    const horizon = this.horizon;
    const kpis = this.kpis;
    const ticks = Math.ceil(horizon / dt - 1e-9);
    const progressEvery = Math.max(1, Math.floor(ticks / 100));
    let progressIn = 0;
    const interval = kpis.intervalSeconds;
    let nextSample = interval;
    const arrivals = this.hub.arrivals;
    let nextArrival = arrivals.next();
    for (let k = 0; k < ticks; k++) {
      const t = k * dt;
      while (nextArrival <= t) {
        this.arrive(nextArrival);
        nextArrival = arrivals.next();
      }
      if (t >= nextSample) {
        this.sample(nextSample - interval / 2, nextSample);
        nextSample += interval;
      }
      this.scheduler.tick(k);
      if (options.onProgress && --progressIn <= 0) {
        progressIn = progressEvery;
        options.onProgress(t, horizon);
      }
    }
    while (nextArrival < horizon) {
      this.arrive(nextArrival);
      nextArrival = arrivals.next();
    }
    this.operators.finish(horizon);
    for (; nextSample <= horizon + 1e-9; nextSample += interval)
      this.sample(nextSample - interval / 2, nextSample);
    options.onProgress?.(horizon, horizon);
  }

  result(): Omit<RunResult, 'wallSeconds'> {
    return {
      model: this.model,
      kpis: this.kpis,
      loop: this.loop,
      inducts: this.inducts,
      chutes: this.chutes,
      scheduler: this.scheduler,
      operators: this.operators,
      simulatedSeconds: this.horizon,
    };
  }

  private arrive(t: number): void {
    this.hub.arrive(t);
    this.kpis.arrived++;
    this.kpis.sArrived[this.kpis.bin(t)]!++;
  }

  /** Series sample at the end of a bin (`at`, s); `mid` picks the bin. */
  private sample(mid: number, at: number): void {
    const kpis = this.kpis;
    const b = kpis.bin(mid);
    const k = this.inducts.count;
    let queued = 0;
    for (let i = 0; i < k; i++) {
      const q = this.inducts.queues[i]!.length;
      kpis.sInductQueue[b * k + i] = q;
      queued += q;
    }
    kpis.sQueued[b] = queued;
    kpis.sOnLoop[b] = this.scheduler.onLoop;
    const chutes = this.chutes;
    let fill = 0;
    let share = 0;
    let full = 0;
    let n = 0;
    const heat = Math.floor(b / kpis.heatStride) * chutes.count;
    for (let c = 0; c < chutes.count; c++) {
      if (chutes.exception[c]) continue;
      this.operators.catchUp(c, at);
      const f = chutes.fill[c]!;
      const s = f / chutes.capacity[c]!;
      fill += f;
      share += s;
      kpis.sChuteFillShare[heat + c] = s;
      if (f >= chutes.capacity[c]!) full++;
      n++;
    }
    kpis.sMeanChuteFill[b] = n > 0 ? fill / n : 0;
    kpis.sMeanChuteFillShare[b] = n > 0 ? share / n : 0;
    kpis.sFullChutes[b] = full;
  }

  /**
   * Scans a parcel printed for destination `truth` and routes its reads through the label resolver
   * and the compiled plan: a destination index, or −Fallback code.
   */
  private route(truth: number): number {
    const tunnel = this.tunnel;
    const router = this.router;
    const n = tunnel.scan(truth);
    router.begin();
    for (let i = 0; i < n; i++)
      router.addRead(tunnel.reads[i]!, ReadSource.SCANNER, tunnel.cameras[i]!);
    return router.finish();
  }

  /** Brings the chutes of destination d up to time t, so the assigner sees their true fill. */
  private catchUpDestination(d: number, t: number): void {
    const start = this.destStart[d]!;
    const end = this.destStart[d + 1]!;
    if (end - start < 2) return; // one chute: no choice depends on its fill
    for (let j = start; j < end; j++) this.operators.catchUp(this.destList[j]!, t);
  }

  // ---- LoopHooks ------------------------------------------------------------------------------

  scan(p: number, induct: number, tick: number): number {
    const t = tick * this.dt;
    const parcels = this.parcels;
    const kpis = this.kpis;
    kpis.inducted++;
    kpis.inductCount[induct]!++;
    kpis.sInducted[kpis.bin(t)]!++;
    if (t >= this.warmup) {
      const wait = t - parcels.arrival[p]!;
      kpis.windowInducted++;
      kpis.wait(wait);
      kpis.inductWindowCount[induct]!++;
      kpis.inductWindowWait[induct]! += wait;
    }
    const routed = this.route(parcels.truth[p]!);
    parcels.routed[p] = routed;
    if (routed >= 0) {
      this.catchUpDestination(routed, t);
      const chute = this.assigner.assign(routed);
      if (chute >= 0) return chute;
      return this.toException(p, Fallback.NO_CHUTE);
    }
    return this.toException(p, -routed);
  }

  discharge(p: number, chute: number, tick: number): boolean {
    const t = tick * this.dt;
    const chutes = this.chutes;
    this.operators.catchUp(chute, t);
    const kpis = this.kpis;
    if (!chutes.accepts(chute)) {
      kpis.failedDischarges++;
      kpis.sFailedDischarges[kpis.bin(t)]!++;
      if (t >= this.warmup) kpis.windowFailedDischarges++;
      return false;
    }
    this.operators.receive(chute, t);
    kpis.chuteReceived[chute]!++;
    const b = kpis.bin(t);
    if (chutes.exception[chute]) {
      kpis.exception++;
      kpis.sException[b]!++;
    } else {
      kpis.sorted++;
      kpis.sSorted[b]!++;
      const inWindow = t >= this.warmup;
      if (inWindow) kpis.windowSorted++;
      const d = this.parcels.routed[p]!;
      if (d >= 0) {
        kpis.destinationSorted[d]!++;
        if (inWindow) kpis.destinationWindowSorted[d]!++;
        if (d !== this.parcels.truth[p]) kpis.missorted++;
      }
    }
    return true;
  }

  retry(p: number, chute: number, tick: number): number {
    const t = tick * this.dt;
    const kpis = this.kpis;
    kpis.recirculations++;
    kpis.sRecirculations[kpis.bin(t)]!++;
    if (t >= this.warmup) kpis.windowRecirculations++;
    const parcels = this.parcels;
    if (parcels.reason[p] !== Fallback.NONE) return chute; // bound for an exception chute: try it again
    const d = parcels.routed[p]!;
    this.catchUpDestination(d, t);
    const next = this.assigner.assign(d);
    return next >= 0 ? next : this.toException(p, Fallback.NO_CHUTE);
  }

  overLimit(p: number): number {
    this.kpis.overLimit++;
    return this.toException(p, Fallback.RECIRCULATION_LIMIT);
  }

  /** Marks parcel p for the exception chute of `reason` and counts the reason; returns that chute. */
  private toException(p: number, reason: number): number {
    this.parcels.reason[p] = reason;
    const kpis = this.kpis;
    if (reason === Fallback.NO_READ) kpis.noRead++;
    else if (reason === Fallback.NO_RULE) kpis.noRule++;
    else if (reason === Fallback.MULTI_READ) kpis.multiRead++;
    else if (reason === Fallback.NO_CHUTE) kpis.noChute++;
    return this.assigner.fallbackChute(reason);
  }
}
