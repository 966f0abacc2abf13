/**
 * Parcel routing: every read of one parcel in, one destination (or the reason for a fallback)
 * out. The arbitration of DESIGN.md "Labels", run per parcel on preallocated typed arrays:
 *
 * 1. each read is resolved (./resolver.ts); invalid reads (bad check digit, malformed) are
 *    dropped, identical payloads (same data and source, same scanner profile) are resolved once;
 * 2. GS1 mandatory associations are evaluated over all GS1 reads of the parcel (GS1 Barcode
 *    Syntax Dictionary: "evaluated over the combined data received from all GS1 carriers marking
 *    a physical item"), so (403) on one symbol and (00) on another are both valid;
 * 3. key kinds are tried in priority order (configuration `keyPriority`, else the plan's,
 *    default routing > postal > id); the first kind with a key the plan knows wins; keys of
 *    that kind leading to different destinations are a multi-read conflict;
 * 4. a lower-priority kind that leads elsewhere is a conflict resolved by priority: the parcel is
 *    routed and {@link ParcelRouter.conflict} reports it (looked up when first asked: routing
 *    needs only the deciding kind's lookups);
 * 5. no key the plan knows: no-rule when some read was valid, no-read when none was.
 */
import { KEY_KIND_NAMES, KeyKind, type CompiledPlan, type KeyKindName } from '../plan/types.js';
import { FALLBACK_NAMES, Fallback, type FallbackName } from '../sorter/states.js';
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
  /** Key kind that decided (or that conflicted, on multiRead), null when none. */
  winningKind: KeyKindName | null;
  /** True when a lower-priority key kind led to another destination (routed by priority). */
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
  /** The parcel's keys, read after read, where the resolver wrote them (its key arrays; see {@link LabelResolver.keyBase}). */
  private readonly keyKind: Uint8Array;
  private readonly keyStart: Int32Array;
  private readonly keyEnd: Int32Array;
  private readonly keyCountry: Int16Array;
  /** Destination per key, set when its kind is looked up ({@link lookedUp}). */
  private readonly keyDest = new Int32Array(MAX_PARCEL_KEYS);
  private readonly elEntry = new Int16Array(MAX_PARCEL_ELEMENTS);
  private readonly union = new AiPresence();

  private reads = 0;
  private keys = 0;
  /** Bit k set when the keys of KeyKind k have been looked up for this parcel. */
  private lookedUp = 0;
  private pending = 0;
  private ignored = 0;
  private duplicates = 0;
  private valid = 0;
  private winner = -1;
  /** Index in the key priority of the deciding kind. */
  private decidedAt = -1;
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
    this.config = config === undefined ? defaultResolverConfig() : config instanceof CompiledResolverConfig ? config : compileResolverConfig(config);
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
    this.lookedUp = 0;
    this.pending = 0;
    this.ignored = 0;
    this.duplicates = 0;
    this.valid = 0;
    this.winner = -1;
    this.decidedAt = -1;
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
      if (this.readDuplicateOf[q]! < 0 && this.readSource[q] === source && this.readProfile[q] === profile && this.readData[q] === data) {
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
   *   with a rule), -Fallback.MULTI_READ (keys of the deciding kind lead to different destinations).
   */
  finish(): number {
    const plan = this.plan;
    if (this.pending > 0) this.settleRequirements();
    const prio = this.config.keyPriority ?? plan.keyPriority;
    this.conflictChecked = false;
    for (let p = 0; p < prio.length; p++) {
      const kind = prio[p]!;
      const d = this.destinationOf(plan, kind);
      if (d === MULTI) {
        this.winner = kind;
        this.decidedAt = p;
        this.conflictChecked = true;
        return (this.last = -Fallback.MULTI_READ);
      }
      if (d >= 0) {
        this.winner = kind;
        this.decidedAt = p;
        return (this.last = d);
      }
    }
    this.conflictChecked = true;
    return (this.last = this.valid > 0 ? -Fallback.NO_RULE : -Fallback.NO_READ);
  }

  /**
   * The destination the valid keys of `kind` agree on: its index, -1 when none has a rule,
   * {@link MULTI} when they disagree. Records each key's destination for {@link explain}.
   */
  private destinationOf(plan: CompiledPlan, kind: number): number {
    let d = -1;
    let multi = false;
    this.lookedUp |= 1 << kind;
    for (let r = 0; r < this.reads; r++) {
      if (this.readStatus[r] !== LabelFault.NONE) continue;
      const k1 = this.readKeyEnd[r]!;
      for (let k = this.readKeyStart[r]!; k < k1; k++) {
        if (this.keyKind[k] !== kind) continue;
        const x = this.lookup(plan, this.readText[r]!, k);
        this.keyDest[k] = x;
        if (x < 0) continue;
        if (d < 0) d = x;
        else if (x !== d) multi = true;
      }
    }
    return multi ? MULTI : d;
  }

  /** Looks up the key kinds below the deciding one (on first use of {@link conflict} or {@link explain}). */
  private checkConflict(): void {
    this.conflictChecked = true;
    if (this.last < 0) return;
    const plan = this.plan;
    const prio = this.config.keyPriority ?? plan.keyPriority;
    for (let p = this.decidedAt + 1; p < prio.length; p++) {
      const d = this.destinationOf(plan, prio[p]!);
      if (d === MULTI || (d >= 0 && d !== this.last)) this.conflicted = true;
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
      if (this.readDuplicateOf[r]! >= 0 || (st !== LabelFault.NONE && st !== LabelFault.REQUIRED)) continue;
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
      if (this.readStatus[r] !== LabelFault.REQUIRED || this.readDuplicateOf[r]! >= 0) continue;
      let met = true;
      const e1 = this.readElStart[r]! + this.readElCount[r]!;
      for (let i = this.readElStart[r]!; i < e1 && met; i++) {
        const e = this.elEntry[i]!;
        met = AI_REQ_COUNT[e] === 0 || requirementsMet(e, this.union);
      }
      if (met) {
        this.readStatus[r] = LabelFault.NONE;
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
  /** KeyKind code that decided the parcel (or conflicted on a multi-read), -1 when none; after {@link finish}. */
  get winningKind(): number {
    return this.winner;
  }
  /**
   * True when a lower-priority key kind led to another destination and priority decided; after
   * {@link finish}. Evaluated on first read (the lower kinds' lookups are not needed to route
   * the parcel, so {@link finish} leaves them until asked); allocation-free.
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
          const x = (this.lookedUp >> this.keyKind[k]!) & 1 ? this.keyDest[k]! : -1;
          keyDestinations.push(x >= 0 ? plan.destinationIds[x]! : null);
        }
      } else if (d.ok) {
        keyDestinations.push(...d.keys.map(() => null));
      }
      reads.push({ ...d, data, source: READ_SOURCE_NAMES[source] ?? 'scanner', scanner: this.readScanner[r]!, duplicateOf: dup >= 0 ? dup : null, keyDestinations });
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
