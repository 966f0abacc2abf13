/**
 * Single-read label resolution (DESIGN.md "Labels"): one scanner, RFID or manual read in, what
 * it is and its routable keys out, or a fault id saying precisely why not.
 *
 * Order: no-read token or blank data → RFID EPC → proprietary code id or AIM symbology
 * identifier → GS1 element strings (GS1 identifier, leading FNC1, or "assume GS1") → EAN/UPC and
 * ITF-14 GTINs → GS1 Digital Link URI → UPU S10 and UPS 1Z → configured e-waybill patterns →
 * USPS, FedEx and DHL numbers → three-segment routing code → plain text (a manual read of
 * digits only: a postal code of the plan's home country). Plain text may not hold NUL, U+FFFD or
 * unpaired surrogates (CHARACTER).
 *
 * Hot path: works on the read with char codes and offsets and writes its results into the
 * preallocated fields and typed arrays below; no regular expressions, no substrings, no objects
 * per read, never throws. (Two kinds of read build strings, as documented where they do: an RFID
 * read's GS1 element string, and a Digital Link URI with percent escapes.)
 */
import { AI_COUNT, aiEntry } from './ai-table.js';
import { AIM_EAN, AIM_GS1, AIM_ITF, aimInfo } from './aim.js';
import {
  NO_MATCH,
  matchImpbElement,
  matchLetteredId,
  matchNumericId,
  type CarrierMatch,
} from './carriers.js';
import { GS } from './charsets.js';
import { hasGs1CheckDigit } from './check-digits.js';
import { AimMode, compileResolverConfig, type CompiledResolverConfig } from './config.js';
import { DigitalLinkParser, NOT_DIGITAL_LINK, looksLikeUri } from './digital-link.js';
import { decodeEpc, type EpcResult } from './epc.js';
import { LabelFault, MAX_READ_LENGTH } from './faults.js';
import { Gs1Elements } from './gs1-elements.js';
import { HOME_COUNTRY, LabelKind, ReadSource } from './kinds.js';
import { isRoutingCode } from './routing-code.js';
import { matchWaybill } from './waybill.js';
import { KeyKind } from '../plan/index.js';

/** Most routable keys one read yields. */
export const MAX_KEYS = 8;

const E_POST_HOME = aiEntry('420');
const USA = 840;

/** What an AI means for routing: one load per element instead of a chain of comparisons. */
const ROLE_NONE = 0;
const ROLE_SSCC = 1;
const ROLE_ROUTE = 2;
const ROLE_POST_HOME = 3;
const ROLE_POST_COUNTRY = 4;
/** USPS IMpb channel application identifiers 91-95. */
const ROLE_CHANNEL = 5;
/** The KeyKind each role's key has (ROLE_NONE and ROLE_CHANNEL have none). */
const ROLE_KEY_KIND = Uint8Array.of(
  0,
  KeyKind.ID,
  KeyKind.ROUTING,
  KeyKind.POSTAL,
  KeyKind.POSTAL,
  0,
);
const AI_ROLE: Uint8Array = (() => {
  const t = new Uint8Array(AI_COUNT);
  t[aiEntry('00')] = ROLE_SSCC;
  t[aiEntry('403')] = ROLE_ROUTE;
  t[aiEntry('420')] = ROLE_POST_HOME;
  t[aiEntry('421')] = ROLE_POST_COUNTRY;
  for (let ai = 91; ai <= 95; ai++) t[aiEntry(String(ai))] = ROLE_CHANNEL;
  return t;
})();

let defaultConfig: CompiledResolverConfig | undefined;
/** The compiled default configuration `{}`, built once. */
export function defaultResolverConfig(): CompiledResolverConfig {
  return (defaultConfig ??= compileResolverConfig({}));
}

/** Empty, or only spaces, tabs, CR and LF. */
function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/** ASCII case-insensitive equality of `s` and the lower-case `token`. */
function equalsFolded(s: string, token: string): boolean {
  if (s.length !== token.length) return false;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== token.charCodeAt(i)) return false;
  }
  return true;
}

