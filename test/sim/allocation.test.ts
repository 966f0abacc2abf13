import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChuteAssigner } from '../../core/assign/index.js';
import { ParcelRouter, ReadSource } from '../../core/labels/index.js';
import { ChuteTable } from '../../core/sorter/chutes.js';
import { runSimulation } from '../../sim/engine.js';
import { LabelPool } from '../../sim/labels.js';
import { randomStreams } from '../../sim/random.js';
import { loadScenario } from '../../sim/scenario/load.js';
import { leastAllocatedDuring } from '../allocation.js';
import { runSaturated } from '../schedule/helpers.js';
import { root } from './helpers.js';

const reference = path.join(root, 'scenarios/reference-loop.json');

describe('hot paths allocate no per-parcel objects', () => {
  it('the core tick (slot allocation, discharge, recirculation) allocates nothing per parcel', async () => {
    const cfg = {
      carriers: 400,
      pitch: 1.2,
      speed: 2.5,
      inductPositions: [0, 50, 100, 150, 200, 250, 300, 350],
      cycleSeconds: 0.48,
    };
    for (let i = 0; i < 3; i++) runSaturated(cfg, 0, 60_000);
    let loaded = 0;
    const bytes = await leastAllocatedDuring(
      () => void (loaded = runSaturated(cfg, 0, 60_000).scheduler.inducted),
    );
    expect(loaded).toBeGreaterThan(100_000);
    // building the tables (392 chutes with their ids) costs ~100–200 KB, under 2 bytes a parcel
    // here; one object per parcel would add 32 bytes or more each
    expect(bytes / loaded).toBeLessThan(4);
  });

  it('label resolution, plan lookup and chute assignment allocate nothing per parcel', async () => {
    const model = loadScenario(path.join(root, 'scenarios/jiangsu-outbound-hub.json'));
    const pool = new LabelPool(model, randomStreams(1).labels);
    const labels = pool.labels.filter((l) => l !== undefined);
    const router = new ParcelRouter(model.plan);
    const assigner = new ChuteAssigner(model.plan, new ChuteTable(model.chutes));
    let routed = 0;
    const work = (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < labels.length; i++) {
          router.begin();
          router.addRead(labels[i]!, ReadSource.SCANNER, 0);
          router.addRead(labels[(i * 7) % labels.length]!, ReadSource.SCANNER, 1); // a second label: arbitration
          router.addRead('NoRead', ReadSource.SCANNER, 2);
          const d = router.finish();
          if (d >= 0 && assigner.assign(d) >= 0) routed++;
        }
      }
    };
    work(20);
    routed = 0;
    const bytes = await leastAllocatedDuring(() => work(40));
    expect(routed).toBeGreaterThan(1000);
    expect(bytes / (40 * labels.length)).toBeLessThan(1);
  });

  it('a whole simulation stays within a small per-parcel budget (V8 boxes some doubles; no objects)', async () => {
    const short = loadScenario(reference, { hours: 2 });
    const long = loadScenario(reference, { hours: 8 });
    for (let i = 0; i < 3; i++) runSimulation(long);
    let a = 0;
    let b = 0;
    const bytesShort = await leastAllocatedDuring(
      () => void (a = runSimulation(short).kpis.arrived),
    );
    const bytesLong = await leastAllocatedDuring(() => void (b = runSimulation(long).kpis.arrived));
    // a sort request with its reads would be several hundred bytes per parcel
    expect((bytesLong - bytesShort) / (b - a)).toBeLessThan(256);
  });
});
