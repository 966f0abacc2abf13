/**
 * The API edge of label resolution: a resolved read as a plain object (`sortline resolve`, logs,
 * the journal), with the stable error code, the offset and a message that names the field, the
 * offset and what was expected. Allocates freely; never on the hot path.
 */
import type { ErrorCode } from '../errors.js';
import { KEY_KIND_NAMES, type KeyKindName } from '../plan/index.js';
import {
  AI_COMP_COUNT,
  AI_COMP_START,
  AI_DECIMAL,
  AI_EX_TEXT,
  AI_FLAGS,
  AI_MAX_LENGTH,
  AI_MIN_LENGTH,
  AI_REQ_TEXT,
  AI_STRINGS,
  AI_TITLES,
  AI_CODE,
  COMP_MAX,
  COMP_MIN,
  COMP_TYPE,
  LINTER_NAMES,
} from './ai-table.js';
import { compileResolverConfig, CompiledResolverConfig, type ResolverConfig } from './config.js';
import { LabelFault, MAX_READ_LENGTH, labelFaultCode } from './faults.js';
import {
  HOME_COUNTRY,
  LABEL_KIND_NAMES,
  LabelKind,
  ReadSource,
  type LabelKindName,
} from './kinds.js';
import { LabelResolver, defaultResolverConfig } from './resolver.js';
import { gs1Mod10 } from './check-digits.js';
import { EPC_SGTIN96, EPC_SSCC96 } from './epc.js';

/** A routable key of a read. */
export interface KeyDescription {
  kind: KeyKindName;
  /** The key text: an identifier, a routing code, or a postal code (without country). */
  value: string;
  /** Postal keys: ISO 3166-1 numeric country; absent for AI (420), which means the plan's home country. */
  country?: number;
}

/** One GS1 element string. */
export interface ElementDescription {
  /** The AI as digits, e.g. `"3302"`. */
  ai: string;
  /** Its data title (GS1 General Specifications). */
  title: string;
  value: string;
  /** Decimal-point AIs (31nn-36nn, 39nn): decimals implied by the AI's last digit. */
  decimals?: number;
}

/** A read as the API edge reports it. */
export type ReadDescription =
  | {
      ok: true;
      kind: LabelKindName;
      /** GS1 data in bracket form, e.g. `(00)106141412345678908(3302)001250`. */
      hri?: string;
      /**
       * The identifier the read carries: the GTIN of a `gtin` read; the S10, carrier or waybill
       * number; the IMpb tracking number of a `usps` read; the (00) SSCC of GS1 data (absent in
       * GS1 data without one). Never on `text` or `noread`.
       */
      id?: string;
      /** The data of a `text` read, after its symbology identifier. */
      text?: string;
      keys: KeyDescription[];
      elements?: ElementDescription[];
      /** The AIM symbology identifier the data came with, e.g. `]C1`. */
      symbology?: string;
      /** The configured carrier of a waybill read. */
      carrier?: string;
    }
  | {
      ok: false;
      kind?: LabelKindName;
      error: { code: ErrorCode; message: string; offset: number };
    };

const TYPE_WORDS = [
  'a digit',
  'a character of GS1 CSET 82',
  'a character of GS1 CSET 39 (# - / 0-9 A-Z)',
  'a character of CSET 64 (A-Z a-z 0-9 - _)',
];

const LINTER_EXPECTATIONS: Readonly<Record<string, string>> = {
  key: 'a GS1 Company Prefix: at least 4 leading digits',
  keyoff1: 'a GS1 Company Prefix: at least 4 digits after the first character',
  hasnondigit: 'at least one character that is not a digit',
  iso4217: 'an ISO 4217 numeric currency code',
  pcenc: 'percent escapes of the form %XX with two hexadecimal digits',
  latitude: 'a latitude from 0000000000 to 1800000000',
  longitude: 'a longitude from 0000000000 to 3600000000',
  yesno: '0 or 1',
  hyphen: 'a hyphen "-"',
  zero: '0',
  nonzero: 'a value that is not zero',
  winding: '0, 1 or 9',
  pieceoftotal: 'a piece number followed by a total of the same width, 1 <= piece <= total',
  iban: 'an IBAN whose check digits hold (ISO 13616)',
  nozeroprefix: 'no leading zero',
  importeridx: 'one character of A-Z a-z 0-9 - _',
  mediatype: 'an AIDC media type 01-10 or 80-99',
  iso5218: 'a biological sex code of ISO/IEC 5218: 0, 1, 2 or 9',
  posinseqslash: 'a position in sequence "pos/end" with 1 <= pos <= end',
};

