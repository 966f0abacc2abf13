import { describe, expect, it } from 'vitest';
import { LoopScheduler, UNDECIDED, type LoopHooks } from '../../core/schedule/loop-scheduler.js';
import { ChuteTable, UNLIMITED } from '../../core/sorter/chutes.js';
import { InductTable } from '../../core/sorter/inducts.js';
import { LoopSorter } from '../../core/sorter/loop.js';
import { ParcelTable } from '../../core/sorter/parcels.js';

// 20 carriers, induct at 0, chutes at 3 and 15; decision point 5 ticks after the induct.
function setup(decide: (p: number, tick: number) => number) {
  const loop = new LoopSorter({ carriers: 20, pitch: 1, speed: 1 });
  const inducts = new InductTable([{ id: 'I1', position: 0, cycleSeconds: 1 }], 1);
  const chutes = new ChuteTable([
    { id: 'A', position: 3, capacity: UNLIMITED },
    { id: 'B', position: 15, capacity: UNLIMITED },
  ]);
  const parcels = new ParcelTable();
  const log: string[] = [];
  const hooks: LoopHooks = {
    scan: () => UNDECIDED,
    decide: (p, tick) => {
      log.push(`decide@${tick}`);
      return decide(p, tick);
    },
    discharge: (_p, chute, tick) => {
      log.push(`discharge ${chutes.ids[chute]}@${tick}`);
      return true;
    },
    retry: (_p, c) => c,
    overLimit: (_p, c) => c,
  };
  const s = new LoopScheduler(loop, inducts, chutes, parcels, hooks, {
    recirculationLimit: 3,
    slotPolicy: { name: 'first-empty' },
    decisionTicks: 5,
  });
  const p = parcels.alloc();
  inducts.queues[0]!.push(p);
  for (let k = 0; k < 45; k++) s.tick(k);
  return { log, s };
}

describe('undecided parcels (destination reply awaited)', () => {
  it('ride to the decision point, then on to the chute decided there', () => {
    const { log, s } = setup(() => 1); // chute B at 15: loaded at tick 0, decided at 5, discharged at 15
    expect(log).toEqual(['decide@5', 'discharge B@15']);
    expect(s.onLoop).toBe(0);
  });

  it('a chute already passed at the decision point is reached a lap later', () => {
    const { log } = setup(() => 0); // chute A at 3 was passed at tick 3; next pass at 23
    expect(log).toEqual(['decide@5', 'discharge A@23']);
  });
});
