import { UNLIMITED } from '../../core/sorter/index.js';
import type { RunResult } from '../engine.js';

/** One induct's figures. */
export interface InductReport {
  id: string;
  position: number;
  /** Parcels this induct loaded in the whole run. */
  inducted: number;
  /** Parcels per hour this induct loaded in the measurement window. */
  inductedPerHour: number;
  /** Mean seconds a parcel waited in this induct's queue (loaded in the window). */
  meanWaitSeconds: number;
  /** Parcels still queued here at the end. */
  queuedAtEnd: number;
  /** Empty carriers this induct let pass as slots for other inducts (reserve policy). */
  slotsGiven: number;
}

/** One chute's figures. */
export interface ChuteReport {
  id: string;
  position: number;
  /** The destination(s) it serves (ids joined by `,`), or `exception`. */
  destination: string;
  /** Parcels it holds before it is full; null for an exception chute without a limit. */
  capacity: number | null;
  /** Parcels discharged into it in the whole run. */
  received: number;
  /**
   * Mean fill ÷ capacity at the interval ends of the window (the `chuteFill` samples after
   * warm-up); 0 for exception chutes.
   */
  meanFillShare: number;
  /** Seconds it was full in the measurement window. */
  fullSeconds: number;
  /** Share of the window its operators spent handling parcels (busy time / (window × operators)); 0 for exception chutes. */
  operatorUtilization: number;
}

/** One destination's figures. */
export interface DestinationReport {
  id: string;
  /** Its chutes in plan priority order, ids joined by `,`. */
  chutes: string;
  /** Its share of the scenario's destination mix (weight ÷ Σ weights). */
  mixShare: number;
  /** Parcels sorted to its chutes in the whole run. */
  sorted: number;
  /** Parcels sorted to its chutes per hour in the window. */
  sortedPerHour: number;
}

/**
 * The JSON report of `sortline simulate` (docs/scenario.md "Report"). Scripts depend on these keys;
 * keys are only ever added. `counts` cover the whole run, so that conservation holds:
 * arrived = inducted + queuedAtEnd; inducted = sorted + exception + onLoopAtEnd. Rates cover the
 * measurement window after warm-up.
 */
export interface SimReport {
  scenario: string;
  seed: number;
  /** Clock time at simulated second 0, "HH:MM" (the scenario's `startTime`, default "00:00"). */
  startTime: string;
  simulatedSeconds: number;
  warmupSeconds: number;
  /** Engine wall-clock seconds (set-up and run; excludes process start-up, loading and reporting). */
  wallSeconds: number;
  /** Simulated parcels (arrived) per wall-clock second of the engine. */
  parcelsPerWallSecond: number;
  counts: {
    arrived: number;
    inducted: number;
    /** Discharged into destination chutes. */
    sorted: number;
    /** Discharged into exception chutes. */
    exception: number;
    /** Parcels the scan found no valid read for (sent to the exception chute). */
    noRead: number;
    /** Parcels read but without a plan rule. */
    noRule: number;
    /** Parcels with conflicting reads of the same key kind. */
    multiRead: number;
    /** Parcels whose destination had no usable chute. */
    noChute: number;
    /** Parcels sent to the exception chute at the recirculation limit. */
    recirculationLimit: number;
    /** Sorted to a destination other than the one their label was printed for. */
    missorted: number;
    /**
     * Recirculations: failed discharges after which the parcel stayed on the loop to retry (a lap
     * back to the same chute, or on to another chute of its destination), at most
     * `recirculationLimit` per parcel. The failure after which a parcel rides on to the exception
     * chute is not one (docs/scenario.md "Recirculations and failed discharges").
     */
    recirculations: number;
    /** Failed discharges: every time a parcel met its chute and the chute could not take it. */
    failedDischarges: number;
    onLoopAtEnd: number;
    queuedAtEnd: number;
  };
  /** Parcels sorted to destination chutes per simulated hour in the window. */
  sortedPerHour: number;
  /** Parcels inducted per simulated hour in the window. */
  inductedPerHour: number;
  /** Recirculations per inducted parcel in the window. */
  recirculationsPerInducted: number;
  /** Failed discharges per inducted parcel in the window. */
  failedDischargesPerInducted: number;
  /** Mean induct queue wait in seconds of parcels loaded in the window. */
  meanInductWaitSeconds: number;
  /**
   * Nearest-rank 95th percentile of the induct queue wait in the window (s), within ±0.5 % (a
   * log-bucketed histogram, sim/kpis.ts), never above the longest wait.
   */
  inductWaitP95Seconds: number;
  /** Longest induct queue wait in the window (s, exact). */
  maxInductWaitSeconds: number;
  /** The busiest whole simulated hour after warm-up (by parcels sorted): its start (s) and its rates (/h). */
  peakHour: {
    startSeconds: number;
    sortedPerHour: number;
    arrivedPerHour: number;
    inductedPerHour: number;
  };
  /** Loop capacity with one induct, v / p (/h). */
  carrierPassesPerHour: number;
  perInduct: InductReport[];
  perChute: ChuteReport[];
  perDestination: DestinationReport[];
  /** Time series, one value per interval (per simulated minute, or hour for runs over 48 h). */
  series: {
    intervalSeconds: number;
    /** Interval end times (s). */
    time: number[];
    arrivedPerHour: number[];
    inductedPerHour: number[];
    sortedPerHour: number[];
    exceptionPerHour: number[];
    recirculationsPerHour: number[];
    failedDischargesPerHour: number[];
    /** Parcels queued at all inducts at the interval's end. */
    queued: number[];
    /** Parcels on the loop at the interval's end. */
    onLoop: number[];
    /** Mean fill of destination chutes (parcels) at the interval's end. */
    meanChuteFill: number[];
    /** Mean over destination chutes of fill ÷ capacity at the interval's end (0 to 1). */
    meanChuteFillShare: number[];
    /** Destination chutes full at the interval's end. */
    fullChutes: number[];
    /** Queue length per induct at the interval's end: inductQueues[i][b]. */
    inductQueues: number[][];
  };
  /**
   * Fill ÷ capacity of each destination chute at the end of each interval (of `intervalSeconds`:
   * the series interval, or a multiple of it when chutes × intervals would pass 1,000,000).
   */
  chuteFill: {
    intervalSeconds: number;
    /** Interval end times (s). */
    time: number[];
    /** Destination chute ids, in `perChute` order. */
    chutes: string[];
    /** share[j][h]: chute `chutes[j]` at the end of interval h (0 to 1). */
    share: number[][];
  };
}

