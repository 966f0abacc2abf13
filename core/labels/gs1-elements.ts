/**
 * GS1 element strings (GS1 General Specifications §7.8 "Concatenation" and §7.9 "Processing of
 * data from a GS1 symbology"): a sequence of AI + value, where the value of a pre-defined
 * length AI ends by length and any other value ends at the FNC1 separator (transmitted as GS,
 * 0x1D) or at the end of the data.
 *
 * Strict: a variable-length value runs to the next separator and is an error when that makes it
 * too long (it is never cut to fit, and never re-read as the next AI); a fixed but not pre-defined
 * length AI such as (402) needs its separator too. Tolerant where the standard allows: a leading,
 * doubled or trailing separator is skipped.
 *
 * Results live in the preallocated arrays of {@link Gs1Elements}: offsets into {@link
 * Gs1Elements.text}, no substrings, no objects per element.
 */
import {
  AI_COMP_START, AI_COUNTRY_X, AI_ENTRY_BY_INDEX, AI_FLAGS, AI_HAS_EX, AI_HAS_REQ, AI_INDEX, AI_LENGTH_BY_PREFIX, AI_MAX_LENGTH, AI_PLAIN_N,
  AI_PLAIN_X, AI_PREDEFINED, COMP_CSUM, COMP_LINT_START, COMP_LINTS, Linter, aiIndex,
} from './ai-table.js';
import { CHAR_CLASS, CSET82, GS } from './charsets.js';
import { LabelFault } from './faults.js';
import { isIso3166Numeric } from './iso3166.js';
import { AiPresence, excludedBy, requirementsMet } from './pairing.js';
import { validateValue, type FaultSink } from './value-rules.js';

/** Most element strings kept from one read; more is {@link LabelFault.READ_TOO_LONG}. */
export const MAX_ELEMENTS = 128;

/**
 * Pairing verdicts depend only on which AIs a read holds, and labels repeat the same few AI
 * sequences ((00)(3302)(421)(403) on every sort label), so sequences of up to
 * {@link MEMO_LENGTH} AIs that passed are remembered in a small direct-mapped table.
 */
const MEMO_SLOTS = 256;
const MEMO_LENGTH = 8;

/** The three digits at `s[v]` are a country AI entry `e` accepts (ISO 3166-1 numeric; 999 for (7030)-(7039)). */
function countryOk(s: string, v: number, e: number): boolean {
  const c = (s.charCodeAt(v) - 48) * 100 + (s.charCodeAt(v + 1) - 48) * 10 + (s.charCodeAt(v + 2) - 48);
  return isIso3166Numeric(c) || (c === 999 && COMP_LINTS[COMP_LINT_START[AI_COMP_START[e]!]!] === Linter.ISO3166999);
}

/** The element strings of one read, in order, as offsets into {@link text}. */
export class Gs1Elements implements FaultSink {
  /** The string the offsets refer to: the read itself, or a normalised copy (percent-decoded Digital Link, EPC). */
  text = '';
  /** Number of elements. */
  count = 0;
  /** AI table entry per element. */
  readonly entry = new Int16Array(MAX_ELEMENTS);
  /** AI index-space position per element (pairing checks). */
  readonly index = new Uint16Array(MAX_ELEMENTS);
  /** Offset of the AI's first digit (for element strings; the AI segment or key for Digital Link). */
  readonly aiStart = new Int32Array(MAX_ELEMENTS);
  /** Value `text[valueStart, valueEnd)`. */
  readonly valueStart = new Int32Array(MAX_ELEMENTS);
  readonly valueEnd = new Int32Array(MAX_ELEMENTS);
  faultOffset = 0;
  faultLinter = 0;
  faultEntry = -1;
  faultValueStart = -1;
  faultValueEnd = -1;
  /** For EXCLUSIVE and DUPLICATE_AI: the entry of the other AI, else -1. */
  faultOther = -1;
  /** The AIs present (pairing rules; filled when the memo does not know the sequence). */
  readonly present = new AiPresence();
  /** Hash of the entry sequence (memo key). */
  private sequenceHash = 0;
  private readonly memoHash = new Int32Array(MEMO_SLOTS);
  private readonly memoCount = new Uint8Array(MEMO_SLOTS);
  private readonly memoEntries = new Int16Array(MEMO_SLOTS * MEMO_LENGTH);

  /** Forgets all elements and fault details; `text` becomes `s`. */
  reset(s: string): void {
    this.text = s;
    this.count = 0;
    this.faultOffset = 0;
    this.faultLinter = 0;
    this.faultEntry = -1;
    this.faultValueStart = -1;
    this.faultValueEnd = -1;
    this.faultOther = -1;
    this.sequenceHash = 0;
  }

