import { describe, expect, it } from 'vitest';
import {
  readScenario,
  saturatedLoopScenario,
  simulateDoc,
  simulateFile,
  withoutWallClock,
} from './helpers.js';

const vp = (3600 * 2.5) / 1.2; // 7,500 /h

describe('simulation engine: validation against known results', () => {
  for (const k of [1, 2, 4, 8, 16]) {
    it(`K = ${k} evenly spaced saturated inducts give 2K/(K+1)·v/p within 1 % (labels through the resolver and plan)`, () => {
      const r = simulateDoc(saturatedLoopScenario(k));
      const expected = ((2 * k) / (k + 1)) * vp;
      expect(Math.abs(r.sortedPerHour - expected) / expected).toBeLessThan(0.01);
      expect(r.counts.exception).toBe(0); // every label read and routed
      expect(r.counts.missorted).toBe(0);
    });
  }

  it('one induct gives v / p = 7,500 /h', () => {
    const r = simulateDoc(saturatedLoopScenario(1));
    expect(r.perInduct[0]!.inductedPerHour).toBeCloseTo(vp, 6);
  });
});

describe('the DESIGN.md reference model, 8 h', () => {
  // Sorted per hour is driven by the Poisson arrival count: with λ = 10,000 /h over 8 h and 2 %
  // no-reads, E ≈ 0.98 · 10,000 less the parcels still queued or riding at the end (≈ 300 / 8 h)
  // ≈ 9,763 /h, and σ = 0.98 · √(80,000) / 8 ≈ 34.6 /h. A single seed is checked at E ± 4σ; the
  // issue's band 9,600–9,800 (whose top is only ~1σ above E) is checked on the mean of seeds 1–3.
  const reports = [1, 2, 3].map((seed) => simulateFile('reference-loop.json', { seed }));
  reports.forEach((r, i) => {
    it(`seed ${i + 1}: sorted within E ± 4σ of the arrival process, recirculations per inducted < 0.002, mean induct wait 9–14 s`, () => {
      expect(r.simulatedSeconds).toBe(8 * 3600);
      const expected = 0.98 * 10_000 - 300 / 8;
      const sigma = (0.98 * Math.sqrt(80_000)) / 8;
      expect(Math.abs(r.sortedPerHour - expected)).toBeLessThan(4 * sigma);
      expect(r.recirculationsPerInducted).toBeLessThan(0.002);
      expect(r.meanInductWaitSeconds).toBeGreaterThanOrEqual(9);
      expect(r.meanInductWaitSeconds).toBeLessThanOrEqual(14);
      // 2 % no-reads, every one to the exception chute; nothing else goes wrong
      expect(r.counts.noRead / r.counts.inducted).toBeGreaterThan(0.015);
      expect(r.counts.noRead / r.counts.inducted).toBeLessThan(0.025);
      expect(r.counts.noRule + r.counts.multiRead + r.counts.missorted).toBe(0);
    });
  });

  it('seeds 1–3 together: mean sorted 9,600–9,800 /h', () => {
    const mean = reports.reduce((s, r) => s + r.sortedPerHour, 0) / reports.length;
    expect(mean).toBeGreaterThanOrEqual(9600);
    expect(mean).toBeLessThanOrEqual(9800);
  });
});

describe('determinism', () => {
  it('the same seed gives an identical report apart from wall-clock figures', () => {
    const a = simulateFile('reference-loop.json', { seed: 5, hours: 2 });
    const b = simulateFile('reference-loop.json', { seed: 5, hours: 2 });
    expect(withoutWallClock(a)).toEqual(withoutWallClock(b));
  });

  it('another seed gives another report', () => {
    const a = simulateFile('reference-loop.json', { seed: 5, hours: 2 });
    const b = simulateFile('reference-loop.json', { seed: 6, hours: 2 });
    expect(a.counts.arrived).not.toBe(b.counts.arrived);
  });
});

describe('model parts', () => {
  it('full chutes make parcels recirculate and, at the limit, go to the exception chute', () => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 2;
    doc.operators.handlingSeconds = { distribution: 'exponential', mean: 60 }; // operators far too slow
    const r = simulateDoc(doc);
    expect(r.counts.recirculations).toBeGreaterThan(1000);
    expect(r.counts.recirculationLimit).toBeGreaterThan(100);
    expect(r.perChute.some((c) => c.fullSeconds > 1000)).toBe(true);
  });

  it('no-reads follow the read rate and go to the no-read exception chute', () => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 2;
    doc.scanner.readRate = 0.8;
    const r = simulateDoc(doc);
    expect(r.counts.noRead / r.counts.inducted).toBeGreaterThan(0.18);
    expect(r.counts.noRead / r.counts.inducted).toBeLessThan(0.22);
    expect(r.perChute.find((c) => c.id === 'X1')!.received).toBeGreaterThanOrEqual(
      r.counts.noRead - r.counts.onLoopAtEnd,
    );
  });

  it('truck waves add their parcels on top of the hourly profile', () => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 3;
    doc.arrivals = {
      ratePerHour: [1000],
      waves: [{ startHour: 1, durationHours: 0.5, parcels: 4000 }],
    };
    const r = simulateDoc(doc);
    // expected 3,000 + 4,000 = 7,000 arrivals (Poisson: sd ≈ 84)
    expect(r.counts.arrived).toBeGreaterThan(6600);
    expect(r.counts.arrived).toBeLessThan(7400);
    const perMinute = r.series.arrivedPerHour;
    const inWave = perMinute.slice(65, 85).reduce((s, x) => s + x, 0) / 20;
    const before = perMinute.slice(10, 50).reduce((s, x) => s + x, 0) / 40;
    expect(inWave).toBeGreaterThan(4 * before);
  });

  it('a stale second label for another destination is a multi-read conflict, sent to the exception chute', () => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 1;
    doc.scanner.secondLabelRate = 0.1;
    const r = simulateDoc(doc);
    // the second label is for another destination 99 % of the time
    expect(r.counts.multiRead / r.counts.inducted).toBeGreaterThan(0.07);
    expect(r.counts.multiRead / r.counts.inducted).toBeLessThan(0.12);
    expect(r.counts.missorted).toBe(0);
  });

  it('duplicate reads of the same label are deduplicated, not conflicts', () => {
    const doc = readScenario('reference-loop.json');
    doc.hours = 1;
    doc.scanner.duplicateReadRate = 0.5;
    const r = simulateDoc(doc);
    expect(r.counts.multiRead).toBe(0);
  });
});
