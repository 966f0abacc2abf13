import { describe, expect, it } from 'vitest';
import { ChuteAssigner } from '../../core/assign/index.js';
import { compilePlan } from '../../core/plan/index.js';
import { ChuteTable } from '../../core/sorter/chutes.js';
import { ChuteState } from '../../core/sorter/states.js';

const chuteIds = ['A', 'B', 'C', 'P', 'Q', 'X'];
function setup(assignment?: 'priority' | 'round-robin') {
  const plan = compilePlan(
    {
      version: 'rr',
      homeCountry: '156',
      ...(assignment ? { assignment } : {}),
      destinations: [
        { id: 'spread', chutes: ['A', 'B', 'C'] },
        { id: 'ordered', chutes: ['P', 'Q'], assignment: 'priority' },
      ],
      rules: [
        { postal: '1', destination: 'spread' },
        { postal: '2', destination: 'ordered' },
      ],
      fallbacks: { noRead: 'X', noRule: 'X', multiRead: 'X', recirculationLimit: 'X' },
    },
    chuteIds,
  );
  const chutes = new ChuteTable(chuteIds.map((id, i) => ({ id, position: i, capacity: 10 })));
  return { plan, chutes, assigner: new ChuteAssigner(plan, chutes) };
}
const names = (ids: number[]) => ids.map((c) => chuteIds[c]).join('');

describe('round-robin chute assignment', () => {
  it("gives a destination's chutes parcels in turn", () => {
    const { assigner } = setup('round-robin');
    expect(names(Array.from({ length: 7 }, () => assigner.assign(0)))).toBe('ABCABCA');
  });

  it('passes over chutes that cannot take parcels and keeps turning', () => {
    const { assigner, chutes } = setup('round-robin');
    chutes.state[1] = ChuteState.DISABLED; // B
    chutes.fill[2] = 10; // C full
    expect(names(Array.from({ length: 4 }, () => assigner.assign(0)))).toBe('AAAA');
    chutes.fill[2] = 3;
    expect(names(Array.from({ length: 4 }, () => assigner.assign(0)))).toBe('CACA');
  });

  it('a destination reply lists the chutes from the next in turn', () => {
    const { assigner } = setup('round-robin');
    const out = new Int32Array(8);
    const first = assigner.candidates(0, out);
    expect(names(Array.from(out.subarray(0, first)))).toBe('ABC');
    const second = assigner.candidates(0, out);
    expect(names(Array.from(out.subarray(0, second)))).toBe('BCA');
  });

  it('a destination may keep priority order under a round-robin plan; priority is the default', () => {
    const rr = setup('round-robin');
    expect(names([rr.assigner.assign(1), rr.assigner.assign(1), rr.assigner.assign(1)])).toBe(
      'PPP',
    );
    const plain = setup();
    expect(plain.plan.destRoundRobin[0]).toBe(0);
    expect(names([plain.assigner.assign(0), plain.assigner.assign(0)])).toBe('AA');
  });
});
