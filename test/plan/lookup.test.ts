import { describe, expect, it } from 'vitest';
import { compilePlan, type SortPlan, type SortPlanDoc } from '../../core/plan/index.js';
import { readFixtureCsv } from './helpers.js';

const cities = readFixtureCsv('jiangsu-cities.csv');
const regions = readFixtureCsv('cn-postal-regions.csv');

/**
 * An outbound hub in Nanjing, as in the Jiangsu scenario: the 13 cities of Jiangsu by their
 * prefixes, the rest of Jiangsu by 21 / 22, every other region by its prefixes (2 digits, and
 * Alxa's 7503 under Inner Mongolia). One chute per destination.
 */
function jiangsuHubPlan(): SortPlanDoc {
  const destinations = new Map<string, string[]>();
  const rules: SortPlanDoc['rules'] = [];
  for (const c of cities) {
    destinations.set(c.city_en!, []);
    rules.push({ postal: c.prefix!, destination: c.city_en! });
  }
  for (const r of regions) {
    const dest = r.region_en === 'Jiangsu' ? 'Jiangsu (other)' : r.region_en!;
    destinations.set(dest, []);
    rules.push({ postal: r.prefix!, destination: dest });
  }
  return {
    version: 'jiangsu-test',
    homeCountry: '156',
    destinations: [...destinations.keys()].map((id, i) => ({ id, chutes: [`C${i}`] })),
    rules,
    fallbacks: { noRead: 'EX', noRule: 'EX', multiRead: 'EX', recirculationLimit: 'EX' },
  };
}

function postal(plan: SortPlan, code: string, country = 156): string | undefined {
  return plan.destinationIds[plan.lookupPostal(code, 0, code.length, country)];
}

describe('postal codes: longest prefix on the real Jiangsu and China data (test/fixtures/)', () => {
  const plan = compilePlan(jiangsuHubPlan());

  it('every Jiangsu city seat goes to its city', () => {
    expect(cities).toHaveLength(13);
    for (const c of cities) expect(postal(plan, c.postal_code!)).toBe(c.city_en);
  });

  it("Taizhou 2253 inside Yangzhou 225, Suqian 2238 inside Huai'an 223", () => {
    expect(postal(plan, '225300')).toBe('Taizhou');
    expect(postal(plan, '225399')).toBe('Taizhou');
    expect(postal(plan, '225000')).toBe('Yangzhou');
    expect(postal(plan, '225200')).toBe('Yangzhou');
    expect(postal(plan, '225400')).toBe('Yangzhou');
    expect(postal(plan, '223800')).toBe('Suqian');
    expect(postal(plan, '223000')).toBe("Huai'an");
    expect(postal(plan, '223900')).toBe("Huai'an");
  });

  it('Alxa 7503 inside Ningxia 75 goes to Inner Mongolia', () => {
    expect(postal(plan, '750306')).toBe('Inner Mongolia');
    expect(postal(plan, '750001')).toBe('Ningxia');
    expect(postal(plan, '750400')).toBe('Ningxia');
    expect(postal(plan, '010010')).toBe('Inner Mongolia');
  });

  it('the rest of Jiangsu by 21 / 22, every other region by its 2-digit prefix', () => {
    expect(postal(plan, '211100')).toBe('Jiangsu (other)');
    expect(postal(plan, '227000')).toBe('Jiangsu (other)');
    for (const r of regions) {
      if (r.region_en === 'Jiangsu' || r.prefix!.length !== 2) continue;
      const code = r.prefix + '9999';
      expect(postal(plan, code), code).toBe(r.region_en);
    }
  });

  it('no rule for prefixes China Post does not allocate, other countries, or non-codes', () => {
    expect(plan.lookupPostal('999999', 0, 6, 156)).toBe(-1);
    expect(plan.lookupPostal('210000', 0, 6, 276)).toBe(-1);
    expect(plan.lookupPostal('210000', 0, 6, -1)).toBe(-1);
    expect(plan.lookupPostal('210000', 0, 6, 1000)).toBe(-1);
    expect(plan.lookupPostal('210000', 0, 6, 156.5)).toBe(plan.lookupPostal('210000', 0, 6, 156));
    expect(plan.lookupPostal('#210000', 0, 7, 156)).toBe(-1);
    expect(plan.lookupPostal('', 0, 0, 156)).toBe(-1);
  });

  it('reads the code in place: s[start, end) of a longer string, never past end', () => {
    const label = '421156223800\u001d3302000150';
    expect(plan.destinationIds[plan.lookupPostal(label, 6, 12, 156)]).toBe('Suqian');
    // Only "2238" is inside [6, 10): still Suqian; only "223" → Huai'an; "22" → the rest of Jiangsu.
    expect(plan.destinationIds[plan.lookupPostal(label, 6, 10, 156)]).toBe('Suqian');
    expect(plan.destinationIds[plan.lookupPostal(label, 6, 9, 156)]).toBe("Huai'an");
    expect(plan.destinationIds[plan.lookupPostal(label, 6, 8, 156)]).toBe('Jiangsu (other)');
    expect(plan.lookupPostal(label, 30, 40, 156)).toBe(-1);
    expect(plan.lookupPostal(label, -5, 3, 156)).toBe(-1);
  });
});

