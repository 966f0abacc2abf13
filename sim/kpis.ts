/**
 * Relative error bound of {@link LogHistogram} quantiles: every reported quantile of a value above
 * {@link LOG_HISTOGRAM_MIN} lies within ±0.5 % of the exact nearest-rank quantile.
 */
export const LOG_HISTOGRAM_RELATIVE_ERROR = 0.005;

/**
 * Smallest value (s) {@link LogHistogram} resolves relatively; values at or below it share one
 * bucket reported as 0, an absolute error of at most this much (1 ms).
 */
export const LOG_HISTOGRAM_MIN = 1e-3;

/** Largest value (s) with its own bucket: more than the 8,760 h a run may last. */
export const LOG_HISTOGRAM_MAX = 4e7;

/**
 * A log-bucketed histogram of positive values (the DDSketch layout, Masson, Rim & Lee, "DDSketch: a
 * fast and fully-mergeable quantile sketch with relative-error guarantees", VLDB 2019) with a fixed
 * bucket array, so adding a value allocates nothing. Bucket i ≥ 1 holds values in
 * (min·γ^(i−1), min·γ^i] with γ = (1 + α) / (1 − α), α = {@link LOG_HISTOGRAM_RELATIVE_ERROR}; its
 * representative value 2·min·γ^i / (γ + 1) is within α of every value in it. Bucket 0 holds values
 * ≤ {@link LOG_HISTOGRAM_MIN}. The exact maximum is kept beside the buckets.
 */
export class LogHistogram {
  private static readonly gamma =
    (1 + LOG_HISTOGRAM_RELATIVE_ERROR) / (1 - LOG_HISTOGRAM_RELATIVE_ERROR);
  private static readonly lnGamma = Math.log(LogHistogram.gamma);
  /** Number of buckets, bucket 0 included (about 1,200). */
  static readonly buckets =
    Math.ceil(Math.log(LOG_HISTOGRAM_MAX / LOG_HISTOGRAM_MIN) / LogHistogram.lnGamma) + 1;

  readonly counts = new Float64Array(LogHistogram.buckets);
  /** Values added. */
  count = 0;
  /** The largest value added (exact), 0 when empty. */
  max = 0;

  /** Adds one value (≥ 0; a value above {@link LOG_HISTOGRAM_MAX} goes to the last bucket). */
  add(x: number): void {
    this.count++;
    if (x > this.max) this.max = x;
    let b = 0;
    if (x > LOG_HISTOGRAM_MIN) {
      b = Math.ceil(Math.log(x / LOG_HISTOGRAM_MIN) / LogHistogram.lnGamma);
      if (b < 1) b = 1;
      else if (b >= LogHistogram.buckets) b = LogHistogram.buckets - 1;
    }
    this.counts[b]!++;
  }

  /**
   * The nearest-rank q-quantile (0 < q ≤ 1): the value of rank ⌈q·n⌉ among the n values added,
   * within ±{@link LOG_HISTOGRAM_RELATIVE_ERROR} relative error (absolute {@link LOG_HISTOGRAM_MIN}
   * for values at or below it), never above the exact maximum; q = 1 gives the exact maximum. 0 when
   * empty.
   */
  quantile(q: number): number {
    const n = this.count;
    if (n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * n - 1e-9));
    if (rank >= n) return this.max;
    let acc = 0;
    for (let b = 0; b < LogHistogram.buckets; b++) {
      acc += this.counts[b]!;
      if (acc >= rank) {
        if (b === 0) return 0;
        const value = (2 * LOG_HISTOGRAM_MIN * LogHistogram.gamma ** b) / (LogHistogram.gamma + 1);
        return value < this.max ? value : this.max;
      }
    }
    return this.max;
  }
}

