/**
 * Geometry and carrier state of a loop sorter (cross-belt or tilt-tray), DESIGN.md "machine model".
 *
 * N carriers at pitch p (m) move at speed v (m/s). One tick is p / v seconds, the time a carrier
 * takes to pass a fixed point. Loop positions 0..N-1 are fixed points (inducts and chutes sit at
 * them); at tick k the carrier in front of position s is (s − k) mod N, so carriers advance one
 * position per tick.
 */
export interface LoopSpec {
  /** Number of carriers N (≥ 2). */
  carriers: number;
  /** Carrier pitch p in metres (> 0). */
  pitch: number;
  /** Loop speed v in metres per second (> 0). */
  speed: number;
}

export class LoopSorter {
  readonly carriers: number;
  /** Metres between carriers. */
  readonly pitch: number;
  /** Metres per second. */
  readonly speed: number;
  /** Seconds per tick: pitch / speed. */
  readonly tickSeconds: number;
  /** Parcel id on each carrier, -1 when empty. */
  readonly load: Int32Array;
  /** Induct index an empty carrier is reserved for (a slot), -1 when none. */
  readonly reservedFor: Int16Array;

  constructor(spec: LoopSpec) {
    this.carriers = spec.carriers;
    this.pitch = spec.pitch;
    this.speed = spec.speed;
    this.tickSeconds = spec.pitch / spec.speed;
    this.load = new Int32Array(spec.carriers).fill(-1);
    this.reservedFor = new Int16Array(spec.carriers).fill(-1);
  }

  /** Carrier in front of loop position `position` at tick `tick`: (position − tick) mod N. */
  carrierAt(position: number, tick: number): number {
    const n = this.carriers;
    const c = (position - tick) % n;
    return c < 0 ? c + n : c;
  }

  /** Ticks a carrier takes from position `from` to position `to`, in 1..N (a whole lap when equal). */
  ticksBetween(from: number, to: number): number {
    const n = this.carriers;
    const d = (to - from) % n;
    return d <= 0 ? d + n : d;
  }

  /** Theoretical capacity with one induct and every carrier loaded: v / p parcels per hour. */
  get carriersPerHour(): number {
    return (3600 * this.speed) / this.pitch;
  }
}