const round = (x: number, digits = 6): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** The whole hour after warm-up with the most parcels sorted (series bins of an hour or less). */
function peakHour(run: RunResult): SimReport['peakHour'] {
  const { kpis, model } = run;
  const per = Math.max(1, Math.round(3600 / kpis.intervalSeconds));
  const first = Math.ceil((model.warmupHours * 3600) / kpis.intervalSeconds);
  const sum = (a: Float64Array, from: number) => {
    let x = 0;
    for (let b = from; b < from + per && b < kpis.bins; b++) x += a[b]!;
    return x;
  };
  let best = first;
  let bestSorted = -1;
  for (let b = first; b + per <= kpis.bins; b++) {
    const sorted = sum(kpis.sSorted, b);
    if (sorted > bestSorted) {
      bestSorted = sorted;
      best = b;
    }
  }
  if (bestSorted < 0) bestSorted = sum(kpis.sSorted, best);
  const scale = 3600 / (per * kpis.intervalSeconds);
  return {
    startSeconds: best * kpis.intervalSeconds,
    sortedPerHour: round(bestSorted * scale, 3),
    arrivedPerHour: round(sum(kpis.sArrived, best) * scale, 3),
    inductedPerHour: round(sum(kpis.sInducted, best) * scale, 3),
  };
}

/** The per-chute fill samples (heat-map columns) of the destination chutes. */
function heatMap(run: RunResult) {
  const { kpis, chutes } = run;
  const stride = kpis.heatStride;
  const intervalSeconds = kpis.intervalSeconds * stride;
  const time = Array.from({ length: kpis.heatBins }, (_, h) =>
    Math.min(Math.min((h + 1) * stride, kpis.bins) * kpis.intervalSeconds, run.simulatedSeconds),
  );
  const warmup = run.model.warmupHours * 3600;
  const destinationChutes: number[] = [];
  for (let c = 0; c < chutes.count; c++) if (!chutes.exception[c]) destinationChutes.push(c);
  const n = chutes.count;
  return {
    intervalSeconds,
    time,
    chutes: destinationChutes,
    row: (c: number) =>
      Array.from({ length: kpis.heatBins }, (_, h) => round(kpis.sChuteFillShare[h * n + c]!, 4)),
    /** Mean of chute c's samples at interval ends after warm-up. */
    mean: (c: number) => {
      let sum = 0;
      let count = 0;
      for (let h = 0; h < kpis.heatBins; h++) {
        if (time[h]! <= warmup) continue;
        sum += kpis.sChuteFillShare[h * n + c]!;
        count++;
      }
      return count > 0 ? sum / count : 0;
    },
  };
}

