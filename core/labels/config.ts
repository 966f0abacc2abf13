/**
 * Resolver configuration: how each scanner talks (AIM identifiers, proprietary code ids, no-read
 * tokens, GS1 without identifier), which carrier schemes and e-waybill patterns to recognise,
 * the three-segment routing code in plain text, accepted EPC filter values and an optional key
 * priority. Validated as a whole (TypeBox) and compiled once into {@link CompiledResolverConfig};
 * the hot path reads only its arrays.
 */
import { Type } from '@sinclair/typebox';
import { SortlineError, type ErrorDetail } from '../errors.js';
import { schemaErrors } from '../schema-errors.js';
import { KEY_KIND_NAMES, type KeyKindName } from '../plan/index.js';
import { AIM_LETTERS, aimInfo, aimModifiers } from './aim.js';
import { ALL_CARRIERS, Carrier } from './carriers.js';
import { compileWaybills, type WaybillTable } from './waybill.js';

/** How one scanner (or every scanner, at the top level) sends its data. */
export interface ScannerProfile {
  /**
   * ISO/IEC 15424 symbology identifiers: `"auto"` (default) a leading `]` starts one,
   * `"expected"` every read must start with one (else SORTLINE_ERR_LABEL_SYMBOLOGY), `"absent"`
   * the scanner never sends one (a leading `]` is data).
   */
  aim?: 'auto' | 'expected' | 'absent';
  /**
   * Proprietary code-id prefixes (1 to 8 printable characters) the scanner sends instead of AIM
   * identifiers, mapped to the ISO/IEC 15424 identifier they stand for (`]` + a symbology letter
   * + a modifier that symbology defines), e.g. `{ "j": "]C0", "u": "]C1" }`. Longest prefix wins.
   */
  codeIds?: Record<string, string>;
  /** No-read tokens, compared ignoring ASCII case; default `["noread"]`. Empty or blank data is always a no-read. */
  noReadTokens?: string[];
  /** Treat data without a symbology identifier as a GS1 element string (scanners that strip `]C1`). Default false. */
  assumeGs1?: boolean;
}

/** The whole configuration; every field optional. */
export interface ResolverConfig extends ScannerProfile {
  /** Per-scanner overrides by scanner number (decimal keys 0-65535, as in JSON); unset fields inherit the top level. */
  scanners?: Record<string, ScannerProfile>;
  /**
   * Electronic waybill patterns by carrier, tried in order (./waybill.ts syntax): at most
   * {@link MAX_WAYBILL_CARRIERS} carriers of 1 to {@link MAX_WAYBILL_PATTERNS} patterns each, and
   * at most {@link MAX_WAYBILL_PATTERNS_IN_ALL} patterns in all.
   */
  waybills?: Array<{ carrier: string; patterns: string[] }>;
  /**
   * Plain-text three-segment routing codes (`771-K23-05`): `false` to turn off, or bounds.
   * Default `{ minSegments: 3, maxSegments: 3, maxSegmentLength: 8 }`.
   */
  routingCode?: false | { minSegments?: number; maxSegments?: number; maxSegmentLength?: number };
  /**
   * Manual reads (an operator keying at a manual coding station) of digits only, of `minDigits`
   * to `maxDigits` digits, that no identifier scheme claims: a postal code of the plan's home
   * country. `false` to turn off. Default `{ minDigits: 3, maxDigits: 9 }`.
   */
  manualPostal?: false | { minDigits?: number; maxDigits?: number };
  /** Carrier schemes to recognise in plain text; each defaults to true. */
  carriers?: { s10?: boolean; ups?: boolean; usps?: boolean; fedex?: boolean; dhl?: boolean };
  /** EPC filter values (0-7) accepted on RFID reads; default all. */
  epcFilters?: number[];
  /** Key kinds in trust order, overriding the sort plan's `keyPriority`. */
  keyPriority?: KeyKindName[];
}

/** Most carriers in `waybills`. */
export const MAX_WAYBILL_CARRIERS = 64;
/** Most patterns of one carrier in `waybills`. */
export const MAX_WAYBILL_PATTERNS = 64;
/** Most waybill patterns in all (every read of plain text is tried against each). */
export const MAX_WAYBILL_PATTERNS_IN_ALL = 256;
/** Largest scanner number (the gateway protocol's 16-bit scanner field). */
export const MAX_SCANNER = 65535;

