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
  AI_COMP_START,
  AI_COUNTRY_X,
  AI_CSUM,
  AI_FLAGS,
  AI_HAS_EX,
  AI_HAS_REQ,
  AI_INDEX,
  AI_INFO_BY_INDEX,
  AI_LENGTH_BY_PREFIX,
  AI_MAX_LENGTH,
  AI_PLAIN_N,
  AI_PLAIN_X,
  AI_PREDEFINED,
  COMP_LINT_START,
  COMP_LINTS,
  INFO_ENTRY_MASK,
  INFO_FLAGS_SHIFT,
  INFO_MAX_SHIFT,
  Linter,
} from './ai-table.js';
import { CSET82_SCAN, GS, SCAN_CSET82, SCAN_GS } from './charsets.js';
import { LabelFault } from './faults.js';
import { isIso3166Numeric } from '../iso3166.js';
import { AiPresence, excludedBy, requirementsMet } from './pairing.js';
import { validateValue, type FaultSink } from './value-rules.js';

// Imported bindings are live: optimised code reloads them through the module's cells at every
// use. The parse loop reads these module-local copies, which the compiler treats as constants
// (measured: a few nanoseconds per label).
const C_GS = GS;
const C_SCAN_CSET82 = SCAN_CSET82;
const C_SCAN_GS = SCAN_GS;
const F_PLAIN_N = AI_PLAIN_N;
const F_PLAIN_X = AI_PLAIN_X;
const F_COUNTRY_X = AI_COUNTRY_X;
const F_PREDEFINED = AI_PREDEFINED;
const F_CSUM = AI_CSUM;
const F_NONE = LabelFault.NONE;
const C_ENTRY_MASK = INFO_ENTRY_MASK;
const C_MAX_SHIFT = INFO_MAX_SHIFT;
const C_FLAGS_SHIFT = INFO_FLAGS_SHIFT;

/** Most element strings kept from one read; more is {@link LabelFault.READ_TOO_LONG}. */
export const MAX_ELEMENTS = 128;

/**
 * Pairing verdicts depend only on which AIs a read holds, and labels repeat the same few AI
 * sequences ((00)(3302)(421)(403) on every sort label), so sequences of up to
 * {@link MEMO_LENGTH} AIs that passed are remembered in a small direct-mapped table. A sequence
 * is its own exact key: 1 followed by each entry number in 10 bits (at most 51 bits, exact in a
 * double), so a hit is one comparison.
 */
const MEMO_SLOTS = 256;
const MEMO_LENGTH = 5;
/** 2^10: entry numbers are below 1024 (INFO_ENTRY_MASK). */
const ENTRY_RADIX = C_ENTRY_MASK + 1;
/** FNV prime: the memo slot is an FNV-style hash of the entry sequence. */
const SEQUENCE_PRIME = 0x01000193;
/** Mask of the longest value length in AI_INFO_BY_INDEX. */
const MAX_MASK = (1 << (C_FLAGS_SHIFT - C_MAX_SHIFT)) - 1;

/** Country `c` (0-999) is one AI entry `e` accepts (ISO 3166-1 numeric; 999 for (7030)-(7039)). */
function countryOk(c: number, e: number): boolean {
  return (
    isIso3166Numeric(c) ||
    (c === 999 && COMP_LINTS[COMP_LINT_START[AI_COMP_START[e]!]!] === Linter.ISO3166999)
  );
}

