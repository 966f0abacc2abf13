/**
 * Sort-confirmation outcomes (DESIGN.md "The gateway protocol"): what happened to a parcel at or
 * after its divert point, and which outcomes close its task.
 *
 * A task stays open through any number of intermediate outcomes (a parcel may meet a full chute,
 * recirculate and re-request on the next lap under the same task id) and is closed by exactly one
 * terminal outcome. The sort service and the emulated PLC both read {@link OUTCOME_TERMINAL}.
 */

/** Outcome codes, as carried on the wire (native and telegram) and stored in typed arrays. */
export const Outcome = {
  /** Terminal: discharged into `chute` (a destination chute or an exception chute). */
  DISCHARGED: 0,
  /** Intermediate: the chute was full at the divert point; the parcel recirculates. */
  CHUTE_FULL: 1,
  /** Intermediate: the chute was disabled (or bagging) at the divert point; the parcel recirculates. */
  CHUTE_DISABLED: 2,
  /** Intermediate: the chute was blocked (jam sensor); the parcel recirculates. */
  BLOCKED: 3,
  /** Intermediate: the parcel passed its chutes and rides another lap (it will re-request). */
  RECIRCULATED: 4,
  /** Terminal: the recirculation limit was reached; the parcel went to the exception chute `chute`. */
  LOOP_LIMIT: 5,
  /** Terminal: no destination reply before the divert deadline; the parcel went to the exception chute `chute`. */
  LATE_REPLY: 6,
  /** Terminal: the PLC lost track of the parcel (carrier mismatch, parcel fell off); `chute` is 0. */
  TRACKING_LOST: 7,
} as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];

/** Names of {@link Outcome} codes, indexed by code (NDJSON and reports). */
export const OUTCOME_NAMES = [
  'discharged',
  'chuteFull',
  'chuteDisabled',
  'blocked',
  'recirculated',
  'loopLimit',
  'lateReply',
  'trackingLost',
] as const;
export type OutcomeName = (typeof OUTCOME_NAMES)[number];

/** 1 when the outcome with that code closes its task, 0 when it is intermediate. Indexed by code. */
export const OUTCOME_TERMINAL: Readonly<Uint8Array> = Uint8Array.of(1, 0, 0, 0, 0, 1, 1, 1);

/** True when `outcome` closes its task (one terminal outcome per task); false for intermediate outcomes or unknown codes. */
export function isTerminalOutcome(outcome: number): boolean {
  return OUTCOME_TERMINAL[outcome] === 1;
}
