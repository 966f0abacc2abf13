import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtmlReport, type ReportPageData } from '../../../sim/report/html.js';
import type { SimReport } from '../../../sim/report/json.js';
import { readScenario, simulateDoc, simulateFile } from '../helpers.js';

const windows: Window[] = [];
afterAll(async () => {
  for (const w of windows) await w.happyDOM.close();
});

/** Parses the page without running its scripts. */
function parsePage(html: string) {
  const window = new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      navigation: { disableMainFrameNavigation: true, disableChildFrameNavigation: true },
    },
  });
  windows.push(window);
  const document = window.document;
  document.write(html);
  const json = document.getElementById('sortline-report')!;
  const data = JSON.parse(json.textContent) as ReportPageData;
  return { window, document, data };
}

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;

describe('the HTML report (simulate --report FILE.html)', () => {
  const jiangsu = simulateFile('jiangsu-outbound-hub.json');
  const html = renderHtmlReport(jiangsu, 'a description with <markup> & "quotes"');
  const page = parsePage(html);
  const { document, data } = page;

  it('is one self-contained page: no external script, style, image or link; uPlot inlined; every script compiles', () => {
    for (const el of document.querySelectorAll('script[src], link[href], img[src], iframe'))
      throw new Error(`external resource: ${el.outerHTML}`);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    const scripts = [...document.querySelectorAll('script')];
    expect(scripts.some((s) => s.textContent.includes('uPlot'))).toBe(true);
    for (const s of scripts) {
      if (s.getAttribute('type') === 'application/json') continue;
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a syntax check, never called
      expect(() => new Function(s.textContent)).not.toThrow();
    }
    expect(document.querySelector('p.desc')!.textContent).toBe(
      'a description with <markup> & "quotes"',
    );
  });

  it('charts run on the clock from the scenario start (16:00), the warm-up marked to be shaded', () => {
    expect(data.startTime).toBe('16:00');
    expect(data.startClockSeconds).toBe(16 * 3600);
    expect(data.warmupEndClockSeconds).toBe(16 * 3600 + 1800);
    expect(data.x).toEqual(jiangsu.series.time.map((t) => 16 * 3600 + t));
    expect(data.x[data.x.length - 1]).toBe(26 * 3600); // 02:00 the next day
    const charts = document.getElementById('sortline-charts')!.textContent;
    expect(charts).toContain('shadeWarmup');
    expect(charts).toContain('data.warmupEndClockSeconds');
    expect(document.body.textContent).toMatch(/16:00 to 02:00 \+1d/);
    expect(document.body.textContent).toMatch(/to 16:30\) are warm-up, shaded/);
  });

  it('no axis carries two units; chute fill is a share of capacity on its own axis', () => {
    const ids = data.charts.map((c) => c.id);
    expect(ids).toEqual(['throughput', 'queues', 'fill', 'recirculation']);
    for (const c of data.charts) {
      expect(document.getElementById(c.id), c.id).not.toBeNull();
      const scales = c.axes.map((a) => a.scale);
      expect(new Set(scales).size).toBe(scales.length);
      expect(new Set(c.axes.map((a) => a.unit)).size).toBe(c.axes.length); // one unit per axis
      for (const s of c.series) {
        expect(scales).toContain(s.scale);
        expect(s.values.length).toBe(data.x.length);
      }
    }
    const fill = data.charts.find((c) => c.id === 'fill')!;
    const shareAxis = fill.axes.find((a) => a.unit === 'share of capacity')!;
    const fillSeries = fill.series.filter((s) => s.scale === shareAxis.scale);
    expect(fillSeries.map((s) => s.name)).toEqual(['mean fill']);
    expect(fillSeries[0]!.values).toEqual(jiangsu.series.meanChuteFillShare);
    for (const v of fillSeries[0]!.values) expect(v).toBeLessThanOrEqual(1);
    const full = fill.series.find((s) => s.name === 'full chutes')!;
    expect(fill.axes.find((a) => a.scale === full.scale)!.unit).toBe('chutes');
    const rec = data.charts.find((c) => c.id === 'recirculation')!;
    const unitOf = (name: string) =>
      rec.axes.find((a) => a.scale === rec.series.find((s) => s.name === name)!.scale)!.unit;
    expect(unitOf('recirculations')).toBe('per hour');
    expect(unitOf('failed discharges')).toBe('per hour');
    expect(unitOf('on the loop')).toBe('parcels');
  });

  it('legends give each line its mean after warm-up and last value, without hovering', () => {
    const window = jiangsu.series.time.map((t) => t > jiangsu.warmupSeconds);
    for (const c of data.charts) {
      for (const s of c.series) {
        const inWindow = s.values.filter((_, b) => window[b]);
        expect(s.mean).toBeCloseTo(mean(inWindow), 9);
        expect(s.last).toBe(s.values[s.values.length - 1]);
        expect(s.legend.startsWith(`${s.name}: mean `)).toBe(true);
        expect(s.legend).toContain('after warm-up');
      }
    }
    const sorted = data.charts[0]!.series.find((s) => s.name === 'sorted')!;
    const expected = Math.round(mean(jiangsu.series.sortedPerHour.filter((_, b) => window[b])));
    expect(sorted.legend).toContain(`mean ${expected.toLocaleString('en-US')} /h`);
    const share = data.charts.find((c) => c.id === 'fill')!.series[0]!;
    expect(share.legend).toMatch(
      /^mean fill: mean \d+\.\d % of capacity after warm-up, last \d+\.\d % of capacity$/,
    );
    // the page's legend shows the last value when the cursor is off the chart
    expect(document.getElementById('sortline-charts')!.textContent).toContain(
      "'last ' + fmt(s.last",
    );
  });

  it('a heat strip: fill share per destination chute per interval', () => {
    expect(document.querySelector('canvas#heat')).not.toBeNull();
    const h = data.heat;
    const destinationChutes = jiangsu.perChute.filter((c) => c.destination !== 'exception');
    expect(h.chutes).toEqual(destinationChutes.map((c) => c.id));
    expect(h.share.length).toBe(h.chutes.length);
    expect(h.x).toEqual(jiangsu.chuteFill.time.map((t) => 16 * 3600 + t));
    for (const row of h.share) {
      expect(row.length).toBe(h.x.length);
      for (const v of row) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    h.x.forEach((_, b) => {
      expect(mean(h.share.map((r) => r[b]!))).toBeCloseTo(jiangsu.series.meanChuteFillShare[b]!, 3);
    });
  });

  it('tables per induct, per chute and per destination, with a value behind every numeric cell', () => {
    const rows = (id: string) => [...document.querySelectorAll(`table#${id} tbody tr`)];
    expect(rows('inducts').length).toBe(jiangsu.perInduct.length);
    expect(rows('chutes').length).toBe(jiangsu.perChute.length);
    expect(rows('destinations').length).toBe(jiangsu.perDestination.length);
    for (const id of ['inducts', 'chutes', 'destinations']) {
      const table = document.getElementById(id)!;
      expect(table.classList.contains('sortable')).toBe(true);
      const heads = [...table.querySelectorAll('thead th')];
      for (const tr of rows(id)) {
        const cells = [...tr.querySelectorAll('td')];
        expect(cells.length).toBe(heads.length);
        heads.forEach((th, j) => {
          if (th.getAttribute('data-type') === 'number')
            expect(Number.isNaN(Number(cells[j]!.getAttribute('data-v')))).toBe(false);
        });
      }
    }
    const dest = jiangsu.perDestination.find((d) => d.id === 'shanghai')!;
    const tr = rows('destinations').find((r) => r.querySelector('td')!.textContent === 'shanghai')!;
    const cells = [...tr.querySelectorAll('td')];
    expect(cells[1]!.textContent).toBe(dest.chutes);
    expect(Number(cells[3]!.getAttribute('data-v'))).toBe(dest.sorted);
    expect(Number(cells[5]!.getAttribute('data-v'))).toBe(dest.sortedPerHour);
  });

  it('clicking a column header sorts its table, numbers by value; a second click reverses', () => {
    const { window: w, document: doc } = parsePage(html);
    const sortScript = doc.getElementById('sortline-sort')!.textContent;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the page's own script
    new Function('document', sortScript)(doc);
    const table = doc.getElementById('destinations')!;
    const th = [...table.querySelectorAll('thead th')];
    const sortedCol = th.findIndex((x) => x.textContent === 'sorted');
    const values = () =>
      [...table.querySelectorAll('tbody tr')].map((tr) =>
        Number(tr.querySelectorAll('td')[sortedCol]!.getAttribute('data-v')),
      );
    const before = values();
    th[sortedCol]!.dispatchEvent(new w.MouseEvent('click', { bubbles: true }));
    const up = [...before].sort((a, b) => a - b);
    expect(values()).toEqual(up);
    expect(th[sortedCol]!.getAttribute('aria-sort')).toBe('ascending');
    th[sortedCol]!.dispatchEvent(new w.MouseEvent('click', { bubbles: true }));
    expect(values()).toEqual([...up].reverse());
    expect(th[sortedCol]!.getAttribute('aria-sort')).toBe('descending');
    // text columns sort in natural order (C2 before C10)
    const chutes = doc.getElementById('chutes')!;
    chutes.querySelector('thead th')!.dispatchEvent(new w.MouseEvent('click', { bubbles: true }));
    const ids = [...chutes.querySelectorAll('tbody tr')].map(
      (tr) => tr.querySelector('td')!.textContent,
    );
    expect(ids).toEqual([...ids].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(ids).not.toEqual(jiangsu.perChute.map((c) => c.id).reverse());
  });

  it('the figures give recirculations and failed discharges with their rates and the waits in clock units', () => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 1;
    doc.operators.handlingSeconds = { distribution: 'exponential', mean: 60 };
    const r: SimReport = simulateDoc(doc);
    const p = parsePage(renderHtmlReport(r));
    const figures = new Map(
      [...p.document.querySelectorAll('table.figures tr')].map((tr) => {
        const [k, v] = [...tr.querySelectorAll('td')].map((td) => td.textContent);
        return [k!, v!];
      }),
    );
    const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
    expect(figures.get('recirculations per inducted')).toBe(
      `${r.recirculationsPerInducted.toFixed(5)} (${n0(r.counts.recirculations)} retries after a failed discharge)`,
    );
    expect(figures.get('failed discharges per inducted')).toMatch(
      new RegExp(
        `^${r.failedDischargesPerInducted.toFixed(5)} \\(${n0(r.counts.failedDischarges)}: `,
      ),
    );
    expect(r.counts.failedDischarges).toBeGreaterThan(r.counts.recirculations);
    expect(p.data.startTime).toBe('00:00'); // the default start
    expect(p.data.warmupEndClockSeconds).toBe(p.data.startClockSeconds); // no warm-up to shade
    const rec = p.data.charts.find((c) => c.id === 'recirculation')!;
    expect(rec.series.find((s) => s.name === 'failed discharges')!.values).toEqual(
      r.series.failedDischargesPerHour,
    );
  });
});
