/**
 * Resolver configuration: how each scanner talks (AIM identifiers, proprietary code ids, no-read
 * tokens, GS1 without identifier), which carrier schemes and e-waybill patterns to recognise,
 * the three-segment routing code in plain text, accepted EPC filter values and an optional key
 * priority. Validated as a whole (TypeBox) and compiled once into {@link CompiledResolverConfig};
 * the hot path reads only its arrays.
 */
import { Type } from '@sinclair/typebox';
import { SortlineError, type ErrorDetail } from '../errors.js';
import { schemaErrors } from '../plan/schema-errors.js';
import { KEY_KIND_NAMES, type KeyKindName } from '../plan/types.js';
import { aimInfo } from './aim.js';
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
   * Proprietary code-id prefixes the scanner sends instead of AIM identifiers, mapped to the AIM
   * identifier they stand for, e.g. `{ "j": "]C0", "u": "]C1" }`. Longest prefix wins.
   */
  codeIds?: Record<string, string>;
  /** No-read tokens, compared ignoring ASCII case; default `["noread"]`. Empty or blank data is always a no-read. */
  noReadTokens?: string[];
  /** Treat data without a symbology identifier as a GS1 element string (scanners that strip `]C1`). Default false. */
  assumeGs1?: boolean;
}

/** The whole configuration; every field optional. */
export interface ResolverConfig extends ScannerProfile {
  /** Per-scanner overrides by scanner id (decimal string keys, as in JSON); unset fields inherit the top level. */
  scanners?: Record<string, ScannerProfile>;
  /** Electronic waybill patterns by carrier, tried in order (./waybill.ts syntax). */
  waybills?: Array<{ carrier: string; patterns: string[] }>;
  /**
   * Plain-text three-segment routing codes (`771-K23-05`): `false` to turn off, or bounds.
   * Default `{ minSegments: 3, maxSegments: 3, maxSegmentLength: 8 }`.
   */
  routingCode?: false | { minSegments?: number; maxSegments?: number; maxSegmentLength?: number };
  /** Carrier schemes to recognise in plain text; each defaults to true. */
  carriers?: { s10?: boolean; ups?: boolean; usps?: boolean; fedex?: boolean; dhl?: boolean };
  /** EPC filter values (0-7) accepted on RFID reads; default all. */
  epcFilters?: number[];
  /** Key kinds in trust order, overriding the sort plan's `keyPriority`. */
  keyPriority?: KeyKindName[];
}

