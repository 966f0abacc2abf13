import { ParcelRouter, ReadSource } from '../core/labels/index.js';
import type { LoopScheduler } from '../core/schedule/index.js';
import type { InductTable, LoopSorter, ParcelTable } from '../core/sorter/index.js';
import { Fallback } from '../core/plan/index.js';
import { Hub, HubTicks, type TickHooks } from './hub.js';
import { Kpis } from './kpis.js';
import type { SimModel } from './scenario/index.js';
import type { ChuteLayout, ChuteOperators } from './operators.js';
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
  /** The chutes (their fill at a time: `operators.fillAt`). */
  chutes: ChuteLayout;
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

class Engine implements TickHooks {
  private readonly loop: LoopSorter;
  private readonly inducts: InductTable;
  private readonly chutes: ChuteLayout;
  private readonly parcels: ParcelTable;
  private readonly operators: ChuteOperators;
  private readonly tunnel: ScanTunnel;
  private readonly ticks: HubTicks;
  private readonly scheduler: LoopScheduler;
  private readonly router: ParcelRouter;
  private readonly kpis: Kpis;
  private readonly dt: number;
  private readonly warmup: number;
  private readonly horizon: number;
  /** Time (s) of the next series sample. */
  private nextSample: number;
  private onProgress: RunOptions['onProgress'];
  private progressEvery = 1;
  private progressIn = 0;

  constructor(private readonly model: SimModel) {
    const hub = new Hub(model);
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
    this.router = new ParcelRouter(model.plan);
    this.nextSample = this.kpis.intervalSeconds;
    this.ticks = new HubTicks(hub, this);
    this.scheduler = this.ticks.scheduler;
  }

  run(options: RunOptions): void {
    const horizon = this.horizon;
    const interval = this.kpis.intervalSeconds;
    const ticks = Math.ceil(horizon / this.dt - 1e-9);
    this.onProgress = options.onProgress;
    this.progressEvery = Math.max(1, Math.floor(ticks / 100));
    this.ticks.runUntil(ticks);
    this.ticks.admit(horizon);
    this.operators.finish(horizon);
    for (; this.nextSample <= horizon + 1e-9; this.nextSample += interval)
      this.sample(this.nextSample - interval / 2, this.nextSample);
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

  // ---- TickHooks ------------------------------------------------------------------------------

  arrived(_p: number, t: number): void {
    this.kpis.arrived++;
    this.kpis.sArrived[this.kpis.bin(t)]!++;
  }

  beforeTick(t: number): void {
    if (t >= this.nextSample) {
      const interval = this.kpis.intervalSeconds;
      this.sample(this.nextSample - interval / 2, this.nextSample);
      this.nextSample += interval;
    }
  }

  afterTick(t: number): void {
    if (this.onProgress && --this.progressIn <= 0) {
      this.progressIn = this.progressEvery;
      this.onProgress(t, this.horizon);
    }
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
      const f = this.operators.fillAt(c, at);
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
      const chute = this.operators.assign(routed, t);
      if (chute >= 0) return chute;
      return this.toException(p, Fallback.NO_CHUTE);
    }
    return this.toException(p, -routed);
  }

  discharge(p: number, chute: number, tick: number): boolean {
    const t = tick * this.dt;
    const chutes = this.chutes;
    const kpis = this.kpis;
    if (!this.operators.take(chute, t)) {
      kpis.failedDischarges++;
      kpis.sFailedDischarges[kpis.bin(t)]!++;
      if (t >= this.warmup) kpis.windowFailedDischarges++;
      return false;
    }
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
    const next = this.operators.assign(parcels.routed[p]!, t);
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
    return this.operators.fallbackChute(reason);
  }
}
