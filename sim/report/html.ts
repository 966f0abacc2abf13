import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { clockStartSeconds, formatClock, formatDuration } from './clock.js';
import type { SimReport } from './json.js';

const require = createRequire(import.meta.url);

/** Escapes text for HTML element content and attribute values. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element (no `<`, so no `</script>` or `<!--`). */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c');
}

/** The unit of a chart axis; each axis carries exactly one. */
export type ChartUnit = 'per hour' | 'parcels' | 'share of capacity' | 'chutes';

/** One y axis of a chart: a uPlot scale with one unit. */
export interface ChartAxis {
  /** uPlot scale key. */
  scale: string;
  unit: ChartUnit;
  /** Axis title. */
  label: string;
  /** Left or right of the plot. */
  side: 'left' | 'right';
}

/** One line of a chart. */
export interface ChartSeries {
  name: string;
  /** The axis (scale key) it is drawn on. */
  scale: string;
  /** One value per series interval (same length as `ReportPageData.x`). */
  values: number[];
  /** Mean of the values of the intervals after warm-up (all intervals when there is no warm-up). */
  mean: number;
  /** Value of the last interval. */
  last: number;
  /** The legend text, shown without hovering: name, mean and last value with their unit. */
  legend: string;
}

/** One chart of the page. */
export interface ChartSpec {
  id: string;
  title: string;
  axes: ChartAxis[];
  series: ChartSeries[];
}

/**
 * The data embedded in the page (`<script type="application/json" id="sortline-report">`), from
 * which its inline script draws the charts and the heat strip. x values are clock seconds: seconds
 * after midnight of the start day (the scenario's `startTime` plus simulated seconds; a value
 * beyond 86,400 is on a following day).
 */
export interface ReportPageData {
  scenario: string;
  seed: number;
  startTime: string;
  /** Clock seconds of simulated second 0. */
  startClockSeconds: number;
  /** Clock seconds where the warm-up ends (= startClockSeconds without warm-up). */
  warmupEndClockSeconds: number;
  /** Clock seconds of each series interval's end. */
  x: number[];
  charts: ChartSpec[];
  /** Fill ÷ capacity per destination chute per interval (the heat strip). */
  heat: {
    /** Clock seconds of each column's end. */
    x: number[];
    intervalSeconds: number;
    chutes: string[];
    /** share[j][h] of chute j at the end of column h, 0 to 1. */
    share: number[][];
  };
}

const UNIT_SUFFIX: Record<ChartUnit, string> = {
  'per hour': ' /h',
  parcels: ' parcels',
  'share of capacity': ' of capacity',
  chutes: ' chutes',
};

/** A value with its unit for a legend: rates to the parcel, shares in %, counts to 0.1. */
function formatValue(x: number, unit: ChartUnit): string {
  if (unit === 'share of capacity') return `${(x * 100).toFixed(1)} %${UNIT_SUFFIX[unit]}`;
  if (unit === 'per hour') return Math.round(x).toLocaleString('en-US') + UNIT_SUFFIX[unit];
  const v = Math.abs(x - Math.round(x)) < 1e-9 ? String(Math.round(x)) : x.toFixed(1);
  return v + UNIT_SUFFIX[unit];
}

/**
 * The charts of the page, with their means after warm-up and last values (the legend shows them
 * without hovering). Each axis has one unit: rates, parcels, shares of capacity and chute counts
 * never share an axis.
 */