function allDigits(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Offset of the first character of `s[a, b)` that cannot be part of a read, or -1: NUL (no
 * label scheme Sortline reads encodes it; it is telegram padding or UTF-16 text taken for
 * 8-bit text), an unpaired UTF-16 surrogate (not Unicode text), or U+FFFD (a decoder upstream
 * replaced bytes it could not decode: the read lost data). Other control characters are data:
 * Code 128 encodes all of ASCII, and ISO/IEC 15434 envelopes carry RS, GS and EOT.
 */
function firstUnreadable(s: string, a: number, b: number): number {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 0xfffd) return i;
    if (c >= 0xd800 && c <= 0xdfff) {
      // a high surrogate followed by a low one is one character
      if (c <= 0xdbff && i + 1 < b) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          continue;
        }
      }
      return i;
    }
  }
  return -1;
}

/**
 * Resolves one read at a time into its fields. Create one per thread (or per router) and reuse
 * it; results are valid until the next {@link resolve}.
 */
export class LabelResolver implements CarrierMatch {
  /** The {@link LabelFault} of the last read (NONE when it resolved). */
  status = 0;
  /** The {@link LabelKind} of the last read; on a fault the kind it was taken for, -1 when not known. */
  kind = -1;
  /** The string every offset below refers to: the read, or its normalised GS1 element string (RFID, escaped Digital Link). */
  text = '';
  /** Offset of the data after the symbology identifier or code id. */
  dataStart = 0;
  /** AIM symbology identifier letter and modifier (char codes), 0 when the read had none. */
  aimLetter = 0;
  aimModifier = 0;
  /** Fault details: offset into the read, linter id, AI table entries involved, value range. */
  faultOffset = 0;
  faultLinter = 0;
  faultEntry = -1;
  faultOther = -1;
  faultValueStart = -1;
  faultValueEnd = -1;
  /** The identifier `text[idStart, idEnd)` of a GTIN, S10, carrier or waybill read; -1 otherwise. */
  idStart = -1;
  idEnd = -1;
  /** USPS ZIP `text[zipStart, zipEnd)` when recognised in plain text. */
  zipStart = -1;
  zipEnd = -1;
  /** Waybill pattern index (carrier: `config.waybills.carrier[waybill]`), -1 otherwise. */
  waybill = -1;
  /**
   * Routable keys of the last read (at most {@link MAX_KEYS}): key k (0 <= k < keyCount) is at
   * index `keyBase + k` of keyKind ({@link KeyKind}), `text[keyStart, keyEnd)` and keyCountry
   * (postal country, ISO 3166-1 numeric, {@link HOME_COUNTRY} for AI (420)).
   */
  keyCount = 0;
  /**
   * Where the next read's keys go in the key arrays; 0 unless the owner moves it (the parcel
   * router leaves each read's keys in place, one read after another). keyBase + MAX_KEYS must
   * not exceed the capacity given to the constructor.
   */
  keyBase = 0;
  readonly keyKind: Uint8Array;
  readonly keyStart: Int32Array;
  readonly keyEnd: Int32Array;
  readonly keyCountry: Int16Array;
  /** GS1 element strings of the last read (kind GS1 or USPS from GS1 data). */
  readonly elements = new Gs1Elements();
  /** EPC header, filter and partition of the last RFID read. */
  readonly epc: EpcResult = {
    fault: 0,
    faultOffset: 0,
    header: -1,
    filter: -1,
    partition: -1,
    elementString: '',
  };
  private readonly dl = new DigitalLinkParser();
  private config: CompiledResolverConfig;

  /**
   * @param config a compiled configuration ({@link compileResolverConfig}); default `{}`.
   * @param keyCapacity length of the key arrays, at least {@link MAX_KEYS} (the default).
   */
  constructor(config: CompiledResolverConfig = defaultResolverConfig(), keyCapacity = MAX_KEYS) {
    this.config = config;
    const n = keyCapacity > MAX_KEYS ? keyCapacity : MAX_KEYS;
    this.keyKind = new Uint8Array(n);
    this.keyStart = new Int32Array(n);
    this.keyEnd = new Int32Array(n);
    this.keyCountry = new Int16Array(n);
  }