const boolean = (what: string) => Type.Boolean({ description: `true or false (${what})` });
/** One of the strings `words`; each variant carries the whole list (a fault is reported against one variant). */
const oneOf = (words: readonly string[]) => {
  const description = words
    .map((w) => JSON.stringify(w))
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');
  return Type.Union(
    words.map((w) => Type.Literal(w, { description })),
    { description },
  );
};
const integer = (lo: number, hi: number) =>
  Type.Integer({ minimum: lo, maximum: hi, description: `an integer ${lo}-${hi}` });

// Record keys (code ids, scanner numbers) and codeIds values are checked in compileResolverConfig,
// which names the key and what was expected.
const profileProps = {
  aim: Type.Optional(oneOf(['auto', 'expected', 'absent'])),
  codeIds: Type.Optional(
    Type.Record(Type.String(), Type.String({ description: 'an AIM identifier such as "]C1"' }), {
      description: 'an object of code id → AIM identifier, e.g. { "u": "]C1" }',
    }),
  ),
  noReadTokens: Type.Optional(
    Type.Array(
      Type.String({ minLength: 1, maxLength: 64, description: 'a token of 1 to 64 characters' }),
      { maxItems: 32, description: 'an array of at most 32 tokens' },
    ),
  ),
  assumeGs1: Type.Optional(boolean('assume GS1 data without an identifier')),
};
const ProfileSchema = Type.Object(profileProps, {
  additionalProperties: false,
  description: 'a scanner profile { aim, codeIds, noReadTokens, assumeGs1 }',
});
const RoutingCodeSchema = Type.Object(
  {
    minSegments: Type.Optional(integer(1, 8)),
    maxSegments: Type.Optional(integer(1, 8)),
    maxSegmentLength: Type.Optional(integer(1, 30)),
  },
  {
    additionalProperties: false,
    description: 'false or an object { minSegments, maxSegments, maxSegmentLength }',
  },
);
const ManualPostalSchema = Type.Object(
  {
    minDigits: Type.Optional(integer(1, 20)),
    maxDigits: Type.Optional(integer(1, 20)),
  },
  { additionalProperties: false, description: 'false or an object { minDigits, maxDigits }' },
);
const ResolverConfigSchema = Type.Object(
  {
    ...profileProps,
    scanners: Type.Optional(
      Type.Record(Type.String(), ProfileSchema, {
        description: 'an object of scanner number → profile',
      }),
    ),
    waybills: Type.Optional(
      Type.Array(
        Type.Object(
          {
            carrier: Type.String({
              minLength: 1,
              maxLength: 64,
              description: 'a carrier name of 1 to 64 characters',
            }),
            patterns: Type.Array(
              Type.String({
                minLength: 1,
                maxLength: 128,
                description: 'a waybill pattern of 1 to 128 characters',
              }),
              {
                minItems: 1,
                maxItems: MAX_WAYBILL_PATTERNS,
                description: `an array of 1 to ${MAX_WAYBILL_PATTERNS} patterns`,
              },
            ),
          },
          { additionalProperties: false, description: 'an object { carrier, patterns }' },
        ),
        {
          maxItems: MAX_WAYBILL_CARRIERS,
          description: `an array of at most ${MAX_WAYBILL_CARRIERS} carriers`,
        },
      ),
    ),
    // the object first: a value that fits neither is reported by the object's faults (schemaErrors
    // takes the first of equally close variants), which name the field inside it
    routingCode: Type.Optional(
      Type.Union([
        RoutingCodeSchema,
        Type.Literal(false, {
          description: 'false or an object { minSegments, maxSegments, maxSegmentLength }',
        }),
      ]),
    ),
    manualPostal: Type.Optional(
      Type.Union([
        ManualPostalSchema,
        Type.Literal(false, { description: 'false or an object { minDigits, maxDigits }' }),
      ]),
    ),
    carriers: Type.Optional(
      Type.Object(
        {
          s10: Type.Optional(boolean('UPU S10')),
          ups: Type.Optional(boolean('UPS 1Z')),
          usps: Type.Optional(boolean('USPS')),
          fedex: Type.Optional(boolean('FedEx')),
          dhl: Type.Optional(boolean('DHL Express')),
        },
        {
          additionalProperties: false,
          description: 'an object { s10, ups, usps, fedex, dhl } of true or false',
        },
      ),
    ),
    epcFilters: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0, maximum: 7, description: 'a filter value 0-7' }), {
        description: 'an array of filter values 0-7',
      }),
    ),
    keyPriority: Type.Optional(
      Type.Array(oneOf(['routing', 'postal', 'id']), {
        minItems: 1,
        maxItems: 3,
        uniqueItems: true,
        description: 'an array of distinct key kinds',
      }),
    ),
  },
  { additionalProperties: false, description: 'a resolver configuration object' },
);