const profileProps = {
  aim: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('expected'), Type.Literal('absent')], { description: '"auto", "expected" or "absent"' })),
  codeIds: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 8 }), Type.String({ pattern: '^\\][A-Za-z][0-9A-Za-z]$', description: 'an AIM identifier such as "]C1"' }), { description: 'an object of code id → AIM identifier' })),
  noReadTokens: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64, description: 'a token of 1 to 64 characters' }), { maxItems: 32, description: 'an array of at most 32 tokens' })),
  assumeGs1: Type.Optional(Type.Boolean({ description: 'true or false' })),
};
const ProfileSchema = Type.Object(profileProps, { additionalProperties: false, description: 'a scanner profile' });
const ResolverConfigSchema = Type.Object({
  ...profileProps,
  scanners: Type.Optional(Type.Record(Type.String({ pattern: '^(0|[1-9][0-9]{0,8})$' }), ProfileSchema, { description: 'an object of scanner id → profile' })),
  waybills: Type.Optional(Type.Array(Type.Object({
    carrier: Type.String({ minLength: 1, maxLength: 64, description: 'a carrier name' }),
    patterns: Type.Array(Type.String({ minLength: 1, maxLength: 128, description: 'a waybill pattern' }), { minItems: 1, description: 'at least one pattern' }),
  }, { additionalProperties: false }), { maxItems: 64 })),
  routingCode: Type.Optional(Type.Union([Type.Literal(false), Type.Object({
    minSegments: Type.Optional(Type.Integer({ minimum: 1, maximum: 8, description: 'an integer 1-8' })),
    maxSegments: Type.Optional(Type.Integer({ minimum: 1, maximum: 8, description: 'an integer 1-8' })),
    maxSegmentLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, description: 'an integer 1-30' })),
  }, { additionalProperties: false })], { description: 'false or an object of segment bounds' })),
  carriers: Type.Optional(Type.Object({
    s10: Type.Optional(Type.Boolean()), ups: Type.Optional(Type.Boolean()), usps: Type.Optional(Type.Boolean()),
    fedex: Type.Optional(Type.Boolean()), dhl: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false })),
  epcFilters: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 7, description: 'a filter value 0-7' }))),
  keyPriority: Type.Optional(Type.Array(Type.Union(KEY_KIND_NAMES.map((k) => Type.Literal(k)), { description: '"routing", "postal" or "id"' }), { minItems: 1, maxItems: 3, uniqueItems: true, description: 'distinct key kinds' })),
}, { additionalProperties: false, description: 'a resolver configuration' });

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
    const profiles: ScannerProfile[] = [config, ...scannerIds.map((id) => ({ ...pick(config), ...config.scanners![id] }))];
    this.aimMode = Uint8Array.from(profiles, (p) => (p.aim === 'expected' ? AimMode.EXPECTED : p.aim === 'absent' ? AimMode.ABSENT : AimMode.AUTO));
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
    const c = config.carriers ?? {};
    this.carriers = ALL_CARRIERS &
      ~((c.s10 === false ? Carrier.S10 : 0) | (c.ups === false ? Carrier.UPS : 0) | (c.usps === false ? Carrier.USPS : 0) |
        (c.fedex === false ? Carrier.FEDEX : 0) | (c.dhl === false ? Carrier.DHL : 0));
    this.epcFilters = config.epcFilters === undefined ? 0xff : config.epcFilters.reduce((m, f) => m | (1 << f), 0);
    this.keyPriority = config.keyPriority === undefined ? null : Uint8Array.from(config.keyPriority, (k) => KEY_KIND_NAMES.indexOf(k));
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
  if (details.length === 0) {
    const c = config as ResolverConfig;
    const checkCodeIds = (ids: Record<string, string> | undefined, at: string): void => {
      for (const [prefix, aim] of Object.entries(ids ?? {})) {
        if (aimInfo(aim.charCodeAt(1), aim.charCodeAt(2)) === 0) {
          details.push({ pointer: `${at}/codeIds/${escapePointer(prefix)}`, message: `"${aim}" is not a known AIM symbology identifier; expected one such as "]C1" or "]d2"` });
        }
      }
    };
    checkCodeIds(c.codeIds, '');
    for (const [id, p] of Object.entries(c.scanners ?? {})) checkCodeIds(p.codeIds, `/scanners/${id}`);
    const rc = c.routingCode;
    if (rc !== undefined && rc !== false && (rc.minSegments ?? 3) > (rc.maxSegments ?? 3)) {
      details.push({ pointer: '/routingCode', message: `minSegments ${rc.minSegments ?? 3} exceeds maxSegments ${rc.maxSegments ?? 3}; expected minSegments <= maxSegments` });
    }
    const flat: Array<[string, string]> = [];
    const where: string[] = [];
    (c.waybills ?? []).forEach((w, i) => w.patterns.forEach((p, j) => {
      flat.push([w.carrier, p]);
      where.push(`/waybills/${i}/patterns/${j}`);
    }));
    const faults: Array<[number, string]> = [];
    const table = compileWaybills(flat, faults);
    for (const [k, message] of faults) details.push({ pointer: where[k]!, message: `${message} (in "${flat[k]![1]}")` });
    if (details.length === 0) return new CompiledResolverConfig(c, table);
  }
  throw new SortlineError('SORTLINE_ERR_LABEL_CONFIG', `the label resolver configuration has ${details.length} fault${details.length === 1 ? '' : 's'}`, { details });
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
