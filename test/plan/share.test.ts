import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { compilePlan, planFromShared, planToShared, type SortPlan } from '../../core/plan/index.js';
import { Fallback } from '../../core/plan/fallbacks.js';
import { basePlan } from './helpers.js';

/** Lookups of the base plan (helpers.ts) that the tests repeat on the re-attached plan. */
function probe(plan: SortPlan): (string | undefined)[] {
  const d = (i: number) => plan.destinationIds[i];
  return [
    d(plan.lookupPostal('210008', 0, 6, 156)),
    d(plan.lookupRouting('771-K23-05', 0, 10)),
    d(plan.lookupId('00312345678901234568', 0, 20)),
    d(plan.lookupPostal('999999', 0, 6, 156)),
    plan.chuteIds[plan.destChuteList[plan.destChuteStart[plan.destinationIndex('nanjing')]!]!],
    plan.chuteIds[plan.fallbackChute[Fallback.NO_RULE]!],
  ];
}

const EXPECTED = ['nanjing', 'hub-771', 'vip', undefined, 'C01', 'X2'];

describe('planToShared / planFromShared', () => {
  it('a structured clone re-attaches to the same memory and routes the same', () => {
    const plan = compilePlan(basePlan());
    expect(probe(plan)).toEqual(EXPECTED);
    const again = planFromShared(structuredClone(planToShared(plan)));
    expect(probe(again)).toEqual(EXPECTED);
    expect(again.version).toBe(plan.version);
    expect(again.keyPriority).toEqual(plan.keyPriority);
    // Shared, not copied: a write through one plan's table is seen through the other's.
    again.fallbackChute[Fallback.NONE] = 77;
    expect(plan.fallbackChute[Fallback.NONE]).toBe(77);
  });

  it('a worker thread reads the plan from shared memory without a copy', async () => {
    const dist = new URL('../../dist/core/plan/index.js', import.meta.url);
    expect(existsSync(dist), 'build first: npx tsc -p . (npm test does)').toBe(true);
    const plan = compilePlan(basePlan());
    const worker = new Worker(
      `
      const { parentPort } = require('node:worker_threads');
      parentPort.once('message', async ({ dist, shared }) => {
        const { planFromShared } = await import(dist);
        const plan = planFromShared(shared);
        const d = (i) => plan.destinationIds[i];
        const answer = [
          d(plan.lookupPostal('210008', 0, 6, 156)),
          d(plan.lookupRouting('771-K23-05', 0, 10)),
          d(plan.lookupId('00312345678901234568', 0, 20)),
          d(plan.lookupPostal('999999', 0, 6, 156)),
          plan.chuteIds[plan.destChuteList[plan.destChuteStart[plan.destinationIndex('nanjing')]]],
          plan.chuteIds[plan.fallbackChute[2]],
        ];
        const isShared = [plan.tables.postalTrie, plan.tables.routingTrie, plan.tables.ids.slots, plan.destChuteList]
          .every((a) => a.buffer instanceof SharedArrayBuffer);
        plan.fallbackChute[0] = 99;
        parentPort.postMessage({ answer, shared: isShared });
      });
      `,
      { eval: true },
    );
    try {
      const reply = new Promise<{ answer: unknown[]; shared: boolean }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      worker.postMessage({ dist: dist.href, shared: planToShared(plan) });
      const { answer, shared } = await reply;
      expect(answer).toEqual(EXPECTED);
      expect(shared).toBe(true);
      expect(plan.fallbackChute[Fallback.NONE]).toBe(99);
    } finally {
      await worker.terminate();
    }
  });
});
