/** Whole seconds of induct wait the histogram resolves (one bin per second). */
export const WAIT_BINS = 3600;

/**
 * Counters and time series a simulation run collects, in typed arrays (no per-parcel objects).
 * Totals cover the whole run (so conservation can be checked); figures marked "window" cover only
 * the measurement window after warm-up.
 */
export class Kpis {
  // whole run
  arrived = 0;
  inducted = 0;
  sorted = 0;
  exception = 0;
  noRead = 0;
  noRule = 0;
  multiRead = 0;
  noChute = 0;
  overLimit = 0;
  missorted = 0;
  recirculations = 0;
  // window (t ≥ warm-up)
  windowInducted = 0;
  windowSorted = 0;
  windowRecirculations = 0;
  windowWaitSum = 0;
  /** Longest induct wait in the window (s). */
  windowWaitMax = 0;
  /** Induct waits in the window by whole second (the last bin holds every longer wait). */
  readonly waitHistogram = new Float64Array(WAIT_BINS + 1);

  readonly inductCount: Float64Array;
  readonly inductWindowCount: Float64Array;
  readonly inductWindowWait: Float64Array;
  readonly chuteReceived: Float64Array;
  readonly destinationSorted: Float64Array;

  /** Series: one bin per `intervalSeconds`. */
  readonly intervalSeconds: number;
  readonly bins: number;
  readonly sArrived: Float64Array;
  readonly sInducted: Float64Array;
  readonly sSorted: Float64Array;
  readonly sException: Float64Array;
  readonly sRecirculations: Float64Array;
  /** Sampled at each bin's end. */
  readonly sQueued: Float64Array;
  readonly sOnLoop: Float64Array;
  readonly sMeanChuteFill: Float64Array;
  readonly sFullChutes: Float64Array;
  /** Queue length per induct at each bin's end: induct i, bin b at b·inducts + i. */
  readonly sInductQueue: Float64Array;

  constructor(
    readonly inducts: number,
    chutes: number,
    destinations: number,
    horizonSeconds: number,
  ) {
    this.inductCount = new Float64Array(inducts);
    this.inductWindowCount = new Float64Array(inducts);
    this.inductWindowWait = new Float64Array(inducts);
    this.chuteReceived = new Float64Array(chutes);
    this.destinationSorted = new Float64Array(destinations);
    this.intervalSeconds = horizonSeconds <= 48 * 3600 ? 60 : 3600;
    this.bins = Math.max(1, Math.ceil(horizonSeconds / this.intervalSeconds - 1e-9));
    const b = this.bins;
    this.sArrived = new Float64Array(b);
    this.sInducted = new Float64Array(b);
    this.sSorted = new Float64Array(b);
    this.sException = new Float64Array(b);
    this.sRecirculations = new Float64Array(b);
    this.sQueued = new Float64Array(b);
    this.sOnLoop = new Float64Array(b);
    this.sMeanChuteFill = new Float64Array(b);
    this.sFullChutes = new Float64Array(b);
    this.sInductQueue = new Float64Array(b * inducts);
  }

  /** Counts one induct wait (s) in the window. */
  wait(seconds: number): void {
    this.windowWaitSum += seconds;
    if (seconds > this.windowWaitMax) this.windowWaitMax = seconds;
    const b = Math.floor(seconds);
    this.waitHistogram[b < WAIT_BINS ? b : WAIT_BINS]!++;
  }

  /** The q-quantile (0 < q < 1) of induct waits in the window, to the second (upper bin edge). */
  waitQuantile(q: number): number {
    const n = this.windowInducted;
    if (n === 0) return 0;
    let acc = 0;
    for (let b = 0; b <= WAIT_BINS; b++) {
      acc += this.waitHistogram[b]!;
      if (acc >= q * n) return b < WAIT_BINS ? b + 1 : this.windowWaitMax;
    }
    return this.windowWaitMax;
  }

  /** Series bin of time t (s). */
  bin(t: number): number {
    const b = Math.floor(t / this.intervalSeconds);
    return b < this.bins ? b : this.bins - 1;
  }
}