/** Most chute × interval cells of the per-chute fill series (the report's heat strip). */
export const MAX_HEAT_CELLS = 1_000_000;

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
  /**
   * Recirculations: failed discharges after which the parcel stays on the loop to retry a chute
   * (the scheduler's `retry`, up to the recirculation limit). The failure at the limit, after which
   * the parcel rides on to the exception chute, is not one.
   */
  recirculations = 0;
  /** Failed discharges: every time a parcel was in front of its chute and the chute could not take it. */
  failedDischarges = 0;
  // window (t ≥ warm-up)
  windowInducted = 0;
  windowSorted = 0;
  windowRecirculations = 0;
  windowFailedDischarges = 0;
  windowWaitSum = 0;
  /** Induct waits (s) of parcels loaded in the window: quantiles within 0.5 %, exact maximum. */
  readonly waits = new LogHistogram();

  readonly inductCount: Float64Array;
  readonly inductWindowCount: Float64Array;
  readonly inductWindowWait: Float64Array;
  readonly chuteReceived: Float64Array;
  readonly destinationSorted: Float64Array;
  /** Parcels sorted per destination in the window. */
  readonly destinationWindowSorted: Float64Array;

  /** Series: one bin per `intervalSeconds`. */
  readonly intervalSeconds: number;
  readonly bins: number;
  readonly chutes: number;
  readonly sArrived: Float64Array;
  readonly sInducted: Float64Array;
  readonly sSorted: Float64Array;
  readonly sException: Float64Array;
  readonly sRecirculations: Float64Array;
  readonly sFailedDischarges: Float64Array;
  /** Sampled at each bin's end. */
  readonly sQueued: Float64Array;
  readonly sOnLoop: Float64Array;
  readonly sMeanChuteFill: Float64Array;
  /** Mean over destination chutes of fill ÷ capacity at each bin's end. */
  readonly sMeanChuteFillShare: Float64Array;
  readonly sFullChutes: Float64Array;
  /** Queue length per induct at each bin's end: induct i, bin b at b·inducts + i. */
  readonly sInductQueue: Float64Array;
  /**
   * Series bins per heat-map column: 1, or more when chutes × bins would exceed
   * {@link MAX_HEAT_CELLS} (a column then holds the fill at the end of its last bin).
   */
  readonly heatStride: number;
  /** Heat-map columns: ⌈bins / heatStride⌉. */
  readonly heatBins: number;
  /**
   * Fill ÷ capacity per chute at the end of each heat-map column: chute c, column h at
   * h·chutes + c (0 for exception chutes).
   */
  readonly sChuteFillShare: Float32Array;

  constructor(
    readonly inducts: number,
    chutes: number,
    destinations: number,
    horizonSeconds: number,
  ) {
    this.chutes = chutes;
    this.inductCount = new Float64Array(inducts);
    this.inductWindowCount = new Float64Array(inducts);
    this.inductWindowWait = new Float64Array(inducts);
    this.chuteReceived = new Float64Array(chutes);
    this.destinationSorted = new Float64Array(destinations);
    this.destinationWindowSorted = new Float64Array(destinations);
    this.intervalSeconds = horizonSeconds <= 48 * 3600 ? 60 : 3600;
    this.bins = Math.max(1, Math.ceil(horizonSeconds / this.intervalSeconds - 1e-9));
    const b = this.bins;
    this.sArrived = new Float64Array(b);
    this.sInducted = new Float64Array(b);
    this.sSorted = new Float64Array(b);
    this.sException = new Float64Array(b);
    this.sRecirculations = new Float64Array(b);
    this.sFailedDischarges = new Float64Array(b);
    this.sQueued = new Float64Array(b);
    this.sOnLoop = new Float64Array(b);
    this.sMeanChuteFill = new Float64Array(b);
    this.sMeanChuteFillShare = new Float64Array(b);
    this.sFullChutes = new Float64Array(b);
    this.sInductQueue = new Float64Array(b * inducts);
    this.heatStride = Math.max(1, Math.ceil((b * chutes) / MAX_HEAT_CELLS));
    this.heatBins = Math.ceil(b / this.heatStride);
    this.sChuteFillShare = new Float32Array(this.heatBins * chutes);
  }

  /** Counts one induct wait (s) in the window. */
  wait(seconds: number): void {
    this.windowWaitSum += seconds;
    this.waits.add(seconds);
  }

  /** Longest induct wait in the window (s, exact). */
  get windowWaitMax(): number {
    return this.waits.max;
  }

  /**
   * The nearest-rank q-quantile (0 < q ≤ 1) of induct waits in the window (s), within 0.5 %
   * ({@link LogHistogram.quantile}).
   */
  waitQuantile(q: number): number {
    return this.waits.quantile(q);
  }

  /** Series bin of time t (s). */
  bin(t: number): number {
    const b = Math.floor(t / this.intervalSeconds);
    return b < this.bins ? b : this.bins - 1;
  }
}
