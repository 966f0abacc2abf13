/**
 * core/burst-throttle.ts: which events of a run to log (issue 9: one "warn once per burst" helper
 * for the session's fault log and the sort service's warnings), on a fake clock.
 */
import { describe, expect, it } from 'vitest';
import { createBurstThrottle } from '../../core/burst-throttle.js';

/** Hits the throttle at each time in `times` (ms) and returns what each hit said. */
function run(options: { quietMs?: number; repeatMs?: number }, times: number[]) {
  let t = 0;
  const throttle = createBurstThrottle({ ...options, now: () => t });
  return times.map((at) => {
    t = at;
    return throttle.hit();
  });
}

describe('createBurstThrottle', () => {
  it('with quietMs: logs the first of each burst, a burst ending after quietMs without a hit', () => {
    // 0..9000 every 3 s is one burst (gaps of 3 s, not over 10 s); 20 000 starts a new one;
    // exactly 10 s after the last hit is still the same burst (over, not at, quietMs ends it)
    const said = run({ quietMs: 10_000 }, [0, 3000, 6000, 9000, 20_000, 30_000, 40_001, 40_002]);
    expect(said).toEqual([0, undefined, undefined, undefined, 3, undefined, 1, undefined]);
  });

  it('with quietMs: a steady stream stays one burst however long it lasts', () => {
    const times = Array.from({ length: 100 }, (_, i) => i * 5000);
    const said = run({ quietMs: 10_000 }, times);
    expect(said.filter((s) => s !== undefined)).toEqual([0]);
  });

  it('with repeatMs: at most one log per repeatMs, giving how many were only counted', () => {
    const said = run({ repeatMs: 1000 }, [5, 100, 999, 1004, 1005, 2004, 5000]);
    // 1004 is 999 ms after the log at 5: counted; 1005 is 1000 ms after it: logged
    expect(said).toEqual([0, undefined, undefined, undefined, 3, undefined, 1]);
  });

  it('with both: a new burst logs, and so does a long burst every repeatMs', () => {
    // hits every 9 s never end the burst; 63 000 is 60 s after the log at 0; the 18 s gap before 90 000 ends it
    const times = [0, 9000, 18_000, 27_000, 36_000, 45_000, 54_000, 63_000, 72_000, 90_000];
    const said = run({ quietMs: 10_000, repeatMs: 60_000 }, times);
    const counted = Array.from({ length: 6 }, () => undefined);
    expect(said).toEqual([0, ...counted, 6, undefined, 1]);
  });

  it('without either: only the very first hit logs', () => {
    expect(run({}, [0, 1e9, 2e9])).toEqual([0, undefined, undefined]);
  });

  it('refuses a negative or NaN time', () => {
    expect(() => createBurstThrottle({ quietMs: -1, now: () => 0 })).toThrow(RangeError);
    expect(() => createBurstThrottle({ repeatMs: Number.NaN, now: () => 0 })).toThrow(RangeError);
  });
});
