/**
 * Parcel routing: every read of one parcel in, one destination (or the reason for a fallback)
 * out. The arbitration of DESIGN.md "Labels", run per parcel on preallocated typed arrays:
 *
 * 1. each read is resolved (./resolver.ts); invalid reads (bad check digit, malformed) are
 *    dropped, identical payloads (same data and source, same scanner profile) are resolved once;
 * 2. GS1 mandatory associations are evaluated over all GS1 reads of the parcel (GS1 Barcode
 *    Syntax Dictionary: "evaluated over the combined data received from all GS1 carriers marking
 *    a physical item"), so (403) on one symbol and (00) on another are both valid;
 * 3. each read is routed on its own keys in priority order (configuration `keyPriority`, else
 *    the plan's, default routing > postal > id): the first kind with a key the plan knows gives
 *    the read's destination (a label's (403) beats its own (421));
 * 4. reads are grouped by parcel identifier (the same SSCC or tracking number: one parcel, two
 *    symbols; a read valid only through another read's AIs belongs to that read's identifier).
 *    Within a group the read whose key has the highest priority decides; across groups the
 *    destinations must agree: two labels of different parcel identifiers (or without one) that
 *    lead to different destinations are a multi-read conflict (a stale label on a reused box).
 *    A read that leads to no destination counts against none;
 * 5. a key that leads elsewhere but was outranked (a lower kind of the same label, or a lower
 *    kind of another read of the same parcel identifier) is a conflict resolved by priority: the
 *    parcel is routed and {@link ParcelRouter.conflict} reports it (looked up when first asked:
 *    routing needs only each read's deciding kind);
 * 6. no key the plan knows: no-rule when some read was valid, no-read when none was.
 */
import {
  KEY_KIND_NAMES,
  KeyKind,
  type CompiledPlan,
  type KeyKindName,
  FALLBACK_NAMES,
  Fallback,
  type FallbackName,
} from '../plan/index.js';
import { AI_INDEX, AI_REQ_COUNT } from './ai-table.js';
import { compileResolverConfig, CompiledResolverConfig, type ResolverConfig } from './config.js';
import { describeResolved, type ReadDescription } from './describe.js';
import { LabelFault } from './faults.js';
import { MAX_ELEMENTS } from './gs1-elements.js';
import { HOME_COUNTRY, LabelKind, READ_SOURCE_NAMES, type ReadSourceName } from './kinds.js';
import { AiPresence, requirementsMet } from './pairing.js';
import { LabelResolver, MAX_KEYS, defaultResolverConfig } from './resolver.js';

/** Most reads kept per parcel; further reads are counted in {@link ParcelRouter.ignoredReads} and ignored. */
export const MAX_READS = 16;
const MAX_PARCEL_KEYS = MAX_READS * MAX_KEYS;
const MAX_PARCEL_ELEMENTS = MAX_READS * MAX_ELEMENTS;
/** {@link ParcelRouter} internal: keys of one kind lead to different destinations. */
const MULTI = -3;
/** {@link ParcelRouter} internal: no key of the read has a rule. */
const NONE = -1;

/** One read of a parcel as {@link ParcelRouter.explain} reports it. */
export type ReadExplanation = ReadDescription & {
  data: string;
  source: ReadSourceName;
  scanner: number;
  /** Index of the earlier identical read this one repeats (it was not resolved again), else null. */
  duplicateOf: number | null;
  /** Destination id per key (same order as `keys`), null when the plan has no rule or the key was not looked up. */
  keyDestinations: (string | null)[];
};

/** What happened to a parcel, for logs and the journal (API edge). */
export interface ParcelExplanation {
  /** {@link ParcelRouter.finish}'s value: destination index, or -Fallback code. */
  result: number;
  /** Destination id, or null on a fallback. */
  destination: string | null;
  /** Fallback name (`none` when routed). */
  fallback: FallbackName;
  /** Key kind that decided (on multiRead: the highest-priority kind of the disagreeing reads), null when none. */
  winningKind: KeyKindName | null;
  /**
   * True when a key that was outranked led to another destination: a lower kind of the same
   * read, or of another read of the same parcel identifier (routed by priority).
   */
  conflict: boolean;
  reads: ReadExplanation[];
  /** Reads beyond {@link MAX_READS}, ignored. */
  ignoredReads: number;
}