/** The element strings of one read, in order, as offsets into {@link text}. */
export class Gs1Elements implements FaultSink {
  /** The string the offsets refer to: the read itself, or a normalised copy (percent-decoded Digital Link, EPC). */
  text = '';
  /** Number of elements. */
  count = 0;
  /** AI table entry per element. */
  readonly entry = new Int16Array(MAX_ELEMENTS);
  /** Offset of the AI's first digit (for element strings; the AI segment or key for Digital Link). */
  readonly aiStart = new Int32Array(MAX_ELEMENTS);
  /** Value `text[valueStart, valueEnd)`. */
  readonly valueStart = new Int32Array(MAX_ELEMENTS);
  readonly valueEnd = new Int32Array(MAX_ELEMENTS);
  /** ISO 3166-1 numeric country of an element whose AI starts with one ((421), (7030)-(7039)); -1 for other AIs. */
  readonly country = new Int16Array(MAX_ELEMENTS);
  faultOffset = 0;
  faultLinter = 0;
  faultEntry = -1;
  faultValueStart = -1;
  faultValueEnd = -1;
  /** For EXCLUSIVE and DUPLICATE_AI: the entry of the other AI, else -1. */
  faultOther = -1;
  /** The AIs present (pairing rules; filled when the memo does not know the sequence). */
  readonly present = new AiPresence();
  /** Hash of the entry sequence (memo slot). */
  private sequenceHash = 0;
  /** The entry sequence as a number (memo key; exact up to {@link MEMO_LENGTH} elements). */
  private sequence = 1;
  private readonly memo = new Float64Array(MEMO_SLOTS);

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
    this.sequence = 1;
  }

  /**
   * Parses the element string `s[start, end)` (no symbology identifier) and appends its
   * elements. Does not check pairing rules ({@link checkPairs}).
   *
   * One pass over the characters: the AI's entry comes from its digits by two table loads, and
   * the values of the common AI shapes are validated while they are scanned (fixed-length digits
   * with their check digit; CSET 82 up to the separator; an ISO 3166 country then CSET 82). A
   * value that fails any of those checks, and every other AI, goes through
   * {@link validateValue}, which finds and reports the fault.
   * @returns a {@link LabelFault} id, NONE on success.
   */
  parse(s: string, start: number, end: number): number {
    this.text = s;
    // the tables as locals: one load each per read, not per character
    const lengthByPrefix = AI_LENGTH_BY_PREFIX;
    const infoByIndex = AI_INFO_BY_INDEX;
    const scan = CSET82_SCAN;
    const entry = this.entry;
    const aiStart = this.aiStart;
    const valueStart = this.valueStart;
    const valueEnd = this.valueEnd;
    const countries = this.country;
    let n = this.count;
    let hash = this.sequenceHash;
    let sequence = this.sequence;
    let p = start;
    while (p < end) {
      const c = s.charCodeAt(p);
      if (c === C_GS) {
        p++;
        continue;
      }
      if (p + 2 > end) return this.fail(LabelFault.UNKNOWN_AI, p);
      const d1 = c - 48;
      const d2 = s.charCodeAt(p + 1) - 48;
      if ((d1 | d2 | (9 - d1) | (9 - d2)) < 0) return this.fail(LabelFault.UNKNOWN_AI, p);
      const prefix = d1 * 10 + d2;
      const len = lengthByPrefix[prefix]!;
      if (len === 0 || p + len > end) return this.fail(LabelFault.UNKNOWN_AI, p);
      let index = prefix;
      if (len !== 2) {
        const d3 = s.charCodeAt(p + 2) - 48;
        if ((d3 | (9 - d3)) < 0) return this.fail(LabelFault.UNKNOWN_AI, p);
        if (len === 3) index = 100 + prefix * 10 + d3;
        else {
          const d4 = s.charCodeAt(p + 3) - 48;
          if ((d4 | (9 - d4)) < 0) return this.fail(LabelFault.UNKNOWN_AI, p);
          index = 1100 + prefix * 100 + d3 * 10 + d4;
        }
      }
      const info = infoByIndex[index]!;
      if (info < 0) return this.fail(LabelFault.UNKNOWN_AI, p);
      const e = info & C_ENTRY_MASK;
      const max = (info >> C_MAX_SHIFT) & MAX_MASK;
      const flags = info >> C_FLAGS_SHIFT;
      const v = p + len;
      let country = -1;
      let q = v;
      let valid = false;
      /** Where the next element starts when this one is valid. */
      let next = v;
      if ((flags & F_PLAIN_N) !== 0) {
        // fixed-length digits; the weighted sum (3, 1, 3, ... from the last data digit, 1 on the
        // check digit) summed on the way (GS1 General Specifications §7.9.1). `bad` goes
        // negative on any character outside 0-9.
        q = v + max;
        if (q <= end) {
          let i = v;
          let odd = 0;
          let even = 0;
          let bad = 0;
          if ((max & 1) !== 0) {
            odd = s.charCodeAt(i++) - 48;
            bad = odd | (9 - odd);
          }
          for (; i < q; i += 2) {
            const x = s.charCodeAt(i) - 48;
            const y = s.charCodeAt(i + 1) - 48;
            bad |= x | (9 - x) | y | (9 - y);
            even += x;
            odd += y;
          }
          // a fixed length that is not pre-defined still ends at a separator or the end
          valid =
            bad >= 0 &&
            ((flags & F_PREDEFINED) !== 0 || q === end || s.charCodeAt(q) === C_GS) &&
            ((flags & F_CSUM) === 0 || (even * 3 + odd) % 10 === 0);
          next = q;
        }
      } else if ((flags & (F_PLAIN_X | F_COUNTRY_X)) !== 0) {
        // CSET 82 up to the separator (after three country digits for F_COUNTRY_X)
        let bad = 0;
        let first = v;
        if ((flags & F_COUNTRY_X) !== 0) {
          if (v + 3 < end) {
            const x = s.charCodeAt(v) - 48;
            const y = s.charCodeAt(v + 1) - 48;
            const z = s.charCodeAt(v + 2) - 48;
            bad = x | (9 - x) | y | (9 - y) | z | (9 - z);
            if (bad >= 0) {
              country = x * 100 + y * 10 + z;
              if (!countryOk(country, e)) bad = -1;
            }
            first = q = v + 3;
          } else bad = -1;
        }
        for (; q < end; q++) {
          const t = scan[s.charCodeAt(q)]!;
          if (t !== C_SCAN_CSET82) {
            if (t === C_SCAN_GS) break;
            bad = -1;
          }
        }
        valid = bad >= 0 && q > first && q - v <= max;
        // the separator that ended the value is not read again
        next = q < end ? q + 1 : q;
      }
      if (valid) {
        if (n === MAX_ELEMENTS) return this.fail(LabelFault.READ_TOO_LONG, p);
        entry[n] = e;
        aiStart[n] = p;
        valueStart[n] = v;
        valueEnd[n] = q;
        countries[n] = country;
        n++;
        hash = Math.imul(hash ^ e, SEQUENCE_PRIME);
        sequence = sequence * ENTRY_RADIX + e;
        p = next;
        continue;
      }
      // any other AI, or a value that failed a check above: validateValue finds the fault (the
      // call leaves the loop, so that the loop keeps its state in registers)
      this.count = n;
      this.sequenceHash = hash;
      this.sequence = sequence;
      return this.parseOther(s, e, flags, p, v, end);
    }
    this.count = n;
    this.sequenceHash = hash;
    this.sequence = sequence;
    return n === 0 ? this.fail(LabelFault.EMPTY, end) : F_NONE;
  }

  /**
   * The element of entry `e` (flags `flags`) whose AI starts at `p` and value at `v`, when the
   * scan in {@link parse} did not accept it: its end by the AI's length rule, then
   * {@link validateValue} (which finds the fault, if any); then the rest of `s[.., end)`.
   * @returns a {@link LabelFault} id, NONE on success.
   */
  private parseOther(
    s: string,
    e: number,
    flags: number,
    p: number,
    v: number,
    end: number,
  ): number {
    let q: number;
    if ((flags & AI_PREDEFINED) !== 0) {
      q = v + AI_MAX_LENGTH[e]!;
      if (q > end) return this.cutShort(s, e, v, end);
    } else {
      q = v;
      while (q < end && s.charCodeAt(q) !== GS) q++;
    }
    const fault = this.add(e, p, v, q);
    if (fault === LabelFault.NONE) return this.parse(s, q, end);
    // a separator inside a pre-defined length value: the value was cut short
    if (fault === LabelFault.CHARACTER && s.charCodeAt(this.faultOffset) === GS)
      return this.cutShort(s, e, v, q);
    return fault;
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
    this.sequenceHash = Math.imul(this.sequenceHash ^ e, SEQUENCE_PRIME);
    this.sequence = this.sequence * ENTRY_RADIX + e;
    const t = this.text;
    this.country[i] =
      (AI_FLAGS[e]! & AI_COUNTRY_X) === 0
        ? -1
        : (t.charCodeAt(valueStart) - 48) * 100 +
          (t.charCodeAt(valueStart + 1) - 48) * 10 +
          (t.charCodeAt(valueStart + 2) - 48);
    this.entry[i] = e;
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
    // small enough to be inlined: a sequence seen before is one comparison
    if (
      this.count <= MEMO_LENGTH &&
      this.memo[this.sequenceHash & (MEMO_SLOTS - 1)] === this.sequence
    )
      return F_NONE;
    return this.checkPairsOnce();
  }

  /** {@link checkPairs} for a sequence the memo does not know: every rule; remembered when it holds. */
  private checkPairsOnce(): number {
    const n = this.count;
    const present = this.present;
    present.clear();
    let repeated = false;
    for (let i = 0; i < n; i++) if (present.add(AI_INDEX[this.entry[i]!]!)) repeated = true;
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
        while (AI_INDEX[this.entry[k]!] !== other) k++;
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
    if (!repeated && n <= MEMO_LENGTH)
      this.memo[this.sequenceHash & (MEMO_SLOTS - 1)] = this.sequence;
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