export function buildCharts(r: SimReport): ChartSpec[] {
  const s = r.series;
  const firstInWindow = s.time.findIndex((t) => t > r.warmupSeconds);
  const from = firstInWindow < 0 ? 0 : firstInWindow;
  const line = (name: string, axis: ChartAxis, values: number[]): ChartSeries => {
    const window = values.slice(from);
    const mean = window.length > 0 ? window.reduce((a, b) => a + b, 0) / window.length : 0;
    const last = values.length > 0 ? values[values.length - 1]! : 0;
    return {
      name,
      scale: axis.scale,
      values,
      mean,
      last,
      legend: `${name}: mean ${formatValue(mean, axis.unit)}${r.warmupSeconds > 0 ? ' after warm-up' : ''}, last ${formatValue(last, axis.unit)}`,
    };
  };
  const rate: ChartAxis = {
    scale: 'rate',
    unit: 'per hour',
    label: 'parcels per hour',
    side: 'left',
  };
  const parcels: ChartAxis = { scale: 'parcels', unit: 'parcels', label: 'parcels', side: 'left' };
  const share: ChartAxis = {
    scale: 'share',
    unit: 'share of capacity',
    label: 'fill, share of capacity',
    side: 'left',
  };
  const chutes: ChartAxis = {
    scale: 'chutes',
    unit: 'chutes',
    label: 'full chutes',
    side: 'right',
  };
  const onLoop: ChartAxis = { ...parcels, label: 'parcels on the loop', side: 'right' };
  return [
    {
      id: 'throughput',
      title: 'Parcels per hour',
      axes: [rate],
      series: [
        line('arrived', rate, s.arrivedPerHour),
        line('inducted', rate, s.inductedPerHour),
        line('sorted', rate, s.sortedPerHour),
        line('exception', rate, s.exceptionPerHour),
      ],
    },
    {
      id: 'queues',
      title: 'Parcels waiting per induct',
      axes: [parcels],
      series: r.perInduct.map((ind, i) => line(ind.id, parcels, s.inductQueues[i] ?? [])),
    },
    {
      id: 'fill',
      title: 'Destination chutes: mean fill (share of capacity) and full chutes',
      axes: [share, chutes],
      series: [
        line('mean fill', share, s.meanChuteFillShare),
        line('full chutes', chutes, s.fullChutes),
      ],
    },
    {
      id: 'recirculation',
      title: 'Recirculations, failed discharges and parcels on the loop',
      axes: [rate, onLoop],
      series: [
        line('recirculations', rate, s.recirculationsPerHour),
        line('failed discharges', rate, s.failedDischargesPerHour),
        line('on the loop', onLoop, s.onLoop),
      ],
    },
  ];
}

/** The data the page embeds (see {@link ReportPageData}). */
export function buildPageData(r: SimReport): ReportPageData {
  const start = clockStartSeconds(r.startTime);
  return {
    scenario: r.scenario,
    seed: r.seed,
    startTime: r.startTime,
    startClockSeconds: start,
    warmupEndClockSeconds: start + r.warmupSeconds,
    x: r.series.time.map((t) => start + t),
    charts: buildCharts(r),
    heat: {
      x: r.chuteFill.time.map((t) => start + t),
      intervalSeconds: r.chuteFill.intervalSeconds,
      chutes: r.chuteFill.chutes,
      share: r.chuteFill.share,
    },
  };
}

