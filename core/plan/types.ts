/**
 * The contract of the sort plan: the JSON document users write (`docs/sort-plan.md`) and the
 * compiled, typed-array form the hot paths read. Implemented in core/plan/ (schema, compiler,
 * digit trie, open-addressing hash); read by core/labels (routing), core/assign, sim/ and
 * controller/.
 */

/** Key kinds a label can yield, as stored in typed arrays. */
export const KeyKind = {
  /** Exact parcel identifier: SSCC (AI 00), UPU S10, carrier tracking number, e-waybill number. */
  ID: 0,
  /** Three-segment routing code (GS1 AI 403, e.g. `771-K23-05`: hub-outlet-route), matched by whole leading segments. */
  ROUTING: 1,
  /** Ship-to postal code (GS1 AI 420 domestic, or AI 421 ISO 3166 numeric country + code), longest prefix. */
  POSTAL: 2,
} as const;
export type KeyKindCode = (typeof KeyKind)[keyof typeof KeyKind];
export const KEY_KIND_NAMES = ['id', 'routing', 'postal'] as const;
export type KeyKindName = (typeof KEY_KIND_NAMES)[number];

/** One rule of a plan: exactly one key field plus the destination it leads to. */
export type PlanRule =
  | {
      /** Postal-code prefix (digits and A–Z), matched longest-prefix-first. `""` matches every code of the country. */
      postal: string;
      /** ISO 3166-1 numeric country (3 digits) of the postal code; default: the plan's `homeCountry`. */
      country?: string;
      destination: string;
    }
  | {
      /** One, two or three leading segments of a routing code (`771`, `771-K23`, `771-K23-05`); the longest matching rule wins. */
      routing: string;
      destination: string;
    }
  | {
      /** An exact parcel identifier (manifest / pre-advice), e.g. an SSCC or an S10 number. */
      id: string;
      destination: string;
    };

/** A destination: where parcels for a rule go, with its chutes in priority order. */
export interface PlanDestination {
  id: string;
  name?: string;
  /** Machine chute ids, first choice first. At least one. */
  chutes: string[];
  /** How the chutes share parcels; default the plan's `assignment`. */
  assignment?: ChuteAssignment;
}

/**
 * How a destination's chutes share its parcels: `priority`, the first chute that can take the
 * parcel (the others take the overflow); `round-robin`, each chute in turn (operators evenly loaded).
 * Either way chutes that cannot take parcels (disabled, blocked, bagging, full) are passed over.
 */
export type ChuteAssignment = 'priority' | 'round-robin';

/** The plan document (JSON). Validated as a whole; see docs/sort-plan.md. */
export interface SortPlanDoc {
  /** Free-form version label, shown in reports and the journal (for example `jiangsu-2026-11-29`). */
  version: string;
  /** ISO 3166-1 numeric code (3 digits) of postal codes given without a country (AI 420). */
  homeCountry: string;
  /** Default chute assignment of the destinations; default `priority`. */
  assignment?: ChuteAssignment;
  /** Key kinds in the order they are trusted when a parcel yields several; default `["routing", "postal", "id"]`. */
  keyPriority?: KeyKindName[];
  destinations: PlanDestination[];
  rules: PlanRule[];
  /** Exception chute id for each fallback reason (names from FALLBACK_NAMES except `none`). */
  fallbacks: {
    noRead: string;
    noRule: string;
    multiRead: string;
    recirculationLimit: string;
    oversize?: string;
    noChute?: string;
  };
}

/**
 * Lookups the router runs per parcel. All take the key as `s.slice(start, end)` without slicing:
 * no allocation. Each returns a destination index (0 ≤ d < destinationCount) or -1 for no rule.
 */
export interface RouteTable {
  readonly destinationCount: number;
  /** Longest-prefix match of the postal code `s[start, end)` in `country` (ISO 3166-1 numeric as a number, e.g. 156). */
  lookupPostal(s: string, start: number, end: number, country: number): number;
  /** Longest whole-segment match of the routing code `s[start, end)` (segments separated by `-`). */
  lookupRouting(s: string, start: number, end: number): number;
  /** Exact match of the parcel identifier `s[start, end)`. */
  lookupId(s: string, start: number, end: number): number;
}

/** A plan compiled against a machine's chute list: immutable, swapped atomically by reference. */
export interface CompiledPlan extends RouteTable {
  readonly version: string;
  /** The machine chute ids the plan was compiled against, by chute index. */
  readonly chuteIds: readonly string[];
  /** ISO 3166-1 numeric home country as a number (e.g. 156). */
  readonly homeCountry: number;
  /** Key kinds ({@link KeyKind}) in priority order. */
  readonly keyPriority: Uint8Array;
  /** Destination ids by index. */
  readonly destinationIds: readonly string[];
  /** Destination index by id, -1 when unknown (API edge only). */
  destinationIndex(id: string): number;
  /**
   * Chutes of destination d, in priority order, as machine chute indices:
   * `destChuteList[destChuteStart[d] .. destChuteStart[d + 1])` (CSR layout; length destinationCount + 1).
   */
  readonly destChuteStart: Int32Array;
  readonly destChuteList: Int32Array;
  /** 1 where destination d's chutes take parcels in turn (round-robin), 0 for priority order. */
  readonly destRoundRobin: Uint8Array;
  /** Exception chute index per Fallback code (index 0, NONE, is -1). */
  readonly fallbackChute: Int32Array;
}