/**
 * Routes parcels: `begin()`, `addRead()` per read, `finish()`. Allocation-free per parcel; one
 * router per thread. The plan is swapped atomically by reference with {@link setPlan}.
 */
export class ParcelRouter {
  private plan: CompiledPlan;
  private readonly config: CompiledResolverConfig;
  private readonly resolver: LabelResolver;

  /** Packed arrays (Array.from, not new Array(n).fill(), which leaves a holey array): loads need no hole check. */
  private readonly readData: string[] = Array.from({ length: MAX_READS }, () => '');
  private readonly readText: string[] = Array.from({ length: MAX_READS }, () => '');
  private readonly readSource = new Uint8Array(MAX_READS);
  private readonly readScanner = new Int32Array(MAX_READS);
  private readonly readProfile = new Int32Array(MAX_READS);
  private readonly readStatus = new Uint8Array(MAX_READS);
  private readonly readKind = new Int8Array(MAX_READS);
  private readonly readDuplicateOf = new Int8Array(MAX_READS);
  private readonly readElStart = new Uint16Array(MAX_READS);
  private readonly readElCount = new Uint16Array(MAX_READS);
  /** Keys of read r: `readKeyStart[r] .. readKeyEnd[r]` (none for invalid and repeated reads). */
  private readonly readKeyStart = new Uint8Array(MAX_READS);
  private readonly readKeyEnd = new Uint8Array(MAX_READS);
  /** Per read, after {@link finish}: its own destination (or {@link NONE}, {@link MULTI}) and the key priority index that gave it. */
  private readonly readDest = new Int32Array(MAX_READS);
  private readonly readRank = new Uint8Array(MAX_READS);
  /** Bit k set when the keys of KeyKind k of read r have been looked up (their {@link keyDest} is set). */
  private readonly readLookedUp = new Uint8Array(MAX_READS);
  /** 1 when read r was valid only through the AIs of the parcel's other GS1 reads (set when {@link pending}). */
  private readonly readSettled = new Uint8Array(MAX_READS);
  /** Rare path ({@link arbitrate}): the first read of read r's parcel identifier group. */
  private readonly readGroup = new Int8Array(MAX_READS);
  /** The parcel's keys, read after read, where the resolver wrote them (its key arrays; see {@link LabelResolver.keyBase}). */
  private readonly keyKind: Uint8Array;
  private readonly keyStart: Int32Array;
  private readonly keyEnd: Int32Array;
  private readonly keyCountry: Int16Array;
  /** Destination per key, set when its kind is looked up in its read ({@link readLookedUp}). */
  private readonly keyDest = new Int32Array(MAX_PARCEL_KEYS);
  private readonly elEntry = new Int16Array(MAX_PARCEL_ELEMENTS);
  private readonly union = new AiPresence();

  private reads = 0;
  private keys = 0;
  private pending = 0;
  private ignored = 0;
  private duplicates = 0;
  private valid = 0;
  private winner = -1;
  private conflicted = false;
  private conflictChecked = true;
  private last = -Fallback.NO_READ;

  /**
   * @param plan the compiled sort plan (core/plan `compilePlan`).
   * @param config resolver configuration, raw (validated here, throws SORTLINE_ERR_LABEL_CONFIG)
   *   or compiled; default `{}`.
   */
  constructor(plan: CompiledPlan, config?: ResolverConfig | CompiledResolverConfig) {
    this.plan = plan;
    this.config =
      config === undefined
        ? defaultResolverConfig()
        : config instanceof CompiledResolverConfig
          ? config
          : compileResolverConfig(config);
    // room for every key of a parcel, and one read's keys beyond them for re-resolving a read
    this.resolver = new LabelResolver(this.config, MAX_PARCEL_KEYS + MAX_KEYS);
    this.keyKind = this.resolver.keyKind;
    this.keyStart = this.resolver.keyStart;
    this.keyEnd = this.resolver.keyEnd;
    this.keyCountry = this.resolver.keyCountry;
    this.readDuplicateOf.fill(-1);
  }

  /** Activates `plan` for the next {@link finish}: a reference swap, atomic for the hot path. */
  setPlan(plan: CompiledPlan): void {
    this.plan = plan;
  }

