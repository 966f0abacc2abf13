/**
 * The hot path allocates nothing per parcel (DESIGN.md "Performance stance"): counted, not timed.
 * A synchronous loop runs only this code, so any per-parcel allocation of even a few bytes would
 * fill V8's young generation over a million parcels and show as minor GCs.
 */
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../core/plan/index.js';
import { Fallback } from '../../core/plan/fallbacks.js';
import {
  LabelResolver,
  ParcelRouter,
  ReadSource,
  encodeElementString,
  withCheckDigit,
} from '../../core/labels/index.js';

const plan = compilePlan({
  version: 'hot-path',
  homeCountry: '156',
  destinations: [
    { id: 'nanjing', chutes: ['C1'] },
    { id: 'nanning', chutes: ['C2'] },
    { id: 'vip', chutes: ['C3'] },
  ],
  rules: [
    { postal: '21', destination: 'nanjing' },
    { routing: '771', destination: 'nanning' },
    { id: withCheckDigit('06901234000000005'), destination: 'vip' },
  ],
  fallbacks: { noRead: 'X1', noRule: 'X2', multiRead: 'X3', recirculationLimit: 'X4' },
});
const flat = (s: string) => Buffer.from(s, 'latin1').toString('latin1');
const labels = Array.from({ length: 256 }, (_, i) =>
  flat(
    encodeElementString(
      [
        { ai: '00', value: withCheckDigit(`0690123400000${String(i).padStart(4, '0')}`) },
        { ai: '3302', value: '001250' },
        { ai: '421', value: `156${210000 + i}` },
        ...(i % 2 === 0 ? [{ ai: '403', value: `771-K${(i % 90) + 10}-05` }] : []),
      ],
      { aim: ']C1' },
    ),
  ),
);
const plain = [
  'EE123456785CN',
  '1Z5R89390357567127',
  '986578788855',
  '771-K23-05',
  'NoRead',
  ']C100106141412345678909',
].map(flat);

setFlagsFromString('--expose-gc');
/** A full collection on demand, so that the measured loop starts with an empty young generation. */
const collect = runInNewContext('gc') as () => void;

async function minorGcsDuring(work: () => void): Promise<number> {
  collect();
  await new Promise((r) => setTimeout(r, 10));
  const entries: PerformanceEntry[] = [];
  const obs = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  obs.observe({ entryTypes: ['gc'] });
  work();
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  // kind 1: minor (scavenge) collections
  return entries.filter(
    (e) => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === 1,
  ).length;
}

describe('hot path', () => {
  it('routes a million parcels (several reads each) without a minor GC', async () => {
    const router = new ParcelRouter(plan);
    let sink = 0;
    let multiReads = 0;
    // the plain routing code 771-K23-05 beside a label for Nanjing: two labels that disagree,
    // so the arbitration between labels runs in the measured loop too
    const parcels = (n: number) => {
      for (let i = 0; i < n; i++) {
        router.begin();
        router.addRead(labels[i & 255]!, ReadSource.SCANNER, 0);
        router.addRead(labels[i & 255]!, ReadSource.SCANNER, 1);
        router.addRead(plain[i % plain.length]!, ReadSource.SCANNER, 2);
        const d = router.finish();
        sink += d;
        if (d === -Fallback.MULTI_READ) multiReads++;
        if (router.conflict) sink++;
      }
    };
    parcels(50_000); // optimise first
    const gcs = await minorGcsDuring(() => parcels(1_000_000));
    expect(sink).not.toBe(0);
    expect(multiReads).toBeGreaterThan(0);
    expect(gcs).toBe(0);
  });

  it('resolves a million reads without a minor GC', async () => {
    const res = new LabelResolver();
    const all = [...labels, ...plain];
    let sink = 0;
    const reads = (n: number) => {
      for (let i = 0; i < n; i++)
        sink += res.resolve(all[i % all.length]!, ReadSource.SCANNER, 0) + res.keyCount;
    };
    reads(50_000);
    const gcs = await minorGcsDuring(() => reads(1_000_000));
    expect(sink).toBeGreaterThan(0);
    expect(gcs).toBe(0);
  });
});
