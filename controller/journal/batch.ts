/**
 * A batch of journal operations in the form that crosses to the writer thread cheaply: the numbers
 * of every operation, in order, in one `Float64Array` (its buffer is transferred, not copied) and
 * the strings in a plain array (copied). Appending reads the message fields into these arrays at
 * once, so no message object is kept alive until the commit.
 *
 * Every number the journal stores fits a float64 exactly (uint32 task ids, ms timestamps, task
 * numbers below 2^53). Layout of each operation: its field list in ./records.ts.
 */

/** What is posted to the writer: `nums[0 .. n)` and `strs`. */
export interface Batch {
  nums: Float64Array;
  n: number;
  strs: Array<string | null>;
}

const INITIAL = 4096;

/** Builds batches on the event loop thread. */
export class BatchWriter {
  private nums = new Float64Array(INITIAL);
  private n = 0;
  private strs: Array<string | null> = [];

  /** Appends one number. */
  num(v: number): void {
    if (this.n === this.nums.length) {
      const grown = new Float64Array(this.nums.length * 2);
      grown.set(this.nums);
      this.nums = grown;
    }
    this.nums[this.n++] = v;
  }

  /** Appends one string (or null). */
  str(s: string | null): void {
    this.strs.push(s);
  }

  /** Appends a count and then the numbers of `list`. */
  list(list: readonly number[]): void {
    this.num(list.length);
    for (let i = 0; i < list.length; i++) this.num(list[i]!);
  }

  /** The batch so far; the writer starts afresh. */
  take(): Batch {
    const batch: Batch = { nums: this.nums, n: this.n, strs: this.strs };
    this.nums = new Float64Array(Math.max(INITIAL, this.n));
    this.n = 0;
    this.strs = [];
    return batch;
  }

  /** Forgets what was written (the journal stopped). */
  clear(): void {
    this.n = 0;
    this.strs.length = 0;
  }
}

/** Reads a batch back in the order it was written (writer thread). */
export class BatchReader {
  private i = 0;
  private s = 0;

  constructor(private readonly batch: Batch) {}

  /** True while numbers remain. */
  get more(): boolean {
    return this.i < this.batch.n;
  }

  num(): number {
    return this.batch.nums[this.i++]!;
  }

  str(): string | null {
    return this.batch.strs[this.s++] ?? null;
  }

  /** A count and that many numbers, joined with spaces (chute lists); null for a count of -1. */
  spaced(): string | null {
    const k = this.num();
    if (k < 0) return null;
    let out = '';
    for (let j = 0; j < k; j++) out += (j === 0 ? '' : ' ') + String(this.num());
    return out;
  }
}