  /** The plan in use. */
  get activePlan(): CompiledPlan {
    return this.plan;
  }

  /** Starts a parcel: forgets the previous parcel's reads. */
  begin(): void {
    this.reads = 0;
    this.keys = 0;
    this.pending = 0;
    this.ignored = 0;
    this.duplicates = 0;
    this.valid = 0;
    this.winner = -1;
    this.conflicted = false;
    this.conflictChecked = true;
  }

  /**
   * Adds one read of the current parcel and resolves it (unless it repeats an earlier read).
   * @param data decoded data as the device sent it (see {@link LabelResolver.resolve}).
   * @param source a ReadSource code.
   * @param scanner scanner id (selects its configuration profile).
   */
  addRead(data: string, source: number, scanner: number): void {
    const r = this.reads;
    if (r === MAX_READS) {
      this.ignored++;
      return;
    }
    this.reads = r + 1;
    const profile = this.config.profileOf(scanner);
    this.readData[r] = data;
    this.readSource[r] = source;
    this.readScanner[r] = scanner;
    this.readProfile[r] = profile;
    this.readDuplicateOf[r] = -1;
    if (r > 0 && this.repeatsEarlierRead(r)) return;
    const res = this.resolver;
    const first = this.keys;
    res.keyBase = first;
    const status = res.resolve(data, source, scanner);
    this.readStatus[r] = status;
    this.readKind[r] = res.kind;
    this.readText[r] = res.text;
    this.readKeyStart[r] = first;
    if (status === LabelFault.NONE) {
      if (res.kind !== LabelKind.NOREAD) this.valid++;
    } else if (status === LabelFault.REQUIRED) {
      this.pending++;
    } else {
      this.readKeyEnd[r] = first;
      return;
    }
    // the keys stay where the resolver wrote them (keyBase)
    this.keys = first + res.keyCount;
    this.readKeyEnd[r] = this.keys;
  }

  /**
   * When read r (data, source and profile stored) repeats an earlier read of the parcel, marks it
   * as that read's duplicate (same outcome, no keys of its own) and returns true.
   */
  private repeatsEarlierRead(r: number): boolean {
    const data = this.readData[r];
    const source = this.readSource[r];
    const profile = this.readProfile[r];
    for (let q = 0; q < r; q++) {
      if (
        this.readDuplicateOf[q]! < 0 &&
        this.readSource[q] === source &&
        this.readProfile[q] === profile &&
        this.readData[q] === data
      ) {
        this.readDuplicateOf[r] = q;
        this.readKeyStart[r] = this.keys;
        this.readKeyEnd[r] = this.keys;
        this.readStatus[r] = this.readStatus[q]!;
        this.readKind[r] = this.readKind[q]!;
        this.readText[r] = this.readText[q]!;
        this.duplicates++;
        return true;
      }
    }
    return false;
  }

  /**
   * Decides the parcel.
   * @returns the destination index (>= 0) of the active plan, or minus a Fallback code:
   *   -Fallback.NO_READ (no read, or only invalid ones), -Fallback.NO_RULE (valid reads, no key
   *   with a rule), -Fallback.MULTI_READ (reads of different parcel identifiers, or without one,
   *   lead to different destinations; or keys of one kind of one parcel identifier do).
   */
  finish(): number {
    const plan = this.plan;
    if (this.pending > 0) this.settleRequirements();
    const prio = this.config.keyPriority ?? plan.keyPriority;
    this.conflictChecked = false;
    let first = -1;
    let more = false;
    for (let r = 0; r < this.reads; r++) {
      // invalid and repeated reads have no keys
      if (this.readStatus[r] !== LabelFault.NONE || this.readKeyEnd[r] === this.readKeyStart[r])
        continue;
      if (this.routeRead(plan, prio, r) === NONE) continue;
      if (first < 0) first = r;
      else more = true;
    }
    if (more) return this.arbitrate(prio);
    if (first >= 0) {
      const d = this.readDest[first]!;
      this.winner = prio[this.readRank[first]!]!;
      if (d !== MULTI) return (this.last = d);
      this.conflictChecked = true;
      return (this.last = -Fallback.MULTI_READ);
    }
    this.conflictChecked = true;
    return (this.last = this.valid > 0 ? -Fallback.NO_RULE : -Fallback.NO_READ);
  }

