/**
 * Postal and carrier identifiers in plain text, recognised by shape and verified by their check
 * digits. A number that has the shape of a scheme but a wrong check digit is a read error
 * (CHECK_DIGIT), never taken for another carrier's number.
 *
 * - UPU S10 (UPU Standard S10, "Identification of postal items - 13-character identifier"):
 *   2 letters service indicator, 8-digit serial, check digit, ISO 3166-1 alpha-2 country.
 * - UPS 1Z: `1Z` + 6 shipper + 2 service + 7 package characters + check digit.
 * - USPS: IMpb tracking numbers of 22 or 26 digits starting 91-95 (USPS Publication 199
 *   "Intelligent Mail Package Barcode (IMpb) Implementation Guide": channel application
 *   identifier, service type, mailer id, serial, mod-10 check digit), the 22-digit form optionally
 *   led by `420` + 5- or 9-digit ZIP (30 and 34 digits); 20-digit numbers (legacy, or IMpb
 *   printed without its channel AI 91).
 * - FedEx: 12 digits Express (mod 11, weights 1-3-7); 15 digits Ground (mod 10); 20 digits
 *   SmartPost (mod 10 with the `92` application identifier restored); 22 digits Ground `96`
 *   (mod 10 over the 14-digit shipper + package serial); 34 digits Express `10` / Ground `96`
 *   (mod 11 over the 13-digit serial).
 * - DHL Express: 10-digit waybill, the last digit the first nine modulo 7.
 */
import { CHAR_CLASS, DIGIT, UPPER } from './charsets.js';
import { dhlMod7, fedexMod11, gs1Mod10, s10CheckDigitAt, upsCheckDigitAt } from './check-digits.js';
import { LabelFault } from './faults.js';
import { isIso3166Alpha2 } from '../iso3166.js';
import { LabelKind } from './kinds.js';

/** Carrier scheme bits of a resolver configuration (`carriers`). */
export const Carrier = { S10: 1, UPS: 2, USPS: 4, FEDEX: 8, DHL: 16 } as const;
/** Every carrier scheme. */
export const ALL_CARRIERS = 31;

/** Where a recognised identifier lies; written by the matchers. */
export interface CarrierMatch {
  /** A {@link LabelKind} code. */
  kind: number;
  /** The identifier (the parcel id key) `text[idStart, idEnd)`. */
  idStart: number;
  idEnd: number;
  /** A USPS ZIP routing code `text[zipStart, zipEnd)`, or -1. */
  zipStart: number;
  zipEnd: number;
  faultOffset: number;
}

/** No scheme has this shape (the read is something else). */
export const NO_MATCH = -1;

function classOf(c: number): number {
  return c < 128 ? CHAR_CLASS[c]! : 0;
}

function allDigits(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if ((classOf(s.charCodeAt(i)) & DIGIT) === 0) return false;
  return true;
}

function startsWith2(s: string, a: number, c1: number, c2: number): boolean {
  return s.charCodeAt(a) === c1 && s.charCodeAt(a + 1) === c2;
}

function found(m: CarrierMatch, kind: number, a: number, b: number): number {
  m.kind = kind;
  m.idStart = a;
  m.idEnd = b;
  return LabelFault.NONE;
}

function badCheck(m: CarrierMatch, at: number, kind: number): number {
  m.kind = kind;
  m.faultOffset = at;
  return LabelFault.CHECK_DIGIT;
}

/**
 * Recognises `s[a, b)` as a UPU S10 identifier or a UPS 1Z number, the schemes with a shape of
 * their own (letters in fixed places), if enabled in `carriers` ({@link Carrier} bits).
 * @returns {@link NO_MATCH}, or a {@link LabelFault} id (NONE when recognised and valid; `m` says
 *   what and where).
 */
export function matchLetteredId(
  s: string,
  a: number,
  b: number,
  carriers: number,
  m: CarrierMatch,
): number {
  const n = b - a;
  m.zipStart = -1;
  m.zipEnd = -1;
  if (n === 13 && (carriers & Carrier.S10) !== 0 && (classOf(s.charCodeAt(a)) & UPPER) !== 0)
    return matchS10(s, a, m);
  if (n === 18 && (carriers & Carrier.UPS) !== 0 && startsWith2(s, a, 49, 90))
    return matchUps(s, a, m);
  return NO_MATCH;
}

/**
 * Recognises the all-digit `s[a, b)` as a USPS, FedEx or DHL number by its length and leading
 * digits, if enabled in `carriers`. These schemes overlap with e-waybill numbers, so the
 * resolver tries configured waybill patterns first.
 * @returns {@link NO_MATCH}, or a {@link LabelFault} id (NONE when recognised and valid).
 */
export function matchNumericId(
  s: string,
  a: number,
  b: number,
  carriers: number,
  m: CarrierMatch,
): number {
  m.zipStart = -1;
  m.zipEnd = -1;
  if (!allDigits(s, a, b)) return NO_MATCH;
  return matchNumeric(s, a, b, carriers, m);
}

function matchS10(s: string, a: number, m: CarrierMatch): number {
  if ((classOf(s.charCodeAt(a + 1)) & UPPER) === 0 || !allDigits(s, a + 2, a + 11)) return NO_MATCH;
  if (
    (classOf(s.charCodeAt(a + 11)) & UPPER) === 0 ||
    (classOf(s.charCodeAt(a + 12)) & UPPER) === 0
  )
    return NO_MATCH;
  if (s10CheckDigitAt(s, a + 2) !== s.charCodeAt(a + 10) - 48)
    return badCheck(m, a + 10, LabelKind.S10);
  if (!isIso3166Alpha2(s, a + 11)) {
    m.kind = LabelKind.S10;
    m.faultOffset = a + 11;
    return LabelFault.COUNTRY;
  }
  return found(m, LabelKind.S10, a, a + 13);
}

