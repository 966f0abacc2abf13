/**
 * GS1 AI pairing rules (GS1 General Specifications §4.14 "Invalid pairs of element strings" and
 * "Mandatory associations"), as compiled from the Syntax Dictionary's `ex=` and `req=`
 * attributes: checks over the index-space positions ({@link aiIndex}) of the AIs present.
 */
import {
  AI_EX_COUNT, AI_EX_START, AI_INDEX, AI_REQ_COUNT, AI_REQ_START, ALT_ATOM_COUNT, ALT_ATOM_START, ATOM_HI, ATOM_LO,
  GROUP_ALT_COUNT, GROUP_ALT_START,
} from './ai-table.js';

/** True when one of `present[0, count)` lies in the index-space range [lo, hi]. */
function anyIn(present: Uint16Array, count: number, lo: number, hi: number): boolean {
  for (let i = 0; i < count; i++) {
    const x = present[i]!;
    if (x >= lo && x <= hi) return true;
  }
  return false;
}

/**
 * The first AI of `present[0, count)` that entry `e` may not appear with, as an index into
 * `present`, or -1. An AI is never exclusive of itself (the dictionary's rule for patterns such
 * as `ex=310n` on (3103)).
 */
export function excludedBy(e: number, present: Uint16Array, count: number): number {
  const self = AI_INDEX[e]!;
  const a1 = AI_EX_START[e]! + AI_EX_COUNT[e]!;
  for (let a = AI_EX_START[e]!; a < a1; a++) {
    const lo = ATOM_LO[a]!;
    const hi = ATOM_HI[a]!;
    for (let i = 0; i < count; i++) {
      const x = present[i]!;
      if (x !== self && x >= lo && x <= hi) return i;
    }
  }
  return -1;
}

/**
 * True when every mandatory association of entry `e` is met by the AIs `present[0, count)`:
 * each `req=` group needs one alternative whose AIs (`+`-joined) are all present.
 */
export function requirementsMet(e: number, present: Uint16Array, count: number): boolean {
  const g1 = AI_REQ_START[e]! + AI_REQ_COUNT[e]!;
  for (let g = AI_REQ_START[e]!; g < g1; g++) {
    let groupMet = false;
    const alt1 = GROUP_ALT_START[g]! + GROUP_ALT_COUNT[g]!;
    for (let alt = GROUP_ALT_START[g]!; alt < alt1 && !groupMet; alt++) {
      let all = true;
      const at1 = ALT_ATOM_START[alt]! + ALT_ATOM_COUNT[alt]!;
      for (let at = ALT_ATOM_START[alt]!; at < at1 && all; at++) all = anyIn(present, count, ATOM_LO[at]!, ATOM_HI[at]!);
      groupMet = all;
    }
    if (!groupMet) return false;
  }
  return true;
}
