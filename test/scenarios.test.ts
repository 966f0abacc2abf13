import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledScenarios } from '../scenarios/build/index.js';
import { loadScenario } from '../sim/scenario/load.js';

const root = path.resolve(import.meta.dirname, '..');
const scenarios = path.join(root, 'scenarios');
const shared = path.resolve(root, '../shared/data');

describe('bundled scenarios', () => {
  const built = bundledScenarios(scenarios);

  it.each([...built.keys()])(
    'scenarios/%s is what its generator builds (run `npm run scenarios`)',
    (name) => {
      expect(readFileSync(path.join(scenarios, name), 'utf8')).toBe(built.get(name));
    },
  );

  it.each(['cn-postal-regions.csv', 'jiangsu-cities.csv'])(
    'scenarios/data/%s equals the shared original when present',
    (name) => {
      const original = path.join(shared, name);
      if (!existsSync(original)) return; // users without ../shared run from the copy
      expect(readFileSync(path.join(scenarios, 'data', name), 'utf8')).toBe(
        readFileSync(original, 'utf8'),
      );
    },
  );

  it('the Jiangsu hub routes every city and province by its prefixes', () => {
    const m = loadScenario(path.join(scenarios, 'jiangsu-outbound-hub.json'));
    const plan = m.plan;
    const dest = (code: string) =>
      plan.destinationIds[plan.lookupPostal(code, 0, code.length, 156)];
    expect(dest('210008')).toBe('nanjing');
    expect(dest('225009')).toBe('yangzhou');
    expect(dest('225300')).toBe('taizhou'); // 2253 inside 225
    expect(dest('223001')).toBe('huai-an');
    expect(dest('223800')).toBe('suqian'); // 2238 inside 223
    expect(dest('211100')).toBe('jiangsu-other'); // 21x outside the city prefixes
    expect(dest('750001')).toBe('ningxia');
    expect(dest('750306')).toBe('inner-mongolia'); // Alxa 7503 inside Ningxia's 75
    expect(dest('510000')).toBe('guangdong');
    // 13 cities + rest of Jiangsu + 30 other regions
    expect(plan.destinationCount).toBe(44);
    // the mix is the census population: the 13 cities add up to the provincial total
    const jiangsu = [
      'nanjing',
      'wuxi',
      'xuzhou',
      'changzhou',
      'suzhou',
      'nantong',
      'lianyungang',
      'huai-an',
      'yancheng',
      'yangzhou',
      'zhenjiang',
      'taizhou',
      'suqian',
    ];
    const total = jiangsu.reduce((s, id) => s + m.mix[plan.destinationIndex(id)]!, 0);
    expect(total).toBe(84748016);
    expect(m.mix[plan.destinationIndex('inner-mongolia')]).toBe(24049155); // counted once over 01, 02, 7503
  });

  it('every large destination of the Jiangsu hub has at least two chutes', () => {
    const m = loadScenario(path.join(scenarios, 'jiangsu-outbound-hub.json'));
    const total = m.mix.reduce((s, w) => s + w, 0);
    const plan = m.plan;
    for (let d = 0; d < plan.destinationCount; d++) {
      const chutes = plan.destChuteStart[d + 1]! - plan.destChuteStart[d]!;
      if (m.mix[d]! / total >= 0.02)
        expect(chutes, plan.destinationIds[d]).toBeGreaterThanOrEqual(2);
      expect(chutes).toBeGreaterThanOrEqual(1);
    }
  });
});
