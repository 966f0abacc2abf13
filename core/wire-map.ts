/**
 * The explicit mapping between the gateway protocol's wire codes (core/protocol codes.ts) and the
 * core's own tables: sort-plan fallbacks (core/plan fallbacks.ts) ↔ destination-reply status, and
 * machine chute states (core/sorter states.ts) ↔ wire chute states. Today the numbers coincide;
 * the tables are kept apart so either side may change without the other, and a test checks the
 * mapping both ways.
 */
import { Fallback, type FallbackCode } from './plan/index.js';
import {
  ReplyStatus,
  WireChuteState,
  type ReplyStatusCode,
  type WireChuteStateCode,
} from './protocol/index.js';
import { ChuteState, type ChuteStateCode } from './sorter/index.js';

/** Reply status by fallback code (index: {@link Fallback}; NONE → OK). */
const STATUS_OF_FALLBACK: readonly ReplyStatusCode[] = (() => {
  const t: ReplyStatusCode[] = [];
  t[Fallback.NONE] = ReplyStatus.OK;
  t[Fallback.NO_READ] = ReplyStatus.NO_READ;
  t[Fallback.NO_RULE] = ReplyStatus.NO_RULE;
  t[Fallback.MULTI_READ] = ReplyStatus.MULTI_READ;
  t[Fallback.RECIRCULATION_LIMIT] = ReplyStatus.RECIRCULATION_LIMIT;
  t[Fallback.OVERSIZE] = ReplyStatus.OVERSIZE;
  t[Fallback.NO_CHUTE] = ReplyStatus.NO_CHUTE;
  return t;
})();

/** Fallback code by reply status (index: {@link ReplyStatus}; OK → NONE). */
const FALLBACK_OF_STATUS: readonly FallbackCode[] = invert(STATUS_OF_FALLBACK);

/** Wire chute state by machine chute state (index: {@link ChuteState}). */
const WIRE_OF_CHUTE_STATE: readonly WireChuteStateCode[] = (() => {
  const t: WireChuteStateCode[] = [];
  t[ChuteState.OPEN] = WireChuteState.OPEN;
  t[ChuteState.FULL] = WireChuteState.FULL;
  t[ChuteState.BLOCKED] = WireChuteState.BLOCKED;
  t[ChuteState.DISABLED] = WireChuteState.DISABLED;
  t[ChuteState.BAGGING] = WireChuteState.BAGGING;
  return t;
})();

/** Machine chute state by wire chute state (index: {@link WireChuteState}). */
const CHUTE_STATE_OF_WIRE: readonly ChuteStateCode[] = invert(WIRE_OF_CHUTE_STATE);

function invert<A extends number, B extends number>(t: readonly B[]): A[] {
  const out: A[] = [];
  t.forEach((b, a) => {
    out[b] = a as A;
  });
  return out;
}

/** The reply status for fallback `f` (`Fallback.NONE` → `ReplyStatus.OK`). */
export function replyStatusOf(f: FallbackCode): ReplyStatusCode {
  return STATUS_OF_FALLBACK[f]!;
}

/**
 * The fallback a reply status stands for (`ReplyStatus.OK` → `Fallback.NONE`); undefined for
 * `ReplyStatus.BUSY`, the one status that is no sort-plan fallback (the controller shed the
 * request, docs/protocol.md "Overload: the busy reply").
 */
export function fallbackOf(status: ReplyStatusCode): FallbackCode | undefined {
  return FALLBACK_OF_STATUS[status];
}

/** The wire code of machine chute state `s`. */
export function wireChuteState(s: ChuteStateCode): WireChuteStateCode {
  return WIRE_OF_CHUTE_STATE[s]!;
}

/** The machine chute state of wire code `w`. */
export function machineChuteState(w: WireChuteStateCode): ChuteStateCode {
  return CHUTE_STATE_OF_WIRE[w]!;
}