  /** The configuration in use. */
  get configuration(): CompiledResolverConfig {
    return this.config;
  }

  /**
   * Resolves one read.
   * @param data the decoded data (scanner: AIM identifier first when the scanner sends one;
   *   RFID: the EPC as 24 hexadecimal digits; manual: the keyed text).
   * @param source a {@link ReadSource} code.
   * @param scanner scanner id, selecting its profile of the configuration.
   * @returns the {@link LabelFault} id, NONE (0) when the read resolved; `kind` and the key
   *   arrays then describe it.
   */
  resolve(data: string, source: number, scanner: number): number {
    this.text = data;
    this.kind = -1;
    this.dataStart = 0;
    this.aimLetter = 0;
    this.aimModifier = 0;
    this.idStart = -1;
    this.idEnd = -1;
    this.zipStart = -1;
    this.zipEnd = -1;
    this.waybill = -1;
    this.keyCount = 0;
    this.elements.reset(data);
    const cfg = this.config;
    const len = data.length;
    if (len > MAX_READ_LENGTH) return this.fail(LabelFault.READ_TOO_LONG, MAX_READ_LENGTH);
    const profile = cfg.profileOf(scanner);
    // every character below is read once: the first (blank or `]`), then the identifier's two
    const c0 = len === 0 ? 0 : data.charCodeAt(0);
    if (
      (c0 <= 32 && isBlank(data)) ||
      (len <= cfg.noReadLongest[profile]! && this.isNoReadToken(data, profile))
    ) {
      this.kind = LabelKind.NOREAD;
      return (this.status = LabelFault.NONE);
    }
    if (source === ReadSource.RFID) return this.resolveEpc(data);

    let p = 0;
    let info = 0;
    const c1 = cfg.codeIdStart[profile + 1]!;
    for (let c = cfg.codeIdStart[profile]!; c < c1; c++) {
      if (data.startsWith(cfg.codeId[c]!)) {
        this.aimLetter = cfg.codeIdLetter[c]!;
        this.aimModifier = cfg.codeIdModifier[c]!;
        info = aimInfo(this.aimLetter, this.aimModifier);
        p = cfg.codeId[c]!.length;
        break;
      }
    }
    if (p === 0) {
      const mode = cfg.aimMode[profile]!;
      if (mode !== AimMode.ABSENT && c0 === 93) {
        if (len < 3) return this.fail(LabelFault.SYMBOLOGY, 0);
        const letter = data.charCodeAt(1);
        const modifier = data.charCodeAt(2);
        info = aimInfo(letter, modifier);
        if (info === 0) return this.fail(LabelFault.SYMBOLOGY, 0);
        this.aimLetter = letter;
        this.aimModifier = modifier;
        p = 3;
      } else if (mode === AimMode.EXPECTED) {
        return this.fail(LabelFault.SYMBOLOGY, 0);
      }
    }
    this.dataStart = p;
    if (p === len) return this.fail(LabelFault.EMPTY, p);
    if (
      (info & AIM_GS1) !== 0 ||
      data.charCodeAt(p) === GS ||
      (info === 0 && cfg.assumeGs1[profile] === 1)
    ) {
      return this.finishGs1(this.elements.parse(data, p, len));
    }
    if ((info & AIM_EAN) !== 0) return this.resolveEan(data, p, len, source);
    if ((info & AIM_ITF) !== 0 && len - p === 14 && allDigits(data, p, len))
      return this.gtin(data, p, len);
    if (looksLikeUri(data, p, len)) {
      const fault = this.dl.parse(data, p, len, this.elements);
      if (fault !== NOT_DIGITAL_LINK) return this.finishGs1(fault);
      this.elements.reset(data);
    }
    return this.resolvePlain(data, p, len, source);
  }

  /** `data` is one of the profile's no-read tokens (ASCII case ignored). */
  private isNoReadToken(data: string, profile: number): boolean {
    const cfg = this.config;
    const t1 = cfg.noReadStart[profile + 1]!;
    for (let t = cfg.noReadStart[profile]!; t < t1; t++)
      if (equalsFolded(data, cfg.noRead[t]!)) return true;
    return false;
  }

