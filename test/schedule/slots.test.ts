import { describe, expect, it } from 'vitest';
import { runSaturated } from './helpers.js';

// Four inducts in a group (positions 0..3, no chute between them), each fed 0.3 parcels per tick
// (1.2 per tick together, more than the one empty carrier per tick the group can get), uniformly
// random chutes elsewhere: under first-empty the first inducts of the group take the empty carriers
// they need and the last starves; slot reservation shares the group's empty carriers.
const base = {
  carriers: 400,
  pitch: 1.2,
  speed: 2.5,
  inductPositions: [0, 1, 2, 3],
  cycleSeconds: 0.48,
  seed: 5,
  feedPerTick: 0.3,
};
const spread = (xs: number[]) => Math.min(...xs) / Math.max(...xs);

describe('slot allocation policies', () => {
  it('first-empty starves the last inducts of a group', () => {
    const r = runSaturated({ ...base, slotPolicy: { name: 'first-empty' } }, 800, 20_000);
    // the first three load all they are fed (0.3 per tick = 2,250 /h), the last gets what is left
    for (const i of [0, 1, 2])
      expect(Math.abs(r.loadsPerHour[i]! - 2250) / 2250).toBeLessThan(0.03);
    expect(spread(r.loadsPerHour)).toBeLessThan(0.5);
  });

  it('reserve (share 1) gives every induct of the group a fair share without losing throughput', () => {
    const first = runSaturated({ ...base, slotPolicy: { name: 'first-empty' } }, 800, 20_000);
    const fair = runSaturated({ ...base, slotPolicy: { name: 'reserve', share: 1 } }, 800, 20_000);
    expect(spread(fair.loadsPerHour)).toBeGreaterThan(0.85);
    const total = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    expect(
      Math.abs(total(fair.loadsPerHour) - total(first.loadsPerHour)) / total(first.loadsPerHour),
    ).toBeLessThan(0.02);
    expect(Array.from(fair.scheduler.slots.slotsGiven).some((x) => x > 0)).toBe(true);
  });

  it('slots never cross a chute: evenly spaced inducts with chutes between them give none', () => {
    const r = runSaturated(
      { ...base, inductPositions: [0, 100, 200, 300], slotPolicy: { name: 'reserve', share: 1 } },
      800,
      4000,
    );
    expect(Array.from(r.scheduler.slots.slotsGiven)).toEqual([0, 0, 0, 0]);
  });

  it('a smaller share gives away fewer carriers', () => {
    const half = runSaturated(
      { ...base, slotPolicy: { name: 'reserve', share: 0.25 } },
      800,
      20_000,
    );
    const full = runSaturated({ ...base, slotPolicy: { name: 'reserve', share: 1 } }, 800, 20_000);
    const given = (r: typeof half) =>
      Array.from(r.scheduler.slots.slotsGiven).reduce((s, x) => s + x, 0);
    expect(given(half)).toBeLessThan(given(full));
    expect(spread(half.loadsPerHour)).toBeLessThan(spread(full.loadsPerHour));
  });
});
