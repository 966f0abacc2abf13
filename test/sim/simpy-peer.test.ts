import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, simulateFile } from './helpers.js';

// Cross-validation against an independent model: bench/peers/reference_loop_simpy.py implements
// the DESIGN.md reference model in SimPy 3 (Debian python3-simpy3, installed by .ci/run). The two
// engines draw different random numbers, so they are compared as distributions: the means over 10
// seeds each must agree within about 3 standard errors of their difference.
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);

function simpy(seed: number) {
  const out = execFileSync(
    '/usr/bin/python3',
    [path.join(root, 'bench/peers/reference_loop_simpy.py'), '--seed', String(seed)],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as {
    sortedPerHour: number;
    recirculationsPerInducted: number;
    meanInductWaitSeconds: number;
  };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('Sortline against the SimPy peer model (reference model, 8 h, 10 seeds each)', () => {
  const ours = SEEDS.map((seed) => simulateFile('reference-loop.json', { seed }));
  const peer = SEEDS.map(simpy);

  it('the peer reproduces the figures DESIGN.md quotes for seed 1 (9,717 /h, 0.0004, 11.5 s)', () => {
    const p = peer[0]!;
    expect(Math.round(p.sortedPerHour)).toBe(9717);
    expect(p.recirculationsPerInducted).toBeCloseTo(0.0004, 4);
    expect(p.meanInductWaitSeconds).toBeCloseTo(11.5, 1);
  });

  it('mean sorted per hour agrees within 0.5 % (σ of the difference of two 10-seed means ≈ 15 /h)', () => {
    const a = mean(ours.map((r) => r.sortedPerHour));
    const b = mean(peer.map((r) => r.sortedPerHour));
    expect(Math.abs(a - b) / b).toBeLessThan(0.005);
  });

  it('mean induct wait agrees within 1 s (σ of the difference ≈ 0.3 s)', () => {
    const a = mean(ours.map((r) => r.meanInductWaitSeconds));
    const b = mean(peer.map((r) => r.meanInductWaitSeconds));
    expect(Math.abs(a - b)).toBeLessThan(1);
  });

  it('recirculation stays rare in both (chutes full well under 1 % of the time)', () => {
    for (const r of [...ours, ...peer]) expect(r.recirculationsPerInducted).toBeLessThan(0.002);
    expect(mean(ours.map((r) => r.recirculationsPerInducted))).toBeLessThan(
      3 * mean(peer.map((r) => r.recirculationsPerInducted)),
    );
  });
});
