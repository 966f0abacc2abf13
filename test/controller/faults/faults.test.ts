/**
 * Acceptance (issue 4), faults: the controller killed with SIGKILL at random moments and
 * restarted on the same data directory and port; random disconnects; delayed, duplicated and
 * corrupted frames. After each run: no confirmation lost or double-counted, no task left open,
 * and the journal agrees with the emulator's ledger parcel by parcel.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import {
  FAST_HUB,
  emulate,
  expectAgreement,
  sleep,
  startServe,
  stopServe,
  tempDir,
} from '../e2e/helpers.js';

const PARCELS = 6_000;

describe('faults', () => {
  it('the controller killed with SIGKILL 6 times at random moments and restarted, with disconnects every 2 s', async () => {
    const data = tempDir();
    let serve = await startServe(['--gateway', 'tcp://127.0.0.1:0', '--data', data]);
    const address = serve.address; // restarts listen on the same port
    let finished = false;
    const run = emulate([
      '--connect',
      address,
      '--parcels',
      String(PARCELS),
      '--time-scale',
      '40',
      '--drop-every',
      '2',
      ...FAST_HUB,
    ]).finally(() => {
      finished = true;
    });
    // 6,000 parcels take about 700 simulated seconds: more than 17 wall seconds at time scale 40.
    const rng = xoroshiro128plus(20261120);
    let kills = 0;
    while (kills < 6 && !finished) {
      await sleep(800 + ((rng.next() >>> 0) % 1200));
      if (finished) break;
      serve.proc.kill('SIGKILL');
      await serve.exited;
      kills++;
      serve = await startServe(['--gateway', address, '--data', data]);
      expect(serve.address).toBe(address);
    }
    const r = await run;
    expect(await stopServe(serve)).toBe(0);
    expect(kills).toBe(6);
    expect(r.summary.session.linkUps).toBeGreaterThan(6);
    expectAgreement(r, data, PARCELS);
  }, 300_000);

  it('delayed, duplicated and corrupted frames with disconnects (native)', async () => {
    const data = tempDir();
    const serve = await startServe(['--gateway', 'tcp://127.0.0.1:0', '--data', data]);
    const r = await emulate([
      '--connect',
      serve.address,
      '--parcels',
      String(PARCELS),
      '--time-scale',
      '40',
      '--seed',
      '3',
      '--drop-every',
      '1.5',
      '--delay-ms',
      '15',
      '--duplicate-rate',
      '0.05',
      '--corrupt-rate',
      '0.03',
      ...FAST_HUB,
    ]);
    expect(await stopServe(serve)).toBe(0);
    const f = r.summary.faults;
    expect(f.drops).toBeGreaterThan(0);
    expect(f.duplicated).toBeGreaterThan(0);
    expect(f.corrupted).toBeGreaterThan(0);
    expect(f.delayed).toBeGreaterThan(0);
    expect(r.summary.session.resends).toBeGreaterThan(0);
    expectAgreement(r, data, PARCELS);
  }, 300_000);

  it('duplicated and corrupted frames with disconnects over WebSocket (telegram)', async () => {
    const data = tempDir();
    const serve = await startServe([
      '--gateway',
      'ws://127.0.0.1:0',
      '--dialect',
      'telegram',
      '--data',
      data,
    ]);
    const r = await emulate([
      '--connect',
      serve.address,
      '--dialect',
      'telegram',
      '--parcels',
      String(PARCELS),
      '--time-scale',
      '40',
      '--seed',
      '5',
      '--drop-every',
      '2.5',
      '--duplicate-rate',
      '0.05',
      '--corrupt-rate',
      '0.03',
      ...FAST_HUB,
    ]);
    expect(await stopServe(serve)).toBe(0);
    expect(r.summary.faults.corrupted).toBeGreaterThan(0);
    expectAgreement(r, data, PARCELS);
  }, 300_000);
});
