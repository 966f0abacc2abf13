/**
 * The compiled lookups against a naive reference (a list of rules, startsWith and a loop; a Map
 * for ids) on random plans and random keys (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePlan, type PlanRule, type SortPlanDoc } from '../../core/plan/index.js';

const HOME = '156';
const COUNTRIES = ['156', '276', '826'];
const DESTINATIONS = ['d0', 'd1', 'd2', 'd3'];

const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((a) => a.join(''));

const postalRule = fc.record(
  {
    postal: chars('012AB', 0, 4),
    country: fc.constantFrom(...COUNTRIES),
    destination: fc.constantFrom(...DESTINATIONS),
  },
  { requiredKeys: ['postal', 'destination'] },
);
const routingRule = fc.record({
  routing: fc.array(chars('012AB', 1, 2), { minLength: 1, maxLength: 3 }).map((s) => s.join('-')),
  destination: fc.constantFrom(...DESTINATIONS),
});
const idRule = fc.record({
  id: chars('01AaB-', 1, 5),
  destination: fc.constantFrom(...DESTINATIONS),
});

/** Random rules with each key once (a repeated key with another destination is a plan fault). */
const rules = fc.array(fc.oneof(postalRule, routingRule, idRule), { maxLength: 40 }).map((list) => {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key =
      'postal' in r
        ? `p ${r.country ?? HOME} ${r.postal}`
        : 'routing' in r
          ? `r ${r.routing}`
          : `i ${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
});

function doc(list: PlanRule[]): SortPlanDoc {
  return {
    version: 'random',
    homeCountry: HOME,
    destinations: DESTINATIONS.map((id, i) => ({ id, chutes: [`C${i}`] })),
    rules: list,
    fallbacks: { noRead: 'X', noRule: 'X', multiRead: 'X', recirculationLimit: 'X' },
  };
}

const upper = (c: string) => (c >= 'a' && c <= 'z' ? c.toUpperCase() : c);
const isKeyChar = (c: string) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');

/** Reference: the longest postal prefix of the code's country (spaces, hyphens skipped; a-z as A-Z; stop at other characters). */
function naivePostal(list: PlanRule[], code: string, country: string): string | undefined {
  let normal = '';
  for (const c of code) {
    if (c === ' ' || c === '-') continue;
    if (!isKeyChar(upper(c))) break;
    normal += upper(c);
  }
  let best: { postal: string; destination: string } | undefined;
  for (const r of list) {
    if (!('postal' in r) || (r.country ?? HOME) !== country || !normal.startsWith(r.postal))
      continue;
    if (best === undefined || r.postal.length > best.postal.length) best = r;
  }
  return best?.destination;
}

/** Reference: the longest routing rule that prefixes the code and ends where a segment of the code ends. */
function naiveRouting(list: PlanRule[], code: string): string | undefined {
  const normal = [...code].map(upper).join('');
  let best: { routing: string; destination: string } | undefined;
  for (const r of list) {
    if (!('routing' in r) || !normal.startsWith(r.routing)) continue;
    if (normal.length !== r.routing.length && normal[r.routing.length] !== '-') continue;
    if (best === undefined || r.routing.length > best.routing.length) best = r;
  }
  return best?.destination;
}

function naiveId(list: PlanRule[], id: string): string | undefined {
  const map = new Map<string, string>();
  for (const r of list) if ('id' in r) map.set(r.id, r.destination);
  return map.get(id);
}

/** A key: random characters, or a rule key with random characters after it, inside random padding. */
const keyOf = (list: PlanRule[], field: 'postal' | 'routing' | 'id', alphabet: string) => {
  const fromRules = list.flatMap((r) =>
    field in r ? [(r as Record<string, string>)[field]!] : [],
  );
  const base =
    fromRules.length > 0
      ? fc.oneof(chars(alphabet, 0, 8), fc.constantFrom(...fromRules))
      : chars(alphabet, 0, 8);
  return fc.record({
    base,
    tail: chars(alphabet, 0, 4),
    pad: chars('9#Z-', 0, 3),
    pad2: chars('9#Z-', 0, 3),
  });
};

describe('compiled lookups agree with a naive reference on random plans and keys', () => {
  it('postal: longest prefix per country', () => {
    fc.assert(
      fc.property(
        rules.chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.array(keyOf(list, 'postal', '012ABab -#'), { maxLength: 20 }),
            fc.constantFrom(...COUNTRIES),
          ),
        ),
        ([list, keys, country]) => {
          const plan = compilePlan(doc(list));
          for (const { base, tail, pad, pad2 } of keys) {
            const code = base + tail;
            const s = pad + code + pad2;
            const got =
              plan.destinationIds[
                plan.lookupPostal(s, pad.length, pad.length + code.length, Number(country))
              ];
            expect(got, `${JSON.stringify(code)} in ${country}`).toBe(
              naivePostal(list, code, country),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('routing: longest run of whole leading segments', () => {
    fc.assert(
      fc.property(
        rules.chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.array(keyOf(list, 'routing', '012ABa- '), { maxLength: 20 }),
          ),
        ),
        ([list, keys]) => {
          const plan = compilePlan(doc(list));
          for (const { base, tail, pad, pad2 } of keys) {
            const code = base + tail;
            const s = pad + code + pad2;
            const got =
              plan.destinationIds[plan.lookupRouting(s, pad.length, pad.length + code.length)];
            expect(got, JSON.stringify(code)).toBe(naiveRouting(list, code));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('id: exact match', () => {
    fc.assert(
      fc.property(
        rules.chain((list) =>
          fc.tuple(fc.constant(list), fc.array(keyOf(list, 'id', '01AaB-'), { maxLength: 20 })),
        ),
        ([list, keys]) => {
          const plan = compilePlan(doc(list));
          for (const { base, tail, pad, pad2 } of keys) {
            for (const id of [base, base + tail]) {
              const s = pad + id + pad2;
              const got = plan.destinationIds[plan.lookupId(s, pad.length, pad.length + id.length)];
              expect(got, JSON.stringify(id)).toBe(naiveId(list, id));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the id table at scale', () => {
  it('finds each of 20,000 distinct ids and none of 20,000 others', () => {
    const n = 20_000;
    const ids = Array.from(
      { length: n },
      (_, i) => `SF${(1_000_000_007 * (i + 1)) % 9_999_999_967}`,
    );
    expect(new Set(ids).size).toBe(n);
    const plan = compilePlan({
      ...doc([]),
      rules: ids.map((id, i) => ({ id, destination: DESTINATIONS[i % 4]! })),
    });
    let wrong = 0;
    ids.forEach((id, i) => {
      if (plan.lookupId(id, 0, id.length) !== i % 4) wrong++;
      const other = `SG${i}`;
      if (plan.lookupId(other, 0, other.length) !== -1) wrong++;
    });
    expect(wrong).toBe(0);
  });
});
