/**
 * Chute states of the machine model, shared by the sorter, the assigner, the simulator and the
 * sort service. Plain numeric constants (they live in typed arrays); names follow the DESIGN.md
 * glossary. The gateway protocol has its own wire table (core/protocol codes.ts, mapped in
 * core/wire-map.ts).
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
