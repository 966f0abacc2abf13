import { describe, expect, it } from 'vitest';
import { SortlineError } from '../../core/errors.js';
import { compilePlan, validatePlan } from '../../core/plan/index.js';
import { basePlan } from './helpers.js';

const MACHINE = ['C01', 'C02', 'C03', 'C04', 'X1', 'X2', 'X3'];

/** The base plan changed by `edit` (which may turn it into anything). */
function edited(edit: (p: Record<string, any>) => void): unknown {
  const p = structuredClone(basePlan()) as Record<string, any>;
  edit(p);
  return p;
}

/** The pointers of every fault of `doc`, after checking each message says what was expected. */
function pointers(doc: unknown, chuteIds?: readonly string[]): string[] {
  const details = validatePlan(doc, chuteIds);
  for (const d of details) expect(d.message).toMatch(/expected/);
  return details.map((d) => d.pointer);
}

describe('validatePlan: one fault kind at a time, each at its exact JSON pointer', () => {
  it('accepts the base plan, with and without the machine chute list', () => {
    expect(validatePlan(basePlan())).toEqual([]);
    expect(validatePlan(basePlan(), MACHINE)).toEqual([]);
  });

  it('unknown keys at every level', () => {
    expect(pointers(edited((p) => (p.colour = 'red')))).toEqual(['/colour']);
    expect(pointers(edited((p) => (p.destinations[0].colour = 'red')))).toEqual([
      '/destinations/0/colour',
    ]);
    expect(pointers(edited((p) => (p.rules[0].prefix = '21')))).toEqual(['/rules/0/prefix']);
    expect(pointers(edited((p) => (p.fallbacks.noread = 'X1')))).toEqual(['/fallbacks/noread']);
    const [d] = validatePlan(edited((p) => (p.fallbacks.noread = 'X1')));
    expect(d!.message).toContain('unknown key "noread"');
    expect(d!.message).toContain('noRead');
  });

  it('escapes "~" and "/" in pointers as RFC 6901 says', () => {
    expect(pointers(edited((p) => (p['a/b~c'] = 1)))).toEqual(['/a~1b~0c']);
    const [d] = validatePlan(edited((p) => (p['a/b~c'] = 1)));
    expect(d!.message).toContain('"a/b~c"');
  });

  it('wrong types', () => {
    expect(pointers(edited((p) => (p.version = 3)))).toEqual(['/version']);
    expect(pointers(edited((p) => (p.destinations = {})))).toEqual(['/destinations']);
    expect(pointers(edited((p) => (p.destinations[0].chutes = 'C01')))).toEqual([
      '/destinations/0/chutes',
    ]);
    expect(pointers(edited((p) => (p.rules[0] = '210'))).sort()).toEqual(['/rules/0']);
    expect(pointers(edited((p) => (p.fallbacks.noRule = null)))).toEqual(['/fallbacks/noRule']);
    expect(pointers(null)).toEqual(['']);
    expect(pointers([])).toEqual(['']);
  });

  it('missing required keys', () => {
    expect(pointers(edited((p) => delete p.rules))).toEqual(['/rules']);
    expect(pointers(edited((p) => delete p.fallbacks.noRead))).toEqual(['/fallbacks/noRead']);
    expect(pointers(edited((p) => delete p.destinations[1].chutes))).toEqual([
      '/destinations/1/chutes',
    ]);
    expect(pointers(edited((p) => delete p.rules[0].destination))).toEqual([
      '/rules/0/destination',
    ]);
  });

  it('empty strings', () => {
    expect(pointers(edited((p) => (p.version = '')))).toEqual(['/version']);
    expect(pointers(edited((p) => (p.destinations[2].id = '')))).toEqual([
      '/destinations/2/id',
      '/rules/2/destination',
    ]);
    expect(pointers(edited((p) => (p.destinations[0].chutes[1] = '')))).toEqual([
      '/destinations/0/chutes/1',
    ]);
    expect(pointers(edited((p) => (p.rules[0].destination = '')))).toEqual([
      '/rules/0/destination',
    ]);
    expect(pointers(edited((p) => (p.rules[1].routing = '')))).toEqual(['/rules/1/routing']);
    expect(pointers(edited((p) => (p.rules[2].id = '')))).toEqual(['/rules/2/id']);
    expect(pointers(edited((p) => (p.fallbacks.multiRead = '')))).toEqual(['/fallbacks/multiRead']);
  });

  it('an empty postal prefix is allowed: it matches every code of its country', () => {
    expect(pointers(edited((p) => (p.rules[0].postal = '')))).toEqual([]);
  });

  it('rules with zero or two key fields', () => {
    expect(pointers(edited((p) => (p.rules[0] = { destination: 'nanjing' })))).toEqual([
      '/rules/0',
    ]);
    expect(pointers(edited((p) => (p.rules[1].postal = '771')))).toEqual(['/rules/1']);
    const [d] = validatePlan(edited((p) => (p.rules[1].postal = '771')));
    expect(d!.message).toContain('postal, routing');
    expect(
      pointers(
        edited((p) => (p.rules[1] = { postal: '7', routing: '7', id: '7', destination: 'vip' })),
      ),
    ).toEqual(['/rules/1']);
  });

  it('postal prefixes with characters outside 0-9 and A-Z, or too long', () => {
    for (const bad of ['21a', '2 1', '21-0', '２１', '21.']) {
      expect(pointers(edited((p) => (p.rules[0].postal = bad)))).toEqual(['/rules/0/postal']);
    }
    expect(pointers(edited((p) => (p.rules[0].postal = '1'.repeat(21))))).toEqual([
      '/rules/0/postal',
    ]);
    expect(pointers(edited((p) => (p.rules[0].postal = 'SW1A')))).toEqual([]);
  });

  it('malformed routing prefixes', () => {
    for (const bad of ['771--05', '771-K23-05-1', '-771', '771-', 'k23', '771 K23', '771_K23']) {
      expect(pointers(edited((p) => (p.rules[1].routing = bad)))).toEqual(['/rules/1/routing']);
    }
    for (const good of ['771', '771-K23', '771-K23-05', 'A-B-C']) {
      expect(pointers(edited((p) => (p.rules[1].routing = good)))).toEqual([]);
    }
  });

  it('country not 3 digits, and country on a rule that is not postal', () => {
    expect(pointers(edited((p) => (p.homeCountry = '86')))).toEqual(['/homeCountry']);
    expect(pointers(edited((p) => (p.homeCountry = 156)))).toEqual(['/homeCountry']);
    expect(pointers(edited((p) => (p.rules[0].country = 'CHN')))).toEqual(['/rules/0/country']);
    expect(pointers(edited((p) => (p.rules[0].country = '0156')))).toEqual(['/rules/0/country']);
    expect(pointers(edited((p) => (p.rules[0].country = '276')))).toEqual([]);
    expect(pointers(edited((p) => (p.rules[1].country = '156')))).toEqual(['/rules/1/country']);
  });

  it('parcel ids with spaces or non-ASCII characters', () => {
    expect(pointers(edited((p) => (p.rules[2].id = 'RR 123')))).toEqual(['/rules/2/id']);
    expect(pointers(edited((p) => (p.rules[2].id = 'SF1234€')))).toEqual(['/rules/2/id']);
  });

  it('key priority: unknown kinds and repeats', () => {
    expect(pointers(edited((p) => (p.keyPriority = ['postal', 'sscc'])))).toEqual([
      '/keyPriority/1',
    ]);
    expect(pointers(edited((p) => (p.keyPriority = ['postal', 'postal'])))).toEqual([
      '/keyPriority',
    ]);
    expect(pointers(edited((p) => (p.keyPriority = [])))).toEqual(['/keyPriority']);
    expect(pointers(edited((p) => (p.keyPriority = ['id', 'postal'])))).toEqual([]);
  });

  it('duplicate destination ids', () => {
    expect(
      pointers(edited((p) => p.destinations.push({ id: 'nanjing', chutes: ['C04'] }))),
    ).toEqual(['/destinations/3/id']);
    const [d] = validatePlan(
      edited((p) => p.destinations.push({ id: 'nanjing', chutes: ['C04'] })),
    );
    expect(d!.message).toContain('/destinations/0/id');
  });

  it('repeated rule keys: refused when they lead to different destinations, accepted when to the same one', () => {
    expect(pointers(edited((p) => p.rules.push({ postal: '210', destination: 'vip' })))).toEqual([
      '/rules/3/postal',
    ]);
    expect(
      pointers(edited((p) => p.rules.push({ postal: '210', country: '156', destination: 'vip' }))),
    ).toEqual(['/rules/3/postal']);
    expect(pointers(edited((p) => p.rules.push({ routing: '771', destination: 'vip' })))).toEqual([
      '/rules/3/routing',
    ]);
    expect(
      pointers(edited((p) => p.rules.push({ id: '00312345678901234568', destination: 'nanjing' }))),
    ).toEqual(['/rules/3/id']);
    const [d] = validatePlan(edited((p) => p.rules.push({ routing: '771', destination: 'vip' })));
    expect(d!.message).toContain('/rules/1/routing');
    expect(
      pointers(edited((p) => p.rules.push({ postal: '210', destination: 'nanjing' }))),
    ).toEqual([]);
    expect(
      pointers(edited((p) => p.rules.push({ postal: '210', country: '276', destination: 'vip' }))),
    ).toEqual([]);
    expect(pointers(edited((p) => p.rules.push({ routing: '210', destination: 'vip' })))).toEqual(
      [],
    );
  });

  it('a rule naming an unknown destination', () => {
    expect(pointers(edited((p) => (p.rules[1].destination = 'hub-772')))).toEqual([
      '/rules/1/destination',
    ]);
  });

  it('destinations with no chutes, or a chute listed twice', () => {
    expect(pointers(edited((p) => (p.destinations[1].chutes = [])))).toEqual([
      '/destinations/1/chutes',
    ]);
    expect(pointers(edited((p) => (p.destinations[0].chutes = ['C01', 'C02', 'C01'])))).toEqual([
      '/destinations/0/chutes/2',
    ]);
  });

  it('chutes the machine does not have, only when the machine list is given', () => {
    const doc = edited((p) => {
      p.destinations[0].chutes[1] = 'C99';
      p.fallbacks.noRule = 'X9';
      p.fallbacks.oversize = 'X8';
    });
    expect(pointers(doc, MACHINE)).toEqual([
      '/destinations/0/chutes/1',
      '/fallbacks/noRule',
      '/fallbacks/oversize',
    ]);
    expect(pointers(doc)).toEqual([]);
    expect(pointers(basePlan(), [])).toHaveLength(8); // 4 destination chute entries + 4 fallbacks
    const [d] = validatePlan(doc, MACHINE);
    expect(d!.message).toContain('"C99"');
  });
});

