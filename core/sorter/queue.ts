/**
 * A FIFO of parcel ids in a ring buffer that doubles when full (amortised; no per-parcel
 * allocation). One per induct.
 */
export class ParcelQueue {
  private buf: Int32Array;
  private head = 0;
  /** Parcels waiting. */
  length = 0;

  constructor(initialCapacity = 64) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.buf = new Int32Array(cap);
  }

  push(id: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = id;
    this.length++;
  }

  /** The oldest parcel, or -1 when empty. */
  peek(): number {
    return this.length === 0 ? -1 : this.buf[this.head]!;
  }

  /** Removes and returns the oldest parcel, or -1 when empty. */
  shift(): number {
    if (this.length === 0) return -1;
    const id = this.buf[this.head]!;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return id;
  }

  private grow(): void {
    const old = this.buf;
    const b = new Int32Array(old.length * 2);
    for (let i = 0; i < this.length; i++) b[i] = old[(this.head + i) & (old.length - 1)]!;
    this.buf = b;
    this.head = 0;
  }
}
