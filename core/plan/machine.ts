/**
 * The machine the sort service drives, as far as the controller knows it: its chute list (ids,
 * wire numbers, capacities) and the sort plan compiled against that list. Built once at start-up
 * from the plan document and the `chutes` section of the serve configuration
 * (docs/operations.md "Chute numbers").
 */
import { compilePlan } from './compile.js';
import type { SortPlan } from './compiled-plan.js';
import type { SortPlanDoc } from './types.js';
import { ChuteTable, UNLIMITED, ChuteNumbering } from '../sorter/index.js';

/** The chute settings of a machine. */
export interface MachineOptions {
  /**
   * Wire number of each chute id (1–65535, distinct). When given, its keys ordered by number are
   * the machine's chute list, and the plan may name only them. Default: the plan's own chutes (its
   * destinations' chutes in order, then its fallback chutes; core/plan `compilePlan`) numbered
   * 1, 2, 3, ...
   */
  numbers?: Readonly<Record<string, number>>;
  /** Parcels a destination chute holds before it counts as full (default 15). */
  capacity?: number;
  /** Capacity per chute id, overriding `capacity`. */
  capacities?: Readonly<Record<string, number>>;
}

/** The compiled plan, the live chute table and the wire numbering, all over one chute list. */
export interface Machine {
  plan: SortPlan;
  chutes: ChuteTable;
  numbering: ChuteNumbering;
}

/** Default capacity of a destination chute, in parcels (the bundled Jiangsu hub's `chuteCapacity`). */
export const DEFAULT_CHUTE_CAPACITY = 15;

/**
 * Compiles `doc` and builds the chute table and numbering. Chutes the plan names only in its
 * `fallbacks` are exception chutes: unlimited capacity unless `capacities` says otherwise.
 * @throws SortlineError `SORTLINE_ERR_PLAN_INVALID` (every fault, pointers into the plan) when the
 *   plan is invalid or names a chute missing from `numbers`.
 */
export function buildMachine(doc: unknown, options: MachineOptions = {}): Machine {
  const numbers = options.numbers;
  const listed =
    numbers === undefined
      ? undefined
      : Object.keys(numbers).sort((a, b) => numbers[a]! - numbers[b]!);
  const plan = compilePlan(doc, listed);
  const ids = plan.chuteIds;
  const planDoc = doc as SortPlanDoc;
  const destinationChutes = new Set<string>();
  for (const d of planDoc.destinations) for (const c of d.chutes) destinationChutes.add(c);
  const fallbackChutes = new Set<string>(Object.values(planDoc.fallbacks));
  const capacity = options.capacity ?? DEFAULT_CHUTE_CAPACITY;
  const chutes = new ChuteTable(
    ids.map((id) => {
      const exception = fallbackChutes.has(id) && !destinationChutes.has(id);
      return {
        id,
        position: 0,
        capacity: options.capacities?.[id] ?? (exception ? UNLIMITED : capacity),
        exception,
      };
    }),
  );
  const numbering =
    numbers === undefined
      ? ChuteNumbering.sequential(ids)
      : new ChuteNumbering(
          ids,
          ids.map((id) => numbers[id]!),
        );
  return { plan, chutes, numbering };
}