describe('postal codes: countries, letters, separators', () => {
  const plan = compilePlan({
    version: 'v',
    homeCountry: '156',
    destinations: [
      { id: 'cn-all', chutes: ['A'] },
      { id: 'uk-SW', chutes: ['B'] },
      { id: 'uk-SW1A', chutes: ['C'] },
      { id: 'de-10', chutes: ['D'] },
      { id: 'jp-100', chutes: ['E'] },
    ],
    rules: [
      { postal: '', destination: 'cn-all' },
      { postal: 'SW', country: '826', destination: 'uk-SW' },
      { postal: 'SW1A', country: '826', destination: 'uk-SW1A' },
      { postal: '10', country: '276', destination: 'de-10' },
      { postal: '1000', country: '392', destination: 'jp-100' },
    ],
    fallbacks: { noRead: 'X', noRule: 'X', multiRead: 'X', recirculationLimit: 'X' },
  });
  const at = (code: string, country: number) =>
    plan.destinationIds[plan.lookupPostal(code, 0, code.length, country)];

  it('an empty prefix matches every code of its country, and only of its country', () => {
    expect(at('999999', 156)).toBe('cn-all');
    expect(at('', 156)).toBe('cn-all');
    expect(at('999999', 250)).toBeUndefined();
  });

  it('letters and digits, lower case folded, spaces and hyphens skipped', () => {
    expect(at('SW1A 1AA', 826)).toBe('uk-SW1A');
    expect(at('sw1a1aa', 826)).toBe('uk-SW1A');
    expect(at('SW19 5AE', 826)).toBe('uk-SW');
    expect(at('SE1 7PB', 826)).toBeUndefined();
    expect(at('10115', 276)).toBe('de-10');
    expect(at('100-0001', 392)).toBe('jp-100');
    expect(at('10115', 826)).toBeUndefined();
  });
});

describe('routing codes: whole leading segments of a three-segment code, longest wins', () => {
  const plan = compilePlan({
    version: 'v',
    homeCountry: '156',
    destinations: [
      { id: 'province-771', chutes: ['A'] },
      { id: 'county-771-K23', chutes: ['B'] },
      { id: 'township-771-K23-05', chutes: ['C'] },
      { id: 'province-77', chutes: ['D'] },
    ],
    rules: [
      { routing: '771', destination: 'province-771' },
      { routing: '771-K23', destination: 'county-771-K23' },
      { routing: '771-K23-05', destination: 'township-771-K23-05' },
      { routing: '77', destination: 'province-77' },
    ],
    fallbacks: { noRead: 'X', noRule: 'X', multiRead: 'X', recirculationLimit: 'X' },
  });
  const at = (code: string) => plan.destinationIds[plan.lookupRouting(code, 0, code.length)];

  it('a provincial hub on the first segment, a county centre on the second, a township station on the third', () => {
    expect(at('771-K23-05')).toBe('township-771-K23-05');
    expect(at('771-K23-06')).toBe('county-771-K23');
    expect(at('771-K23')).toBe('county-771-K23');
    expect(at('771-K24-05')).toBe('province-771');
    expect(at('771')).toBe('province-771');
    expect(at('77-K23-05')).toBe('province-77');
  });

  it('a rule matches whole segments only, never part of one', () => {
    expect(at('7710-K23-05')).toBeUndefined();
    expect(at('77')).toBe('province-77');
    expect(at('771-K2')).toBe('province-771');
    expect(at('771-K230-05')).toBe('province-771');
    expect(at('771-K23-050')).toBe('county-771-K23');
    expect(at('772-K23-05')).toBeUndefined();
    expect(at('')).toBeUndefined();
  });

  it('lower case folds; other characters end the match without completing their segment', () => {
    expect(at('771-k23-05')).toBe('township-771-K23-05');
    expect(at('771-K23 05')).toBe('province-771');
    expect(at('771-K23\u001d')).toBe('province-771');
  });

  it('reads the code in place inside a longer string', () => {
    const label = '403771-K23-05\u001d42115622';
    expect(plan.destinationIds[plan.lookupRouting(label, 3, 13)]).toBe('township-771-K23-05');
    expect(plan.destinationIds[plan.lookupRouting(label, 3, 10)]).toBe('county-771-K23');
    expect(plan.lookupRouting(label, 30, 50)).toBe(-1);
  });
});

describe('parcel identifiers: exact match', () => {
  const ids = [
    '00312345678901234568',
    'RR123456785CN',
    'EE000000000CN',
    'SF1234567890123',
    '1Z999AA10123456784',
  ];
  const plan = compilePlan({
    version: 'v',
    homeCountry: '156',
    destinations: ids.map((_id, i) => ({ id: `d${i}`, chutes: [`C${i}`] })),
    rules: ids.map((id, i) => ({ id, destination: `d${i}` })),
    fallbacks: { noRead: 'X', noRule: 'X', multiRead: 'X', recirculationLimit: 'X' },
  });

  it('finds every id, in place inside a longer string', () => {
    ids.forEach((id, i) => {
      expect(plan.lookupId(id, 0, id.length)).toBe(i);
      const s = `]C100${id}\u001d`;
      expect(plan.lookupId(s, 5, 5 + id.length)).toBe(i);
    });
  });

  it('refuses near misses: case, prefixes, extensions, one changed character', () => {
    expect(plan.lookupId('rr123456785cn', 0, 13)).toBe(-1);
    expect(plan.lookupId('RR123456785C', 0, 12)).toBe(-1);
    expect(plan.lookupId('RR123456785CNX', 0, 14)).toBe(-1);
    expect(plan.lookupId('RR123456786CN', 0, 13)).toBe(-1);
    expect(plan.lookupId('', 0, 0)).toBe(-1);
    expect(plan.lookupId('RR123456785CN', 0, 40)).toBe(-1);
  });
});
