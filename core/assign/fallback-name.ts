/**
 * Names of fallback reasons (why a parcel went to an exception chute), for reports, the journal
 * and the gateway protocol: the names of FALLBACK_NAMES in core/sorter/states.ts, which are also
 * the keys of a sort plan's `fallbacks` object (docs/sort-plan.md).
 */
import { FALLBACK_NAMES, type FallbackName } from '../plan/index.js';

/**
 * The name of the Fallback code `reason` (core/sorter/states.ts): `'none'`,
 * `'noRead'`, `'noRule'`, `'multiRead'`, `'recirculationLimit'`, `'oversize'` or `'noChute'`;
 * `undefined` when `reason` is not a code. Allocation-free.
 */
export function fallbackName(reason: number): FallbackName | undefined {
  return FALLBACK_NAMES[reason];
}
