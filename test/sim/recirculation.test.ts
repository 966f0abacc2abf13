import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../sim/report/console.js';
import { readScenario, simulateDoc } from './helpers.js';

/**
 * docs/scenario.md "Recirculations and failed discharges": a failed discharge is every time a
 * parcel meets its chute and the chute cannot take it; a recirculation is a failed discharge after
 * which the parcel stays on the loop to try again (at most recirculationLimit per parcel); the
 * failure after which it rides on to the exception chute is not one.
 */
describe('recirculations and failed discharges', () => {
  const overloaded = (limit: number) => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 2;
    doc.sorter.recirculationLimit = limit;
    doc.operators.handlingSeconds = { distribution: 'exponential', mean: 60 }; // operators far too slow
    return simulateDoc(doc);
  };

  it('recirculation limit 3: failed discharges = recirculations + parcels sent on at the limit', () => {
    const r = overloaded(3);
    const c = r.counts;
    expect(c.recirculationLimit).toBeGreaterThan(100);
    expect(c.failedDischarges).toBe(c.recirculations + c.recirculationLimit);
    expect(c.failedDischarges).toBeGreaterThan(c.recirculations);
    // every parcel sent on at the limit failed 4 times, 3 of them recirculations
    expect(c.recirculations).toBeGreaterThanOrEqual(3 * c.recirculationLimit);
    expect(r.failedDischargesPerInducted).toBeGreaterThan(r.recirculationsPerInducted);
    // the rates are over the inducted parcels (no warm-up here)
    expect(r.recirculationsPerInducted).toBeCloseTo(c.recirculations / c.inducted, 6);
    expect(r.failedDischargesPerInducted).toBeCloseTo(c.failedDischarges / c.inducted, 6);
    // the series add up to the counts
    const perInterval = r.series.intervalSeconds / 3600;
    const sum = (a: number[]) => a.reduce((s, x) => s + x, 0) * perInterval;
    expect(sum(r.series.failedDischargesPerHour)).toBeCloseTo(c.failedDischarges, 6);
    expect(sum(r.series.recirculationsPerHour)).toBeCloseTo(c.recirculations, 6);
  });

  it('recirculation limit 0: no recirculation at all, yet every parcel meeting a full chute is a failed discharge', () => {
    const r = overloaded(0);
    const c = r.counts;
    expect(c.recirculations).toBe(0);
    expect(r.recirculationsPerInducted).toBe(0);
    expect(c.failedDischarges).toBeGreaterThan(100);
    expect(c.failedDischarges).toBe(c.recirculationLimit);
    expect(r.failedDischargesPerInducted).toBeCloseTo(c.failedDischarges / c.inducted, 6);
  });

  it('the window rates leave out the warm-up', () => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 2;
    doc.warmupHours = 1;
    doc.operators.handlingSeconds = { distribution: 'exponential', mean: 60 };
    const r = simulateDoc(doc);
    const inWindow = (a: number[]) =>
      a.reduce((s, x, b) => s + (r.series.time[b]! > 3600 ? x : 0), 0) / 60;
    const inducted = inWindow(r.series.inductedPerHour);
    expect(r.failedDischargesPerInducted).toBeCloseTo(
      inWindow(r.series.failedDischargesPerHour) / inducted,
      6,
    );
    expect(r.recirculationsPerInducted).toBeCloseTo(
      inWindow(r.series.recirculationsPerHour) / inducted,
      6,
    );
  });

  it('the console summary gives both, with their rates and counts', () => {
    const r = overloaded(3);
    const text = formatSummary(r);
    const c = r.counts;
    const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
    expect(text).toMatch(
      new RegExp(
        `recirculations per inducted\\s+${r.recirculationsPerInducted.toFixed(5)}\\s+${n0(c.recirculations)} in all`,
      ),
    );
    expect(text).toMatch(
      new RegExp(
        `failed discharges per inducted\\s+${r.failedDischargesPerInducted.toFixed(5)}\\s+${n0(c.failedDischarges)} in all: recirculations \\+ ${n0(c.recirculationLimit)} sent on`,
      ),
    );
  });
});