/** Why a character cannot be part of a plain-text read (./resolver.ts firstUnreadable). */
const UNREADABLE: Readonly<Record<number, string>> = {
  0: 'NUL is in no label scheme; it is telegram padding, or UTF-16 text taken for 8-bit text',
  0xfffd: 'U+FFFD replaces bytes a decoder could not decode; the read lost data',
};

const KIND_SCHEMES: Readonly<Partial<Record<LabelKindName, string>>> = {
  gtin: 'GTIN (GS1 modulo 10)',
  s10: 'UPU S10',
  ups: 'UPS 1Z',
  usps: 'USPS (modulo 10)',
  fedex: 'FedEx',
  dhl: 'DHL Express (modulo 7)',
};

function quote(s: string): string {
  return JSON.stringify(s);
}

function aiName(e: number): string {
  return `(${AI_STRINGS[e]!}) ${AI_TITLES[e]!}`;
}

/** The component type of entry `e` at `offset` of the value starting at `valueStart`. */
function typeAt(e: number, valueStart: number, offset: number): number {
  let p = valueStart;
  const c1 = AI_COMP_START[e]! + AI_COMP_COUNT[e]!;
  for (let c = AI_COMP_START[e]!; c < c1; c++) {
    const len = COMP_MIN[c] === COMP_MAX[c] ? COMP_MAX[c]! : Infinity;
    if (offset < p + len) return COMP_TYPE[c]!;
    p += len;
  }
  return COMP_TYPE[c1 - 1]!;
}

