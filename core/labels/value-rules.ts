/**
 * Validation of one GS1 AI value against its entry of the AI table (./ai-table.ts): length,
 * component by component character sets, then the Syntax Dictionary linters (check digits,
 * ISO 3166 and ISO 4217 codes, dates, times and the other content rules). Works on `s[start,
 * end)` with char codes; reports a fault id plus the offset and linter in a {@link FaultSink}.
 */
import {
  AI_COMP_COUNT,
  AI_COMP_START,
  AI_MAX_LENGTH,
  AI_MIN_LENGTH,
  COMP_LINT_COUNT,
  COMP_LINT_START,
  COMP_LINTS,
  COMP_MAX,
  COMP_CSUM,
  COMP_MIN,
  COMP_OPTIONAL,
  COMP_TYPE,
  CompType,
  Linter,
} from './ai-table.js';
import { CHAR_CLASS, CSET39, CSET64, CSET82, DIGIT, UPPER, hexValue } from './charsets.js';
import { checkCsumAlpha, hasGs1CheckDigit, ibanMod97 } from './check-digits.js';
import { LabelFault } from './faults.js';
import { isIso3166Alpha2, isIso3166Numeric } from '../iso3166.js';
import { isIso4217Numeric } from './iso4217.js';

/** Where a fault was found, written by the validators (no allocation: the resolver is the sink). */
export interface FaultSink {
  /** 0-based offset into the read of the offending character or value. */
  faultOffset: number;
  /** The linter id ({@link Linter}) that failed, 0 when the fault is not a linter's. */
  faultLinter: number;
  /** The AI table entry the fault belongs to, -1 when none. */
  faultEntry: number;
  /** The value the fault was found in, `[faultValueStart, faultValueEnd)`, when the fault is a value's. */
  faultValueStart: number;
  faultValueEnd: number;
}

const TYPE_MASK = [DIGIT, CSET82, CSET39, CSET64];
const CH_EQUALS = 61;
const {
  CSUM,
  CSUMALPHA,
  KEY,
  KEYOFF1,
  HASNONDIGIT,
  YYMMD0,
  YYMMDD,
  YYYYMMDD,
  HHMI,
  HH,
  MI,
  SS,
  ISO3166,
  ISO3166999,
  ISO3166ALPHA2,
  ISO4217,
  PCENC,
  LATITUDE,
  LONGITUDE,
  YESNO,
  HYPHEN,
  ZERO,
  NONZERO,
  WINDING,
  PIECEOFTOTAL,
  IBAN,
  NOZEROPREFIX,
  IMPORTERIDX,
  MEDIATYPE,
  ISO5218,
  POSINSEQSLASH,
} = Linter;

/**
 * Validates the value `s[start, end)` of AI table entry `e` (GS1 General Specifications §3,
 * GS1 Barcode Syntax Dictionary component specifications and linters).
 * @returns a {@link LabelFault} id, NONE when valid; on a fault `sink` says where.
 */
export function validateValue(
  s: string,
  start: number,
  end: number,
  e: number,
  sink: FaultSink,
): number {
  const len = end - start;
  if (len > AI_MAX_LENGTH[e]!)
    return valueFault(sink, e, start, end, start + AI_MAX_LENGTH[e]!, LabelFault.TOO_LONG);
  if (len < AI_MIN_LENGTH[e]!) return valueFault(sink, e, start, end, end, LabelFault.TOO_SHORT);
  let p = start;
  const c0 = AI_COMP_START[e]!;
  const c1 = c0 + AI_COMP_COUNT[e]!;
  for (let c = c0; c < c1; c++) {
    if (COMP_OPTIONAL[c] === 1 && p >= end) break;
    const max = COMP_MAX[c]!;
    let q: number;
    if (COMP_MIN[c] === max) {
      q = p + max;
      if (q > end) return valueFault(sink, e, start, end, end, LabelFault.TOO_SHORT);
    } else {
      q = end - p > max ? p + max : end;
    }
    const type = COMP_TYPE[c]!;
    if (type === CompType.N) {
      // digits; with a check digit, the weighted sum (3, 1, 3, ... from the last data digit,
      // 1 on the check digit itself) must be a multiple of 10 (GS1 General Specifications §7.9.1)
      let sum = 0;
      for (let i = p; i < q; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return valueFault(sink, e, start, end, i, LabelFault.CHARACTER);
        sum += ((q - i) & 1) === 0 ? d * 3 : d;
      }
      if (COMP_CSUM[c] === 1 && sum % 10 !== 0) {
        valueFault(sink, e, start, end, q - 1, LabelFault.CHECK_DIGIT);
        sink.faultLinter = CSUM;
        return LabelFault.CHECK_DIGIT;
      }
    } else {
      const mask = TYPE_MASK[type]!;
      for (let i = p; i < q; i++) {
        const ch = s.charCodeAt(i);
        if (ch < 128 && (CHAR_CLASS[ch]! & mask) !== 0) continue;
        if (type === CompType.Z && ch === CH_EQUALS && isPadding(s, i, q)) break;
        return valueFault(sink, e, start, end, i, LabelFault.CHARACTER);
      }
    }
    const l1 = COMP_LINT_START[c]! + COMP_LINT_COUNT[c]!;
    for (let l = COMP_LINT_START[c]!; l < l1; l++) {
      const linter = COMP_LINTS[l]!;
      const fault = lint(linter, s, p, q, sink);
      if (fault !== LabelFault.NONE) {
        valueFault(sink, e, start, end, sink.faultOffset, fault);
        sink.faultLinter = linter;
        return fault;
      }
    }
    p = q;
  }
  if (p < end) return valueFault(sink, e, start, end, p, LabelFault.TOO_LONG);
  return LabelFault.NONE;
}

