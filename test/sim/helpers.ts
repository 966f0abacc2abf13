import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runSimulation } from '../../sim/engine.js';
import { buildReport, type SimReport } from '../../sim/report/json.js';
import { loadScenario, resolveScenario } from '../../sim/scenario/load.js';

export const root = path.resolve(import.meta.dirname, '../..');
export const scenarioPath = (name: string) => path.join(root, 'scenarios', name);

/** Conservation (issue 2): arrived = inducted + queuedAtEnd; inducted = sorted + exception + onLoopAtEnd; Σ chute received = sorted + exception. */
export function expectConservation(r: SimReport): void {
  const c = r.counts;
  expect(c.arrived).toBe(c.inducted + c.queuedAtEnd);
  expect(c.inducted).toBe(c.sorted + c.exception + c.onLoopAtEnd);
  expect(r.perChute.reduce((s, x) => s + x.received, 0)).toBe(c.sorted + c.exception);
  expect(r.perInduct.reduce((s, x) => s + x.inducted, 0)).toBe(c.inducted);
  expect(r.perDestination.reduce((s, x) => s + x.sorted, 0)).toBe(c.sorted);
  expect(
    r.series.arrivedPerHour.reduce((s, x) => s + x, 0) * (r.series.intervalSeconds / 3600),
  ).toBeCloseTo(c.arrived, 6);
}

/** Runs a bundled scenario file with options and returns the checked report. */
export function simulateFile(
  name: string,
  options: Parameters<typeof loadScenario>[1] = {},
): SimReport {
  const r = buildReport(runSimulation(loadScenario(scenarioPath(name), options)));
  expectConservation(r);
  return r;
}

/** Runs a scenario document and returns the checked report. */
export function simulateDoc(doc: unknown): SimReport {
  const r = buildReport(runSimulation(resolveScenario(doc)));
  expectConservation(r);
  return r;
}

export const readScenario = (name: string) =>
  JSON.parse(readFileSync(scenarioPath(name), 'utf8')) as Record<string, any>;

/** The report without its wall-clock figures (for determinism checks). */
export function withoutWallClock(
  r: SimReport,
): Omit<SimReport, 'wallSeconds' | 'parcelsPerWallSecond'> {
  const { wallSeconds: _w, parcelsPerWallSecond: _p, ...rest } = r;
  return rest;
}

/**
 * A loop with K evenly spaced inducts, every other position a chute of unlimited capacity with its
 * own destination (so a uniform destination mix is a uniform chute mix), saturated by arrivals at
 * twice the loop's capacity, every label read.
 */
export function saturatedLoopScenario(
  k: number,
  hours = 3.5,
  warmupHours = 0.5,
): Record<string, unknown> {
  const n = 400;
  const inducts = new Set(Array.from({ length: k }, (_, i) => Math.floor((i * n) / k)));
  const chutes: { id: string; position: number; capacity: number }[] = [];
  for (let p = 0; p < n; p++)
    if (!inducts.has(p)) chutes.push({ id: `C${p}`, position: p, capacity: 1_000_000 }); // never reached: operators clear each chute every second
  const destinations = chutes.map((c) => ({ id: `D${c.position}`, chutes: [c.id] }));
  return {
    name: `saturated-${k}`,
    description: `K = ${k} evenly spaced saturated inducts, uniformly random chutes of unlimited capacity`,
    seed: 3 + k,
    hours,
    warmupHours,
    sorter: {
      carriers: n,
      pitch: 1.2,
      speed: 2.5,
      recirculationLimit: 3,
      inducts: { count: k, cycleSeconds: 0.48, positions: 'even' },
      chuteCapacity: 10,
      chutes,
      exceptionChutes: [{ id: 'X1', position: 1 }],
    },
    operators: { perChute: 1, handlingSeconds: { distribution: 'constant', value: 1 } },
    arrivals: { ratePerHour: [2 * 15000] },
    scanner: { readRate: 1 },
    labels: { postalCodeLength: 6, poolPerDestination: 4 },
    mix: destinations.map((d) => ({ destination: d.id, weight: 1 })),
    plan: {
      version: 'saturated',
      homeCountry: '156',
      destinations,
      rules: destinations.map((d, j) => ({ postal: String(1000 + j), destination: d.id })),
      fallbacks: { noRead: 'X1', noRule: 'X1', multiRead: 'X1', recirculationLimit: 'X1' },
    },
  };
}