  /**
   * Parses the element string `s[start, end)` (no symbology identifier) and appends its
   * elements. Does not check pairing rules ({@link checkPairs}).
   * @returns a {@link LabelFault} id, NONE on success.
   */
  parse(s: string, start: number, end: number): number {
    this.text = s;
    let p = start;
    while (p < end) {
      const c = s.charCodeAt(p);
      if (c === GS) {
        p++;
        continue;
      }
      const aiStart = p;
      const d1 = c - 48;
      const d2 = s.charCodeAt(p + 1) - 48;
      if (p + 2 > end || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return this.fail(LabelFault.UNKNOWN_AI, p);
      const len = AI_LENGTH_BY_PREFIX[d1 * 10 + d2]!;
      if (len === 0 || p + len > end) return this.fail(LabelFault.UNKNOWN_AI, p);
      let code = d1 * 10 + d2;
      for (let k = p + 2; k < p + len; k++) {
        const d = s.charCodeAt(k) - 48;
        if (d < 0 || d > 9) return this.fail(LabelFault.UNKNOWN_AI, p);
        code = code * 10 + d;
      }
      const e = AI_ENTRY_BY_INDEX[aiIndex(code, len)]!;
      if (e < 0) return this.fail(LabelFault.UNKNOWN_AI, p);
      const v = p + len;
      let q: number;
      const flags = AI_FLAGS[e]!;
      if ((flags & AI_PLAIN_N) !== 0) {
        // fixed-length digits, with the check digit summed on the way (GS1 General Specifications §7.9.1)
        q = v + AI_MAX_LENGTH[e]!;
        if (q <= end) {
          let sum = 0;
          let i = v;
          for (; i < q; i++) {
            const d = s.charCodeAt(i) - 48;
            if (d < 0 || d > 9) break;
            sum += ((q - i) & 1) === 0 ? d * 3 : d;
          }
          // a fixed length that is not pre-defined still ends at a separator or the end
          const ended = (flags & AI_PREDEFINED) !== 0 || q === end || s.charCodeAt(q) === GS;
          if (i === q && ended && (sum % 10 === 0 || COMP_CSUM[AI_COMP_START[e]!] === 0)) {
            if (this.count === MAX_ELEMENTS) return this.fail(LabelFault.READ_TOO_LONG, aiStart);
            this.push(e, aiStart, v, q);
            p = q;
            continue;
          }
        }
        if ((flags & AI_PREDEFINED) === 0) {
          q = v;
          while (q < end && s.charCodeAt(q) !== GS) q++;
        } else if (q > end) {
          return this.cutShort(s, e, v, end);
        }
      } else if ((flags & AI_PREDEFINED) !== 0) {
        q = v + AI_MAX_LENGTH[e]!;
        if (q > end) return this.cutShort(s, e, v, end);
      } else if ((flags & AI_COUNTRY_X) !== 0) {
        // country digits, then CSET 82 up to the separator, in one pass; anything unusual (a
        // short value, a bad character, an unknown country, too long) is left to validateValue
        q = v;
        let bad = q + 3 > end;
        for (; q < end; q++) {
          const ch = s.charCodeAt(q);
          if (ch === GS) break;
          if (q < v + 3 ? ch < 48 || ch > 57 : ch >= 128 || (CHAR_CLASS[ch]! & CSET82) === 0) bad = true;
        }
        if (!bad && q - v > 3 && q - v <= AI_MAX_LENGTH[e]! && countryOk(s, v, e)) {
          if (this.count === MAX_ELEMENTS) return this.fail(LabelFault.READ_TOO_LONG, aiStart);
          this.push(e, aiStart, v, q);
          p = q;
          continue;
        }
      } else if ((flags & AI_PLAIN_X) !== 0) {
        // one pass: find the separator and check CSET 82 on the way (length first, then characters)
        q = v;
        let bad = -1;
        for (; q < end; q++) {
          const ch = s.charCodeAt(q);
          if (ch === GS) break;
          if (bad < 0 && (ch >= 128 || (CHAR_CLASS[ch]! & CSET82) === 0)) bad = q;
        }
        if (bad < 0 && q > v && q - v <= AI_MAX_LENGTH[e]!) {
          if (this.count === MAX_ELEMENTS) return this.fail(LabelFault.READ_TOO_LONG, aiStart);
          this.push(e, aiStart, v, q);
          p = q;
          continue;
        }
      } else {
        q = v;
        while (q < end && s.charCodeAt(q) !== GS) q++;
      }
      const fault = this.add(e, aiStart, v, q);
      if (fault !== LabelFault.NONE) {
        // a separator inside a pre-defined length value: the value was cut short
        if (fault === LabelFault.CHARACTER && s.charCodeAt(this.faultOffset) === GS) return this.cutShort(s, e, v, q);
        return fault;
      }
      p = q;
    }
    return this.count === 0 ? this.fail(LabelFault.EMPTY, end) : LabelFault.NONE;
  }

  /**
   * Validates value `text[valueStart, valueEnd)` of AI table entry `e` and appends it.
   * @returns a {@link LabelFault} id, NONE on success.
   */
  add(e: number, aiStart: number, valueStart: number, valueEnd: number): number {
    if (this.count === MAX_ELEMENTS) return this.fail(LabelFault.READ_TOO_LONG, aiStart);
    const fault = validateValue(this.text, valueStart, valueEnd, e, this);
    if (fault !== LabelFault.NONE) return fault;
    this.push(e, aiStart, valueStart, valueEnd);
    return LabelFault.NONE;
  }

  private push(e: number, aiStart: number, valueStart: number, valueEnd: number): void {
    const i = this.count++;
    this.sequenceHash = Math.imul(this.sequenceHash ^ e, 0x01000193);
    this.entry[i] = e;
    this.index[i] = AI_INDEX[e]!;
    this.aiStart[i] = aiStart;
    this.valueStart[i] = valueStart;
    this.valueEnd[i] = valueEnd;
  }

  /**
   * Checks the elements as a whole: the same AI twice must carry the same value, no invalid
   * pair, then every mandatory association (checked last, so that a caller which sees only
   * REQUIRED knows the elements are otherwise valid and may re-check the associations over
   * several reads).
   * @returns a {@link LabelFault} id, NONE when all hold.
   */
  checkPairs(): number {
    const n = this.count;
    const slot = this.sequenceHash & (MEMO_SLOTS - 1);
    if (n <= MEMO_LENGTH && this.memoCount[slot] === n && this.memoHash[slot] === this.sequenceHash) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = this.memoEntries[slot * MEMO_LENGTH + i] === this.entry[i];
      if (same) return LabelFault.NONE;
    }
    const present = this.present;
    present.clear();
    let repeated = false;
    for (let i = 0; i < n; i++) if (present.add(this.index[i]!)) repeated = true;
    if (repeated) {
      for (let i = 1; i < n; i++) {
        for (let j = 0; j < i; j++) {
          if (this.entry[i] === this.entry[j] && !this.sameValue(i, j)) {
            this.faultEntry = this.entry[i]!;
            this.faultOther = this.entry[j]!;
            return this.fail(LabelFault.DUPLICATE_AI, this.aiStart[i]!);
          }
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const e = this.entry[i]!;
      if ((AI_FLAGS[e]! & AI_HAS_EX) === 0) continue;
      const other = excludedBy(e, present);
      if (other >= 0) {
        let k = 0;
        while (this.index[k] !== other) k++;
        const later = k > i ? k : i;
        this.faultEntry = this.entry[later]!;
        this.faultOther = this.entry[later === k ? i : k]!;
        return this.fail(LabelFault.EXCLUSIVE, this.aiStart[later]!);
      }
    }
    for (let i = 0; i < n; i++) {
      const e = this.entry[i]!;
      if ((AI_FLAGS[e]! & AI_HAS_REQ) === 0) continue;
      if (!requirementsMet(e, present)) {
        this.faultEntry = e;
        return this.fail(LabelFault.REQUIRED, this.aiStart[i]!);
      }
    }
    if (!repeated && n <= MEMO_LENGTH) {
      this.memoHash[slot] = this.sequenceHash;
      this.memoCount[slot] = n;
      for (let i = 0; i < n; i++) this.memoEntries[slot * MEMO_LENGTH + i] = this.entry[i]!;
    }
    return LabelFault.NONE;
  }

  /** Index of the first element with AI table entry `e`, -1 when none. */
  find(e: number): number {
    for (let i = 0; i < this.count; i++) if (this.entry[i] === e) return i;
    return -1;
  }

  private sameValue(i: number, j: number): boolean {
    const a = this.valueStart[i]!;
    const b = this.valueStart[j]!;
    const n = this.valueEnd[i]! - a;
    if (n !== this.valueEnd[j]! - b) return false;
    const t = this.text;
    for (let k = 0; k < n; k++) if (t.charCodeAt(a + k) !== t.charCodeAt(b + k)) return false;
    return true;
  }

  /** TOO_SHORT for the pre-defined length value of entry `e` at `v`: it ends at the first separator before `end`, or at `end`. */
  private cutShort(s: string, e: number, v: number, end: number): number {
    let stop = v;
    while (stop < end && s.charCodeAt(stop) !== GS) stop++;
    this.faultEntry = e;
    this.faultLinter = 0;
    this.faultValueStart = v;
    this.faultValueEnd = stop;
    return this.fail(LabelFault.TOO_SHORT, stop);
  }

  private fail(fault: number, offset: number): number {
    this.faultOffset = offset;
    return fault;
  }
}