function valueFault(
  sink: FaultSink,
  e: number,
  start: number,
  end: number,
  offset: number,
  fault: number,
): number {
  sink.faultEntry = e;
  sink.faultLinter = 0;
  sink.faultValueStart = start;
  sink.faultValueEnd = end;
  sink.faultOffset = offset;
  return fault;
}

/** Base64 `=` padding: at most two, only at the end. */
function isPadding(s: string, i: number, end: number): boolean {
  if (end - i > 2) return false;
  for (let k = i; k < end; k++) if (s.charCodeAt(k) !== CH_EQUALS) return false;
  return true;
}

function num(s: string, a: number, n: number): number {
  let v = 0;
  for (let i = a; i < a + n; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

function allDigits(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Day 1..n of month mm (1..12) in `year`; `leap` says whether February has 29 days. */
function validDay(mm: number, dd: number, leap: boolean, allowZeroDay: boolean): boolean {
  if (mm < 1 || mm > 12) return false;
  if (dd === 0) return allowZeroDay;
  const max = mm === 2 && !leap ? 28 : DAYS_IN_MONTH[mm]!;
  return dd <= max;
}

function fault(sink: FaultSink, at: number, f: number): number {
  sink.faultOffset = at;
  return f;
}

/**
 * One linter of the GS1 Barcode Syntax Dictionary on component `s[a, b)` (already checked for
 * its character set). Two-digit years (YYMMDD) count as leap when divisible by 4, which is exact
 * for the years 2000-2099 that the GS1 century rule (General Specifications §7.12) yields for
 * current dates. `packagetype`, `couponcode` and `couponposoffer` are not checked beyond the
 * component's character set and length (docs/labels.md).
 */
function lint(linter: number, s: string, a: number, b: number, sink: FaultSink): number {
  const n = b - a;
  switch (linter) {
    case CSUM:
      return hasGs1CheckDigit(s, a, b)
        ? LabelFault.NONE
        : fault(sink, b - 1, LabelFault.CHECK_DIGIT);
    case CSUMALPHA: {
      const r = checkCsumAlpha(s, a, b);
      return r === 1
        ? LabelFault.NONE
        : r === 0
          ? fault(sink, b - 2, LabelFault.CHECK_DIGIT)
          : fault(sink, b, LabelFault.TOO_SHORT);
    }
    case KEY:
    case KEYOFF1: {
      const k = linter === KEYOFF1 ? a + 1 : a;
      return k + 4 <= b && allDigits(s, k, k + 4)
        ? LabelFault.NONE
        : fault(sink, k, LabelFault.VALUE);
    }
    case HASNONDIGIT:
      return allDigits(s, a, b) ? fault(sink, a, LabelFault.VALUE) : LabelFault.NONE;
    case YYMMD0:
    case YYMMDD:
      return validDay(num(s, a + 2, 2), num(s, a + 4, 2), num(s, a, 2) % 4 === 0, linter === YYMMD0)
        ? LabelFault.NONE
        : fault(sink, a, LabelFault.DATE);
    case YYYYMMDD: {
      const y = num(s, a, 4);
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      return validDay(num(s, a + 4, 2), num(s, a + 6, 2), leap, false)
        ? LabelFault.NONE
        : fault(sink, a, LabelFault.DATE);
    }
    case HHMI:
      return num(s, a, 2) <= 23 && num(s, a + 2, 2) <= 59
        ? LabelFault.NONE
        : fault(sink, a, LabelFault.DATE);
    case HH:
      return num(s, a, 2) <= 23 ? LabelFault.NONE : fault(sink, a, LabelFault.DATE);
    case MI:
    case SS:
      return num(s, a, 2) <= 59 ? LabelFault.NONE : fault(sink, a, LabelFault.DATE);
    case ISO3166:
      return isIso3166Numeric(num(s, a, 3)) ? LabelFault.NONE : fault(sink, a, LabelFault.COUNTRY);
    case ISO3166999: {
      const c = num(s, a, 3);
      return c === 999 || isIso3166Numeric(c)
        ? LabelFault.NONE
        : fault(sink, a, LabelFault.COUNTRY);
    }
    case ISO3166ALPHA2:
      return isIso3166Alpha2(s, a) ? LabelFault.NONE : fault(sink, a, LabelFault.COUNTRY);
    case ISO4217:
      return isIso4217Numeric(num(s, a, 3)) ? LabelFault.NONE : fault(sink, a, LabelFault.VALUE);
    case PCENC:
      for (let i = a; i < b; i++) {
        if (s.charCodeAt(i) !== 37) continue;
        if (i + 2 >= b || hexValue(s.charCodeAt(i + 1)) < 0 || hexValue(s.charCodeAt(i + 2)) < 0)
          return fault(sink, i, LabelFault.VALUE);
        i += 2;
      }
      return LabelFault.NONE;
    case LATITUDE:
      return num(s, a, 10) <= 1800000000 ? LabelFault.NONE : fault(sink, a, LabelFault.VALUE);
    case LONGITUDE:
      return num(s, a, 10) <= 3600000000 ? LabelFault.NONE : fault(sink, a, LabelFault.VALUE);
    case YESNO: {
      const c = s.charCodeAt(a);
      return n === 1 && (c === 48 || c === 49) ? LabelFault.NONE : fault(sink, a, LabelFault.VALUE);
    }
    case HYPHEN:
      for (let i = a; i < b; i++)
        if (s.charCodeAt(i) !== 45) return fault(sink, i, LabelFault.VALUE);
      return LabelFault.NONE;
    case ZERO:
      return n === 1 && s.charCodeAt(a) === 48 ? LabelFault.NONE : fault(sink, a, LabelFault.VALUE);
    case NONZERO:
      for (let i = a; i < b; i++) if (s.charCodeAt(i) !== 48) return LabelFault.NONE;
      return fault(sink, a, LabelFault.VALUE);
    case WINDING: {
      const c = s.charCodeAt(a);
      return n === 1 && (c === 48 || c === 49 || c === 57)
        ? LabelFault.NONE
        : fault(sink, a, LabelFault.VALUE);
    }
    case PIECEOFTOTAL: {
      const h = n >> 1;
      if ((n & 1) === 1 || h === 0) return fault(sink, a, LabelFault.VALUE);
      const piece = num(s, a, h);
      const total = num(s, a + h, h);
      return piece >= 1 && total >= 1 && piece <= total
        ? LabelFault.NONE
        : fault(sink, a, LabelFault.VALUE);
    }
    case IBAN:
      if (n < 5 || (CHAR_CLASS[s.charCodeAt(a)]! & UPPER) === 0 || !isIso3166Alpha2(s, a))
        return fault(sink, a, LabelFault.COUNTRY);
      if (!allDigits(s, a + 2, a + 4)) return fault(sink, a + 2, LabelFault.VALUE);
      return ibanMod97(s, a, b) ? LabelFault.NONE : fault(sink, a + 2, LabelFault.CHECK_DIGIT);
    case NOZEROPREFIX:
      return n > 1 && s.charCodeAt(a) === 48 ? fault(sink, a, LabelFault.VALUE) : LabelFault.NONE;
    case IMPORTERIDX: {
      const c = s.charCodeAt(a);
      return n === 1 && c < 128 && (CHAR_CLASS[c]! & CSET64) !== 0
        ? LabelFault.NONE
        : fault(sink, a, LabelFault.VALUE);
    }
    case MEDIATYPE: {
      const v = num(s, a, 2);
      return (v >= 1 && v <= 10) || v >= 80 ? LabelFault.NONE : fault(sink, a, LabelFault.VALUE);
    }
    case ISO5218: {
      const c = s.charCodeAt(a);
      return c === 48 || c === 49 || c === 50 || c === 57
        ? LabelFault.NONE
        : fault(sink, a, LabelFault.VALUE);
    }
    case POSINSEQSLASH:
      return positionInSequence(s, a, b) ? LabelFault.NONE : fault(sink, a, LabelFault.VALUE);
    default:
      // packagetype, couponcode, couponposoffer: format only (see above)
      return LabelFault.NONE;
  }
}

/** `<pos>/<end>`: two runs of digits without leading zeros, 1 <= pos <= end. */
function positionInSequence(s: string, a: number, b: number): boolean {
  let slash = -1;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 47) {
      if (slash >= 0) return false;
      slash = i;
    } else if (c < 48 || c > 57) return false;
  }
  if (slash <= a || slash >= b - 1) return false;
  if (s.charCodeAt(a) === 48 || s.charCodeAt(slash + 1) === 48) return false;
  const pos = num(s, a, slash - a);
  const end = num(s, slash + 1, b - slash - 1);
  return pos <= end;
}
