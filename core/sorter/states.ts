/**
 * Chute states and fallback reasons shared by the sorter, the assigner, the sort service and the
 * gateway protocol. Plain numeric constants (they live in typed arrays); names follow the
 * DESIGN.md glossary.
 */

/** Chute state (DESIGN.md: open, full, blocked, disabled, bagging). Stored in a Uint8Array. */
export const ChuteState = {
  /** Accepting parcels. */
  OPEN: 0,
  /** At capacity: parcels for it recirculate or go to the next chute of their destination. */
  FULL: 1,
  /** Jammed (sensor): no discharge until cleared. */
  BLOCKED: 2,
  /** Taken out of service by an operator or the plan. */
  DISABLED: 3,
  /** Closed at wave end while the operator bags its contents. */
  BAGGING: 4,
} as const;
export type ChuteStateCode = (typeof ChuteState)[keyof typeof ChuteState];

/** Names of {@link ChuteState} codes, indexed by code. */
export const CHUTE_STATE_NAMES = ['open', 'full', 'blocked', 'disabled', 'bagging'] as const;
export type ChuteStateName = (typeof CHUTE_STATE_NAMES)[number];

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
