/**
 * The emulated machine's clock: simulated seconds in scaled real time (`timeScale` simulated
 * seconds per wall second), with time dilation so that the emulator's own stalls never count
 * against the controller (docs/emulator.md "Time").
 *
 * The machine runs in whole ticks on timer turns; a reply read off the wire is stamped with the
 * clock. When the emulator's event loop stalls (a garbage collection, a busy machine), the scaled
 * wall time races ahead of the machine: read naively, a whole run of ticks would be run in one
 * turn — parcels scanned and past their decision point before any reply could be read — and replies
 * read after the stall would look late. Instead the clock never reads more than `maxStepSeconds`
 * past the machine's next tick (or past its last reading, whichever is later): beyond that it is
 * held there and restarts from that point at the normal pace. The simulated time that was not run
 * is the lag (`lagSeconds`, in simulated seconds) and each hold is a stall (`stalls`), both reported.
 */

/** Milliseconds of a monotonic wall clock (default `performance.now`). */
export type WallClock = () => number;

/** Simulated time of an emulated machine, dilated when the emulator falls behind. */
export class MachineClock {
  /** Times the clock was held because the emulator fell behind. */
  stalls = 0;
  /** Simulated seconds not run because of those holds. */
  lagSeconds = 0;
  private simBase = 0;
  private wallBase = 0;
  private last = 0;

  /**
   * @param timeScale simulated seconds per wall second (> 0).
   * @param maxStepSeconds how far (simulated s) the clock may read past the machine's next tick
   *   before it is held: larger than the timer jitter (so the normal pace is kept), much smaller
   *   than the reply deadline.
   * @param wallMs the wall clock, ms.
   */
  constructor(
    readonly timeScale: number,
    readonly maxStepSeconds: number,
    private readonly wallMs: WallClock = () => performance.now(),
  ) {}

  /** Starts the clock at simulated second 0 now. */
  start(): void {
    this.simBase = 0;
    this.wallBase = this.wallMs();
    this.last = 0;
  }

  /**
   * Simulated seconds now, for a machine whose next tick to run is at `machineNext` simulated
   * seconds: the scaled wall time since the start (minus the lag so far), held at
   * `max(machineNext, last reading) + maxStepSeconds` when it runs further ahead. Never decreases.
   */
  read(machineNext: number): number {
    const wall = this.wallMs();
    let t = this.simBase + ((wall - this.wallBase) / 1000) * this.timeScale;
    const floor = machineNext > this.last ? machineNext : this.last;
    const limit = floor + this.maxStepSeconds;
    if (t > limit) {
      this.stalls++;
      this.lagSeconds += t - limit;
      this.simBase = limit;
      this.wallBase = wall;
      t = limit;
    }
    if (t > this.last) this.last = t;
    return this.last;
  }

  /** Wall-clock ms at which the clock will read simulated second `t` (the next tick's due time). */
  wallAt(t: number): number {
    return this.wallBase + ((t - this.simBase) / this.timeScale) * 1000;
  }
}