/** `aim` modes as stored. */
export const AimMode = { AUTO: 0, EXPECTED: 1, ABSENT: 2 } as const;

/** Scanner ids below this are looked up in an array; larger ids in a Map. */
const DIRECT_SCANNERS = 1024;

/**
 * A validated, compiled configuration. Profiles are numbered; profile 0 is the top level.
 * Immutable; share one between resolvers.
 */
export class CompiledResolverConfig {
  /** The configuration it was compiled from (API edge). */
  readonly source: ResolverConfig;
  /** Per profile: {@link AimMode}, assume-GS1 flag. */
  readonly aimMode: Uint8Array;
  readonly assumeGs1: Uint8Array;
  /** No-read tokens of profile p, lower-cased: `noRead[noReadStart[p] .. noReadStart[p + 1])`. */
  readonly noReadStart: Uint16Array;
  readonly noRead: readonly string[];
  /** Length of the longest no-read token per profile (longer reads need no comparison). */
  readonly noReadLongest: Uint8Array;
  /** Code-id prefixes of profile p, longest first: `codeId[codeIdStart[p] .. codeIdStart[p + 1])`, with their AIM letter and modifier char codes. */
  readonly codeIdStart: Uint16Array;
  readonly codeId: readonly string[];
  readonly codeIdLetter: Uint16Array;
  readonly codeIdModifier: Uint16Array;
  readonly waybills: WaybillTable;
  /** Routing-code segment bounds; `routingMaxSegments` 0 when plain-text routing codes are off. */
  readonly routingMinSegments: number;
  readonly routingMaxSegments: number;
  readonly routingMaxSegmentLength: number;
  /** Digit counts of a manual read taken as a home-country postal code; `manualPostalMax` 0 when off. */
  readonly manualPostalMin: number;
  readonly manualPostalMax: number;
  /** Enabled carrier schemes ({@link Carrier} bits). */
  readonly carriers: number;
  /** Bit f set when EPC filter value f is accepted. */
  readonly epcFilters: number;
  /** Key kinds (KeyKind codes) in priority order, or null to use the plan's. */
  readonly keyPriority: Uint8Array | null;
  private readonly direct: Int16Array;
  private readonly others: Map<number, number>;

