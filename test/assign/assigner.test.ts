import { describe, expect, it } from 'vitest';
import { ChuteAssigner, fallbackName } from '../../core/assign/index.js';
import { isSortlineError } from '../../core/errors.js';
import { compilePlan, type SortPlanDoc } from '../../core/plan/index.js';
import { ChuteTable, UNLIMITED } from '../../core/sorter/chutes.js';
import { CHUTE_STATE_NAMES, ChuteState } from '../../core/sorter/states.js';
import { FALLBACK_NAMES, Fallback } from '../../core/plan/fallbacks.js';

const CAPACITY = 10;

/** A machine: chutes A, B, C (capacity 10), D, and exception chutes EX1, EX2. */
function machine(): ChuteTable {
  return new ChuteTable([
    { id: 'A', position: 1, capacity: CAPACITY },
    { id: 'B', position: 5, capacity: CAPACITY },
    { id: 'C', position: 9, capacity: CAPACITY },
    { id: 'D', position: 13, capacity: CAPACITY },
    { id: 'EX1', position: 398, capacity: UNLIMITED, exception: true },
    { id: 'EX2', position: 399, capacity: UNLIMITED, exception: true },
  ]);
}

/** Destination `three` has chutes C, A, B in that priority; `one` has D. */
function planDoc(): SortPlanDoc {
  return {
    version: 'p1',
    homeCountry: '156',
    destinations: [
      { id: 'one', chutes: ['D'] },
      { id: 'three', chutes: ['C', 'A', 'B'] },
    ],
    rules: [{ postal: '21', destination: 'three' }],
    fallbacks: {
      noRead: 'EX1',
      noRule: 'EX2',
      multiRead: 'EX1',
      recirculationLimit: 'EX2',
      noChute: 'EX1',
    },
  };
}

describe('ChuteAssigner: destination → chute by priority, state and fill', () => {
  const chutes = machine();
  const plan = compilePlan(planDoc(), chutes.ids);
  const assigner = new ChuteAssigner(plan, chutes);
  const three = plan.destinationIndex('three');
  const [A, B, C] = ['A', 'B', 'C'].map((id) => chutes.indexOf(id)) as [number, number, number];
  const out = new Int32Array(8);

  function set(chute: number, state: number, fill: number): void {
    chutes.state[chute] = state;
    chutes.fill[chute] = fill;
  }

  it('the first chute in priority order while it accepts parcels', () => {
    for (const c of [A, B, C]) set(c, ChuteState.OPEN, 0);
    expect(assigner.assign(three)).toBe(C);
    set(C, ChuteState.OPEN, CAPACITY - 1);
    expect(assigner.assign(three)).toBe(C);
  });

  it('the next chute when the first is at capacity, or in state full', () => {
    set(C, ChuteState.OPEN, CAPACITY);
    expect(assigner.assign(three)).toBe(A);
    set(C, ChuteState.FULL, 3);
    expect(assigner.assign(three)).toBe(A);
  });

  it('skips disabled, blocked and bagging chutes', () => {
    set(C, ChuteState.DISABLED, 0);
    set(A, ChuteState.BLOCKED, 0);
    set(B, ChuteState.BAGGING, 0);
    expect(assigner.assign(three)).toBe(-1);
    expect(assigner.candidates(three, out)).toBe(0);
    set(B, ChuteState.OPEN, 0);
    expect(assigner.assign(three)).toBe(B);
  });

  it('the first full usable chute when every usable chute is full (the parcel recirculates)', () => {
    set(C, ChuteState.BLOCKED, 0);
    set(A, ChuteState.FULL, CAPACITY);
    set(B, ChuteState.OPEN, CAPACITY + 2);
    expect(assigner.assign(three)).toBe(A);
    expect(assigner.candidates(three, out)).toBe(2);
    expect([...out.subarray(0, 2)]).toEqual([A, B]);
  });

  it('candidates: accepting chutes first, then full ones, each in priority order, cut at out.length', () => {
    set(C, ChuteState.FULL, CAPACITY);
    set(A, ChuteState.OPEN, 4);
    set(B, ChuteState.OPEN, 0);
    expect(assigner.candidates(three, out)).toBe(3);
    expect([...out.subarray(0, 3)]).toEqual([A, B, C]);
    const two = new Int32Array(2);
    expect(assigner.candidates(three, two)).toBe(2);
    expect([...two]).toEqual([A, B]);
    expect(assigner.candidates(three, new Int32Array(0))).toBe(0);
  });

  it('-1 and no candidates for indices that are not destinations of the plan', () => {
    for (const d of [-1, 2, 1000, Number.NaN]) {
      expect(assigner.assign(d)).toBe(-1);
      expect(assigner.candidates(d, out)).toBe(0);
    }
  });

  it('every combination of state and fill over three chutes agrees with the policy, and candidates agree with assign', () => {
    const kinds: [number, number][] = [];
    for (let s = 0; s < CHUTE_STATE_NAMES.length; s++)
      for (const f of [0, CAPACITY - 1, CAPACITY]) kinds.push([s, f]);
    const order = [C, A, B];
    let combos = 0;
    for (const kc of kinds)
      for (const ka of kinds)
        for (const kb of kinds) {
          set(C, ...kc);
          set(A, ...ka);
          set(B, ...kb);
          const usable = order.filter((c) => {
            const s = chutes.state[c]!;
            return s === ChuteState.OPEN || s === ChuteState.FULL;
          });
          const accepting = usable.filter(
            (c) => chutes.state[c] === ChuteState.OPEN && chutes.fill[c]! < CAPACITY,
          );
          const full = usable.filter((c) => !accepting.includes(c));
          const expected = [...accepting, ...full];
          const what = `C ${CHUTE_STATE_NAMES[kc[0]]}/${kc[1]}, A ${CHUTE_STATE_NAMES[ka[0]]}/${ka[1]}, B ${CHUTE_STATE_NAMES[kb[0]]}/${kb[1]}`;
          expect(assigner.assign(three), what).toBe(expected[0] ?? -1);
          const n = assigner.candidates(three, out);
          expect([...out.subarray(0, n)], what).toEqual(expected);
          combos++;
        }
    expect(combos).toBe(15 ** 3);
  });

  it('fallback chutes per reason, from the plan', () => {
    const name = (reason: number) => chutes.ids[assigner.fallbackChute(reason)];
    expect(name(Fallback.NO_READ)).toBe('EX1');
    expect(name(Fallback.NO_RULE)).toBe('EX2');
    expect(name(Fallback.MULTI_READ)).toBe('EX1');
    expect(name(Fallback.RECIRCULATION_LIMIT)).toBe('EX2');
    expect(name(Fallback.OVERSIZE)).toBe('EX2');
    expect(name(Fallback.NO_CHUTE)).toBe('EX1');
    expect(assigner.fallbackChute(Fallback.NONE)).toBe(-1);
    expect(assigner.fallbackChute(7)).toBe(-1);
    expect(assigner.fallbackChute(-1)).toBe(-1);
  });
});

