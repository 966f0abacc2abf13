import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePlan, KeyKind, validatePlan } from '../../core/plan/index.js';
import { Fallback } from '../../core/plan/fallbacks.js';
import { basePlan } from './helpers.js';

describe('compilePlan: chute lists, fallbacks, key priority', () => {
  it("without a machine list, the plan's own chutes in order of first appearance become the machine", () => {
    const plan = compilePlan(basePlan());
    expect(plan.chuteIds).toEqual(['C01', 'C02', 'C03', 'C04', 'X1', 'X2', 'X3']);
  });

  it('destination chutes in CSR form, in priority order, as indices of the machine list', () => {
    const machine = ['X3', 'C04', 'C03', 'X2', 'C02', 'X1', 'C01', 'C99'];
    const plan = compilePlan(basePlan(), machine);
    expect(plan.chuteIds).toEqual(machine);
    expect(plan.destinationCount).toBe(3);
    expect([...plan.destChuteStart]).toEqual([0, 2, 3, 4]);
    const chutesOf = (d: number) =>
      [...plan.destChuteList.subarray(plan.destChuteStart[d], plan.destChuteStart[d + 1])].map(
        (c) => machine[c],
      );
    expect(chutesOf(plan.destinationIndex('nanjing'))).toEqual(['C01', 'C02']);
    expect(chutesOf(plan.destinationIndex('hub-771'))).toEqual(['C03']);
    expect(chutesOf(plan.destinationIndex('vip'))).toEqual(['C04']);
    expect(plan.destinationIndex('nowhere')).toBe(-1);
  });

  it('fallback chutes per Fallback code; oversize and noChute default to the noRule chute', () => {
    const plan = compilePlan(basePlan());
    const name = (reason: number) => plan.chuteIds[plan.fallbackChute[reason]!];
    expect(plan.fallbackChute[Fallback.NONE]).toBe(-1);
    expect(name(Fallback.NO_READ)).toBe('X1');
    expect(name(Fallback.NO_RULE)).toBe('X2');
    expect(name(Fallback.MULTI_READ)).toBe('X1');
    expect(name(Fallback.RECIRCULATION_LIMIT)).toBe('X3');
    expect(name(Fallback.OVERSIZE)).toBe('X2');
    expect(name(Fallback.NO_CHUTE)).toBe('X2');

    const doc = basePlan();
    doc.fallbacks.oversize = 'X4';
    doc.fallbacks.noChute = 'X5';
    const named = compilePlan(doc);
    expect(named.chuteIds[named.fallbackChute[Fallback.OVERSIZE]!]).toBe('X4');
    expect(named.chuteIds[named.fallbackChute[Fallback.NO_CHUTE]!]).toBe('X5');
  });

  it('key priority: routing, postal, id by default, or as the plan lists it', () => {
    expect([...compilePlan(basePlan()).keyPriority]).toEqual([
      KeyKind.ROUTING,
      KeyKind.POSTAL,
      KeyKind.ID,
    ]);
    const doc = basePlan();
    doc.keyPriority = ['id', 'postal'];
    expect([...compilePlan(doc).keyPriority]).toEqual([KeyKind.ID, KeyKind.POSTAL]);
  });

  it('version and home country (ISO 3166-1 numeric, as a number)', () => {
    const plan = compilePlan(basePlan());
    expect(plan.version).toBe('test-1');
    expect(plan.homeCountry).toBe(156);
    expect(plan.destinationIds).toEqual(['nanjing', 'hub-771', 'vip']);
  });

  it('tables live in SharedArrayBuffer', () => {
    const plan = compilePlan(basePlan());
    for (const a of [
      plan.destChuteStart,
      plan.destChuteList,
      plan.fallbackChute,
      plan.keyPriority,
    ]) {
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });
});

describe('docs/sort-plan.md', () => {
  const md = readFileSync(new URL('../../docs/sort-plan.md', import.meta.url), 'utf8');
  const example = /## Example\n[\s\S]*?```json\n([\s\S]*?)```/.exec(md);

  it('its complete example plan compiles and routes as the document says', () => {
    expect(example).not.toBeNull();
    const plan = compilePlan(JSON.parse(example![1]!));
    const postal = (code: string) =>
      plan.destinationIds[plan.lookupPostal(code, 0, code.length, 156)];
    const routing = (code: string) => plan.destinationIds[plan.lookupRouting(code, 0, code.length)];
    expect(postal('225300')).toBe('taizhou');
    expect(postal('225009')).toBe('yangzhou');
    expect(postal('223800')).toBe('suqian');
    expect(postal('223005')).toBe('huaian');
    expect(postal('750306')).toBe('inner-mongolia');
    expect(postal('750001')).toBe('ningxia');
    expect(routing('771-K23-05')).toBe('township-771-K23-05');
    expect(routing('771-K23-11')).toBe('county-771-K23');
    expect(routing('771-B01-02')).toBe('hub-771');
    expect(plan.destinationIds[plan.lookupId('106141411234567897', 0, 18)]).toBe('manual-hold');
    expect(plan.chuteIds).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `C${String(i + 1).padStart(2, '0')}`),
      'EX1',
      'EX2',
      'EX3',
    ]);
    expect(plan.chuteIds[plan.fallbackChute[Fallback.OVERSIZE]!]).toBe('EX2');
    expect(plan.chuteIds[plan.fallbackChute[Fallback.NO_CHUTE]!]).toBe('EX2');
  });

  it('its refusal example lists the faults the validator reports, with the same messages', () => {
    const doc = JSON.parse(example![1]!);
    doc.fallbacks.noread = 'EX1';
    doc.rules[3].postal = '223-8';
    doc.rules.push({ postal: '222', destination: 'lianyungang' });
    const details = validatePlan(doc);
    expect(details.map((d) => d.pointer)).toEqual([
      '/rules/3/postal',
      '/fallbacks/noread',
      '/rules/12/destination',
    ]);
    for (const d of details) expect(md).toContain(`  ${d.pointer}: ${d.message}\n`);
  });
});
