/**
 * Acceptance (issue 4): `sortline emulate` against `sortline serve` for 10,000 parcels over TCP,
 * WebSocket and a real serial line (a socat pty pair), the three dialects once each. Every parcel
 * has exactly one terminal outcome, and the emulator's ledger and the controller's journal agree
 * parcel by parcel (task id → terminal outcome and chute).
 */
import { describe, expect, it } from 'vitest';
import { ptyPair } from '../transport/socat.js';
import { FAST_HUB, emulate, expectAgreement, startServe, stopServe, tempDir } from './helpers.js';

const PARCELS = 10_000;

describe('sortline emulate against sortline serve, 10,000 parcels', () => {
  it('over TCP in the native dialect', async () => {
    const data = tempDir();
    const serve = await startServe([
      '--gateway',
      'tcp://127.0.0.1:0',
      '--dialect',
      'native',
      '--data',
      data,
    ]);
    expect(serve.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const r = await emulate([
      '--connect',
      serve.address,
      '--dialect',
      'native',
      '--parcels',
      String(PARCELS),
      '--time-scale',
      '40',
      ...FAST_HUB,
    ]);
    expect(await stopServe(serve)).toBe(0);
    expectAgreement(r, data, PARCELS);
  }, 300_000);

  it('over WebSocket in the telegram dialect', async () => {
    const data = tempDir();
    const serve = await startServe([
      '--gateway',
      'ws://127.0.0.1:0/plc',
      '--dialect',
      'telegram',
      '--data',
      data,
    ]);
    expect(serve.address).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/plc$/);
    const r = await emulate([
      '--connect',
      serve.address,
      '--dialect',
      'telegram',
      '--parcels',
      String(PARCELS),
      '--time-scale',
      '40',
      ...FAST_HUB,
    ]);
    expect(await stopServe(serve)).toBe(0);
    expectAgreement(r, data, PARCELS);
  }, 300_000);

  it('over a serial line (socat pty pair) in the NDJSON dialect', async () => {
    const data = tempDir();
    const pty = await ptyPair();
    try {
      const serve = await startServe([
        '--gateway',
        pty.paths[0],
        '--dialect',
        'ndjson',
        '--data',
        data,
      ]);
      const r = await emulate([
        '--connect',
        pty.paths[1],
        '--dialect',
        'ndjson',
        '--parcels',
        String(PARCELS),
        '--time-scale',
        '40',
        ...FAST_HUB,
      ]);
      expect(await stopServe(serve)).toBe(0);
      expectAgreement(r, data, PARCELS);
      // a serial line has no connections: the controller answers the emulator's link sync, and a
      // sync wait that runs out (at the controller's start, nobody there yet) is no warning
      expect(serve.stderr()).not.toContain('no link sync from the peer');
      expect(r.stderr).not.toContain('no link sync from the peer');
    } finally {
      await pty.stop();
    }
  }, 300_000);
});