describe('ChuteAssigner.setPlan: swapping the plan', () => {
  it('later calls use the new plan; a plan for another machine is refused and the active plan stays', () => {
    const chutes = machine();
    const first = compilePlan(planDoc(), chutes.ids);
    const assigner = new ChuteAssigner(first, chutes);
    const doc = planDoc();
    doc.version = 'p2';
    doc.destinations = [
      { id: 'three', chutes: ['B'] },
      { id: 'one', chutes: ['A', 'D'] },
    ];
    doc.fallbacks.noChute = 'EX2';
    const second = compilePlan(doc, chutes.ids);

    expect(chutes.ids[assigner.assign(first.destinationIndex('three'))]).toBe('C');
    assigner.setPlan(second);
    expect(assigner.activePlan).toBe(second);
    expect(chutes.ids[assigner.assign(second.destinationIndex('three'))]).toBe('B');
    expect(chutes.ids[assigner.assign(second.destinationIndex('one'))]).toBe('A');
    expect(chutes.ids[assigner.fallbackChute(Fallback.NO_CHUTE)]).toBe('EX2');

    const otherOrder = compilePlan(planDoc(), [...chutes.ids].reverse());
    const ownChutes = compilePlan(planDoc());
    for (const bad of [otherOrder, ownChutes]) {
      let thrown: unknown;
      try {
        assigner.setPlan(bad);
      } catch (e) {
        thrown = e;
      }
      expect(isSortlineError(thrown) && thrown.code).toBe('SORTLINE_ERR_PLAN_MACHINE_MISMATCH');
      expect(assigner.activePlan).toBe(second);
    }
    expect(() => new ChuteAssigner(otherOrder, chutes)).toThrow(/does not fit this machine/);
  });
});

describe('fallbackName', () => {
  it("names every Fallback code as the plan's fallbacks keys do, and nothing else", () => {
    expect(fallbackName(Fallback.NONE)).toBe('none');
    expect(fallbackName(Fallback.NO_READ)).toBe('noRead');
    expect(fallbackName(Fallback.NO_RULE)).toBe('noRule');
    expect(fallbackName(Fallback.MULTI_READ)).toBe('multiRead');
    expect(fallbackName(Fallback.RECIRCULATION_LIMIT)).toBe('recirculationLimit');
    expect(fallbackName(Fallback.OVERSIZE)).toBe('oversize');
    expect(fallbackName(Fallback.NO_CHUTE)).toBe('noChute');
    expect(fallbackName(FALLBACK_NAMES.length)).toBeUndefined();
    expect(fallbackName(-1)).toBeUndefined();
  });
});
