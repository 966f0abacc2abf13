/**
 * A hand-made sort plan for router tests: the CompiledPlan contract (core/plan/types.ts) over
 * plain Maps, independent of core/plan's compiler. Lookups slice (test code may allocate).
 */
import { KEY_KIND_NAMES, type CompiledPlan, type KeyKindName } from '../../core/plan/types.js';

export interface PlanDoubleRules {
  ids?: Record<string, string>;
  routing?: Record<string, string>;
  /** [country, prefix, destination] */
  postal?: Array<[number, string, string]>;
  priority?: KeyKindName[];
  homeCountry?: number;
}

export class PlanDouble implements CompiledPlan {
  readonly version = 'double';
  readonly homeCountry: number;
  readonly keyPriority: Uint8Array;
  readonly destinationIds: string[] = [];
  readonly destChuteStart: Int32Array;
  readonly destChuteList: Int32Array;
  readonly destRoundRobin: Uint8Array;
  readonly chuteIds: readonly string[];
  readonly fallbackChute = new Int32Array([-1, 100, 101, 102, 103, 104, 105]);
  /** Every lookup made, as `kind:key[:country]`. */
  readonly calls: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly routing = new Map<string, number>();
  private readonly postal: Array<[number, string, number]> = [];

  constructor(rules: PlanDoubleRules) {
    this.homeCountry = rules.homeCountry ?? 156;
    this.keyPriority = Uint8Array.from(
      rules.priority ?? ['routing', 'postal', 'id'],
      (k: KeyKindName) => KEY_KIND_NAMES.indexOf(k),
    );
    const dest = (d: string): number => {
      let i = this.destinationIds.indexOf(d);
      if (i < 0) i = this.destinationIds.push(d) - 1;
      return i;
    };
    for (const [k, d] of Object.entries(rules.ids ?? {})) this.ids.set(k, dest(d));
    for (const [k, d] of Object.entries(rules.routing ?? {})) this.routing.set(k, dest(d));
    for (const [c, p, d] of rules.postal ?? []) this.postal.push([c, p, dest(d)]);
    this.destChuteStart = Int32Array.from({ length: this.destinationIds.length + 1 }, (_, i) => i);
    this.destChuteList = Int32Array.from(this.destinationIds, (_, i) => i);
    this.destRoundRobin = new Uint8Array(this.destinationIds.length);
    this.chuteIds = Array.from({ length: 106 }, (_, i) => `C${i}`);
  }

  get destinationCount(): number {
    return this.destinationIds.length;
  }

  lookupId(s: string, start: number, end: number): number {
    this.calls.push(`id:${s.slice(start, end)}`);
    return this.ids.get(s.slice(start, end)) ?? -1;
  }

  lookupRouting(s: string, start: number, end: number): number {
    const code = s.slice(start, end);
    this.calls.push(`routing:${code}`);
    const segments = code.split('-');
    for (let n = segments.length; n > 0; n--) {
      const d = this.routing.get(segments.slice(0, n).join('-'));
      if (d !== undefined) return d;
    }
    return -1;
  }

  lookupPostal(s: string, start: number, end: number, country: number): number {
    const code = s.slice(start, end);
    this.calls.push(`postal:${code}:${country}`);
    let best = -1;
    let bestLen = -1;
    for (const [c, p, d] of this.postal) {
      if (c === country && code.startsWith(p) && p.length > bestLen) {
        best = d;
        bestLen = p.length;
      }
    }
    return best;
  }

  destinationIndex(id: string): number {
    return this.destinationIds.indexOf(id);
  }
}