  /** A fault outside GS1 values (no AI, linter or value involved). */
  private fail(fault: number, offset: number): number {
    this.faultLinter = 0;
    this.faultEntry = -1;
    this.faultOther = -1;
    this.faultValueStart = -1;
    this.faultValueEnd = -1;
    this.faultOffset = offset;
    return (this.status = fault);
  }

  private copyElementFault(fault: number): number {
    const el = this.elements;
    this.faultLinter = el.faultLinter;
    this.faultEntry = el.faultEntry;
    this.faultOther = el.faultOther;
    this.faultValueStart = el.faultValueStart;
    this.faultValueEnd = el.faultValueEnd;
    this.faultOffset = el.faultOffset;
    return (this.status = fault);
  }

  private resolveEpc(data: string): number {
    const fault = decodeEpc(data, 0, data.length, this.config.epcFilters, this.epc);
    if (fault !== LabelFault.NONE) return this.fail(fault, this.epc.faultOffset);
    const es = this.epc.elementString;
    return this.finishGs1(this.elements.parse(es, 0, es.length));
  }

  /**
   * After GS1 data was parsed: pairing rules, then kind and keys in element order (an IMpb
   * tracking number, kind USPS, puts its id key first). REQUIRED keeps its keys (a router may
   * satisfy it from other reads).
   */
  private finishGs1(fault: number): number {
    if (fault !== LabelFault.NONE) return this.copyElementFault(fault);
    const el = this.elements;
    this.text = el.text;
    this.kind = LabelKind.GS1;
    const pairs = el.checkPairs();
    const n = el.count;
    const entry = el.entry;
    const valueStart = el.valueStart;
    const valueEnd = el.valueEnd;
    let channel = -1;
    let k = this.keyBase;
    for (let i = 0; i < n; i++) {
      const role = AI_ROLE[entry[i]!]!;
      if (role === ROLE_NONE) continue;
      if (role === ROLE_CHANNEL) {
        channel = i;
        continue;
      }
      // at most MAX_KEYS keys per read (GS1 data may hold up to 128 elements)
      if (k - this.keyBase === MAX_KEYS) continue;
      this.keyKind[k] = ROLE_KEY_KIND[role]!;
      this.keyStart[k] = role === ROLE_POST_COUNTRY ? valueStart[i]! + 3 : valueStart[i]!;
      this.keyEnd[k] = valueEnd[i]!;
      this.keyCountry[k] =
        role === ROLE_POST_COUNTRY ? el.country[i]! : role === ROLE_POST_HOME ? HOME_COUNTRY : 0;
      k++;
    }
    this.keyCount = k - this.keyBase;
    if (channel >= 0 && (n === 1 || (n === 2 && el.find(E_POST_HOME) >= 0))) {
      const r = this.impb(channel);
      if (r !== LabelFault.NONE) return r;
    }
    if (pairs !== LabelFault.NONE) return this.copyElementFault(pairs);
    return (this.status = LabelFault.NONE);
  }

  /**
   * GS1 data of an IMpb channel AI (91-95) alone or with (420): when element `channel` is a
   * USPS tracking number, kind USPS with the tracking number as id key and the (420) ZIP as a US
   * postal code. Returns NONE, or the fault of a tracking number with a bad check digit.
   */
  private impb(channel: number): number {
    const el = this.elements;
    const r = matchImpbElement(el.text, el.aiStart[channel]!, el.valueEnd[channel]!, this);
    if (r === LabelFault.NONE) {
      this.keyCount = 0;
      this.addKey(KeyKind.ID, this.idStart, this.idEnd, 0);
      const z = el.find(E_POST_HOME);
      if (z >= 0) this.addKey(KeyKind.POSTAL, el.valueStart[z]!, el.valueEnd[z]!, USA);
    } else if (r !== NO_MATCH) {
      this.keyCount = 0;
      return this.fail(r, this.faultOffset);
    }
    return LabelFault.NONE;
  }

