import { ChuteTable, InductTable, LoopSorter, ParcelTable } from '../core/sorter/index.js';
import { ArrivalProcess } from './arrivals.js';
import { sampler } from './distributions.js';
import { LabelPool } from './labels.js';
import type { SimModel } from './scenario/index.js';
import { ChuteOperators } from './operators.js';
import { AliasSampler, randomStreams, type RandomStream } from './random.js';
import { ScanTunnel } from './scanner.js';

/**
 * A simulated hub built from a scenario: the loop sorter's tables (carriers, inducts, chutes,
 * parcels), the parcel flow (arrivals, induct choice, destination mix), the label printer and scan
 * tunnel, and the chute operators, each on its own random stream. The simulator's engine drives it
 * as fast as it can; the emulated PLC drives it in (scaled) real time against a controller.
 */
export class Hub {
  readonly loop: LoopSorter;
  readonly inducts: InductTable;
  readonly chutes: ChuteTable;
  readonly parcels: ParcelTable;
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
  private readonly mix: AliasSampler;
  private readonly inductChoice: AliasSampler;
  private readonly rngMix: RandomStream;

  constructor(readonly model: SimModel) {
    const rng = randomStreams(model.seed);
    this.loop = new LoopSorter(model.loop);
    this.dt = this.loop.tickSeconds;
    this.inducts = new InductTable(model.inducts, this.dt);
    this.chutes = new ChuteTable(model.chutes);
    this.parcels = new ParcelTable(4096);
    this.horizon = model.hours * 3600;
    this.warmup = model.warmupHours * 3600;
    this.operators = new ChuteOperators(
      this.chutes,
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
}
