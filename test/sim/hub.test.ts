/**
 * sim/hub.ts HubTicks, the one tick loop of the simulator's engine and the emulated PLC (issue 9,
 * Build 3): arrivals by the tick's time join the queues first (at most `maxParcels`), then
 * `beforeTick`, the scheduler's tick (its hooks), `afterTick`; `runThrough(t)` runs the ticks at
 * times up to `t`.
 */
import { describe, expect, it } from 'vitest';
import { Hub, HubTicks, type TickHooks } from '../../sim/hub.js';
import { tinyModel } from './emulator/helpers.js';

/** Hooks that log what the loop calls, sending every parcel to chute C1 (index 0). */
class Log implements TickHooks {
  readonly events: string[] = [];
  arrived(p: number, t: number): void {
    this.events.push(`arrived ${p} ${t.toFixed(3)}`);
  }
  beforeTick(t: number): void {
    this.events.push(`before ${t}`);
  }
  afterTick(t: number): void {
    this.events.push(`after ${t}`);
  }
  scan(p: number, _induct: number, tick: number): number {
    this.events.push(`scan ${p} ${tick}`);
    return 0;
  }
  discharge(p: number, chute: number, tick: number): boolean {
    this.events.push(`discharge ${p} ${chute} ${tick}`);
    return true;
  }
  retry(_p: number, chute: number): number {
    return chute;
  }
  overLimit(_p: number, chute: number): number {
    return chute;
  }
}

describe('HubTicks', () => {
  it('admits arrivals, then runs beforeTick, the scheduler and afterTick, tick by tick', () => {
    const hub = new Hub(tinyModel({ ratePerHour: 3600 })); // tick 1 s, one parcel a second
    const log = new Log();
    const ticks = new HubTicks(hub, log);
    ticks.runThrough(30.5);
    expect(ticks.tick).toBe(31); // ticks at 0, 1, …, 30 s
    const e = log.events;
    expect(e.filter((x) => x.startsWith('before')).length).toBe(31);
    expect(e.filter((x) => x.startsWith('after')).length).toBe(31);
    let now = -1;
    for (const x of e) {
      const [kind, a, b, c] = x.split(' ');
      if (kind === 'before') {
        expect(Number(a)).toBe(now + 1);
        now = Number(a);
      } else if (kind === 'after') expect(Number(a)).toBe(now);
      else if (kind === 'arrived')
        expect(Number(b)).toBeLessThanOrEqual(now + 1); // by the next tick
      else if (kind === 'scan') expect(Number(b)).toBe(now);
      else if (kind === 'discharge') {
        expect(Number(b)).toBe(0);
        expect(Number(c)).toBe(now);
      }
    }
    const arrived = e.filter((x) => x.startsWith('arrived')).length;
    expect(ticks.created).toBe(arrived);
    expect(arrived).toBeGreaterThan(10);
    expect(e.some((x) => x.startsWith('discharge'))).toBe(true);
  });

  it('stops creating parcels at maxParcels and admits the rest of a run without ticking', () => {
    const hub = new Hub(tinyModel({ ratePerHour: 36_000 }));
    const log = new Log();
    const ticks = new HubTicks(hub, log);
    ticks.maxParcels = 5;
    ticks.runUntil(20);
    expect(ticks.created).toBe(5);
    ticks.maxParcels = Infinity;
    ticks.admit(40);
    expect(ticks.tick).toBe(20);
    const times = log.events
      .filter((x) => x.startsWith('arrived'))
      .map((x) => Number(x.split(' ')[2]));
    expect(times.length).toBe(ticks.created);
    expect(ticks.created).toBeGreaterThan(100); // the ones held back after the fifth, about 10 a second up to 40 s
    expect(Math.max(...times)).toBeLessThan(40);
  });
});
