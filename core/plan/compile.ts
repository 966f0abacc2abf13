/**
 * The plan compiler: a validated sort plan document → {@link SortPlan}, typed arrays in shared
 * memory. Runs off the hot path (at start-up or when an operator loads a new plan); the result
 * is immutable and is activated by swapping one reference (docs/sort-plan.md, "Swapping a plan").
 */
import { FALLBACK_NAMES, Fallback } from './fallbacks.js';
import { CharTrieBuilder } from './char-trie.js';
import { COUNTRY_CODES, SortPlan } from './compiled-plan.js';
import { buildIdTable } from './id-table.js';
import { sharedInt32, sharedInt32Filled, sharedUint8 } from './shared-memory.js';
import { KEY_KIND_NAMES, type KeyKindName, type SortPlanDoc } from './types.js';
import { assertValidPlan } from './validate.js';

/** Key priority when the plan gives none: a routing code, then the postal code, then the parcel id. */
export const DEFAULT_KEY_PRIORITY: readonly KeyKindName[] = ['routing', 'postal', 'id'];

/** Every chute a plan names, destinations' chutes first then fallbacks, in order of first appearance. */
function planChuteIds(doc: SortPlanDoc): string[] {
  const seen = new Set<string>();
  for (const d of doc.destinations) for (const c of d.chutes) seen.add(c);
  for (const name of FALLBACK_NAMES) {
    const c = name === 'none' ? undefined : doc.fallbacks[name];
    if (c !== undefined) seen.add(c);
  }
  return [...seen];
}

/**
 * Validates and compiles a sort plan.
 *
 * @param doc the parsed plan document (docs/sort-plan.md); anything, it is validated as a whole.
 * @param chuteIds the machine's chute ids in chute-index order (as in its ChuteTable). Every chute
 *   the plan names must be one of them; compiled chute numbers index this list. When omitted,
 *   the plan's own chute ids become the machine list: destinations' chutes in order, then the
 *   fallback chutes, each at its first appearance (`plan.chuteIds`).
 * @returns the compiled plan. Fallbacks `oversize` and `noChute`, when absent, use the `noRule`
 *   chute; `keyPriority`, when absent, is {@link DEFAULT_KEY_PRIORITY}.
 * @throws SortlineError `SORTLINE_ERR_PLAN_INVALID` with every fault and its RFC 6901 pointer in
 *   `details`; nothing is compiled.
 */
export function compilePlan(doc: unknown, chuteIds?: readonly string[]): SortPlan {
  assertValidPlan(doc, chuteIds);
  const plan = doc as SortPlanDoc;
  const machine = chuteIds ?? planChuteIds(plan);
  const chuteIndex = new Map<string, number>();
  machine.forEach((id, i) => {
    if (!chuteIndex.has(id)) chuteIndex.set(id, i);
  });
  const chute = (id: string): number => chuteIndex.get(id)!;

  const destinationIds = plan.destinations.map((d) => d.id);
  const destinationIndex = new Map(destinationIds.map((id, d) => [id, d]));
  const starts = [0];
  const list: number[] = [];
  for (const d of plan.destinations) {
    for (const c of d.chutes) list.push(chute(c));
    starts.push(list.length);
  }

  const f = plan.fallbacks;
  const fallback = new Array<number>(FALLBACK_NAMES.length).fill(-1);
  fallback[Fallback.NO_READ] = chute(f.noRead);
  fallback[Fallback.NO_RULE] = chute(f.noRule);
  fallback[Fallback.MULTI_READ] = chute(f.multiRead);
  fallback[Fallback.RECIRCULATION_LIMIT] = chute(f.recirculationLimit);
  fallback[Fallback.OVERSIZE] = chute(f.oversize ?? f.noRule);
  fallback[Fallback.NO_CHUTE] = chute(f.noChute ?? f.noRule);

  const postal = new CharTrieBuilder();
  const roots = sharedInt32Filled(COUNTRY_CODES, -1);
  const routing = new CharTrieBuilder();
  routing.addNode();
  const idKeys = new Map<string, number>();
  for (const rule of plan.rules) {
    const d = destinationIndex.get(rule.destination)!;
    if ('postal' in rule) {
      const country = Number(rule.country ?? plan.homeCountry);
      if (roots[country]! < 0) roots[country] = postal.addNode();
      postal.insert(roots[country]!, rule.postal, d);
    } else if ('routing' in rule) {
      routing.insert(0, rule.routing, d);
    } else {
      idKeys.set(rule.id, d);
    }
  }

  return new SortPlan({
    version: plan.version,
    homeCountry: Number(plan.homeCountry),
    destinationIds,
    chuteIds: [...machine],
    keyPriority: sharedUint8(
      (plan.keyPriority ?? DEFAULT_KEY_PRIORITY).map((k) => KEY_KIND_NAMES.indexOf(k)),
    ),
    destChuteStart: sharedInt32(starts),
    destChuteList: sharedInt32(list),
    destRoundRobin: sharedUint8(
      plan.destinations.map((d) =>
        (d.assignment ?? plan.assignment ?? 'priority') === 'round-robin' ? 1 : 0,
      ),
    ),
    fallbackChute: sharedInt32(fallback),
    postalRoots: roots,
    postalTrie: sharedInt32(postal.slots),
    routingTrie: sharedInt32(routing.slots),
    ids: buildIdTable([...idKeys.keys()], [...idKeys.values()]),
  });
}
