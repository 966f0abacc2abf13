import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_FILE_NAMES, renderCsvFiles, type CsvFile } from '../../../sim/report/csv.js';
import type { SimReport } from '../../../sim/report/json.js';
import { readScenario, simulateDoc, simulateFile } from '../helpers.js';

/** Parses one file strictly (RFC 4180: quotes, equal column counts) into header and rows. */
function table(f: CsvFile): { header: string[]; rows: Record<string, string>[] } {
  const records: string[][] = parse(f.text, {
    relax_column_count: false,
    record_delimiter: '\r\n',
  });
  const [header, ...rest] = records;
  return {
    header: header!,
    rows: rest.map((r) => Object.fromEntries(header!.map((h, j) => [h, r[j]!]))),
  };
}

const byName = (files: CsvFile[], name: string) => table(files.find((f) => f.name === name)!);
const num = (s: string | undefined) => Number(s);

/** A column name carries its unit or says what it counts. */
const UNIT =
  /(_per_hour|_seconds|_share|_parcels|_clock|_clock_day|_chutes|_per_inducted|^position|^in_warmup|^slots_given|^chute|^induct|^destination|^chutes|^figure|^value|^unit|_parcels_.+)$/;

describe('CSV tables (simulate --csv DIR)', () => {
  const jiangsu = simulateFile('jiangsu-outbound-hub.json', { hours: 10 });
  const files = renderCsvFiles(jiangsu);

  it('writes the six files, each RFC 4180 with a header row, CRLF line ends and units in the column names', () => {
    expect(files.map((f) => f.name)).toEqual([...CSV_FILE_NAMES]);
    for (const f of files) {
      expect(f.text.endsWith('\r\n')).toBe(true);
      expect(f.text.replace(/\r\n/g, '')).not.toMatch(/\n/); // no bare LF outside quoted fields here
      const { header, rows } = table(f);
      expect(rows.length).toBeGreaterThan(0);
      for (const h of header) expect(h, `${f.name}: ${h}`).toMatch(UNIT);
    }
  });

  it('series.csv: one row per interval, simulated seconds and clock time from the scenario start (16:00), past midnight on day 1', () => {
    const { header, rows } = byName(files, 'series.csv');
    const s = jiangsu.series;
    expect(rows.length).toBe(s.time.length);
    expect(header).toContain('sorted_per_hour');
    expect(header).toContain('failed_discharges_per_hour');
    expect(header).toContain('mean_chute_fill_share');
    expect(header).toEqual(
      expect.arrayContaining(jiangsu.perInduct.map((i) => `queued_parcels_${i.id}`)),
    );
    expect(rows[0]).toMatchObject({
      start_seconds: '0',
      end_seconds: '60',
      start_clock_day: '0',
      start_clock: '16:00:00',
      end_clock: '16:01:00',
      in_warmup: '1',
    });
    const midnight = rows.find((r) => r.start_seconds === String(8 * 3600))!;
    expect(midnight).toMatchObject({ start_clock_day: '1', start_clock: '00:00:00' });
    const last = rows[rows.length - 1]!;
    expect(last).toMatchObject({ end_seconds: '36000', end_clock_day: '1', end_clock: '02:00:00' });
    expect(rows.filter((r) => r.in_warmup === '1').length).toBe(30); // 0.5 h of minutes
    rows.forEach((r, b) => {
      expect(num(r.sorted_per_hour)).toBe(s.sortedPerHour[b]);
      expect(num(r.queued_parcels)).toBe(s.queued[b]);
      expect(num(r.mean_chute_fill_share)).toBe(s.meanChuteFillShare[b]);
      expect(num(r[`queued_parcels_${jiangsu.perInduct[2]!.id}`])).toBe(s.inductQueues[2]![b]);
    });
    const sorted = rows.reduce((a, r) => a + num(r.sorted_per_hour), 0) / 60;
    expect(sorted).toBeCloseTo(jiangsu.counts.sorted, 6);
  });

  it('inducts.csv, chutes.csv and destinations.csv hold the report tables', () => {
    const inducts = byName(files, 'inducts.csv').rows;
    expect(inducts.map((r) => r.induct)).toEqual(jiangsu.perInduct.map((i) => i.id));
    expect(inducts.map((r) => num(r.mean_wait_seconds))).toEqual(
      jiangsu.perInduct.map((i) => i.meanWaitSeconds),
    );
    const chutes = byName(files, 'chutes.csv').rows;
    expect(chutes.length).toBe(jiangsu.perChute.length);
    const x2 = chutes.find((r) => r.chute === 'X2')!;
    expect(x2).toMatchObject({
      destination: 'exception',
      capacity_parcels: '',
      mean_fill_share: '',
    });
    const c = jiangsu.perChute.find((x) => x.destination !== 'exception')!;
    expect(chutes.find((r) => r.chute === c.id)).toMatchObject({
      capacity_parcels: String(c.capacity),
      received_parcels: String(c.received),
      operator_utilization_share: String(c.operatorUtilization),
    });
    const dest = byName(files, 'destinations.csv').rows;
    expect(dest.map((r) => r.destination)).toEqual(jiangsu.perDestination.map((d) => d.id));
    expect(dest.reduce((s, r) => s + num(r.sorted_parcels), 0)).toBe(jiangsu.counts.sorted);
    expect(dest.reduce((s, r) => s + num(r.mix_share), 0)).toBeCloseTo(1, 4);
    const nanjing = dest.find((r) => r.destination === 'nanjing')!;
    expect(nanjing.chutes).toBe(jiangsu.perDestination.find((d) => d.id === 'nanjing')!.chutes);
  });

  it('chute-fill.csv: one row per destination chute per interval, fill shares from 0 to 1', () => {
    const { rows } = byName(files, 'chute-fill.csv');
    const f = jiangsu.chuteFill;
    expect(rows.length).toBe(f.chutes.length * f.time.length);
    for (const r of rows) {
      expect(num(r.fill_share)).toBeGreaterThanOrEqual(0);
      expect(num(r.fill_share)).toBeLessThanOrEqual(1);
    }
    const j = 3;
    const h = 200;
    const row = rows.find((r) => r.chute === f.chutes[j] && r.end_seconds === String(f.time[h]))!;
    expect(num(row.fill_share)).toBe(f.share[j]![h]);
    expect(row.end_clock).toBe('19:21:00');
  });

  it('summary.csv: recirculations and failed discharges with their rates per inducted parcel', () => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 1;
    doc.operators.handlingSeconds = { distribution: 'exponential', mean: 60 };
    const r: SimReport = simulateDoc(doc);
    const rows = byName(renderCsvFiles(r), 'summary.csv').rows;
    const value = (k: string) => rows.find((x) => x.figure === k)?.value;
    expect(num(value('recirculations'))).toBe(r.counts.recirculations);
    expect(num(value('failed_discharges'))).toBe(r.counts.failedDischarges);
    expect(r.counts.failedDischarges).toBeGreaterThan(r.counts.recirculations);
    expect(num(value('recirculations_per_inducted'))).toBe(r.recirculationsPerInducted);
    expect(num(value('failed_discharges_per_inducted'))).toBe(r.failedDischargesPerInducted);
    expect(value('start_time')).toBe('00:00');
  });

  it('quotes fields holding commas, quotes and line breaks (RFC 4180), and they read back unchanged', () => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 0.5;
    const odd = 'D"001", north\r\nside';
    doc.plan.destinations[0].id = odd;
    doc.plan.rules[0].destination = odd;
    doc.mix[0].destination = odd;
    const out = renderCsvFiles(simulateDoc(doc));
    const dest = out.find((f) => f.name === 'destinations.csv')!;
    expect(dest.text).toContain('"D""001"", north\r\nside"');
    expect(table(dest).rows[0]!.destination).toBe(odd);
    expect(byName(out, 'chutes.csv').rows[0]!.destination).toBe(odd);
  });
});