/** The message of the fault of the last read of `res` (which must have failed). */
export function faultMessage(res: LabelResolver): string {
  const t = res.text;
  const at = res.faultOffset;
  const e = res.faultEntry;
  const value = res.faultValueStart >= 0 ? t.slice(res.faultValueStart, res.faultValueEnd) : '';
  const where = `at offset ${at}`;
  switch (res.status) {
    case LabelFault.EMPTY:
      return res.dataStart > 0
        ? `no data after the symbology identifier ${quote(t.slice(0, res.dataStart))}; expected data`
        : 'GS1 data without any element string; expected AI and value';
    case LabelFault.SYMBOLOGY:
      return t.charCodeAt(0) === 93
        ? `${quote(t.slice(0, 3))} ${where} is not a known ISO/IEC 15424 symbology identifier; expected "]" + symbology letter + modifier, such as ]C1, ]d2, ]Q3, ]e0`
        : 'the read has no symbology identifier and this scanner is configured to send one (aim: "expected"); expected "]" + letter + modifier first';
    case LabelFault.CHARACTER: {
      const ch = t.charAt(at);
      const code = t.charCodeAt(at);
      const shown =
        code < 32 || code > 126
          ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
          : quote(ch);
      if (e < 0 && res.kind === LabelKind.TEXT)
        return `character ${shown} ${where} cannot be part of a read: ${UNREADABLE[code] ?? 'an unpaired UTF-16 surrogate is not Unicode text'}`;
      if (e < 0) return `character ${shown} ${where} is not allowed here`;
      return `character ${shown} ${where} in ${aiName(e)} is not allowed; expected ${TYPE_WORDS[typeAt(e, res.faultValueStart, at)]}`;
    }
    case LabelFault.UNKNOWN_AI: {
      const digits = t.slice(at, at + 4);
      return `${quote(digits)} ${where} does not start a GS1 Application Identifier (GS1 Barcode Syntax Dictionary); expected a defined AI such as 00, 01, 3302, 403, 421`;
    }
    case LabelFault.TOO_SHORT:
      if (e >= 0)
        return `${aiName(e)} value ${quote(value)} has ${value.length} character${value.length === 1 ? '' : 's'}; expected ${AI_MIN_LENGTH[e] === AI_MAX_LENGTH[e] ? '' : 'at least '}${AI_MIN_LENGTH[e]}`;
      return `${kindWord(res)} too short ${where}`;
    case LabelFault.TOO_LONG:
      if (e >= 0) {
        return `${aiName(e)} value ${quote(value)} has ${value.length} characters; expected at most ${AI_MAX_LENGTH[e]} (a value that is not of pre-defined length ends at the FNC1 separator, GS; it is never cut)`;
      }
      return `${kindWord(res)} too long ${where}`;
    case LabelFault.CHECK_DIGIT:
      if (e >= 0 && LINTER_NAMES[res.faultLinter] === 'csum') {
        const expected = gs1Mod10(t, res.faultValueStart + componentStart(e, res), at);
        return `check digit ${quote(t.charAt(at))} ${where} of ${aiName(e)} ${quote(value)} does not match; expected ${expected} (GS1 modulo 10)`;
      }
      if (e >= 0)
        return `check characters ${where} of ${aiName(e)} ${quote(value)} do not match (${LINTER_NAMES[res.faultLinter]})`;
      return `the ${KIND_SCHEMES[LABEL_KIND_NAMES[res.kind] ?? 'text'] ?? ''} check digit ${quote(t.charAt(at))} ${where} does not match the number`;
    case LabelFault.COUNTRY:
      if (e >= 0) {
        const alpha =
          LINTER_NAMES[res.faultLinter] === 'iso3166alpha2' ||
          LINTER_NAMES[res.faultLinter] === 'iban';
        return `${quote(t.slice(at, at + (alpha ? 2 : 3)))} ${where} in ${aiName(e)} is not an ISO 3166-1 ${alpha ? 'alpha-2' : 'numeric'} country code`;
      }
      return `${quote(t.slice(at, at + 2))} ${where} is not an ISO 3166-1 alpha-2 country code (UPU S10 country of origin)`;
    case LabelFault.DATE: {
      const linter = LINTER_NAMES[res.faultLinter]!;
      const time = linter === 'hhmi' || linter === 'hh' || linter === 'mi' || linter === 'ss';
      return `${aiName(e)} value ${quote(value)} ${where}: not a valid ${time ? 'time of day' : 'calendar date'} (${linter.toUpperCase()})`;
    }
    case LabelFault.VALUE: {
      const linter = LINTER_NAMES[res.faultLinter]!;
      return `${aiName(e)} value ${quote(value)} ${where} breaks the GS1 rule "${linter}"; expected ${LINTER_EXPECTATIONS[linter] ?? 'a valid value'}`;
    }
    case LabelFault.EXCLUSIVE:
      return `${aiName(e)} ${where} may not appear with (${AI_STRINGS[res.faultOther]!}) (GS1 invalid pair: ${quote(AI_EX_TEXT[e]!)} for (${AI_STRINGS[e]!}), or the reverse)`;
    case LabelFault.REQUIRED:
      return `${aiName(e)} ${where} requires ${AI_REQ_TEXT[e]} in the same data (GS1 mandatory association)`;
    case LabelFault.DUPLICATE_AI:
      return `${aiName(e)} ${where} appears twice with different values`;
    case LabelFault.EPC_FORMAT:
      return `RFID data ${quote(t.length > 40 ? `${t.slice(0, 40)}…` : t)} is not an EPC of 96 bits; expected 24 hexadecimal digits (fault ${where})`;
    case LabelFault.EPC_HEADER:
      return `EPC header 0x${t.slice(0, 2).toUpperCase()} is not supported; expected SGTIN-96 (0x${EPC_SGTIN96.toString(16)}) or SSCC-96 (0x${EPC_SSCC96.toString(16)})`;
    case LabelFault.EPC_PARTITION:
      return 'EPC partition value 7 is undefined (GS1 EPC Tag Data Standard); expected 0-6';
    case LabelFault.EPC_FILTER:
      return `EPC filter value ${res.epc.filter} is not accepted by the resolver configuration (epcFilters)`;
    case LabelFault.EPC_RESERVED:
      return 'the 24 reserved bits of the SSCC-96 are not zero (GS1 EPC Tag Data Standard)';
    case LabelFault.EPC_VALUE:
      return `an EPC field ${where} holds more decimal digits than partition ${res.epc.partition} allows`;
    case LabelFault.DIGITAL_LINK:
      return `GS1 Digital Link URI malformed ${where}; expected AI/value path pairs after the primary key, qualifiers in a permitted order, query AIs that are permitted attributes with a value, and %XX escapes`;
    case LabelFault.READ_TOO_LONG:
      return `the read has ${t.length > MAX_READ_LENGTH ? t.length : 'too many'} ${t.length > MAX_READ_LENGTH ? 'characters' : 'element strings'}; expected at most ${MAX_READ_LENGTH} characters and 128 element strings`;
    default:
      return `label fault ${res.status}`;
  }
}

