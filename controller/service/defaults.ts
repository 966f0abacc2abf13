/**
 * Defaults of the sort service: the one source of them. {@link SortService} falls back to these
 * for options it is not given, and the embedded `sortline serve` configuration
 * (controller/config/defaults.ts, docs/operations.md "Configuration") reads its `service` section
 * from here.
 */
import { ADMISSION_DEFAULTS } from './admission.js';
import type { ParcelLimits } from './types.js';

/** Default settings of the sort service (units in the names; docs/operations.md "The sort service"). */
export interface ServiceDefaults {
  /** Reply budget, ms: a reply that took the service longer is recorded as late (DESIGN.md: 150). */
  readonly replyBudgetMs: number;
  /** Recirculations a parcel may make before the recirculation-limit chute; 0 = the PLC decides. */
  readonly recirculationLimit: number;
  /** Open tasks kept in memory; past it the oldest is forgotten. */
  readonly maxOpenTasks: number;
  /** Closed tasks remembered to recognise resent confirmations. */
  readonly closedMemory: number;
  /** Oversize limits, g and mm; 0 = no limit. */
  readonly limits: Readonly<ParcelLimits>;
}

/** The defaults: reply budget 150 ms, no recirculation limit, 1,000,000 open and 65,536 closed tasks, no size limit. */
export const SERVICE_DEFAULTS: ServiceDefaults = Object.freeze({
  replyBudgetMs: 150,
  recirculationLimit: 0,
  maxOpenTasks: 1_000_000,
  closedMemory: 65_536,
  limits: Object.freeze({ maxWeightG: 0, maxLengthMm: 0, maxWidthMm: 0, maxHeightMm: 0 }),
});

export { ADMISSION_DEFAULTS };