describe('a bad plan reports every fault at once', () => {
  const bad = edited((p) => {
    p.version = '';
    p.homeCountry = 'CN';
    p.extra = true;
    p.destinations[1].chutes = [];
    p.destinations.push({ id: 'vip', chutes: ['C04'] });
    p.rules[0].postal = '21-';
    p.rules[1] = { destination: 'hub-771' };
    p.rules.push({ routing: '771-K23-', destination: 'hub-771' });
    p.rules.push({ id: 'SF1', destination: 'nowhere' });
    p.fallbacks.noRead = 'X7';
  });

  it('validatePlan lists all of them', () => {
    expect(pointers(bad, MACHINE).sort()).toEqual(
      [
        '/version',
        '/homeCountry',
        '/extra',
        '/destinations/1/chutes',
        '/destinations/3/id',
        '/rules/0/postal',
        '/rules/1',
        '/rules/3/routing',
        '/rules/4/destination',
        '/fallbacks/noRead',
      ].sort(),
    );
  });

  it('compilePlan refuses it with SORTLINE_ERR_PLAN_INVALID and the same details', () => {
    let thrown: unknown;
    try {
      compilePlan(bad, MACHINE);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SortlineError);
    const e = thrown as SortlineError;
    expect(e.code).toBe('SORTLINE_ERR_PLAN_INVALID');
    expect(e.details).toEqual(validatePlan(bad, MACHINE));
    expect(e.message).toContain('10 faults');
  });
});
