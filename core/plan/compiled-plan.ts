/**
 * The compiled sort plan: the typed-array tables of a plan and the lookups the router runs per
 * parcel. Built by `compilePlan` (./compile.ts) or re-attached in another thread by
 * `planFromShared` (./share.ts); immutable once built, swapped by reference.
 */
import type { CompiledPlan } from './types.js';
import { longestPostal, longestRouting } from './char-trie.js';
import { lookupIdTable, type IdTable } from './id-table.js';

/** Countries are ISO 3166-1 numeric codes 000..999: one postal trie root per code. */
export const COUNTRY_CODES = 1000;

/**
 * Everything a compiled plan is made of: strings (copied when posted to a worker) and typed
 * arrays over SharedArrayBuffer (shared, not copied). A structured-cloneable plain object.
 */
export interface PlanTables {
  readonly version: string;
  /** ISO 3166-1 numeric home country as a number. */
  readonly homeCountry: number;
  /** Destination ids by destination index. */
  readonly destinationIds: readonly string[];
  /** The machine's chute ids by chute index: what `destChuteList` and `fallbackChute` index into. */
  readonly chuteIds: readonly string[];
  /** Key kinds (KeyKind codes) in priority order. */
  readonly keyPriority: Uint8Array;
  /** CSR row starts, length destinations + 1. */
  readonly destChuteStart: Int32Array;
  /** CSR chute indices, first choice first. */
  readonly destChuteList: Int32Array;
  /** 1 where a destination's chutes take parcels in turn, 0 for priority order. */
  readonly destRoundRobin: Uint8Array;
  /** Exception chute index per Fallback code; slot 0 (NONE) is -1. */
  readonly fallbackChute: Int32Array;
  /** Postal trie root offset per ISO 3166-1 numeric country (length {@link COUNTRY_CODES}), -1 for none. */
  readonly postalRoots: Int32Array;
  /** Postal tries of every country (./char-trie.ts layout). */
  readonly postalTrie: Int32Array;
  /** Routing-code trie, root at offset 0 (./char-trie.ts layout). */
  readonly routingTrie: Int32Array;
  /** Parcel identifier table (./id-table.ts). */
  readonly ids: IdTable;
}

/**
 * A sort plan compiled against a machine's chute list ({@link CompiledPlan}), plus the list
 * itself (`chuteIds`) and its tables (`tables`, for `planToShared`).
 *
 * Lookups take the key as `s[start, end)` and return a destination index or -1. They never
 * slice, allocate, throw or use regular expressions; out-of-range offsets simply find nothing.
 */
export class SortPlan implements CompiledPlan {
  readonly version: string;
  readonly homeCountry: number;
  readonly destinationCount: number;
  readonly keyPriority: Uint8Array;
  readonly destinationIds: readonly string[];
  /** Machine chute ids by chute index, the list the plan was compiled against. */
  readonly chuteIds: readonly string[];
  readonly destChuteStart: Int32Array;
  readonly destChuteList: Int32Array;
  readonly destRoundRobin: Uint8Array;
  readonly fallbackChute: Int32Array;
  /** The tables this plan reads (shared memory). */
  readonly tables: PlanTables;
  private readonly postalRoots: Int32Array;
  private readonly postalTrie: Int32Array;
  private readonly routingTrie: Int32Array;
  private readonly ids: IdTable;
  private readonly destinationByName: Map<string, number>;

  constructor(tables: PlanTables) {
    this.tables = tables;
    this.version = tables.version;
    this.homeCountry = tables.homeCountry;
    this.destinationIds = tables.destinationIds;
    this.destinationCount = tables.destinationIds.length;
    this.chuteIds = tables.chuteIds;
    this.keyPriority = tables.keyPriority;
    this.destChuteStart = tables.destChuteStart;
    this.destChuteList = tables.destChuteList;
    this.destRoundRobin = tables.destRoundRobin;
    this.fallbackChute = tables.fallbackChute;
    this.postalRoots = tables.postalRoots;
    this.postalTrie = tables.postalTrie;
    this.routingTrie = tables.routingTrie;
    this.ids = tables.ids;
    this.destinationByName = new Map(tables.destinationIds.map((id, d) => [id, d]));
  }

  /**
   * Longest-prefix match of the postal code `s[start, end)` among the rules of `country`
   * (ISO 3166-1 numeric as a number, e.g. 156). Spaces and hyphens in the code are skipped,
   * a-z fold to A-Z, any other character ends the match. -1 when no rule of that country
   * prefixes the code, or `country` is not an integer 0..999.
   */
  lookupPostal(s: string, start: number, end: number, country: number): number {
    if (!(country >= 0 && country < COUNTRY_CODES)) return -1;
    const root = this.postalRoots[country | 0]!;
    return root < 0 ? -1 : longestPostal(this.postalTrie, root, s, start, end);
  }

  /**
   * Longest match of whole leading segments of the routing code `s[start, end)` (segments joined
   * by `-`, e.g. `771-K23-05`): a rule `771-K23` matches `771-K23-05` and `771-K23`, not
   * `771-K230`. a-z fold to A-Z. -1 when no rule matches.
   */
  lookupRouting(s: string, start: number, end: number): number {
    return longestRouting(this.routingTrie, s, start, end);
  }

  /** Exact, case-sensitive match of the parcel identifier `s[start, end)`; -1 when no rule has it. */
  lookupId(s: string, start: number, end: number): number {
    return lookupIdTable(this.ids, s, start, end);
  }

  /** Destination index of `id`, -1 when the plan has no such destination (API edge; a Map lookup). */
  destinationIndex(id: string): number {
    return this.destinationByName.get(id) ?? -1;
  }
}
