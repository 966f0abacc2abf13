import type { AliasSampler, RandomStream } from './random.js';
import type { LabelPool } from './labels.js';
import type { SimModel } from './scenario/index.js';

/** Most reads one scan can produce (label, duplicate, stale second label). */
export const MAX_SCAN_READS = 3;

/**
 * The scan tunnel at the induct: what its cameras report for a parcel. The simulator routes these
 * reads through the label resolver and the compiled plan (core/labels ParcelRouter); the emulated
 * PLC sends them to the controller in a sort request.
 *
 * With probability `readRate` the parcel's label is read (camera 0), and then with probability
 * `duplicateReadRate` a second camera reports the same label (deduplicated by the resolver), and
 * with probability `secondLabelRate` a stale label for another destination (drawn from the mix) is
 * read too (a multi-read the resolver must arbitrate). Otherwise the tunnel sends its no-read token.
 * The reads are left in `reads[0 .. count)` with their camera numbers; nothing is allocated.
 */
export class ScanTunnel {
  /** Read data of the last scan. */
  readonly reads: string[] = new Array<string>(MAX_SCAN_READS).fill('');
  /** Camera (scanner) number of each read. */
  readonly cameras = new Int32Array(MAX_SCAN_READS);
  /** Reads of the last scan. */
  count = 0;
  /** Gross weight in grams printed on the parcel's label (0 on a no-read). */
  weightGrams = 0;

  constructor(
    private readonly model: SimModel['scanner'],
    private readonly pool: LabelPool,
    private readonly mix: AliasSampler,
    private readonly rng: RandomStream,
  ) {}

  /** Scans a parcel whose label was printed for destination `truth`; returns the number of reads. */
  scan(truth: number): number {
    const rng = this.rng;
    const { readRate, duplicateReadRate, secondLabelRate, noReadToken } = this.model;
    let n = 0;
    if (rng.uniform() < readRate) {
      const j = this.pool.pick(truth, rng);
      const label = this.pool.labels[j]!;
      this.weightGrams = this.pool.weightGrams[j]!;
      this.reads[n] = label;
      this.cameras[n++] = 0;
      if (duplicateReadRate > 0 && rng.uniform() < duplicateReadRate) {
        this.reads[n] = label;
        this.cameras[n++] = 1;
      }
      if (secondLabelRate > 0 && rng.uniform() < secondLabelRate) {
        this.reads[n] = this.pool.labels[this.pool.pick(this.mix.sample(rng), rng)]!;
        this.cameras[n++] = 2;
      }
    } else {
      this.weightGrams = 0;
      this.reads[n] = noReadToken;
      this.cameras[n++] = 0;
    }
    this.count = n;
    return n;
  }
}
