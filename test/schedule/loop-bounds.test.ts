import { describe, expect, it } from 'vitest';
import { runSaturated } from './helpers.js';

// DESIGN.md "known bounds": one induct gives v / p; K evenly spaced saturated inducts with
// uniformly random chutes give 2K / (K + 1) · v / p (a loaded carrier rides half a lap on average,
// an emptied one 1 / (2K) of a lap to the next induct).
const carriers = 400;
const pitch = 1.2;
const speed = 2.5;
const vp = (3600 * speed) / pitch; // 7,500 /h

describe('loop sorter throughput bounds (core scheduler)', () => {
  it('one saturated induct loads every carrier: v / p = 7,500 /h', () => {
    const r = runSaturated(
      { carriers, pitch, speed, inductPositions: [0], cycleSeconds: 0.48 },
      2 * carriers,
      20 * carriers,
    );
    // every carrier passing the induct is empty (its parcel left at a chute within the lap): exactly one load per tick
    expect(r.loadsPerHour[0]).toBeCloseTo(vp, 6);
    expect(Math.abs(r.perHour - vp) / vp).toBeLessThan(0.01);
  });

  for (const k of [1, 2, 4, 8, 16]) {
    it(`K = ${k} evenly spaced saturated inducts give 2K/(K+1)·v/p within 1 %`, () => {
      const expected = ((2 * k) / (k + 1)) * vp;
      const positions = Array.from({ length: k }, (_, i) => Math.floor((i * carriers) / k));
      const r = runSaturated(
        { carriers, pitch, speed, inductPositions: positions, cycleSeconds: 0.48, seed: 11 + k },
        3 * carriers,
        150 * carriers,
      );
      expect(Math.abs(r.perHour - expected) / expected).toBeLessThan(0.01);
      expect(r.broken).toBe(0);
    });
  }

  it('the flow of loaded carriers past a point never exceeds v / p', () => {
    const r = runSaturated(
      { carriers, pitch, speed, inductPositions: [0, 100, 200, 300], cycleSeconds: 0.48 },
      carriers,
      20 * carriers,
    );
    const perInductMax = vp; // one load per tick at most
    for (const x of r.loadsPerHour) expect(x).toBeLessThanOrEqual(perInductMax + 1e-6);
  });

  it('an induct cycle longer than a tick limits the induct to one load per ceil(cycle / tick) ticks', () => {
    // 1.5 s at 0.48 s per tick: 4 ticks, 1,875 /h (DESIGN.md reference model)
    const r = runSaturated(
      { carriers, pitch, speed, inductPositions: [0], cycleSeconds: 1.5 },
      carriers,
      40 * carriers,
    );
    expect(r.loadsPerHour[0]).toBeCloseTo(1875, 6);
  });
});
