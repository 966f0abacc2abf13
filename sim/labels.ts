import { SortlineError, type ErrorDetail } from '../core/errors.js';
import { encodeElementString, withCheckDigit } from '../core/labels/index.js';
import { type CompiledPlan, type SortPlanDoc } from '../core/plan/index.js';
import { sampler } from './distributions.js';
import type { SimModel } from './scenario/index.js';
import type { RandomStream } from './random.js';

/**
 * The label printer of the simulated hub: real GS1-128 sort-label strings (GS1 General
 * Specifications §2.2, §3.2), as a carrier's shipping system would print them for each destination:
 *
 *   AIM id, (00) SSCC with its check digit, (3302) gross weight in kg with 2 decimals,
 *   (421) ISO 3166 numeric country + a postal code inside one of the destination's postal
 *   prefixes, and for a share of labels (403) a three-segment routing code inside one of the
 *   destination's routing rules.
 *
 * Labels are printed before the run into a pool per destination (`poolPerDestination` each), so the
 * run itself allocates nothing per parcel; a parcel carries one label drawn from its destination's
 * pool. Every printed key is checked against the compiled plan: a code extended from Yangzhou's 225
 * that falls into Taizhou's 2253 is drawn again, so each label truly belongs to its destination.
 */
export class LabelPool {
  /** Labels of destination d at [d·perDestination, (d + 1)·perDestination). */
  readonly labels: string[];
  /** Gross weight in grams printed on each label (its (3302) value). */
  readonly weightGrams: Int32Array;
  readonly perDestination: number;

  constructor(model: SimModel, rng: RandomStream) {
    const { plan, planDoc, labels: spec } = model;
    const per = spec.poolPerDestination;
    this.perDestination = per;
    this.labels = new Array<string>(plan.destinationCount * per);
    this.weightGrams = new Int32Array(plan.destinationCount * per);
    const weight = sampler(spec.weightKg);
    const faults: ErrorDetail[] = [];
    const rules = rulesByDestination(planDoc, plan);
    // label shapes already encoded and parsed back in full (see printLabel)
    const checked = new Set<string>();
    let serial = 0;
    for (let d = 0; d < plan.destinationCount; d++) {
      const { postal, routing } = rules[d]!;
      const printable = postal.length > 0;
      if (!printable) {
        if (model.mix[d]! > 0) {
          faults.push({
            pointer: `/mix`,
            message: `destination "${plan.destinationIds[d]}" has mix weight ${model.mix[d]} but no postal rule to print a label for; expected a postal rule`,
          });
        }
        continue;
      }
      for (let j = 0; j < per; j++) {
        const postalRule = printPostal(plan, d, postal, spec.postalCodeLength, rng);
        if (postalRule < 0) {
          faults.push({
            pointer: '/labels/postalCodeLength',
            message: `no ${spec.postalCodeLength}-character postal code routes to destination "${plan.destinationIds[d]}" (its prefixes are all covered by longer rules or longer than the code); expected a postal code length that fits`,
          });
          break;
        }
        const code = printed;
        const sscc = withCheckDigit(
          `${rng.int(10)}${spec.companyPrefix}${String(serial++).padStart(16 - spec.companyPrefix.length, '0')}`,
        );
        const decagrams = Math.min(999999, Math.max(1, Math.round(weight.sample(rng) * 100)));
        this.weightGrams[d * per + j] = decagrams * 10;
        let routingRule = -1;
        let route: string | null = null;
        if (routing.length > 0 && rng.chance(spec.routingCodeShare)) {
          routingRule = printRouting(plan, d, routing, rng);
          if (routingRule >= 0) route = printed;
        }
        const shape = labelShape(
          postal[postalRule]!,
          routingRule < 0 ? null : routing[routingRule]!,
        );
        const check = !checked.has(shape);
        if (check) checked.add(shape);
        this.labels[d * per + j] = printLabel(
          spec.aim,
          sscc,
          String(decagrams).padStart(6, '0'),
          code,
          route,
          check,
        );
      }
    }
    if (faults.length > 0) {
      throw new SortlineError(
        'SORTLINE_ERR_SCENARIO_INVALID',
        'the scenario cannot print labels for its destination mix',
        { details: faults },
      );
    }
  }

  /** Index into `labels` of one label of destination `d`, drawn uniformly from its pool. */
  pick(d: number, rng: RandomStream): number {
    return d * this.perDestination + rng.int(this.perDestination);
  }
}

interface DestinationRules {
  /** [country, prefix] pairs. */
  postal: { country: string; prefix: string }[];
  routing: string[];
}

