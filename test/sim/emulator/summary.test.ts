/** The ledger summary's latency percentiles: nearest rank (the smallest value with at least p % of the values at or below it). */
import { describe, expect, it } from 'vitest';
import { latencySummary } from '../../../sim/emulator/index.js';

describe('latencySummary', () => {
  it('gives nearest-rank percentiles of 1..100 as 50, 90, 99 and the maximum 100', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(latencySummary(values)).toEqual({ replies: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('gives the only value for every percentile of one value, and zeros for none', () => {
    expect(latencySummary([2.5])).toEqual({ replies: 1, p50: 2.5, p90: 2.5, p99: 2.5, max: 2.5 });
    expect(latencySummary([])).toEqual({ replies: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });

  it('rounds up the rank: of 10 values the 99th percentile is the largest, the 50th the 5th', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000];
    expect(latencySummary(values)).toMatchObject({ p50: 50, p90: 90, p99: 1000, max: 1000 });
  });
});