/** A sortable table: `data-v` holds a numeric cell's value, so sorting is by number. */
function sortableTable(
  id: string,
  head: { text: string; numeric?: boolean }[],
  rows: (string | number | { text: string; value: number })[][],
): string {
  const th = head
    .map(
      (h) =>
        `<th data-type="${h.numeric ? 'number' : 'text'}" aria-sort="none" tabindex="0">${esc(h.text)}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (r) =>
        '<tr>' +
        r
          .map((c) => {
            if (typeof c === 'number') return `<td data-v="${c}">${esc(String(c))}</td>`;
            if (typeof c === 'string') return `<td>${esc(c)}</td>`;
            return `<td data-v="${c.value}">${esc(c.text)}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('');
  return `<table class="sortable" id="${id}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const pct = (x: number) => ({ text: `${(x * 100).toFixed(1)} %`, value: x });
const int = (x: number) => ({ text: Math.round(x).toLocaleString('en-US'), value: x });

/**
 * The page's inline script: draws the charts (uPlot) and the heat strip from the embedded data and
 * shades the warm-up. Plain ES2017, no framework.
 */
const CHART_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('sortline-report').textContent);
  var palette = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(x, seconds) {
    var s = Math.floor(x + 1e-6), day = Math.floor(s / 86400), d = s - day * 86400;
    var t = pad(Math.floor(d / 3600)) + ':' + pad(Math.floor(d % 3600 / 60)) + (seconds ? ':' + pad(d % 60) : '');
    return day > 0 ? t + ' +' + day + 'd' : t;
  }
  function fmt(v, unit) {
    if (v == null) return '--';
    if (unit === 'share of capacity') return (v * 100).toFixed(1) + ' %';
    if (unit === 'per hour') return Math.round(v).toLocaleString('en-US') + ' /h';
    return (Math.abs(v - Math.round(v)) < 1e-9 ? String(Math.round(v)) : v.toFixed(1));
  }
  var clockIncrs = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
  function shadeWarmup(u) {
    if (data.warmupEndClockSeconds <= data.startClockSeconds) return;
    var ctx = u.ctx, l = u.valToPos(data.startClockSeconds, 'x', true);
    var r = u.valToPos(data.warmupEndClockSeconds, 'x', true);
    ctx.save();
    ctx.fillStyle = 'rgba(128,128,128,0.15)';
    ctx.fillRect(l, u.bbox.top, r - l, u.bbox.height);
    ctx.fillStyle = '#666';
    ctx.font = Math.round(11 * devicePixelRatio) + 'px system-ui,sans-serif';
    ctx.fillText('warm-up', l + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
    ctx.restore();
  }
  var width = Math.min(1150, window.innerWidth - 48);
  data.charts.forEach(function (c) {
    var unitOf = {};
    var axes = [{ label: 'clock time (from ' + data.startTime + ')', incrs: clockIncrs,
      values: function (u, splits) { return splits.map(function (x) { return clock(x, false); }); } }];
    var scales = { x: { time: false } };
    c.axes.forEach(function (a) {
      unitOf[a.scale] = a.unit;
      scales[a.scale] = a.unit === 'share of capacity' ? { range: [0, 1] } : {};
      var axis = { scale: a.scale, label: a.label, side: a.side === 'right' ? 1 : 3,
        grid: { show: a.side !== 'right' } };
      if (a.unit === 'share of capacity')
        axis.values = function (u, splits) { return splits.map(function (v) { return Math.round(v * 100) + ' %'; }); };
      axes.push(axis);
    });
    var series = [{ label: 'clock', value: function (u, v) { return v == null ? 'last interval' : clock(v, true); } }];
    c.series.forEach(function (s, i) {
      series.push({ label: s.legend, scale: s.scale, stroke: palette[i % palette.length], width: 1.5,
        value: function (u, v) { return v == null ? 'last ' + fmt(s.last, unitOf[s.scale]) : fmt(v, unitOf[s.scale]); } });
    });
    new uPlot({ title: c.title, width: width, height: 280, scales: scales, axes: axes, series: series,
      hooks: { drawClear: [shadeWarmup] } },
      [data.x].concat(c.series.map(function (s) { return s.values; })),
      document.getElementById(c.id));
  });

  // heat strip: one row per destination chute, one column per interval, colour = fill share
  (function heat() {
    var h = data.heat, canvas = document.getElementById('heat'), info = document.getElementById('heat-info');
    var rows = h.chutes.length, cols = h.x.length;
    if (!canvas || rows === 0 || cols === 0) return;
    var rowPx = Math.max(2, Math.min(8, Math.floor(480 / rows))), left = 70, bottom = 22;
    var plotW = width - left - 10;
    canvas.width = width; canvas.height = rows * rowPx + bottom;
    var ctx = canvas.getContext('2d');
    var stops = [[68,1,84],[59,82,139],[33,145,140],[94,201,98],[253,231,37]]; // viridis
    function colour(v) {
      var x = Math.max(0, Math.min(1, v)) * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
      var a = stops[i], b = stops[i + 1];
      return 'rgb(' + Math.round(a[0] + (b[0] - a[0]) * f) + ',' + Math.round(a[1] + (b[1] - a[1]) * f) + ',' + Math.round(a[2] + (b[2] - a[2]) * f) + ')';
    }
    var x0 = data.startClockSeconds, x1 = h.x[cols - 1];
    function px(x) { return left + (x - x0) / (x1 - x0) * plotW; }
    for (var j = 0; j < rows; j++) {
      for (var k = 0; k < cols; k++) {
        var a = px(k === 0 ? x0 : h.x[k - 1]), b = px(h.x[k]);
        ctx.fillStyle = colour(h.share[j][k]);
        ctx.fillRect(a, j * rowPx, Math.max(1, b - a + 0.5), rowPx);
      }
    }
    if (data.warmupEndClockSeconds > x0) {
      ctx.fillStyle = 'rgba(255,255,255,0.45)';
      ctx.fillRect(left, 0, px(data.warmupEndClockSeconds) - left, rows * rowPx);
    }
    ctx.fillStyle = '#222'; ctx.font = '11px system-ui,sans-serif';
    var every = Math.max(1, Math.ceil(12 / rowPx));
    for (var r = 0; r < rows; r += every) ctx.fillText(h.chutes[r], 2, r * rowPx + Math.min(rowPx, 10));
    var step = clockIncrs.find(function (s) { return (x1 - x0) / s <= 12; }) || 604800;
    for (var t = Math.ceil(x0 / step) * step; t <= x1; t += step) {
      ctx.fillRect(px(t), rows * rowPx, 1, 4);
      ctx.fillText(clock(t, false), px(t) - 14, rows * rowPx + 16);
    }
    canvas.addEventListener('mousemove', function (e) {
      var rect = canvas.getBoundingClientRect(), mx = e.clientX - rect.left, my = e.clientY - rect.top;
      var j = Math.floor(my / rowPx), x = x0 + (mx - left) / plotW * (x1 - x0);
      var k = h.x.findIndex(function (e) { return e >= x; });
      if (j < 0 || j >= rows || k < 0 || mx < left) { info.textContent = ''; return; }
      info.textContent = 'chute ' + h.chutes[j] + ', interval to ' + clock(h.x[k], false) + ': ' + (h.share[j][k] * 100).toFixed(1) + ' % of capacity';
    });
  })();
})();
`;

/**
 * The inline script that sorts a table (`table.sortable`) by the clicked column header (or Enter on
 * it): numbers by their `data-v`, text in natural order; a second click reverses; `aria-sort`
 * tells which way.
 */
const SORT_SCRIPT = String.raw`
(function () {
  function sortBy(th) {
    var table = th.closest('table'), col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute('data-type') === 'number';
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    table.querySelectorAll('th').forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.children);
    function key(row) {
      var td = row.children[col];
      return numeric ? Number(td.getAttribute('data-v')) : td.textContent;
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      return dir * (numeric ? (x === y ? 0 : x < y ? -1 : 1) : String(x).localeCompare(String(y), 'en', { numeric: true }));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll('table.sortable th').forEach(function (th) {
    th.addEventListener('click', function () { sortBy(th); });
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sortBy(th); });
  });
})();
`;

/**
 * A self-contained HTML report of a run (one page, no network access needed to view it): the
 * headline figures; charts drawn with uPlot (inlined) against clock time from the scenario's
 * `startTime`, the warm-up shaded, legends giving each line's mean after warm-up and last value:
 * throughput, induct queues, chute fill (share of capacity, full chutes on their own axis),
 * recirculations and failed discharges; a heat strip of each destination chute's fill share per
 * interval; tables per induct, per chute and per destination, sortable by clicking a column header.
 * The data behind the charts is embedded as JSON ({@link ReportPageData}).
 */
export function renderHtmlReport(r: SimReport, description = ''): string {
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const c = r.counts;
  const start = clockStartSeconds(r.startTime);
  const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
  const figures: [string, string][] = [
    ['sorted /h', n0(r.sortedPerHour)],
    ['inducted /h', n0(r.inductedPerHour)],
    [
      'recirculations per inducted',
      `${r.recirculationsPerInducted.toFixed(5)} (${n0(c.recirculations)} retries after a failed discharge)`,
    ],
    [
      'failed discharges per inducted',
      `${r.failedDischargesPerInducted.toFixed(5)} (${n0(c.failedDischarges)}: the recirculations and ${n0(c.failedDischarges - c.recirculations)} sent on to the exception chute)`,
    ],
    [
      'peak hour sorted /h',
      `${n0(r.peakHour.sortedPerHour)} (hour from ${formatClock(start, r.peakHour.startSeconds)})`,
    ],
    [
      'mean induct wait',
      `${formatDuration(r.meanInductWaitSeconds)} (95th percentile ${formatDuration(r.inductWaitP95Seconds)}, longest ${formatDuration(r.maxInductWaitSeconds)})`,
    ],
    ['arrived', n0(c.arrived)],
    ['sorted', n0(c.sorted)],
    [
      'exception',
      `${n0(c.exception)} (sent there: no-read ${c.noRead}, no-rule ${c.noRule}, multi-read ${c.multiRead}, no chute ${c.noChute}, limit ${c.recirculationLimit})`,
    ],
    ['queued / on loop at end', `${c.queuedAtEnd} / ${c.onLoopAtEnd}`],
  ];
  const inducts = sortableTable(
    'inducts',
    [
      { text: 'induct' },
      { text: 'position', numeric: true },
      { text: 'inducted', numeric: true },
      { text: 'per hour', numeric: true },
      { text: 'mean wait s', numeric: true },
      { text: 'queued at end', numeric: true },
      { text: 'slots given', numeric: true },
    ],
    r.perInduct.map((i) => [
      i.id,
      i.position,
      int(i.inducted),
      int(i.inductedPerHour),
      { text: i.meanWaitSeconds.toFixed(2), value: i.meanWaitSeconds },
      int(i.queuedAtEnd),
      int(i.slotsGiven),
    ]),
  );
  const chutes = sortableTable(
    'chutes',
    [
      { text: 'chute' },
      { text: 'position', numeric: true },
      { text: 'destination' },
      { text: 'capacity', numeric: true },
      { text: 'received', numeric: true },
      { text: 'full s', numeric: true },
      { text: 'mean fill', numeric: true },
      { text: 'operator busy', numeric: true },
    ],
    r.perChute.map((x) => {
      const exception = x.destination === 'exception';
      return [
        x.id,
        x.position,
        x.destination,
        x.capacity === null ? { text: 'unlimited', value: Infinity } : int(x.capacity),
        int(x.received),
        { text: x.fullSeconds.toFixed(1), value: x.fullSeconds },
        exception ? { text: '', value: -1 } : pct(x.meanFillShare),
        exception ? { text: '', value: -1 } : pct(x.operatorUtilization),
      ];
    }),
  );
  const sortedTotal = c.sorted;
  const destinations = sortableTable(
    'destinations',
    [
      { text: 'destination' },
      { text: 'chutes' },
      { text: 'mix share', numeric: true },
      { text: 'sorted', numeric: true },
      { text: 'sorted share', numeric: true },
      { text: 'sorted /h', numeric: true },
    ],
    r.perDestination.map((d) => [
      d.id,
      d.chutes,
      pct(d.mixShare),
      int(d.sorted),
      pct(sortedTotal > 0 ? d.sorted / sortedTotal : 0),
      int(d.sortedPerHour),
    ]),
  );
  const data = buildPageData(r);
  const end = formatClock(start, r.simulatedSeconds);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Sortline simulation: ${esc(r.scenario)} (seed ${r.seed})</title>
<style>${uplotCss}
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:8px 0 24px}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.figures td:nth-child(2){font-weight:600}
table.sortable th{cursor:pointer;user-select:none}table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
.chart{margin:8px 0 24px}h2{margin-top:32px}p.desc{white-space:pre-wrap;color:#555}
.u-legend .u-series{display:block;text-align:left}#heat-info{min-height:1.4em;color:#555}
</style></head><body>
<h1>${esc(r.scenario)}</h1>
<p>Seed ${r.seed}; ${(r.simulatedSeconds / 3600).toFixed(1)} h simulated, ${esc(r.startTime)} to ${esc(end)}${r.warmupSeconds > 0 ? `; the first ${(r.warmupSeconds / 3600).toFixed(1)} h (to ${esc(formatClock(start, r.warmupSeconds))}) are warm-up, shaded in the charts and excluded from rates` : ''}; engine ${r.wallSeconds.toFixed(3)} s wall.</p>
${description ? `<p class="desc">${esc(description)}</p>` : ''}
<table class="figures">${figures.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>Throughput over time</h2><div class="chart" id="throughput"></div>
<h2>Induct queues</h2><div class="chart" id="queues"></div>
<h2>Chute fill</h2><div class="chart" id="fill"></div>
<h2>Chute fill per chute</h2>
<p>One row per destination chute, one column per ${r.chuteFill.intervalSeconds >= 3600 ? `${r.chuteFill.intervalSeconds / 3600} h` : `${r.chuteFill.intervalSeconds / 60} min`}: fill as a share of capacity at the interval's end, from empty (dark) to full (yellow)${r.warmupSeconds > 0 ? '; the warm-up is paled' : ''}.</p>
<canvas id="heat"></canvas><div id="heat-info"></div>
<h2>Recirculation</h2><div class="chart" id="recirculation"></div>
<h2>Inducts</h2>
${inducts}
<h2>Chutes</h2>
${chutes}
<h2>Destinations</h2>
${destinations}
<p>Click a column header to sort a table; click again to reverse.</p>
<script type="application/json" id="sortline-report">${scriptJson(data)}</script>
<script>${uplotJs}</script>
<script id="sortline-charts">${CHART_SCRIPT}</script>
<script id="sortline-sort">${SORT_SCRIPT}</script>
</body></html>
`;
}
