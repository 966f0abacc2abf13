/**
 * core/plan: the sort plan (docs/sort-plan.md). Format and contract (./types.ts), schema and
 * whole-document validation, the compiler to shared typed-array tables, their hand-over to
 * worker threads, the fixed fallbacks, and the machine a plan is compiled against.
 */
export * from './types.js';
export { PLAN_LIMITS, sortPlanSchema } from './schema.js';
export { validatePlan, assertValidPlan } from './validate.js';
export { compilePlan, DEFAULT_KEY_PRIORITY } from './compile.js';
export { SortPlan, type PlanTables } from './compiled-plan.js';
export { planToShared, planFromShared, type SharedPlan } from './share.js';
export { Fallback, FALLBACK_NAMES, type FallbackCode, type FallbackName } from './fallbacks.js';
export {
  buildMachine,
  DEFAULT_CHUTE_CAPACITY,
  type Machine,
  type MachineOptions,
} from './machine.js';