  /**
   * Routes read r on its own keys: the first kind in priority order with a key the plan knows.
   * Sets `readDest[r]` (the destination, {@link NONE}, or {@link MULTI} when keys of that kind
   * disagree), `readRank[r]` (that kind's priority index) and `readLookedUp[r]`; returns readDest[r].
   */
  private routeRead(plan: CompiledPlan, prio: Uint8Array, r: number): number {
    const text = this.readText[r]!;
    const k0 = this.readKeyStart[r]!;
    const k1 = this.readKeyEnd[r]!;
    let looked = 0;
    let d = NONE;
    let multi = false;
    let p = 0;
    for (; p < prio.length; p++) {
      const kind = prio[p]!;
      looked |= 1 << kind;
      for (let k = k0; k < k1; k++) {
        if (this.keyKind[k] !== kind) continue;
        const x = this.lookup(plan, text, k);
        this.keyDest[k] = x;
        if (x < 0) continue;
        if (d < 0) d = x;
        else if (x !== d) multi = true;
      }
      if (d >= 0) break;
    }
    this.readLookedUp[r] = looked;
    this.readRank[r] = p;
    return (this.readDest[r] = multi ? MULTI : d);
  }

  /**
   * Rare path: several reads have a destination. Reads of one parcel identifier form a group
   * decided by key priority across its reads (an outranked read leading elsewhere is a
   * conflict); the groups must agree, else the parcel is a multi-read. Allocation-free.
   */
  private arbitrate(prio: Uint8Array): number {
    const n = this.reads;
    let result = NONE;
    let multi = false;
    let best = prio.length;
    for (let r = 0; r < n; r++) {
      if (!this.hasDestination(r)) continue;
      let g = r;
      for (let q = 0; q < r; q++) {
        if (this.hasDestination(q) && this.sameParcelId(q, r)) {
          g = this.readGroup[q]!;
          break;
        }
      }
      this.readGroup[r] = g;
    }
    for (let g = 0; g < n; g++) {
      if (!this.hasDestination(g) || this.readGroup[g] !== g) continue;
      // the group's best rank, and its destination there (keys of that rank must agree)
      let rank = prio.length;
      for (let r = g; r < n; r++)
        if (this.hasDestination(r) && this.readGroup[r] === g && this.readRank[r]! < rank)
          rank = this.readRank[r]!;
      let d = NONE;
      for (let r = g; r < n; r++) {
        if (!this.hasDestination(r) || this.readGroup[r] !== g) continue;
        const x = this.readDest[r]!;
        if (this.readRank[r] === rank) {
          if (x === MULTI || (d >= 0 && x !== d)) multi = true;
          else d = x;
        }
      }
      for (let r = g; r < n; r++) {
        if (
          this.hasDestination(r) &&
          this.readGroup[r] === g &&
          this.readRank[r]! > rank &&
          this.readDest[r] !== d
        )
          this.conflicted = true;
      }
      if (rank < best) best = rank;
      if (d >= 0) {
        if (result < 0) result = d;
        else if (d !== result) multi = true;
      }
    }
    this.winner = prio[best]!;
    if (!multi) return (this.last = result);
    this.conflicted = false;
    this.conflictChecked = true;
    return (this.last = -Fallback.MULTI_READ);
  }

  /** Read r is valid, not a repeat, and routed to a destination (or to {@link MULTI}) by {@link routeRead}. */
  private hasDestination(r: number): boolean {
    return (
      this.readStatus[r] === LabelFault.NONE &&
      this.readKeyEnd[r] !== this.readKeyStart[r] &&
      this.readDest[r] !== NONE
    );
  }

  /** Index of read r's parcel-identifier key (KeyKind.ID), or -1. */
  private idKeyOf(r: number): number {
    const k1 = this.readKeyEnd[r]!;
    for (let k = this.readKeyStart[r]!; k < k1; k++) if (this.keyKind[k] === KeyKind.ID) return k;
    return -1;
  }