function rulesByDestination(doc: SortPlanDoc, plan: CompiledPlan): DestinationRules[] {
  const out: DestinationRules[] = plan.destinationIds.map(() => ({ postal: [], routing: [] }));
  for (const rule of doc.rules) {
    const d = plan.destinationIndex(rule.destination);
    if (d < 0) continue;
    if ('postal' in rule)
      out[d]!.postal.push({ country: rule.country ?? doc.homeCountry, prefix: rule.postal });
    else if ('routing' in rule) out[d]!.routing.push(rule.routing);
  }
  return out;
}

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The value {@link printPostal} or {@link printRouting} printed last. */
let printed = '';

/**
 * Prints a country + postal code (the (421) value) that the plan routes to `d` into
 * {@link printed}; returns the index of the postal rule it extends, or -1 after 200 draws.
 */
function printPostal(
  plan: CompiledPlan,
  d: number,
  prefixes: DestinationRules['postal'],
  length: number,
  rng: RandomStream,
): number {
  for (let attempt = 0; attempt < 200; attempt++) {
    const rule = rng.int(prefixes.length);
    const { country, prefix } = prefixes[rule]!;
    if (prefix.length > length) continue;
    let code = prefix;
    while (code.length < length) code += DIGITS[rng.int(10)];
    if (plan.lookupPostal(code, 0, code.length, Number(country)) === d) {
      printed = country + code;
      return rule;
    }
  }
  return -1;
}

/**
 * Prints a three-segment routing code (hub-outlet-route, e.g. `771-K23-05`) inside one of `d`'s
 * routing rules into {@link printed}; returns the index of that rule, or -1 after 50 draws.
 */
function printRouting(
  plan: CompiledPlan,
  d: number,
  prefixes: string[],
  rng: RandomStream,
): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const rule = rng.int(prefixes.length);
    const segments = prefixes[rule]!.split('-');
    if (segments.length < 2)
      segments.push(`${LETTERS[rng.int(LETTERS.length)]}${rng.int(10)}${rng.int(10)}`);
    if (segments.length < 3) segments.push(`${rng.int(10)}${rng.int(10)}`);
    const code = segments.join('-');
    if (plan.lookupRouting(code, 0, code.length) === d) {
      printed = code;
      return rule;
    }
  }
  return -1;
}

/**
 * What decides whether a sort label passes the GS1 checks, beyond characters the pool draws where
 * the dictionary allows them: the (421) country and postal prefix (a prefix of only digits and
 * capital letters, which the dictionary's X set holds wherever they stand, counts by its length:
 * the code is padded to one length with digits), and the (403) routing rule the code extends, if
 * any. The SSCC (digits with its computed check digit) and the weight (six digits) never differ.
 */
function labelShape(postal: { country: string; prefix: string }, routing: string | null): string {
  const prefix = /^[0-9A-Z]*$/.test(postal.prefix) ? `${postal.prefix.length}` : postal.prefix;
  return `${postal.country} ${prefix} ${routing ?? ''}`;
}

/**
 * One sort label: AIM id, (00) SSCC, (3302) weight and (421) ship-to postal code, each of the
 * first two of predefined length, so no separator follows them; then, when `route` is given, the
 * FNC1 separator (GS) after the variable-length (421) and (403) routing code.
 *
 * `check`: encode it with {@link encodeElementString} instead, which parses the string back and
 * checks every field against the GS1 syntax dictionary (and so throws a SortlineError for a
 * field the plan or the scenario makes invalid), and hold that both give the same string. The
 * pool checks the first label of each shape ({@link labelShape}): the labels of one shape differ
 * only in digits and capital letters where the dictionary allows them (SSCC serial and its check
 * digit, weight, the postal code and the routing code's drawn parts), so one checked label stands
 * for all of them, and the pool is not parsed back label by label.
 */
export function printLabel(
  aim: string,
  sscc: string,
  weight: string,
  postal: string,
  route: string | null,
  check: boolean,
): string {
  const label = `${aim}00${sscc}3302${weight}421${postal}${route === null ? '' : `\x1d403${route}`}`;
  if (!check) return label;
  const fields = [
    { ai: '00', value: sscc },
    { ai: '3302', value: weight },
    { ai: '421', value: postal },
  ];
  if (route !== null) fields.push({ ai: '403', value: route });
  const encoded = encodeElementString(fields, { aim });
  if (encoded !== label)
    throw new Error(
      `sort label ${JSON.stringify(label)} is not the encoder's ${JSON.stringify(encoded)}`,
    );
  return encoded;
}
