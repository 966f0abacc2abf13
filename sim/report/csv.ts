import { stringify } from 'csv-stringify/sync';
import { clockAt, clockStartSeconds, formatTimeOfDay } from './clock.js';
import type { SimReport } from './json.js';

/** One CSV file of the report: its file name and its text. */
export interface CsvFile {
  name: string;
  text: string;
}

type Cell = string | number | null;

/**
 * RFC 4180 text: a header row, then one record per row, CRLF line ends, fields quoted when they
 * hold a comma, a double quote, CR or LF (quotes doubled), by csv-stringify. null is an empty
 * field.
 */
function csv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return stringify([[...header], ...rows], {
    record_delimiter: 'windows',
    cast: { number: (x) => String(x) },
  });
}

/**
 * The report as CSV tables (docs/scenario.md "CSV files"): `summary.csv` (figure, value, unit),
 * `series.csv` (one row per series interval), `inducts.csv`, `chutes.csv`, `destinations.csv`, and
 * `chute-fill.csv` (fill share per destination chute per interval, long format). Column names
 * carry their units (`sorted_per_hour`, `fill_share`, `wait_seconds`, ...); time columns give the
 * simulated second and the clock (`clock_day`, `clock` "HH:MM:SS" from the scenario's
 * `startTime`).
 */
export function renderCsvFiles(r: SimReport): CsvFile[] {
  const start = clockStartSeconds(r.startTime);
  const clock = (t: number): [number, string] => {
    const c = clockAt(start, t);
    return [c.day, formatTimeOfDay(c.secondOfDay)];
  };
  const s = r.series;
  const interval = s.intervalSeconds;
  const inductIds = r.perInduct.map((i) => i.id);
  const seriesRows = s.time.map((t, b): Cell[] => {
    const from = b * interval;
    return [
      from,
      t,
      ...clock(from),
      ...clock(t),
      from < r.warmupSeconds ? 1 : 0,
      s.arrivedPerHour[b]!,
      s.inductedPerHour[b]!,
      s.sortedPerHour[b]!,
      s.exceptionPerHour[b]!,
      s.recirculationsPerHour[b]!,
      s.failedDischargesPerHour[b]!,
      s.queued[b]!,
      s.onLoop[b]!,
      s.meanChuteFill[b]!,
      s.meanChuteFillShare[b]!,
      s.fullChutes[b]!,
      ...s.inductQueues.map((q) => q[b]!),
    ];
  });
  const series = csv(
    [
      'start_seconds',
      'end_seconds',
      'start_clock_day',
      'start_clock',
      'end_clock_day',
      'end_clock',
      'in_warmup',
      'arrived_per_hour',
      'inducted_per_hour',
      'sorted_per_hour',
      'exception_per_hour',
      'recirculations_per_hour',
      'failed_discharges_per_hour',
      'queued_parcels',
      'on_loop_parcels',
      'mean_chute_fill_parcels',
      'mean_chute_fill_share',
      'full_chutes',
      ...inductIds.map((id) => `queued_parcels_${id}`),
    ],
    seriesRows,
  );

  const inducts = csv(
    [
      'induct',
      'position',
      'inducted_parcels',
      'inducted_per_hour',
      'mean_wait_seconds',
      'queued_at_end_parcels',
      'slots_given',
    ],
    r.perInduct.map((i) => [
      i.id,
      i.position,
      i.inducted,
      i.inductedPerHour,
      i.meanWaitSeconds,
      i.queuedAtEnd,
      i.slotsGiven,
    ]),
  );

  const chutes = csv(
    [
      'chute',
      'position',
      'destination',
      'capacity_parcels',
      'received_parcels',
      'full_seconds',
      'mean_fill_share',
      'operator_utilization_share',
    ],
    r.perChute.map((c) => [
      c.id,
      c.position,
      c.destination,
      c.capacity,
      c.received,
      c.fullSeconds,
      c.destination === 'exception' ? null : c.meanFillShare,
      c.destination === 'exception' ? null : c.operatorUtilization,
    ]),
  );

  const sortedTotal = r.counts.sorted;
  const destinations = csv(
    ['destination', 'chutes', 'mix_share', 'sorted_parcels', 'sorted_share', 'sorted_per_hour'],
    r.perDestination.map((d) => [
      d.id,
      d.chutes,
      d.mixShare,
      d.sorted,
      sortedTotal > 0 ? Math.round((d.sorted / sortedTotal) * 1e6) / 1e6 : 0,
      d.sortedPerHour,
    ]),
  );

  const fill = r.chuteFill;
  const fillRows: Cell[][] = [];
  fill.time.forEach((t, h) => {
    const [day, at] = clock(t);
    fill.chutes.forEach((id, j) => fillRows.push([t, day, at, id, fill.share[j]![h]!]));
  });
  const chuteFill = csv(
    ['end_seconds', 'end_clock_day', 'end_clock', 'chute', 'fill_share'],
    fillRows,
  );

  const c = r.counts;
  const summary = csv(
    ['figure', 'value', 'unit'],
    [
      ['scenario', r.scenario, ''],
      ['seed', r.seed, ''],
      ['start_time', r.startTime, 'HH:MM'],
      ['simulated', r.simulatedSeconds, 'seconds'],
      ['warmup', r.warmupSeconds, 'seconds'],
      ['sorted_per_hour', r.sortedPerHour, 'parcels per hour'],
      ['inducted_per_hour', r.inductedPerHour, 'parcels per hour'],
      ['recirculations_per_inducted', r.recirculationsPerInducted, 'per inducted parcel'],
      ['failed_discharges_per_inducted', r.failedDischargesPerInducted, 'per inducted parcel'],
      ['mean_induct_wait', r.meanInductWaitSeconds, 'seconds'],
      ['induct_wait_p95', r.inductWaitP95Seconds, 'seconds'],
      ['max_induct_wait', r.maxInductWaitSeconds, 'seconds'],
      ['peak_hour_start', r.peakHour.startSeconds, 'seconds'],
      ['peak_hour_sorted_per_hour', r.peakHour.sortedPerHour, 'parcels per hour'],
      ['carrier_passes_per_hour', r.carrierPassesPerHour, 'carriers per hour'],
      ['arrived', c.arrived, 'parcels'],
      ['inducted', c.inducted, 'parcels'],
      ['sorted', c.sorted, 'parcels'],
      ['exception', c.exception, 'parcels'],
      ['no_read', c.noRead, 'parcels'],
      ['no_rule', c.noRule, 'parcels'],
      ['multi_read', c.multiRead, 'parcels'],
      ['no_chute', c.noChute, 'parcels'],
      ['recirculation_limit', c.recirculationLimit, 'parcels'],
      ['missorted', c.missorted, 'parcels'],
      ['recirculations', c.recirculations, 'retries'],
      ['failed_discharges', c.failedDischarges, 'failed discharges'],
      ['on_loop_at_end', c.onLoopAtEnd, 'parcels'],
      ['queued_at_end', c.queuedAtEnd, 'parcels'],
    ],
  );

  return [
    { name: 'summary.csv', text: summary },
    { name: 'series.csv', text: series },
    { name: 'inducts.csv', text: inducts },
    { name: 'chutes.csv', text: chutes },
    { name: 'destinations.csv', text: destinations },
    { name: 'chute-fill.csv', text: chuteFill },
  ];
}

/** The file names {@link renderCsvFiles} writes, in order. */
export const CSV_FILE_NAMES = [
  'summary.csv',
  'series.csv',
  'inducts.csv',
  'chutes.csv',
  'destinations.csv',
  'chute-fill.csv',
] as const;
