import { ParcelRouter, ReadSource } from '../core/labels/index.js';
import type { CompiledPlan } from '../core/plan/index.js';
import type { AliasSampler, RandomStream } from './random.js';
import type { LabelPool } from './labels.js';
import type { SimModel } from './model.js';

/**
 * The scan tunnel at the induct: what the scanners report for a parcel, routed through the same
 * label resolver and compiled plan the controller uses (core/labels ParcelRouter).
 *
 * With probability `readRate` the parcel's label is read (camera 0), and then with probability
 * `duplicateReadRate` a second camera reports the same label (deduplicated by the resolver), and
 * with probability `secondLabelRate` a stale label for another destination (drawn from the mix) is
 * read too (a multi-read the resolver must arbitrate). Otherwise the tunnel sends its no-read token.
 */
export class ScanTunnel {
  readonly router: ParcelRouter;

  constructor(
    plan: CompiledPlan,
    private readonly model: SimModel['scanner'],
    private readonly pool: LabelPool,
    private readonly mix: AliasSampler,
    private readonly rng: RandomStream,
  ) {
    this.router = new ParcelRouter(plan);
  }

  /**
   * Scans a parcel whose label was printed for destination `truth`: returns the destination index
   * (≥ 0) or −Fallback code, as ParcelRouter.finish().
   */
  scan(truth: number): number {
    const router = this.router;
    const rng = this.rng;
    router.begin();
    if (rng.uniform() < this.model.readRate) {
      const label = this.pool.draw(truth, rng);
      router.addRead(label, ReadSource.SCANNER, 0);
      const { duplicateReadRate, secondLabelRate } = this.model;
      if (duplicateReadRate > 0 && rng.uniform() < duplicateReadRate) router.addRead(label, ReadSource.SCANNER, 1);
      if (secondLabelRate > 0 && rng.uniform() < secondLabelRate) {
        router.addRead(this.pool.draw(this.mix.sample(rng), rng), ReadSource.SCANNER, 2);
      }
    } else {
      router.addRead(this.model.noReadToken, ReadSource.SCANNER, 0);
    }
    return router.finish();
  }
}
