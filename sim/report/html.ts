import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SimReport } from './json.js';

const require = createRequire(import.meta.url);

/** Escapes text for HTML element content and attribute values. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c');
}

/**
 * A self-contained HTML report of a run (no network access needed to view it): the headline
 * figures, tables per induct and per chute, and charts drawn with uPlot (inlined): throughput over
 * time, induct queues, chute fill, recirculation.
 */
export function renderHtmlReport(r: SimReport, description = ''): string {
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const c = r.counts;
  const figures: [string, string][] = [
    ['sorted /h', Math.round(r.sortedPerHour).toLocaleString('en-US')],
    ['inducted /h', Math.round(r.inductedPerHour).toLocaleString('en-US')],
    ['recirculations per inducted', r.recirculationsPerInducted.toFixed(5)],
    [
      'peak hour sorted /h',
      `${Math.round(r.peakHour.sortedPerHour).toLocaleString('en-US')} (hour starting at ${(r.peakHour.startSeconds / 3600).toFixed(1)} h)`,
    ],
    [
      'mean induct wait',
      `${r.meanInductWaitSeconds.toFixed(2)} s (95 % under ${r.inductWaitP95Seconds.toFixed(0)} s, longest ${r.maxInductWaitSeconds.toFixed(0)} s)`,
    ],
    ['arrived', c.arrived.toLocaleString('en-US')],
    ['sorted', c.sorted.toLocaleString('en-US')],
    [
      'exception',
      `${c.exception.toLocaleString('en-US')} (sent there: no-read ${c.noRead}, no-rule ${c.noRule}, multi-read ${c.multiRead}, no chute ${c.noChute}, limit ${c.recirculationLimit})`,
    ],
    ['queued / on loop at end', `${c.queuedAtEnd} / ${c.onLoopAtEnd}`],
  ];
  const inductRows = r.perInduct
    .map(
      (i) =>
        `<tr><td>${esc(i.id)}</td><td>${i.position}</td><td>${i.inducted}</td><td>${Math.round(i.inductedPerHour)}</td><td>${i.meanWaitSeconds.toFixed(2)}</td><td>${i.queuedAtEnd}</td></tr>`,
    )
    .join('');
  const chuteRows = r.perChute
    .map(
      (x) =>
        `<tr><td>${esc(x.id)}</td><td>${x.position}</td><td>${esc(x.destination)}</td><td>${x.received}</td><td>${x.fullSeconds.toFixed(1)}</td>` +
        `<td>${x.destination === 'exception' ? '' : `${Math.round(x.operatorUtilization * 100)} %`}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Sortline simulation: ${esc(r.scenario)} (seed ${r.seed})</title>
<style>${uplotCss}
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:8px 0 24px}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.figures td:nth-child(2){font-weight:600}
.chart{margin:8px 0 24px}h2{margin-top:32px}p.desc{white-space:pre-wrap;color:#555}
</style></head><body>
<h1>${esc(r.scenario)}</h1>
<p>Seed ${r.seed}; ${(r.simulatedSeconds / 3600).toFixed(1)} h simulated${r.warmupSeconds > 0 ? `, first ${(r.warmupSeconds / 3600).toFixed(1)} h warm-up excluded from rates` : ''}; engine ${r.wallSeconds.toFixed(3)} s wall.</p>
${description ? `<p class="desc">${esc(description)}</p>` : ''}
<table class="figures">${figures.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>Throughput over time</h2><div class="chart" id="throughput"></div>
<h2>Induct queues</h2><div class="chart" id="queues"></div>
<h2>Chute fill</h2><div class="chart" id="fill"></div>
<h2>Recirculation</h2><div class="chart" id="recirculation"></div>
<h2>Inducts</h2>
<table><tr><th>induct</th><th>position</th><th>inducted</th><th>per hour</th><th>mean wait s</th><th>queued at end</th></tr>${inductRows}</table>
<h2>Chutes</h2>
<table><tr><th>chute</th><th>position</th><th>destination</th><th>received</th><th>full s</th><th>operator busy</th></tr>${chuteRows}</table>
<script>${uplotJs}</script>
<script>
const report = ${scriptJson({ series: r.series, inducts: r.perInduct.map((i) => i.id) })};
const s = report.series;
const hours = s.time.map((t) => t / 3600);
const palette = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
function chart(id, title, yLabel, names, data) {
  const el = document.getElementById(id);
  const opts = {
    title, width: Math.min(1150, window.innerWidth - 48), height: 280,
    scales: { x: { time: false } },
    axes: [{ label: 'simulated hour' }, { label: yLabel }],
    series: [{ label: 'hour' }, ...names.map((n, i) => ({ label: n, stroke: palette[i % palette.length], width: 1.5 }))],
  };
  new uPlot(opts, [hours, ...data], el);
}
chart('throughput', 'Parcels per hour', '/h', ['arrived', 'inducted', 'sorted', 'exception'],
  [s.arrivedPerHour, s.inductedPerHour, s.sortedPerHour, s.exceptionPerHour]);
chart('queues', 'Parcels waiting per induct', 'parcels', report.inducts, s.inductQueues);
chart('fill', 'Destination chutes', 'parcels / chutes', ['mean fill', 'full chutes'], [s.meanChuteFill, s.fullChutes]);
chart('recirculation', 'Recirculations and parcels on the loop', 'per hour / parcels', ['recirculations /h', 'on loop'], [s.recirculationsPerHour, s.onLoop]);
</script>
</body></html>
`;
}