  /**
   * The read whose identifier identifies read r: r itself when it carries one; for a read valid
   * only through the parcel's other GS1 reads (a (403) symbol beside the (00) symbol of one GS1
   * logistic label), the first other GS1 read carrying one; else -1.
   */
  private parcelIdRead(r: number): number {
    if (this.idKeyOf(r) >= 0) return r;
    if (this.pending === 0 || this.readSettled[r] === 0) return -1;
    for (let q = 0; q < this.reads; q++) {
      const kind = this.readKind[q];
      if (
        q === r ||
        this.readStatus[q] !== LabelFault.NONE ||
        (kind !== LabelKind.GS1 && kind !== LabelKind.USPS)
      )
        continue;
      if (this.idKeyOf(q) >= 0) return q;
    }
    return -1;
  }

  /** Reads q and r carry the same parcel identifier (the same characters: one parcel, two symbols). */
  private sameParcelId(q: number, r: number): boolean {
    const a = this.parcelIdRead(q);
    const b = this.parcelIdRead(r);
    if (a < 0 || b < 0) return false;
    const ka = this.idKeyOf(a);
    const kb = this.idKeyOf(b);
    const a0 = this.keyStart[ka]!;
    const b0 = this.keyStart[kb]!;
    const len = this.keyEnd[ka]! - a0;
    if (this.keyEnd[kb]! - b0 !== len) return false;
    const ta = this.readText[a]!;
    const tb = this.readText[b]!;
    for (let i = 0; i < len; i++) if (ta.charCodeAt(a0 + i) !== tb.charCodeAt(b0 + i)) return false;
    return true;
  }

  /**
   * Looks up the keys not looked up yet (kinds below each read's deciding one), on first use of
   * {@link conflict} or {@link explain}: a key leading elsewhere than the routed destination is a
   * conflict resolved by priority.
   */
  private checkConflict(): void {
    this.conflictChecked = true;
    const result = this.last;
    if (result < 0) return;
    const plan = this.plan;
    const prio = this.config.keyPriority ?? plan.keyPriority;
    for (let r = 0; r < this.reads; r++) {
      if (this.readStatus[r] !== LabelFault.NONE || this.readKeyEnd[r] === this.readKeyStart[r])
        continue;
      const text = this.readText[r]!;
      const k0 = this.readKeyStart[r]!;
      const k1 = this.readKeyEnd[r]!;
      let looked = this.readLookedUp[r]!;
      for (let p = 0; p < prio.length; p++) {
        const kind = prio[p]!;
        if ((looked >> kind) & 1) continue;
        looked |= 1 << kind;
        for (let k = k0; k < k1; k++) {
          if (this.keyKind[k] !== kind) continue;
          const x = this.lookup(plan, text, k);
          this.keyDest[k] = x;
          if (x >= 0 && x !== result) this.conflicted = true;
        }
      }
      this.readLookedUp[r] = looked;
    }
  }

  private lookup(plan: CompiledPlan, text: string, k: number): number {
    const a = this.keyStart[k]!;
    const b = this.keyEnd[k]!;
    switch (this.keyKind[k]) {
      case KeyKind.ID:
        return plan.lookupId(text, a, b);
      case KeyKind.ROUTING:
        return plan.lookupRouting(text, a, b);
      default: {
        const c = this.keyCountry[k]!;
        return plan.lookupPostal(text, a, b, c === HOME_COUNTRY ? plan.homeCountry : c);
      }
    }
  }

