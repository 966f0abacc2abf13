/**
 * Chute fill in the simulator is read only at a time (issue 9, Build 3): every accessor of
 * sim/operators.ts ChuteOperators brings the chute's operators to the time it is given, so a read
 * at a later time sees the parcels the operators took in between, with no catch-up call by the
 * caller; the hub shows its chutes without the raw fill array.
 */
import { describe, expect, it } from 'vitest';
import { ChuteTable } from '../../core/sorter/index.js';
import { Hub } from '../../sim/hub.js';
import { ChuteOperators } from '../../sim/operators.js';
import { randomStreams } from '../../sim/random.js';
import { tinyModel } from './emulator/helpers.js';

/** tinyModel's chutes (C1, C2 capacity 2; X1 unlimited), one operator each, 10 s per parcel. */
function operators(): { ops: ChuteOperators; d1: number } {
  const model = tinyModel();
  const ops = new ChuteOperators(
    new ChuteTable(model.chutes),
    model.plan,
    1,
    { mean: 10, sample: () => 10 },
    randomStreams(1).operators,
    0,
    1e9,
  );
  return { ops, d1: model.plan.destinationIds.indexOf('D1') };
}

const C1 = 0;
const C2 = 1;

describe('ChuteOperators: the fill at a time', () => {
  it('reads the drained fill at a later time without any explicit catch-up', () => {
    const { ops } = operators();
    ops.receive(C1, 0); // the idle operator takes it at once, busy until 10 s
    ops.receive(C1, 1);
    ops.receive(C1, 2);
    expect(ops.fillAt(C1, 2)).toBe(2);
    expect(ops.accepts(C1, 3)).toBe(false);
    // nothing between these reads but the time: at 10 s the operator takes one, at 20 s the other
    expect(ops.fillAt(C1, 9.5)).toBe(2);
    expect(ops.fillAt(C1, 15)).toBe(1);
    expect(ops.fillAt(C1, 25)).toBe(0);
    expect(ops.accepts(C1, 25)).toBe(true);
  });

  it('takes a parcel at a later time against the drained fill, not the fill last seen', () => {
    const { ops } = operators();
    for (const t of [0, 1, 2]) expect(ops.take(C1, t)).toBe(true);
    expect(ops.take(C1, 3)).toBe(false); // full: two waiting, one held
    // the operator is free from 30 s on: a parcel at 40 s is taken from the chute at once
    expect(ops.take(C1, 40)).toBe(true);
    expect(ops.fillAt(C1, 40)).toBe(0);
    ops.receive(C1, 41); // the operator holds the 40 s parcel until 50 s
    expect(ops.fillAt(C1, 49)).toBe(1);
    expect(ops.fillAt(C1, 50)).toBe(0);
    ops.finish(100);
    expect(ops.fullSeconds[C1]).toBe(10 - 2); // full from the 2 s parcel to the 10 s take
    expect(ops.busySeconds[C1]).toBe(5 * 10);
  });

  it('assigns against the fill at the time of the assignment', () => {
    const { ops, d1 } = operators();
    for (const t of [0, 1, 2]) ops.receive(C1, t);
    expect(ops.assign(d1, 3)).toBe(C2); // C1 is full at 3 s
    expect(ops.assign(d1, 25)).toBe(C1); // and drained by 25 s
  });

  it('the hub shows its chutes without the raw fill (a stale read does not type-check)', () => {
    const hub = new Hub(tinyModel());
    // @ts-expect-error the simulator's fill is read at a time: hub.operators.fillAt(c, t)
    void hub.chutes.fill;
    // @ts-expect-error accepts reads the fill too: hub.operators.accepts(c, t)
    void hub.chutes.accepts;
    expect(hub.chutes.capacity[C1]).toBe(2);
    expect(hub.operators.fillAt(C1, 0)).toBe(0);
  });
});