/** Builds the JSON report of a finished run. */
export function buildReport(run: RunResult): SimReport {
  const { model, kpis, inducts, chutes, scheduler, operators } = run;
  const windowHours = (run.simulatedSeconds - model.warmupHours * 3600) / 3600;
  const plan = model.plan;
  const served: string[][] = chutes.ids.map(() => []);
  for (let d = 0; d < plan.destinationCount; d++) {
    for (let j = plan.destChuteStart[d]!; j < plan.destChuteStart[d + 1]!; j++)
      served[plan.destChuteList[j]!]!.push(plan.destinationIds[d]!);
  }
  const perHour = 3600 / kpis.intervalSeconds;
  const heat = heatMap(run);
  let mixTotal = 0;
  for (let d = 0; d < model.mix.length; d++) mixTotal += model.mix[d]!;
  const series = (a: Float64Array, scale = 1) => Array.from(a, (x) => round(x * scale, 4));
  const k = inducts.count;
  return {
    scenario: model.name,
    seed: model.seed,
    startTime: model.startTime,
    simulatedSeconds: run.simulatedSeconds,
    warmupSeconds: model.warmupHours * 3600,
    wallSeconds: round(run.wallSeconds),
    parcelsPerWallSecond: Math.round(kpis.arrived / run.wallSeconds),
    counts: {
      arrived: kpis.arrived,
      inducted: kpis.inducted,
      sorted: kpis.sorted,
      exception: kpis.exception,
      noRead: kpis.noRead,
      noRule: kpis.noRule,
      multiRead: kpis.multiRead,
      noChute: kpis.noChute,
      recirculationLimit: kpis.overLimit,
      missorted: kpis.missorted,
      recirculations: kpis.recirculations,
      failedDischarges: kpis.failedDischarges,
      onLoopAtEnd: scheduler.onLoop,
      queuedAtEnd: inducts.queued(),
    },
    sortedPerHour: round(kpis.windowSorted / windowHours, 3),
    inductedPerHour: round(kpis.windowInducted / windowHours, 3),
    recirculationsPerInducted: round(
      kpis.windowInducted ? kpis.windowRecirculations / kpis.windowInducted : 0,
      8,
    ),
    failedDischargesPerInducted: round(
      kpis.windowInducted ? kpis.windowFailedDischarges / kpis.windowInducted : 0,
      8,
    ),
    meanInductWaitSeconds: round(
      kpis.windowInducted ? kpis.windowWaitSum / kpis.windowInducted : 0,
      4,
    ),
    inductWaitP95Seconds: round(kpis.waitQuantile(0.95), 3),
    maxInductWaitSeconds: round(kpis.windowWaitMax, 3),
    peakHour: peakHour(run),
    carrierPassesPerHour: round(run.loop.carriersPerHour, 3),
    perInduct: inducts.ids.map((id, i) => ({
      id,
      position: inducts.position[i]!,
      inducted: kpis.inductCount[i]!,
      inductedPerHour: round(kpis.inductWindowCount[i]! / windowHours, 3),
      meanWaitSeconds: round(
        kpis.inductWindowCount[i] ? kpis.inductWindowWait[i]! / kpis.inductWindowCount[i] : 0,
        4,
      ),
      queuedAtEnd: inducts.queues[i]!.length,
      slotsGiven: scheduler.slots.slotsGiven[i]!,
    })),
    perChute: chutes.ids.map((id, c) => ({
      id,
      position: chutes.position[c]!,
      destination: chutes.exception[c] ? 'exception' : served[c]!.join(','),
      capacity: chutes.capacity[c] === UNLIMITED ? null : chutes.capacity[c]!,
      received: kpis.chuteReceived[c]!,
      meanFillShare: chutes.exception[c] ? 0 : round(heat.mean(c), 4),
      fullSeconds: round(operators.fullSeconds[c]!, 3),
      operatorUtilization: chutes.exception[c]
        ? 0
        : round(operators.busySeconds[c]! / (windowHours * 3600 * model.operators.perChute), 4),
    })),
    perDestination: plan.destinationIds.map((id, d) => {
      const list: string[] = [];
      for (let j = plan.destChuteStart[d]!; j < plan.destChuteStart[d + 1]!; j++)
        list.push(chutes.ids[plan.destChuteList[j]!]!);
      return {
        id,
        chutes: list.join(','),
        mixShare: round(mixTotal > 0 ? model.mix[d]! / mixTotal : 0, 6),
        sorted: kpis.destinationSorted[d]!,
        sortedPerHour: round(kpis.destinationWindowSorted[d]! / windowHours, 3),
      };
    }),
    series: {
      intervalSeconds: kpis.intervalSeconds,
      time: Array.from({ length: kpis.bins }, (_, b) =>
        Math.min((b + 1) * kpis.intervalSeconds, run.simulatedSeconds),
      ),
      arrivedPerHour: series(kpis.sArrived, perHour),
      inductedPerHour: series(kpis.sInducted, perHour),
      sortedPerHour: series(kpis.sSorted, perHour),
      exceptionPerHour: series(kpis.sException, perHour),
      recirculationsPerHour: series(kpis.sRecirculations, perHour),
      failedDischargesPerHour: series(kpis.sFailedDischarges, perHour),
      queued: series(kpis.sQueued),
      onLoop: series(kpis.sOnLoop),
      meanChuteFill: series(kpis.sMeanChuteFill),
      meanChuteFillShare: series(kpis.sMeanChuteFillShare),
      fullChutes: series(kpis.sFullChutes),
      inductQueues: inducts.ids.map((_, i) =>
        Array.from({ length: kpis.bins }, (_, b) => kpis.sInductQueue[b * k + i]!),
      ),
    },
    chuteFill: {
      intervalSeconds: heat.intervalSeconds,
      time: heat.time,
      chutes: heat.chutes.map((c) => chutes.ids[c]!),
      share: heat.chutes.map((c) => heat.row(c)),
    },
  };
}
