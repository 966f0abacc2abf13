import { LoopScheduler, type LoopHooks } from '../../core/schedule/loop-scheduler.js';
import type { SlotPolicySpec } from '../../core/schedule/slots.js';
import { ChuteTable, UNLIMITED } from '../../core/sorter/chutes.js';
import { InductTable } from '../../core/sorter/inducts.js';
import { LoopSorter } from '../../core/sorter/loop.js';
import { ParcelTable } from '../../core/sorter/parcels.js';
import { randomStreams } from '../../sim/random.js';

/** A saturated loop (every induct always has a parcel waiting) with uniformly random chutes of unlimited capacity. */
export interface SaturatedLoop {
  carriers: number;
  pitch: number;
  speed: number;
  inductPositions: number[];
  cycleSeconds: number;
  slotPolicy?: SlotPolicySpec;
  seed?: number;
  /** Feed each induct this many parcels per tick (a fractional rate) instead of keeping two waiting. */
  feedPerTick?: number;
}

/** Runs `ticks` ticks after `warmupTicks`; returns discharges per hour in the window and per-induct loads. */
export function runSaturated(cfg: SaturatedLoop, warmupTicks: number, ticks: number) {
  const loop = new LoopSorter(cfg);
  const inducts = new InductTable(
    cfg.inductPositions.map((position, i) => ({
      id: `I${i}`,
      position,
      cycleSeconds: cfg.cycleSeconds,
    })),
    loop.tickSeconds,
  );
  const taken = new Set(cfg.inductPositions);
  const specs = [];
  for (let p = 0; p < cfg.carriers; p++)
    if (!taken.has(p)) specs.push({ id: `C${p}`, position: p, capacity: UNLIMITED });
  const chutes = new ChuteTable(specs);
  const parcels = new ParcelTable();
  const rng = randomStreams(cfg.seed ?? 7).mix;
  let tickNow = 0;
  let discharged = 0;
  let broken = 0; // discharges of a parcel not on its carrier
  const loads = new Float64Array(inducts.count);
  const hooks: LoopHooks = {
    scan: (_p, induct) => {
      if (tickNow >= warmupTicks) loads[induct]!++;
      return rng.int(chutes.count);
    },
    discharge: (p) => {
      if (tickNow >= warmupTicks) discharged++;
      if (parcels.carrier[p]! < 0 || loop.load[parcels.carrier[p]!] !== p) broken++;
      return true;
    },
    retry: (_p, chute) => chute,
    overLimit: (_p, chute) => chute,
  };
  const scheduler = new LoopScheduler(loop, inducts, chutes, parcels, hooks, {
    recirculationLimit: 3,
    slotPolicy: cfg.slotPolicy ?? { name: 'first-empty' },
  });
  let credit = 0;
  const add = (i: number) => {
    const p = parcels.alloc();
    parcels.induct[p] = i;
    inducts.queues[i]!.push(p);
  };
  const feed = () => {
    if (cfg.feedPerTick === undefined) {
      for (let i = 0; i < inducts.count; i++) while (inducts.queues[i]!.length < 2) add(i);
      return;
    }
    credit += cfg.feedPerTick;
    for (; credit >= 1; credit--) for (let i = 0; i < inducts.count; i++) add(i);
  };
  for (tickNow = 0; tickNow < warmupTicks + ticks; tickNow++) {
    feed();
    scheduler.tick(tickNow);
  }
  const hours = (ticks * loop.tickSeconds) / 3600;
  return {
    perHour: discharged / hours,
    loadsPerHour: Array.from(loads, (x) => x / hours),
    broken,
    scheduler,
    loop,
  };
}
