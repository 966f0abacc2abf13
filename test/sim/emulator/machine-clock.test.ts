/**
 * The emulated machine's clock (docs/emulator.md "Time"): scaled wall time while the emulator
 * keeps up; when its event loop stalls, the clock is held a small step past the machine's next
 * tick instead of jumping, the lag is counted, and a reply read right after the stall is in time.
 */
import { describe, expect, it } from 'vitest';
import { Outcome } from '../../../core/protocol/index.js';
import { MachineClock } from '../../../sim/emulator/machine-clock.js';
import { C1, replyTo, runUntil, tinyPlc } from './helpers.js';

/** A wall clock the test moves (ms). */
function wall(): { ms: number; now: () => number } {
  const w = { ms: 1_000, now: () => w.ms };
  return w;
}

describe('MachineClock', () => {
  it('reads the scaled wall time while the machine keeps up, timer jitter included', () => {
    const w = wall();
    const clock = new MachineClock(40, 0.24, w.now);
    clock.start();
    w.ms += 3; // 3 ms at 40×: 0.12 simulated s
    expect(clock.read(0.12)).toBeCloseTo(0.12, 9);
    w.ms += 4; // a timer 1 ms late: 0.28 s, within a step of the next tick at 0.24
    expect(clock.read(0.24)).toBeCloseTo(0.28, 9);
    expect(clock.wallAt(0.36)).toBeCloseTo(1_009, 9);
    expect([clock.stalls, clock.lagSeconds]).toEqual([0, 0]);
  });

  it("holds the clock a step past the machine's next tick when the emulator stalls, and goes on at the normal pace from there", () => {
    const w = wall();
    const clock = new MachineClock(40, 0.24, w.now);
    clock.start();
    w.ms += 3;
    expect(clock.read(0.12)).toBeCloseTo(0.12, 9);
    w.ms += 500; // the event loop stalled for half a second: 20 simulated seconds
    expect(clock.read(0.24)).toBeCloseTo(0.48, 9); // next tick 0.24 + the step 0.24
    expect(clock.stalls).toBe(1);
    expect(clock.lagSeconds).toBeCloseTo(0.12 + 20 - 0.48, 9);
    w.ms += 3;
    expect(clock.read(0.24)).toBeCloseTo(0.6, 9);
    // the next tick after 0.48 is due 0.12 s (3 ms) after the hold
    expect(clock.wallAt(0.6)).toBeCloseTo(1_506, 9);
  });

  it('never goes back, even when held below an earlier reading', () => {
    const w = wall();
    const clock = new MachineClock(1, 1, w.now);
    clock.start();
    w.ms += 1_500;
    const first = clock.read(1); // 1.5: within a step of the next tick at 1
    w.ms += 60_000;
    const second = clock.read(0); // held at max(next tick, last reading) + step
    expect(first).toBeCloseTo(1.5, 9);
    expect(second).toBeCloseTo(2.5, 9);
  });
});

describe('the emulated PLC on a stalled emulator', () => {
  it('takes a reply read right after a stall as in time, where the undilated scaled time would have made it late', () => {
    // tiny hub: tick 1 s, reply deadline 3 s (3 m at 1 m/s)
    const w = wall();
    const { plc, port } = tinyPlc({ parcels: 1 });
    const clock = new MachineClock(1, Math.max(plc.hub.dt, plc.replyDeadlineSeconds / 4), w.now);
    clock.start();
    while (port.requests.length === 0) {
      w.ms += 1_000;
      plc.advanceTo(clock.read(plc.now));
    }
    const scannedAt = plc.now;
    w.ms += 10_000; // a 10 s stall: the controller's reply waited in the socket meanwhile
    const naive = scannedAt + 10;
    expect(naive).toBeGreaterThan(scannedAt + plc.replyDeadlineSeconds);
    plc.onReply(replyTo(port.requests[0]!, [C1]), clock.read(plc.now));
    expect(clock.stalls).toBe(1);
    runUntil(plc, () => plc.finished);
    expect(plc.counts).toMatchObject({ replied: 1, late: 0, repliesAfterDecision: 0 });
    expect(plc.ledger.get(1)).toMatchObject({ outcome: Outcome.DISCHARGED, chute: C1 });
  });
});