/** Offset of the component holding a csum linter within entry `e`'s value (fixed components before it). */
function componentStart(e: number, res: LabelResolver): number {
  let p = 0;
  const c1 = AI_COMP_START[e]! + AI_COMP_COUNT[e]!;
  for (let c = AI_COMP_START[e]!; c < c1; c++) {
    const len = COMP_MAX[c]!;
    if (res.faultValueStart + p + len > res.faultOffset) return p;
    p += len;
  }
  return 0;
}

function kindWord(res: LabelResolver): string {
  const k = LABEL_KIND_NAMES[res.kind];
  return k === 'gtin' ? 'the EAN/UPC number is' : 'the data is';
}

/**
 * The last read of `res` as a plain object.
 * @param acceptRequired treat a read whose only fault is a GS1 mandatory association as valid
 *   (the parcel router found the required AI in another read of the parcel).
 */
export function describeResolved(res: LabelResolver, acceptRequired = false): ReadDescription {
  const ok =
    res.status === LabelFault.NONE || (acceptRequired && res.status === LabelFault.REQUIRED);
  if (!ok) {
    const out: ReadDescription = {
      ok: false,
      error: {
        code: labelFaultCode(res.status),
        message: faultMessage(res),
        offset: res.faultOffset,
      },
    };
    if (res.kind >= 0) out.kind = LABEL_KIND_NAMES[res.kind]!;
    return out;
  }
  const t = res.text;
  const kind = LABEL_KIND_NAMES[res.kind]!;
  const keys: KeyDescription[] = [];
  for (let k = res.keyBase; k < res.keyBase + res.keyCount; k++) {
    const key: KeyDescription = {
      kind: KEY_KIND_NAMES[res.keyKind[k]!]!,
      value: t.slice(res.keyStart[k], res.keyEnd[k]),
    };
    if (KEY_KIND_NAMES[res.keyKind[k]!] === 'postal' && res.keyCountry[k] !== HOME_COUNTRY)
      key.country = res.keyCountry[k]!;
    keys.push(key);
  }
  const out: ReadDescription = { ok: true, kind, keys };
  if (res.aimLetter !== 0)
    out.symbology = `]${String.fromCharCode(res.aimLetter, res.aimModifier)}`;
  if (res.kind === LabelKind.GS1 || (res.kind === LabelKind.USPS && res.elements.count > 0)) {
    const el = res.elements;
    const elements: ElementDescription[] = [];
    let hri = '';
    for (let i = 0; i < el.count; i++) {
      const e = el.entry[i]!;
      const value = el.text.slice(el.valueStart[i], el.valueEnd[i]);
      hri += `(${AI_STRINGS[e]})${value}`;
      const d: ElementDescription = { ai: AI_STRINGS[e]!, title: AI_TITLES[e]!, value };
      if ((AI_FLAGS[e]! & AI_DECIMAL) !== 0) d.decimals = AI_CODE[e]! % 10;
      elements.push(d);
    }
    out.hri = hri;
    out.elements = elements;
  }
  if (res.idStart >= 0) out.id = t.slice(res.idStart, res.idEnd);
  else if (res.kind === LabelKind.GS1) {
    const sscc = keys.find((k) => k.kind === 'id');
    if (sscc !== undefined) out.id = sscc.value;
  } else if (res.kind === LabelKind.TEXT) out.text = t.slice(res.dataStart);
  if (res.kind === LabelKind.WAYBILL)
    out.carrier = res.configuration.waybills.carrier[res.waybill]!;
  return out;
}

const resolvers = new WeakMap<CompiledResolverConfig, LabelResolver>();

/**
 * Resolves one read and describes it (API edge: `sortline resolve`, tests, tools).
 * @param data the read as the device sent it.
 * @param source a ReadSource code; default scanner.
 * @param config a resolver configuration, raw or compiled; default `{}`.
 * @param scanner scanner id selecting its profile; default 0.
 * @returns `{ ok: true, kind, hri?, id?, keys, ... }` or `{ ok: false, error: { code, message, offset } }`.
 * @throws SortlineError SORTLINE_ERR_LABEL_CONFIG when a raw `config` is malformed.
 */
export function describeRead(
  data: string,
  source: number = ReadSource.SCANNER,
  config?: ResolverConfig | CompiledResolverConfig,
  scanner = 0,
): ReadDescription {
  const compiled =
    config === undefined
      ? defaultResolverConfig()
      : config instanceof CompiledResolverConfig
        ? config
        : compileResolverConfig(config);
  let res = resolvers.get(compiled);
  if (res === undefined) {
    res = new LabelResolver(compiled);
    resolvers.set(compiled, res);
  }
  res.resolve(data, source, scanner);
  return describeResolved(res);
}
