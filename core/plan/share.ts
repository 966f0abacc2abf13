/**
 * Handing a compiled plan to another thread without copying its tables: `planToShared` gives a
 * plain structured-cloneable object whose typed arrays sit on SharedArrayBuffers (the HTML
 * structured clone algorithm shares, not copies, a SharedArrayBuffer); `postMessage` it to a
 * worker (worker_threads, piscina, a browser Worker) and call `planFromShared` there.
 */
import { SortPlan, type PlanTables } from './compiled-plan.js';

/** A compiled plan in transferable form: strings and typed arrays over shared memory. */
export type SharedPlan = PlanTables;

/** The structured-cloneable form of `plan`; no table is copied. */
export function planToShared(plan: SortPlan): SharedPlan {
  return plan.tables;
}

/**
 * Re-attaches a plan received from another thread: wraps the same shared memory (no copy) and
 * rebuilds the destination-id map. `shared` must come from {@link planToShared}.
 */
export function planFromShared(shared: SharedPlan): SortPlan {
  return new SortPlan(shared);
}
