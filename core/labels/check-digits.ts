/**
 * Check-digit schemes, computed over `s[start, end)` with char codes (no substrings). Each
 * returns the expected check character's value, or -1 when a character is outside the scheme's
 * alphabet, so callers can tell a bad character from a bad check digit.
 */

/**
 * GS1 modulo-10 check digit (GS1 General Specifications §7.9.1): weights 3, 1, 3, ... from the
 * rightmost data digit leftwards; the check digit makes the weighted sum a multiple of 10.
 * Also the scheme of EAN/UPC, ITF-14, USPS IMpb and FedEx Ground numbers.
 * @returns the check digit 0-9 for the digits `s[start, end)`, or -1 on a non-digit.
 */
export function gs1Mod10(s: string, start: number, end: number): number {
  let sum = 0;
  let weight3 = true;
  for (let i = end - 1; i >= start; i--) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    sum += weight3 ? d * 3 : d;
    weight3 = !weight3;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * True when the last digit of `s[start, end)` is the GS1 modulo-10 check digit of the others.
 * False also when a character is not a digit or the range is shorter than 2.
 */
export function hasGs1CheckDigit(s: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  const c = gs1Mod10(s, start, end - 1);
  return c >= 0 && c === s.charCodeAt(end - 1) - 48;
}

/** CSET 82 value (0-based position in the set) per char code, -1 outside the set. */
const CSET82_VALUE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  const set = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
  for (let i = 0; i < set.length; i++) t[set.charCodeAt(i)] = i;
  return t;
})();
/** CSET 32, the alphabet of the check character pair, ordered by value. */
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** The first 97 primes: weights of the check character pair, rightmost data character first. */
const PRIMES: Uint16Array = (() => {
  const out = new Uint16Array(97);
  let n = 0;
  for (let c = 2; n < out.length; c++) {
    let prime = true;
    for (let d = 2; d * d <= c; d++)
      if (c % d === 0) {
        prime = false;
        break;
      }
    if (prime) out[n++] = c;
  }
  return out;
})();

/**
 * GS1 check character pair for alphanumeric keys (GS1 General Specifications §7.9.5, used by
 * AI (8013) GMN and (8014) MUDI): each data character's CSET 82 value weighted by successive
 * primes from the right, summed modulo 1021; the 10-bit result is written as two CSET 32
 * characters.
 * @returns 1 when `s[end - 2, end)` is the correct pair for the data `s[start, end - 2)`, 0 when
 *   it is not, -1 when a data character is outside CSET 82 or the range is out of bounds.
 */
export function checkCsumAlpha(s: string, start: number, end: number): number {
  const n = end - 2 - start;
  if (n < 0 || n > PRIMES.length) return -1;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(start + i);
    const v = c < 128 ? CSET82_VALUE[c]! : -1;
    if (v < 0) return -1;
    sum += v * PRIMES[n - 1 - i]!;
  }
  sum %= 1021;
  return s.charCodeAt(end - 2) === CSET32.charCodeAt(sum >> 5) &&
    s.charCodeAt(end - 1) === CSET32.charCodeAt(sum & 31)
    ? 1
    : 0;
}

/** UPU S10 weights of the eight serial digits (UPU S10 §5.3, "Check digit"). */
const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/**
 * UPU S10 check digit of the 8 serial digits `s[start, start + 8)`: weights 8 6 4 2 3 5 9 7,
 * C = 11 - (sum mod 11), with 10 written as 0 and 11 as 5.
 * @returns 0-9, or -1 on a non-digit.
 */
export function s10CheckDigitAt(s: string, start: number): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const d = s.charCodeAt(start + i) - 48;
    if (d < 0 || d > 9) return -1;
    sum += d * S10_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

/**
 * UPS 1Z check digit over the 15 characters after `1Z` (`s[start, start + 15)`): letters count
 * as (position in the alphabet + 2) mod 10 (A=2 ... H=9, I=0, ...), odd positions (1-based, from
 * the left) weigh 1 and even positions 2, and the check digit completes the sum to a multiple
 * of 10 (UPS "Tracking number check digit", as published in UPS developer guides).
 * @returns 0-9, or -1 on a character other than 0-9 or A-Z.
 */
export function upsCheckDigitAt(s: string, start: number): number {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = s.charCodeAt(start + i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = (c - 65 + 2) % 10;
    else return -1;
    sum += (i & 1) === 0 ? v : v * 2;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * FedEx modulo-11 check digit (FedEx Express 12-digit numbers and the 13-digit serial of 34-digit
 * numbers): weights 1, 3, 7, 1, 3, 7, ... from the rightmost data digit leftwards, check = sum
 * mod 11 mod 10.
 * @returns 0-9, or -1 on a non-digit.
 */
export function fedexMod11(s: string, start: number, end: number): number {
  let sum = 0;
  let w = 0;
  for (let i = end - 1; i >= start; i--) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    sum += d * (w === 0 ? 1 : w === 1 ? 3 : 7);
    w = w === 2 ? 0 : w + 1;
  }
  return (sum % 11) % 10;
}

/**
 * DHL Express waybill check digit: the number formed by the data digits `s[start, end)`, modulo 7.
 * Computed digit by digit, so any length works without big integers.
 * @returns 0-6, or -1 on a non-digit.
 */
export function dhlMod7(s: string, start: number, end: number): number {
  let r = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    r = (r * 10 + d) % 7;
  }
  return r;
}

/**
 * ISO 13616 IBAN check (ISO 7064 MOD 97-10): the first four characters are moved to the end,
 * letters become 10..35, and the number must be 1 modulo 97.
 * @returns true when `s[start, end)` passes; false on a bad check or a character other than
 *   0-9 / A-Z.
 */
export function ibanMod97(s: string, start: number, end: number): boolean {
  if (end - start < 5) return false;
  let r = 0;
  for (let k = 0; k < end - start; k++) {
    const i = start + ((k + 4) % (end - start));
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) r = (r * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) r = (r * 100 + (c - 55)) % 97;
    else return false;
  }
  return r === 1;
}
