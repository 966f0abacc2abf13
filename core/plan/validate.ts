/**
 * Whole-document validation of a sort plan (docs/sort-plan.md): the TypeBox schema, then every
 * check a schema cannot express. All faults are collected, never only the first; each carries
 * the RFC 6901 JSON pointer of the offending value and says what was expected.
 *
 * Cross-reference checks read only values of the right type, so a fault is reported once, where
 * it is, and not again as a consequence elsewhere (a rule naming a destination whose entry has a
 * bad chute list still finds that destination).
 */
import { SortlineError, type ErrorDetail } from '../errors.js';
import { isIso3166Numeric } from '../iso3166.js';
import { FALLBACK_NAMES } from './fallbacks.js';
import { schemaErrors } from '../schema-errors.js';
import { fitsSortPlanSchema } from './check.js';
import { sortPlanSchema } from './schema.js';

const RULE_KEYS = ['postal', 'routing', 'id'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

/** Lists at most a few machine chute ids for a message. */
function sampleIds(ids: readonly string[]): string {
  const head = ids
    .slice(0, 5)
    .map((id) => JSON.stringify(id))
    .join(', ');
  return ids.length > 5 ? `${head}, … (${ids.length} chutes)` : head;
}

/** Adds the fault of chute `id` at `pointer` when the machine has no such chute. */
function checkChute(
  id: unknown,
  pointer: string,
  machine: ReadonlySet<string> | undefined,
  machineIds: readonly string[] | undefined,
  out: ErrorDetail[],
): void {
  if (machine === undefined || machineIds === undefined || !nonEmptyString(id) || machine.has(id))
    return;
  out.push({
    pointer,
    message:
      machineIds.length === 0
        ? `unknown chute "${id}"; expected a chute of this machine, but it has none`
        : `unknown chute "${id}"; expected a chute of this machine: ${sampleIds(machineIds)}`,
  });
}

/**
 * Checks destination ids (unique), their chutes (on the machine, not repeated); returns id →
 * index, or undefined when `destinations` is not a list (its schema fault is enough).
 */
function checkDestinations(
  destinations: unknown,
  machine: ReadonlySet<string> | undefined,
  machineIds: readonly string[] | undefined,
  out: ErrorDetail[],
): Map<string, number> | undefined {
  if (!Array.isArray(destinations)) return undefined;
  const byId = new Map<string, number>();
  destinations.forEach((d: unknown, i) => {
    if (!isObject(d)) return;
    if (nonEmptyString(d.id)) {
      const first = byId.get(d.id);
      if (first === undefined) byId.set(d.id, i);
      else
        out.push({
          pointer: `/destinations/${i}/id`,
          message: `duplicate destination id "${d.id}" (first at /destinations/${first}/id); expected each destination id once`,
        });
    }
    if (!Array.isArray(d.chutes)) return;
    const seen = new Map<string, number>();
    d.chutes.forEach((c: unknown, j) => {
      const pointer = `/destinations/${i}/chutes/${j}`;
      if (!nonEmptyString(c)) return;
      const firstAt = seen.get(c);
      if (firstAt !== undefined) {
        out.push({
          pointer,
          message: `chute "${c}" is listed twice (first at /destinations/${i}/chutes/${firstAt}); expected each chute once per destination`,
        });
        return;
      }
      seen.set(c, j);
      checkChute(c, pointer, machine, machineIds, out);
    });
  });
  return byId;
}

/** Checks each rule: one key field, country only on postal rules, a known destination, no conflicting repeat. */
function checkRules(
  rules: unknown,
  homeCountry: unknown,
  destinations: ReadonlyMap<string, number> | undefined,
  out: ErrorDetail[],
): void {
  if (!Array.isArray(rules)) return;
  const home = typeof homeCountry === 'string' ? homeCountry : '';
  /** Normalised key ("postal 156 2253") → where it was first given and its destination. */
  const keys = new Map<string, { pointer: string; destination: string }>();
  rules.forEach((r: unknown, i) => {
    if (!isObject(r)) return;
    const base = `/rules/${i}`;
    const present = RULE_KEYS.filter((k) => Object.hasOwn(r, k));
    if (present.length !== 1) {
      out.push({
        pointer: base,
        message:
          present.length === 0
            ? 'rule has no key field; expected exactly one of postal, routing, id'
            : `rule has ${present.length} key fields (${present.join(', ')}); expected exactly one of postal, routing, id`,
      });
    }
    if (Object.hasOwn(r, 'country') && !present.includes('postal')) {
      out.push({
        pointer: `${base}/country`,
        message:
          'country given on a rule without a postal key; expected country only together with postal',
      });
    }
    const destination = r.destination;
    if (
      nonEmptyString(destination) &&
      destinations !== undefined &&
      !destinations.has(destination)
    ) {
      out.push({
        pointer: `${base}/destination`,
        message: `unknown destination "${destination}"; expected the id of a destination in /destinations`,
      });
    }
    if (present.length !== 1 || !nonEmptyString(destination)) return;
    const kind = present[0]!;
    const value = r[kind];
    if (typeof value !== 'string') return;
    const country = kind === 'postal' ? (typeof r.country === 'string' ? r.country : home) : '';
    const key = `${kind} ${country} ${value}`;
    const first = keys.get(key);
    const pointer = `${base}/${kind}`;
    if (first === undefined) keys.set(key, { pointer, destination });
    else if (first.destination !== destination)
      out.push({
        pointer,
        message: `${kind} key "${value}"${country ? ` (country ${country})` : ''} leads to "${destination}" here but to "${first.destination}" at ${first.pointer}; expected one destination per key`,
      });
  });
}

/**
 * Every fault of the sort plan document `doc`, in the order: schema faults, then destinations,
 * rules and fallbacks. `[]` means the plan is valid.
 *
 * @param doc the parsed JSON document (anything; nothing is assumed about its shape).
 * @param chuteIds the machine's chute ids; when given, every chute the plan names must be one of
 *   them. When omitted, any chute id is accepted.
 * @returns details with RFC 6901 pointers relative to the plan document (a caller that embeds the
 *   plan in a larger document prefixes its own pointer). Never throws.
 */
export function validatePlan(doc: unknown, chuteIds?: readonly string[]): ErrorDetail[] {
  // the precompiled check first: the schema is built and walked only to report the faults
  const out = fitsSortPlanSchema(doc) ? [] : schemaErrors(sortPlanSchema(), doc);
  if (!isObject(doc)) return out;
  const machine = chuteIds === undefined ? undefined : new Set(chuteIds);
  const destinations = checkDestinations(doc.destinations, machine, chuteIds, out);
  checkRules(doc.rules, doc.homeCountry, destinations, out);
  checkCountries(doc, out);
  if (isObject(doc.fallbacks)) {
    for (const name of FALLBACK_NAMES) {
      if (name === 'none' || !Object.hasOwn(doc.fallbacks, name)) continue;
      checkChute(doc.fallbacks[name], `/fallbacks/${name}`, machine, chuteIds, out);
    }
  }
  return out;
}

/** A 3-digit country that is not an assigned ISO 3166-1 numeric code could never match a read. */
function checkCountries(doc: Record<string, unknown>, out: ErrorDetail[]): void {
  const check = (v: unknown, pointer: string) => {
    if (typeof v === 'string' && /^[0-9]{3}$/.test(v) && !isIso3166Numeric(Number(v))) {
      out.push({
        pointer,
        message: `country "${v}" is not an assigned ISO 3166-1 numeric code; expected one such as "156" (China) or "840" (USA)`,
      });
    }
  };
  check(doc.homeCountry, '/homeCountry');
  if (!Array.isArray(doc.rules)) return;
  doc.rules.forEach((r, i) => {
    if (isObject(r)) check(r.country, `/rules/${i}/country`);
  });
}

/**
 * Validates `doc` and throws when it has any fault.
 *
 * @throws SortlineError `SORTLINE_ERR_PLAN_INVALID` whose `details` list every fault with its
 *   JSON pointer (RFC 6901); the message counts them and repeats the first.
 */
export function assertValidPlan(doc: unknown, chuteIds?: readonly string[]): void {
  const details = validatePlan(doc, chuteIds);
  if (details.length === 0) return;
  const first = details[0]!;
  throw new SortlineError(
    'SORTLINE_ERR_PLAN_INVALID',
    `sort plan refused: ${details.length} fault${details.length === 1 ? '' : 's'}; first at ${first.pointer || '/'}: ${first.message}`,
    { details },
  );
}