  constructor(config: ResolverConfig, waybills: WaybillTable) {
    this.source = config;
    const scannerIds = Object.keys(config.scanners ?? {});
    const profiles: ScannerProfile[] = [
      config,
      ...scannerIds.map((id) => ({ ...pick(config), ...config.scanners![id] })),
    ];
    this.aimMode = Uint8Array.from(profiles, (p) =>
      p.aim === 'expected' ? AimMode.EXPECTED : p.aim === 'absent' ? AimMode.ABSENT : AimMode.AUTO,
    );
    this.assumeGs1 = Uint8Array.from(profiles, (p) => (p.assumeGs1 === true ? 1 : 0));
    const noRead: string[] = [];
    const noReadStart = [0];
    const noReadLongest: number[] = [];
    const codeId: string[] = [];
    const letter: number[] = [];
    const modifier: number[] = [];
    const codeIdStart = [0];
    for (const p of profiles) {
      let longest = 0;
      for (const t of p.noReadTokens ?? ['noread']) {
        const folded = t.toLowerCase();
        noRead.push(folded);
        if (folded.length > longest) longest = folded.length;
      }
      noReadStart.push(noRead.length);
      noReadLongest.push(longest);
      const entries = Object.entries(p.codeIds ?? {}).sort((x, y) => y[0].length - x[0].length);
      for (const [prefix, aim] of entries) {
        codeId.push(prefix);
        letter.push(aim.charCodeAt(1));
        modifier.push(aim.charCodeAt(2));
      }
      codeIdStart.push(codeId.length);
    }
    this.noRead = noRead;
    this.noReadStart = Uint16Array.from(noReadStart);
    this.noReadLongest = Uint8Array.from(noReadLongest);
    this.codeId = codeId;
    this.codeIdStart = Uint16Array.from(codeIdStart);
    this.codeIdLetter = Uint16Array.from(letter);
    this.codeIdModifier = Uint16Array.from(modifier);
    this.waybills = waybills;
    const rc = config.routingCode;
    this.routingMinSegments = rc === false ? 0 : (rc?.minSegments ?? 3);
    this.routingMaxSegments = rc === false ? 0 : (rc?.maxSegments ?? 3);
    this.routingMaxSegmentLength = rc === false ? 0 : (rc?.maxSegmentLength ?? 8);
    const mp = config.manualPostal;
    this.manualPostalMin = mp === false ? 1 : (mp?.minDigits ?? 3);
    this.manualPostalMax = mp === false ? 0 : (mp?.maxDigits ?? 9);
    const c = config.carriers ?? {};
    this.carriers =
      ALL_CARRIERS &
      ~(
        (c.s10 === false ? Carrier.S10 : 0) |
        (c.ups === false ? Carrier.UPS : 0) |
        (c.usps === false ? Carrier.USPS : 0) |
        (c.fedex === false ? Carrier.FEDEX : 0) |
        (c.dhl === false ? Carrier.DHL : 0)
      );
    this.epcFilters =
      config.epcFilters === undefined ? 0xff : config.epcFilters.reduce((m, f) => m | (1 << f), 0);
    this.keyPriority =
      config.keyPriority === undefined
        ? null
        : Uint8Array.from(config.keyPriority, (k) => KEY_KIND_NAMES.indexOf(k));
    this.direct = new Int16Array(DIRECT_SCANNERS);
    this.others = new Map();
    scannerIds.forEach((id, i) => {
      const n = Number(id);
      if (n < DIRECT_SCANNERS) this.direct[n] = i + 1;
      else this.others.set(n, i + 1);
    });
  }

  /** Profile number of scanner `scanner` (0, the top level, when it has none of its own). */
  profileOf(scanner: number): number {
    if (scanner >= 0 && scanner < DIRECT_SCANNERS) return this.direct[scanner | 0]!;
    return this.others.get(scanner) ?? 0;
  }
}

/** The profile fields of the top level, inherited by scanner profiles. */
function pick(c: ResolverConfig): ScannerProfile {
  const out: ScannerProfile = {};
  if (c.aim !== undefined) out.aim = c.aim;
  if (c.codeIds !== undefined) out.codeIds = c.codeIds;
  if (c.noReadTokens !== undefined) out.noReadTokens = c.noReadTokens;
  if (c.assumeGs1 !== undefined) out.assumeGs1 = c.assumeGs1;
  return out;
}

/**
 * Validates and compiles a resolver configuration (off the hot path).
 * @param config the configuration (anything; validated as a whole), default `{}`.
 * @throws SortlineError `SORTLINE_ERR_LABEL_CONFIG` with every fault and its JSON pointer in `details`.
 */
