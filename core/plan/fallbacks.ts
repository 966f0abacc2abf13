/**
 * The fixed fallbacks of a sort plan (DESIGN.md "Sort plans"): why a parcel goes to an exception
 * chute instead of its destination. Plain numeric constants (stored per parcel in typed arrays);
 * the names are the keys of a plan's `fallbacks` (docs/sort-plan.md). The gateway protocol's
 * reply status is its own wire table (core/protocol codes.ts), mapped in core/wire-map.ts.
 */

/**
 * Why a parcel went to an exception chute instead of its destination (DESIGN.md "fixed
 * fallbacks"). `NONE` means it was routed to a destination. Stored in a Uint8Array per parcel.
 */
export const Fallback = {
  NONE: 0,
  /** No read, or only invalid reads (bad check digit, malformed data). */
  NO_READ: 1,
  /** Read, but the sort plan has no rule for any key. */
  NO_RULE: 2,
  /** Several reads gave different destinations at the same key priority. */
  MULTI_READ: 3,
  /** The parcel failed to discharge at the recirculation limit. */
  RECIRCULATION_LIMIT: 4,
  /** Over the sorter's size or weight limit. */
  OVERSIZE: 5,
  /** Every chute of the destination is disabled or blocked. */
  NO_CHUTE: 6,
} as const;
export type FallbackCode = (typeof Fallback)[keyof typeof Fallback];

/** Names of {@link Fallback} codes as used in plans, reports and the protocol, indexed by code. */
export const FALLBACK_NAMES = [
  'none',
  'noRead',
  'noRule',
  'multiRead',
  'recirculationLimit',
  'oversize',
  'noChute',
] as const;
export type FallbackName = (typeof FALLBACK_NAMES)[number];
