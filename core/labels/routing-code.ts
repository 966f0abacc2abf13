/**
 * The Chinese three-segment sorting code ("三段码") printed as plain text on e-waybills, e.g.
 * `771-K23-05`: hub (digits), outlet and courier route, joined by `-` (DESIGN.md "Sort plans").
 * The same code arrives in GS1 data as AI (403); in plain text it is recognised by shape.
 */
import { CHAR_CLASS, DIGIT, UPPER } from './charsets.js';

const CH_HYPHEN = 45;

/**
 * True when `s[a, b)` is a routing code of `minSegments`..`maxSegments` segments of 1 to
 * `maxSegmentLength` characters 0-9 / A-Z each, joined by `-`, the first segment all digits.
 */
export function isRoutingCode(
  s: string,
  a: number,
  b: number,
  minSegments: number,
  maxSegments: number,
  maxSegmentLength: number,
): boolean {
  let segments = 1;
  let len = 0;
  let firstAllDigits = true;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === CH_HYPHEN) {
      if (len === 0) return false;
      segments++;
      len = 0;
      continue;
    }
    const cls = c < 128 ? CHAR_CLASS[c]! : 0;
    if ((cls & (DIGIT | UPPER)) === 0) return false;
    if (segments === 1 && (cls & DIGIT) === 0) firstAllDigits = false;
    if (++len > maxSegmentLength) return false;
  }
  return len > 0 && firstAllDigits && segments >= minSegments && segments <= maxSegments;
}
