/**
 * GS1 AI pairing rules (GS1 General Specifications §4.14 "Invalid pairs of element strings" and
 * "Mandatory associations"), as compiled from the Syntax Dictionary's `ex=` and `req=`
 * attributes, checked against an {@link AiPresence}: the set of AIs present, as stamps in an
 * array over the AI index space ({@link aiIndex}), so that a single-AI rule is one load.
 */
import {
  AI_EX_COUNT,
  AI_EX_START,
  AI_INDEX,
  AI_INDEX_SPACE,
  AI_REQ_COUNT,
  AI_REQ_START,
  ALT_ATOM_COUNT,
  ALT_ATOM_START,
  ATOM_HI,
  ATOM_LO,
  GROUP_ALT_COUNT,
  GROUP_ALT_START,
} from './ai-table.js';

/** A set of AIs (index-space positions), cleared in O(1) by moving to a new generation. */
export class AiPresence {
  private readonly stamp = new Uint32Array(AI_INDEX_SPACE);
  private generation = 1;

  /** Empties the set. */
  clear(): void {
    if (++this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  /** Adds the AI at index-space position `index`; returns true when it was already present. */
  add(index: number): boolean {
    const had = this.stamp[index] === this.generation;
    this.stamp[index] = this.generation;
    return had;
  }

  /** True when an AI in the index-space range [lo, hi] is present. */
  hasAny(lo: number, hi: number): boolean {
    const g = this.generation;
    for (let i = lo; i <= hi; i++) if (this.stamp[i] === g) return true;
    return false;
  }

  /** True when an AI in [lo, hi] other than `self` is present. */
  hasOther(lo: number, hi: number, self: number): boolean {
    const g = this.generation;
    for (let i = lo; i <= hi; i++) if (i !== self && this.stamp[i] === g) return true;
    return false;
  }
}

/**
 * The index-space position of an AI present in `set` that entry `e` may not appear with, or -1.
 * An AI is never exclusive of itself (the dictionary's rule for patterns such as `ex=310n` on
 * (3103)).
 */
export function excludedBy(e: number, set: AiPresence): number {
  const self = AI_INDEX[e]!;
  const a1 = AI_EX_START[e]! + AI_EX_COUNT[e]!;
  for (let a = AI_EX_START[e]!; a < a1; a++) {
    const lo = ATOM_LO[a]!;
    const hi = ATOM_HI[a]!;
    if (set.hasOther(lo, hi, self)) {
      for (let i = lo; i <= hi; i++) if (i !== self && set.hasAny(i, i)) return i;
    }
  }
  return -1;
}

/**
 * True when every mandatory association of entry `e` is met by the AIs in `set`: each `req=`
 * group needs one alternative whose AIs (`+`-joined) are all present.
 */
export function requirementsMet(e: number, set: AiPresence): boolean {
  const g1 = AI_REQ_START[e]! + AI_REQ_COUNT[e]!;
  for (let g = AI_REQ_START[e]!; g < g1; g++) {
    let groupMet = false;
    const alt1 = GROUP_ALT_START[g]! + GROUP_ALT_COUNT[g]!;
    for (let alt = GROUP_ALT_START[g]!; alt < alt1 && !groupMet; alt++) {
      let all = true;
      const at1 = ALT_ATOM_START[alt]! + ALT_ATOM_COUNT[alt]!;
      for (let at = ALT_ATOM_START[alt]!; at < at1 && all; at++)
        all = set.hasAny(ATOM_LO[at]!, ATOM_HI[at]!);
      groupMet = all;
    }
    if (!groupMet) return false;
  }
  return true;
}
