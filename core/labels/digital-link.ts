/**
 * GS1 Digital Link URIs in plain QR codes and Data Matrix (GS1 Digital Link Standard: URI
 * Syntax, release 1.4, §4 "Uncompressed GS1 Digital Link URI"): `http(s)://host[/prefix]/
 * {primary-key-AI}/{value}[/{qualifier-AI}/{value}...][?{attribute-AI}={value}&...]`.
 *
 * The primary key is the first path segment that is an AI marked `dlpkey` in the Syntax
 * Dictionary and is followed by a value; anything before it is a custom path prefix. Qualifiers
 * must follow in one of the key's permitted orders; query parameters with numeric keys must be
 * AIs permitted as data attributes, other query parameters are ignored (as the standard says).
 *
 * Values are validated in place when they contain no percent escape. A value with `%` escapes
 * (or a GTIN-8/12/13 written for a GTIN-14) is normalised into a GS1 element string, the rare
 * path that builds a new string; fault offsets are mapped back to the URI.
 */
import {
  AI_DL_ATTRIBUTE,
  AI_DL_KEY,
  AI_DL_SEQ_COUNT,
  AI_DL_SEQ_START,
  AI_ENTRY_BY_INDEX,
  AI_FLAGS,
  AI_LENGTH_BY_PREFIX,
  AI_PREDEFINED,
  AI_STRINGS,
  DL_SEQ_ITEM_COUNT,
  DL_SEQ_ITEM_START,
  DL_SEQ_ITEMS,
  aiIndex,
} from './ai-table.js';
import { GS, hexValue } from './charsets.js';
import { LabelFault, MAX_READ_LENGTH } from './faults.js';
import type { Gs1Elements } from './gs1-elements.js';

/** Returned when the data is not a GS1 Digital Link URI (it is plain text). */
export const NOT_DIGITAL_LINK = -1;

const MAX_SEGMENTS = 64;
const CH_SLASH = 47;
const CH_QUESTION = 63;
const CH_HASH = 35;
const CH_AMP = 38;
const CH_EQUALS = 61;
const CH_PERCENT = 37;
const AI_GTIN = 1;

