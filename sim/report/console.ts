import { clockStartSeconds, formatClock, formatDuration } from './clock.js';
import type { SimReport } from './json.js';

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const n1 = (x: number) =>
  x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function table(head: string[], rows: (string | number)[][], align: ('l' | 'r')[]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  return cells
    .map(
      (r) =>
        '  ' +
        r
          .map((c, j) => (align[j] === 'r' ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

/**
 * The console summary of a run: headline figures, conservation check, per-induct table and the
 * busiest chutes. Plain text, fits 100 columns.
 */
export function formatSummary(r: SimReport, top = 10): string {
  const c = r.counts;
  const hours = r.simulatedSeconds / 3600;
  const warm = r.warmupSeconds / 3600;
  const start = clockStartSeconds(r.startTime);
  const conserved =
    c.arrived === c.inducted + c.queuedAtEnd &&
    c.inducted === c.sorted + c.exception + c.onLoopAtEnd &&
    r.perChute.reduce((s, x) => s + x.received, 0) === c.sorted + c.exception;
  const out: string[] = [];
  out.push(
    `Sortline simulate: ${r.scenario} (seed ${r.seed}, ${n1(hours)} h simulated from ${r.startTime}${warm > 0 ? `, ${n1(warm)} h warm-up` : ''}) in ${r.wallSeconds.toFixed(3)} s wall, ${n0(r.parcelsPerWallSecond)} parcels/s`,
  );
  out.push('');
  out.push(
    table(
      ['figure', 'value', 'note'],
      [
        ['sorted /h', n0(r.sortedPerHour), 'to destination chutes, mean after warm-up'],
        ['inducted /h', n0(r.inductedPerHour), ''],
        [
          'recirculations per inducted',
          r.recirculationsPerInducted.toFixed(5),
          `${n0(c.recirculations)} in all: retries after a failed discharge`,
        ],
        [
          'failed discharges per inducted',
          r.failedDischargesPerInducted.toFixed(5),
          `${n0(c.failedDischarges)} in all: recirculations + ${n0(c.failedDischarges - c.recirculations)} sent on to exception`,
        ],
        [
          'peak hour sorted /h',
          n0(r.peakHour.sortedPerHour),
          `hour from ${formatClock(start, r.peakHour.startSeconds)} (${n1(r.peakHour.startSeconds / 3600)} h in); ${n0(r.peakHour.arrivedPerHour)} arrived /h then`,
        ],
        [
          'mean induct wait',
          formatDuration(r.meanInductWaitSeconds),
          `95th percentile ${formatDuration(r.inductWaitP95Seconds)}, longest ${formatDuration(r.maxInductWaitSeconds)}`,
        ],
        ['arrived', n0(c.arrived), `queued at end ${n0(c.queuedAtEnd)}`],
        ['inducted', n0(c.inducted), `on the loop at end ${n0(c.onLoopAtEnd)}`],
        [
          'sorted',
          n0(c.sorted),
          c.missorted > 0 ? `${n0(c.missorted)} to a wrong destination` : '',
        ],
        [
          'exception',
          n0(c.exception),
          `discharged; sent there: no-read ${n0(c.noRead)}, no-rule ${n0(c.noRule)}, multi-read ${n0(c.multiRead)}, no chute ${n0(c.noChute)}, limit ${n0(c.recirculationLimit)}`,
        ],
        [
          'conservation',
          conserved ? 'holds' : 'BROKEN',
          'arrived = inducted + queued; inducted = sorted + exception + on loop',
        ],
      ],
      ['l', 'r', 'l'],
    ),
  );
  out.push('');
  out.push(
    table(
      ['induct', 'position', 'inducted', 'per hour', 'mean wait s', 'queued at end'],
      r.perInduct.map((i) => [
        i.id,
        i.position,
        n0(i.inducted),
        n0(i.inductedPerHour),
        i.meanWaitSeconds.toFixed(2),
        n0(i.queuedAtEnd),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  out.push('');
  const busiest = [...r.perChute]
    .sort((a, b) => b.received - a.received || a.id.localeCompare(b.id))
    .slice(0, top);
  const idle = r.perChute.filter((x) => x.destination !== 'exception' && x.received === 0).length;
  out.push(
    `  busiest ${busiest.length} of ${r.perChute.length} chutes${idle > 0 ? ` (${idle} destination chutes received nothing)` : ''}:`,
  );
  out.push(
    table(
      ['chute', 'destination', 'received', 'full s', 'operator busy'],
      busiest.map((x) => [
        x.id,
        x.destination.length > 40 ? x.destination.slice(0, 39) + '…' : x.destination,
        n0(x.received),
        n1(x.fullSeconds),
        x.destination === 'exception' ? '' : `${Math.round(x.operatorUtilization * 100)} %`,
      ]),
      ['l', 'l', 'r', 'r', 'r'],
    ),
  );
  return out.join('\n') + '\n';
}
