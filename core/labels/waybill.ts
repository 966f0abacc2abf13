/**
 * Electronic waybill numbers by configured pattern. Chinese express carriers publish no check
 * digit for their e-waybill numbers and their number ranges overlap, so which carrier a number
 * belongs to is a matter of configuration, not of inference (docs/labels.md).
 *
 * Pattern syntax (no regular expressions, compiled to typed arrays): `#` a digit, `@` a letter
 * A-Z, `*` a digit or letter, `\x` the character x, any other character itself; a token may be
 * followed by `{n}` (exactly n) or, on the last token only, `{m,n}` (m to n). Examples:
 * `SF#{12}`, `YT#{13}`, `JD*{13,16}`, `7#{11}`.
 */
import { CHAR_CLASS, DIGIT, UPPER } from './charsets.js';

const T_LITERAL = 0;
const T_DIGIT = 1;
const T_LETTER = 2;
const T_ALNUM = 3;

/** Compiled waybill patterns: tokens per pattern, tried in order. */
export interface WaybillTable {
  /** Carrier name per pattern (API edge). */
  readonly carrier: readonly string[];
  /** Pattern source text per pattern (messages). */
  readonly source: readonly string[];
  readonly tokenStart: Uint16Array;
  readonly tokenCount: Uint8Array;
  /** Shortest and longest match per pattern. */
  readonly minLength: Uint16Array;
  readonly maxLength: Uint16Array;
  readonly tokenType: Uint8Array;
  readonly tokenChar: Uint16Array;
  readonly tokenMin: Uint16Array;
  readonly tokenMax: Uint16Array;
}

/**
 * Compiles `[carrier, pattern]` pairs.
 * @returns the table, or the first syntax fault of each bad pattern in `faults` (index, message).
 */
export function compileWaybills(
  patterns: ReadonlyArray<readonly [carrier: string, pattern: string]>,
  faults: Array<[number, string]>,
): WaybillTable {
  const carrier: string[] = [];
  const source: string[] = [];
  const start: number[] = [];
  const count: number[] = [];
  const minL: number[] = [];
  const maxL: number[] = [];
  const type: number[] = [];
  const ch: number[] = [];
  const tmin: number[] = [];
  const tmax: number[] = [];
  patterns.forEach(([name, p], index) => {
    const first = type.length;
    let i = 0;
    let error: string | null = null;
    while (i < p.length && error === null) {
      const c = p[i]!;
      let t: number;
      let lit = 0;
      if (c === '#') t = T_DIGIT;
      else if (c === '@') t = T_LETTER;
      else if (c === '*') t = T_ALNUM;
      else if (c === '\\') {
        if (i + 1 >= p.length) {
          error = `pattern ends with "\\"; expected a character after it`;
          break;
        }
        t = T_LITERAL;
        lit = p.charCodeAt(++i);
      } else if (c === '{' || c === '}') {
        error = `"${c}" at ${i} follows no token; expected a token (#, @, *, a character) before a count`;
        break;
      } else {
        t = T_LITERAL;
        lit = p.charCodeAt(i);
      }
      i++;
      let lo = 1;
      let hi = 1;
      if (p[i] === '{') {
        const close = p.indexOf('}', i);
        const m = close < 0 ? null : /^([0-9]{1,3})(?:,([0-9]{1,3}))?$/.exec(p.slice(i + 1, close));
        if (m === null) {
          error = `bad count at ${i}; expected {n} or {m,n}`;
          break;
        }
        lo = Number(m[1]);
        hi = m[2] === undefined ? lo : Number(m[2]);
        if (lo < 1 || hi < lo) {
          error = `count {${m[0]}} at ${i}; expected 1 <= m <= n`;
          break;
        }
        i = close + 1;
        if (lo !== hi && i < p.length) {
          error = `range {${m[0]}} is allowed on the last token only`;
          break;
        }
      }
      type.push(t);
      ch.push(lit);
      tmin.push(lo);
      tmax.push(hi);
    }
    if (error !== null || type.length === first) {
      faults.push([index, error ?? 'empty pattern']);
      type.length = ch.length = tmin.length = tmax.length = first;
      return;
    }
    carrier.push(name);
    source.push(p);
    start.push(first);
    count.push(type.length - first);
    let sumMin = 0;
    let sumMax = 0;
    for (let k = first; k < type.length; k++) {
      sumMin += tmin[k]!;
      sumMax += tmax[k]!;
    }
    minL.push(sumMin);
    maxL.push(sumMax);
  });
  return {
    carrier,
    source,
    tokenStart: Uint16Array.from(start),
    tokenCount: Uint8Array.from(count),
    minLength: Uint16Array.from(minL),
    maxLength: Uint16Array.from(maxL),
    tokenType: Uint8Array.from(type),
    tokenChar: Uint16Array.from(ch),
    tokenMin: Uint16Array.from(tmin),
    tokenMax: Uint16Array.from(tmax),
  };
}

function tokenAccepts(type: number, lit: number, c: number): boolean {
  if (type === T_LITERAL) return c === lit;
  const cls = c < 128 ? CHAR_CLASS[c]! : 0;
  if (type === T_DIGIT) return (cls & DIGIT) !== 0;
  if (type === T_LETTER) return (cls & UPPER) !== 0;
  return (cls & (DIGIT | UPPER)) !== 0;
}

/** The first pattern of `t` that `s[a, b)` matches in full, or -1. */
export function matchWaybill(t: WaybillTable, s: string, a: number, b: number): number {
  const n = b - a;
  const patterns = t.tokenCount.length;
  for (let p = 0; p < patterns; p++) {
    if (n < t.minLength[p]! || n > t.maxLength[p]!) continue;
    let i = a;
    let ok = true;
    const k1 = t.tokenStart[p]! + t.tokenCount[p]!;
    for (let k = t.tokenStart[p]!; k < k1 && ok; k++) {
      // only the last token has a range: it takes what is left
      const take = k === k1 - 1 ? b - i : t.tokenMin[k]!;
      for (let r = 0; r < take; r++, i++) {
        if (!tokenAccepts(t.tokenType[k]!, t.tokenChar[k]!, s.charCodeAt(i))) {
          ok = false;
          break;
        }
      }
    }
    if (ok && i === b) return p;
  }
  return -1;
}
