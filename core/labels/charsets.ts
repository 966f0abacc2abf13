/**
 * Character classes as one lookup table indexed by char code (0..127), so that a membership
 * test on the hot path is one load and one AND. Sets follow the GS1 General Specifications
 * §7.11 (figures 7.11-1 CSET 82, 7.11-2 CSET 39) and the GS1 Barcode Syntax Dictionary
 * (`Z`: CSET 64, the URI- and file-safe base64 alphabet of RFC 4648 §5).
 */

/** `0`-`9`. */
export const DIGIT = 1;
/** GS1 AI encodable character set 82 (`X` components). */
export const CSET82 = 2;
/** GS1 AI encodable character set 39 (`Y` components): `#`, `-`, `/`, `0`-`9`, `A`-`Z`. */
export const CSET39 = 4;
/** CSET 64 (`Z` components) without the `=` padding: `A`-`Z`, `a`-`z`, `0`-`9`, `-`, `_`. */
export const CSET64 = 8;
/** `A`-`Z`. */
export const UPPER = 16;
/** Hexadecimal digit, either case. */
export const HEX = 32;

/** Class bits per char code 0..127; codes >= 128 belong to no class. */
export const CHAR_CLASS: Uint8Array = buildClasses();

function mark(table: Uint8Array, chars: string, bit: number): void {
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)]! |= bit;
}

function range(from: string, to: string): string {
  let out = '';
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) out += String.fromCharCode(c);
  return out;
}

function buildClasses(): Uint8Array {
  const t = new Uint8Array(128);
  const digits = range('0', '9');
  const upper = range('A', 'Z');
  const lower = range('a', 'z');
  mark(t, digits, DIGIT);
  mark(t, upper, UPPER);
  mark(t, `!"%&'()*+,-./` + digits + ':;<=>?' + upper + '_' + lower, CSET82);
  mark(t, '#-/' + digits + upper, CSET39);
  mark(t, upper + lower + digits + '-_', CSET64);
  mark(t, digits + 'ABCDEFabcdef', HEX);
  return t;
}

/** Value of hexadecimal digit `c` (char code), or -1. */
export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** The FNC1 separator as transmitted by scanners: ASCII GS, 0x1D. */
export const GS = 0x1d;

/** {@link CSET82_SCAN} value of a CSET 82 character. */
export const SCAN_CSET82 = 1;
/** {@link CSET82_SCAN} value of the separator {@link GS}. */
export const SCAN_GS = 2;
/**
 * {@link SCAN_CSET82}, {@link SCAN_GS} or 0 per UTF-16 code unit (all 65,536, so that any
 * `charCodeAt` result indexes it without a range test): one load and one comparison per
 * character while a variable-length CSET 82 value is scanned for its separator.
 */
export const CSET82_SCAN: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let c = 0; c < 128; c++) if ((CHAR_CLASS[c]! & CSET82) !== 0) t[c] = SCAN_CSET82;
  t[GS] = SCAN_GS;
  return t;
})();
