/**
 * The session's fault log (through core/burst-throttle.ts): at most one fault a second is logged
 * at `warn`, with how many were only logged at `debug` since the last; every fault is counted and
 * handed to the handler. Fake time.
 */
import { describe, expect, it } from 'vitest';
import { CODECS, type SessionLogger } from '../../../core/protocol/index.js';
import { flush } from './helpers.js';
import { rig } from './setup.js';

/** A logger keeping the `warn` contexts and counting `debug` calls. */
function capture(): SessionLogger & { warns: Record<string, unknown>[]; debugs: number } {
  const warns: Record<string, unknown>[] = [];
  const log = {
    warns,
    debugs: 0,
    debug: () => {
      log.debugs++;
    },
    info: () => {},
    warn: (context: object) => {
      warns.push(context as Record<string, unknown>);
    },
    error: () => {},
  };
  return log;
}

describe('session fault log', () => {
  it('warns at most once a second, naming the faults only counted in between', async () => {
    const log = capture();
    const r = await rig(CODECS.ndjson, { logger: log });
    const garbage = (): void => {
      r.b.write(new TextEncoder().encode('not json at all\n'));
    };
    const before = r.session.stats.faults;
    garbage();
    await flush();
    garbage();
    await flush();
    garbage();
    await flush();
    await r.clock.advance(999);
    garbage(); // 999 ms after the warned one: still only counted
    await flush();
    await r.clock.advance(1);
    garbage(); // 1000 ms after it: warned, with the 3 counted since
    await flush();
    const faults = r.session.stats.faults - before;
    expect(faults).toBe(5);
    const warned = log.warns.filter((w) => 'suppressed' in w);
    expect(warned.map((w) => w.suppressed)).toEqual([0, 3]);
    expect(log.debugs).toBeGreaterThanOrEqual(3);
    expect(r.rec.faults).toHaveLength(r.session.stats.faults);
  });
});