  private addKey(kind: number, start: number, end: number, country: number): void {
    const k = this.keyCount;
    if (k === MAX_KEYS) return;
    const i = this.keyBase + k;
    this.keyKind[i] = kind;
    this.keyStart[i] = start;
    this.keyEnd[i] = end;
    this.keyCountry[i] = country;
    this.keyCount = k + 1;
  }

  private gtin(s: string, a: number, b: number): number {
    this.kind = LabelKind.GTIN;
    if (!hasGs1CheckDigit(s, a, b)) return this.fail(LabelFault.CHECK_DIGIT, b - 1);
    this.idStart = a;
    this.idEnd = b;
    return (this.status = LabelFault.NONE);
  }

  /** EAN/UPC (`]E0` EAN-13 or UPC-A, `]E3` with add-on, `]E4` EAN-8; `]E1`/`]E2` add-on alone is text). */
  private resolveEan(s: string, a: number, b: number, source: number): number {
    for (let i = a; i < b; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return this.fail(LabelFault.CHARACTER, i);
    }
    const n = b - a;
    switch (this.aimModifier) {
      case 48: // E0: EAN-13, or UPC-A as 12 digits
        if (n === 12 || n === 13) return this.gtin(s, a, b);
        return this.fail(n < 12 ? LabelFault.TOO_SHORT : LabelFault.TOO_LONG, n < 12 ? b : a + 13);
      case 51: // E3: EAN-13 + 2- or 5-digit add-on
        if (n === 15 || n === 18) return this.gtin(s, a, a + 13);
        return this.fail(n < 15 ? LabelFault.TOO_SHORT : LabelFault.TOO_LONG, n < 15 ? b : a + 18);
      case 52: // E4: EAN-8
        if (n === 8) return this.gtin(s, a, b);
        return this.fail(n < 8 ? LabelFault.TOO_SHORT : LabelFault.TOO_LONG, n < 8 ? b : a + 8);
      default:
        return this.resolvePlain(s, a, b, source);
    }
  }

  /**
   * Plain data: identifier schemes, then text. Text of a manual read that is only digits, of a
   * length within `manualPostal`, is a postal code of the plan's home country (an operator
   * keying the ship-to postal code at a manual coding station).
   */
  private resolvePlain(s: string, a: number, b: number, source: number): number {
    const cfg = this.config;
    let r = matchLetteredId(s, a, b, cfg.carriers, this);
    if (r === NO_MATCH) {
      const w = matchWaybill(cfg.waybills, s, a, b);
      if (w >= 0) {
        this.kind = LabelKind.WAYBILL;
        this.waybill = w;
        this.idStart = a;
        this.idEnd = b;
        this.addKey(KeyKind.ID, a, b, 0);
        return (this.status = LabelFault.NONE);
      }
      r = matchNumericId(s, a, b, cfg.carriers, this);
    }
    if (r !== NO_MATCH) {
      if (r !== LabelFault.NONE) return this.fail(r, this.faultOffset);
      this.addKey(KeyKind.ID, this.idStart, this.idEnd, 0);
      if (this.zipStart >= 0) this.addKey(KeyKind.POSTAL, this.zipStart, this.zipEnd, USA);
      return (this.status = LabelFault.NONE);
    }
    this.kind = LabelKind.TEXT;
    const bad = firstUnreadable(s, a, b);
    if (bad >= 0) return this.fail(LabelFault.CHARACTER, bad);
    if (
      cfg.routingMaxSegments > 0 &&
      isRoutingCode(
        s,
        a,
        b,
        cfg.routingMinSegments,
        cfg.routingMaxSegments,
        cfg.routingMaxSegmentLength,
      )
    ) {
      this.addKey(KeyKind.ROUTING, a, b, 0);
    } else if (
      source === ReadSource.MANUAL &&
      b - a >= cfg.manualPostalMin &&
      b - a <= cfg.manualPostalMax &&
      allDigits(s, a, b)
    ) {
      this.addKey(KeyKind.POSTAL, a, b, HOME_COUNTRY);
    }
    return (this.status = LabelFault.NONE);
  }
}