function matchUps(s: string, a: number, m: CarrierMatch): number {
  for (let i = a + 2; i < a + 17; i++)
    if ((classOf(s.charCodeAt(i)) & (DIGIT | UPPER)) === 0) return NO_MATCH;
  const check = s.charCodeAt(a + 17) - 48;
  if (check < 0 || check > 9) return NO_MATCH;
  return upsCheckDigitAt(s, a + 2) === check
    ? found(m, LabelKind.UPS, a, a + 18)
    : badCheck(m, a + 17, LabelKind.UPS);
}

/** Mod-10 check of the digits `s[a, b - 1)` against `s[b - 1]`, with `extra` added to the weighted sum. */
function mod10(s: string, a: number, b: number, extra: number): boolean {
  const c = gs1Mod10(s, a, b - 1);
  // gs1Mod10 = (10 - sum % 10) % 10, so the check digit with `extra` added to the sum is c - extra (mod 10)
  return (((c - extra) % 10) + 10) % 10 === s.charCodeAt(b - 1) - 48;
}

function isImpbChannel(s: string, a: number): boolean {
  const d2 = s.charCodeAt(a + 1);
  return s.charCodeAt(a) === 57 && d2 >= 49 && d2 <= 53;
}

function usps(
  s: string,
  a: number,
  b: number,
  zipStart: number,
  zipEnd: number,
  m: CarrierMatch,
): number {
  if (!mod10(s, a, b, 0)) return badCheck(m, b - 1, LabelKind.USPS);
  m.zipStart = zipStart;
  m.zipEnd = zipEnd;
  return found(m, LabelKind.USPS, a, b);
}

function matchNumeric(s: string, a: number, b: number, carriers: number, m: CarrierMatch): number {
  const fedex = (carriers & Carrier.FEDEX) !== 0;
  const uspsOn = (carriers & Carrier.USPS) !== 0;
  switch (b - a) {
    case 10:
      if ((carriers & Carrier.DHL) === 0) return NO_MATCH;
      return dhlMod7(s, a, a + 9) === s.charCodeAt(a + 9) - 48
        ? found(m, LabelKind.DHL, a, b)
        : badCheck(m, a + 9, LabelKind.DHL);
    case 12:
      if (!fedex) return NO_MATCH;
      return fedexMod11(s, a, a + 11) === s.charCodeAt(a + 11) - 48
        ? found(m, LabelKind.FEDEX, a, b)
        : badCheck(m, a + 11, LabelKind.FEDEX);
    case 15:
      if (!fedex) return NO_MATCH;
      return mod10(s, a, b, 0)
        ? found(m, LabelKind.FEDEX, a, b)
        : badCheck(m, b - 1, LabelKind.FEDEX);
    case 20:
      if (startsWith2(s, a + 2, 50, 57)) {
        // FedEx SmartPost without its `92` application identifier: 9 × 3 + 2 × 1 = 29 more in the sum
        if (!fedex) return NO_MATCH;
        return mod10(s, a, b, 29)
          ? found(m, LabelKind.FEDEX, a, b)
          : badCheck(m, b - 1, LabelKind.FEDEX);
      }
      if (!uspsOn) return NO_MATCH;
      // a 20-digit USPS number is either a legacy number or, when it does not itself start with a
      // channel AI 91-95, an IMpb number printed without its channel AI 91 (9 × 3 + 1 × 1 = 28
      // more in the sum); either check digit holds
      return mod10(s, a, b, 0) || (!isImpbChannel(s, a) && mod10(s, a, b, 28))
        ? found(m, LabelKind.USPS, a, b)
        : badCheck(m, b - 1, LabelKind.USPS);
    case 22:
      if (isImpbChannel(s, a)) return uspsOn ? usps(s, a, b, -1, -1, m) : NO_MATCH;
      if (startsWith2(s, a, 57, 54) && fedex) {
        return mod10(s, a + 7, b, 0)
          ? found(m, LabelKind.FEDEX, a, b)
          : badCheck(m, b - 1, LabelKind.FEDEX);
      }
      return NO_MATCH;
    case 26:
      return uspsOn && isImpbChannel(s, a) ? usps(s, a, b, -1, -1, m) : NO_MATCH;
    case 30:
    case 34:
      if (s.charCodeAt(a) === 52 && startsWith2(s, a + 1, 50, 48) && isImpbChannel(s, b - 22)) {
        return uspsOn ? usps(s, b - 22, b, a + 3, b - 22, m) : NO_MATCH;
      }
      if (b - a === 34 && fedex && (startsWith2(s, a, 49, 48) || startsWith2(s, a, 57, 54))) {
        return fedexMod11(s, a + 20, a + 33) === s.charCodeAt(a + 33) - 48
          ? found(m, LabelKind.FEDEX, a, b)
          : badCheck(m, a + 33, LabelKind.FEDEX);
      }
      return NO_MATCH;
    default:
      return NO_MATCH;
  }
}

/**
 * A USPS IMpb carried as GS1 data: the element value of a channel AI 91-95 whose AI and value
 * together are 22 digits, `s[a, b)`. Verifies the mod-10 check digit.
 * @returns NONE (and `m` set, without ZIP), {@link NO_MATCH} when it is not IMpb-shaped, or CHECK_DIGIT.
 */
export function matchImpbElement(s: string, a: number, b: number, m: CarrierMatch): number {
  m.zipStart = -1;
  m.zipEnd = -1;
  if (b - a !== 22 || !isImpbChannel(s, a) || !allDigits(s, a, b)) return NO_MATCH;
  return usps(s, a, b, -1, -1, m);
}