  /**
   * Re-checks reads that failed only a mandatory association, against the AIs of all GS1 reads
   * of the parcel. Rare path: the GS1 reads are resolved again to collect their AIs (nothing is
   * copied per read on the common path).
   */
  private settleRequirements(): void {
    const res = this.resolver;
    let n = 0;
    this.union.clear();
    for (let r = 0; r < this.reads; r++) {
      const st = this.readStatus[r];
      const kind = this.readKind[r];
      this.readElCount[r] = 0;
      if (this.readDuplicateOf[r]! >= 0 || (st !== LabelFault.NONE && st !== LabelFault.REQUIRED))
        continue;
      if (kind !== LabelKind.GS1 && kind !== LabelKind.USPS) continue;
      res.keyBase = this.keys;
      res.resolve(this.readData[r]!, this.readSource[r]!, this.readScanner[r]!);
      const el = res.elements;
      this.readElStart[r] = n;
      for (let i = 0; i < el.count && n < MAX_PARCEL_ELEMENTS; i++) {
        this.elEntry[n++] = el.entry[i]!;
        this.union.add(AI_INDEX[el.entry[i]!]!);
      }
      this.readElCount[r] = n - this.readElStart[r]!;
    }
    for (let r = 0; r < this.reads; r++) {
      this.readSettled[r] = 0;
      if (this.readStatus[r] !== LabelFault.REQUIRED || this.readDuplicateOf[r]! >= 0) continue;
      let met = true;
      const e1 = this.readElStart[r]! + this.readElCount[r]!;
      for (let i = this.readElStart[r]!; i < e1 && met; i++) {
        const e = this.elEntry[i]!;
        met = AI_REQ_COUNT[e] === 0 || requirementsMet(e, this.union);
      }
      if (met) {
        this.readStatus[r] = LabelFault.NONE;
        this.readSettled[r] = 1;
        this.valid++;
      }
    }
    for (let r = 0; r < this.reads; r++) {
      const q = this.readDuplicateOf[r]!;
      if (q >= 0) this.readStatus[r] = this.readStatus[q]!;
    }
  }

  /** Reads added to the current parcel (kept ones, up to {@link MAX_READS}). */
  get readCount(): number {
    return this.reads;
  }
  /** Reads that repeated an earlier read of the parcel. */
  get duplicateReads(): number {
    return this.duplicates;
  }
  /** Reads beyond {@link MAX_READS}, ignored. */
  get ignoredReads(): number {
    return this.ignored;
  }
  /** Valid reads (resolved, not no-read tokens), after {@link finish}. */
  get validReads(): number {
    return this.valid;
  }
  /**
   * KeyKind code that decided the parcel (on a multi-read: the highest-priority kind among the
   * reads with a destination), -1 when none; after {@link finish}.
   */
  get winningKind(): number {
    return this.winner;
  }
  /**
   * True when the parcel was routed and a key that priority outranked led to another
   * destination: a lower kind of the same read, or a read of the same parcel identifier whose
   * best key ranked lower; after {@link finish}. Evaluated on first read (the lower kinds'
   * lookups are not needed to route the parcel, so {@link finish} leaves them until asked);
   * allocation-free. False on a multi-read (the parcel was not routed by priority).
   */
  get conflict(): boolean {
    if (!this.conflictChecked) this.checkConflict();
    return this.conflicted;
  }

  /**
   * Every read of the last finished parcel with its outcome (kind, error code and offset, keys
   * and where each key leads), for logs and the journal. API edge: allocates; call after
   * {@link finish}.
   */
  explain(): ParcelExplanation {
    const conflict = this.conflict;
    const plan = this.plan;
    const reads: ReadExplanation[] = [];
    for (let r = 0; r < this.reads; r++) {
      const dup = this.readDuplicateOf[r]!;
      const data = this.readData[r]!;
      const source = this.readSource[r]!;
      this.resolver.keyBase = this.keys;
      this.resolver.resolve(data, source, this.readScanner[r]!);
      const d = describeResolved(this.resolver, this.readStatus[r] === LabelFault.NONE);
      const keyDestinations: (string | null)[] = [];
      if (dup < 0 && d.ok) {
        for (let k = this.readKeyStart[r]!; k < this.readKeyEnd[r]!; k++) {
          const x = (this.readLookedUp[r]! >> this.keyKind[k]!) & 1 ? this.keyDest[k]! : -1;
          keyDestinations.push(x >= 0 ? plan.destinationIds[x]! : null);
        }
      } else if (d.ok) {
        keyDestinations.push(...d.keys.map(() => null));
      }
      reads.push({
        ...d,
        data,
        source: READ_SOURCE_NAMES[source] ?? 'scanner',
        scanner: this.readScanner[r]!,
        duplicateOf: dup >= 0 ? dup : null,
        keyDestinations,
      });
    }
    const result = this.last;
    return {
      result,
      destination: result >= 0 ? plan.destinationIds[result]! : null,
      fallback: result >= 0 ? 'none' : FALLBACK_NAMES[-result]!,
      winningKind: this.winner >= 0 ? KEY_KIND_NAMES[this.winner]! : null,
      conflict,
      reads,
      ignoredReads: this.ignored,
    };
  }
}