export function compileResolverConfig(config: unknown = {}): CompiledResolverConfig {
  const details: ErrorDetail[] = schemaErrors(ResolverConfigSchema, config);
  // checks the schema cannot state run on every part of the right shape, so that one pass lists every fault
  if (isObject(config)) {
    checkProfile(config, '', details);
    if (isObject(config.scanners)) {
      for (const [id, p] of Object.entries(config.scanners)) {
        const at = `/scanners/${escapePointer(id)}`;
        if (!isScannerNumber(id))
          details.push({
            pointer: at,
            message: `scanner ${JSON.stringify(id)} is not a scanner number; expected a decimal integer 0-${MAX_SCANNER} without leading zeros`,
          });
        if (isObject(p)) checkProfile(p, at, details);
      }
    }
    checkBounds(config.routingCode, '/routingCode', 'minSegments', 'maxSegments', 3, 3, details);
    checkBounds(config.manualPostal, '/manualPostal', 'minDigits', 'maxDigits', 3, 9, details);
  }
  if (details.length === 0) {
    const c = config as ResolverConfig;
    const flat: Array<[string, string]> = [];
    const where: string[] = [];
    (c.waybills ?? []).forEach((w, i) =>
      w.patterns.forEach((p, j) => {
        flat.push([w.carrier, p]);
        where.push(`/waybills/${i}/patterns/${j}`);
      }),
    );
    if (flat.length > MAX_WAYBILL_PATTERNS_IN_ALL) {
      details.push({
        pointer: '/waybills',
        message: `${flat.length} waybill patterns in all; expected at most ${MAX_WAYBILL_PATTERNS_IN_ALL}`,
      });
    }
    const faults: Array<[number, string]> = [];
    const table = compileWaybills(flat, faults);
    for (const [k, message] of faults)
      details.push({ pointer: where[k]!, message: `${message} (in "${flat[k]![1]}")` });
    if (details.length === 0) return new CompiledResolverConfig(c, table);
  }
  throw new SortlineError(
    'SORTLINE_ERR_LABEL_CONFIG',
    `the label resolver configuration has ${details.length} fault${details.length === 1 ? '' : 's'}`,
    { details },
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A decimal scanner number 0-{@link MAX_SCANNER}, written without leading zeros (as JSON object keys of numbers are). */
function isScannerNumber(id: string): boolean {
  if (id.length === 0 || id.length > 5 || (id.length > 1 && id.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(id) <= MAX_SCANNER;
}

/** Code-id keys (1 to 8 printable ASCII characters) and values (ISO/IEC 15424 identifiers) of one profile at pointer `at`. */
function checkProfile(p: Record<string, unknown>, at: string, details: ErrorDetail[]): void {
  if (!isObject(p.codeIds)) return;
  for (const [prefix, aim] of Object.entries(p.codeIds)) {
    const pointer = `${at}/codeIds/${escapePointer(prefix)}`;
    if (prefix.length < 1 || prefix.length > 8 || !isPrintableAscii(prefix)) {
      details.push({
        pointer,
        message: `code id ${JSON.stringify(prefix)} is not a code id; expected 1 to 8 printable ASCII characters`,
      });
    }
    if (typeof aim !== 'string') continue; // reported by the schema
    const fault = aimFault(aim);
    if (fault !== null)
      details.push({
        pointer,
        message: `${JSON.stringify(aim)} is not an ISO/IEC 15424 symbology identifier: ${fault}`,
      });
  }
}

function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/** Why `aim` is not an AIM identifier (`]` + symbology letter + a modifier that symbology defines), or null. */
function aimFault(aim: string): string | null {
  const form =
    'expected "]" + a symbology letter + one of its modifier characters, such as "]C1" or "]d2"';
  if (aim.length !== 3 || aim[0] !== ']')
    return `it has ${aim.length === 3 ? 'no leading "]"' : `${aim.length} characters`}; ${form}`;
  const modifiers = aimModifiers(aim[1]!);
  if (modifiers === '')
    return `${JSON.stringify(aim[1])} is not a symbology letter; expected one of ${AIM_LETTERS}`;
  if (aimInfo(aim.charCodeAt(1), aim.charCodeAt(2)) === 0)
    return `modifier ${JSON.stringify(aim[2])} is not defined for "${aim[1]}"; expected one of ${modifiers.split('').join(' ')}`;
  return null;
}

/** `value.min <= value.max` for an object of two optional integer bounds with defaults (routingCode, manualPostal). */
function checkBounds(
  value: unknown,
  at: string,
  minKey: string,
  maxKey: string,
  minDefault: number,
  maxDefault: number,
  details: ErrorDetail[],
): void {
  if (!isObject(value)) return;
  const lo = value[minKey] ?? minDefault;
  const hi = value[maxKey] ?? maxDefault;
  if (typeof lo !== 'number' || typeof hi !== 'number' || lo <= hi) return;
  const pointer = `${at}/${minKey in value ? minKey : maxKey}`;
  const origin = (k: string) => (k in value ? '' : ' (the default)');
  details.push({
    pointer,
    message: `${minKey} ${lo}${origin(minKey)} exceeds ${maxKey} ${hi}${origin(maxKey)}; expected ${minKey} <= ${maxKey}`,
  });
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