/** Case-insensitive check that `s` continues at `at` with the lower-case ASCII `word`. */
function startsWithFolded(s: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if ((s.charCodeAt(at + i) | 0x20) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** True when `s[a, b)` opens like an http(s) URI. */
export function looksLikeUri(s: string, a: number, b: number): boolean {
  return (
    b - a > 8 &&
    startsWithFolded(s, a, 'http') &&
    (s.startsWith('://', a + 4) ||
      ((s.charCodeAt(a + 4) | 0x20) === 115 && s.startsWith('://', a + 5)))
  );
}

/** AI table entry of the all-digit segment `s[a, b)`, or -1. */
function segmentEntry(s: string, a: number, b: number): number {
  const n = b - a;
  if (n < 2 || n > 4) return -1;
  let code = 0;
  for (let i = a; i < b; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    code = code * 10 + d;
  }
  const prefix = n === 2 ? code : n === 3 ? (code / 10) | 0 : (code / 100) | 0;
  if (AI_LENGTH_BY_PREFIX[prefix] !== n) return -1;
  return AI_ENTRY_BY_INDEX[aiIndex(code, n)]!;
}

function hasPercent(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (s.charCodeAt(i) === CH_PERCENT) return true;
  return false;
}

/** True when the qualifier entries `quals[0, n)` follow one of the permitted orders of key entry `key`. */
function qualifiersInOrder(key: number, quals: Int16Array, n: number): boolean {
  if (n === 0) return true;
  const q1 = AI_DL_SEQ_START[key]! + AI_DL_SEQ_COUNT[key]!;
  for (let q = AI_DL_SEQ_START[key]!; q < q1; q++) {
    let j = DL_SEQ_ITEM_START[q]!;
    const j1 = j + DL_SEQ_ITEM_COUNT[q]!;
    let matched = 0;
    while (matched < n && j < j1) {
      if (DL_SEQ_ITEMS[j] === quals[matched]) matched++;
      j++;
    }
    if (matched === n) return true;
  }
  return false;
}

/**
 * Parses a GS1 Digital Link URI into elements (the reader of a Digital Link, like a barcode
 * reader, yields element strings). Preallocated scratch; one instance per resolver.
 */
export class DigitalLinkParser {
  private readonly segStart = new Int32Array(MAX_SEGMENTS);
  private readonly segEnd = new Int32Array(MAX_SEGMENTS);
  /** Parsed (entry, value range) pairs, in element order: key, qualifiers, attributes. */
  private readonly pEntry = new Int16Array(MAX_SEGMENTS + 64);
  private readonly pAi = new Int32Array(MAX_SEGMENTS + 64);
  private readonly pStart = new Int32Array(MAX_SEGMENTS + 64);
  private readonly pEnd = new Int32Array(MAX_SEGMENTS + 64);
  private readonly quals = new Int16Array(MAX_SEGMENTS);
  /** Offset in the URI of each character of a normalised element string (rare path). */
  private readonly origin = new Int32Array(MAX_READ_LENGTH + 1);

  /**
   * Parses `s[a, b)` (an http(s) URI) into `out` (which it resets).
   * @returns {@link NOT_DIGITAL_LINK} when no path segment is a GS1 primary key with a value
   *   (ordinary URL: the caller treats it as text), else a {@link LabelFault} id.
   */
  parse(s: string, a: number, b: number, out: Gs1Elements): number {
    out.reset(s);
    let p = s.charCodeAt(a + 4) === 58 ? a + 7 : a + 8; // after "http://" or "https://"
    while (p < b && s.charCodeAt(p) !== CH_SLASH) p++;
    if (p >= b) return NOT_DIGITAL_LINK;
    let pathEnd = p;
    while (pathEnd < b) {
      const c = s.charCodeAt(pathEnd);
      if (c === CH_QUESTION || c === CH_HASH) break;
      pathEnd++;
    }
    let n = 0;
    for (let i = p + 1; i <= pathEnd; i++) {
      if (i === pathEnd || s.charCodeAt(i) === CH_SLASH) {
        if (n === MAX_SEGMENTS) return NOT_DIGITAL_LINK;
        this.segStart[n] = p + 1;
        this.segEnd[n] = i;
        n++;
        p = i;
      }
    }
    let k = -1;
    for (let i = 0; i + 1 < n; i++) {
      const e = segmentEntry(s, this.segStart[i]!, this.segEnd[i]!);
      if (e >= 0 && (AI_FLAGS[e]! & AI_DL_KEY) !== 0) {
        k = i;
        break;
      }
    }
    if (k < 0) return NOT_DIGITAL_LINK;
    if (((n - k) & 1) !== 0) return fail(out, LabelFault.DIGITAL_LINK, this.segStart[n - 1]!);
    let count = 0;
    let quals = 0;
    const key = segmentEntry(s, this.segStart[k]!, this.segEnd[k]!);
    for (let i = k; i < n; i += 2) {
      const e = segmentEntry(s, this.segStart[i]!, this.segEnd[i]!);
      if (e < 0) return fail(out, LabelFault.UNKNOWN_AI, this.segStart[i]!);
      if (this.segEnd[i + 1]! === this.segStart[i + 1]!)
        return fail(out, LabelFault.DIGITAL_LINK, this.segStart[i + 1]!);
      if (i > k) this.quals[quals++] = e;
      this.pEntry[count] = e;
      this.pAi[count] = this.segStart[i]!;
      this.pStart[count] = this.segStart[i + 1]!;
      this.pEnd[count] = this.segEnd[i + 1]!;
      count++;
    }
    if (!qualifiersInOrder(key, this.quals, quals))
      return fail(out, LabelFault.DIGITAL_LINK, this.segStart[k + 2]!);
    // query: attributes
    if (pathEnd < b && s.charCodeAt(pathEnd) === CH_QUESTION) {
      let q = pathEnd + 1;
      let queryEnd = q;
      while (queryEnd < b && s.charCodeAt(queryEnd) !== CH_HASH) queryEnd++;
      while (q < queryEnd) {
        let amp = q;
        while (amp < queryEnd && s.charCodeAt(amp) !== CH_AMP) amp++;
        let eq = q;
        while (eq < amp && s.charCodeAt(eq) !== CH_EQUALS) eq++;
        if (isDigits(s, q, eq)) {
          const e = segmentEntry(s, q, eq);
          if (e < 0) return fail(out, LabelFault.UNKNOWN_AI, q);
          if ((AI_FLAGS[e]! & AI_DL_ATTRIBUTE) === 0 || eq >= amp - 1)
            return fail(out, LabelFault.DIGITAL_LINK, q);
          if (count === this.pEntry.length) return fail(out, LabelFault.READ_TOO_LONG, q);
          this.pEntry[count] = e;
          this.pAi[count] = q;
          this.pStart[count] = eq + 1;
          this.pEnd[count] = amp;
          count++;
        }
        q = amp + 1;
      }
    }
    let normalise = false;
    for (let i = 0; i < count && !normalise; i++) {
      normalise =
        hasPercent(s, this.pStart[i]!, this.pEnd[i]!) ||
        (this.pEntry[i] === AI_GTIN && this.pEnd[i]! - this.pStart[i]! !== 14);
    }
    if (normalise) return this.parseNormalised(s, count, out);
    for (let i = 0; i < count; i++) {
      const fault = out.add(this.pEntry[i]!, this.pAi[i]!, this.pStart[i]!, this.pEnd[i]!);
      if (fault !== LabelFault.NONE) return fault;
    }
    return LabelFault.NONE;
  }

  /** Rare path: percent-decode (and pad a short GTIN) into an element string, parse that. */
  private parseNormalised(s: string, count: number, out: Gs1Elements): number {
    let text = '';
    const origin = this.origin;
    for (let i = 0; i < count; i++) {
      const e = this.pEntry[i]!;
      const ai = AI_STRINGS[e]!;
      for (let j = 0; j < ai.length; j++) origin[text.length + j] = this.pAi[i]!;
      text += ai;
      const a = this.pStart[i]!;
      const b = this.pEnd[i]!;
      if (e === AI_GTIN && b - a < 14 && (b - a === 8 || b - a === 12 || b - a === 13)) {
        for (let j = b - a; j < 14; j++) {
          origin[text.length] = a;
          text += '0';
        }
      }
      for (let j = a; j < b; j++) {
        let c = s.charCodeAt(j);
        origin[text.length] = j;
        if (c === CH_PERCENT) {
          const hi = hexValue(s.charCodeAt(j + 1));
          const lo = hexValue(s.charCodeAt(j + 2));
          if (j + 2 >= b || hi < 0 || lo < 0) return fail(out, LabelFault.DIGITAL_LINK, j);
          c = hi * 16 + lo;
          j += 2;
        }
        if (c === GS) return fail(out, LabelFault.CHARACTER, j);
        text += String.fromCharCode(c);
      }
      if (i < count - 1 && (AI_FLAGS[e]! & AI_PREDEFINED) === 0) {
        origin[text.length] = b;
        text += '\x1d';
      }
      if (text.length > MAX_READ_LENGTH) return fail(out, LabelFault.READ_TOO_LONG, b);
    }
    origin[text.length] = s.length;
    const fault = out.parse(text, 0, text.length);
    if (fault !== LabelFault.NONE) out.faultOffset = origin[out.faultOffset]!;
    // the elements' offsets refer to the normalised text, which becomes the read's text
    return fault;
  }
}

function isDigits(s: string, a: number, b: number): boolean {
  if (b <= a) return false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function fail(out: Gs1Elements, fault: number, offset: number): number {
  out.faultOffset = offset;
  return fault;
}
