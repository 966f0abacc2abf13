/**
 * Acceptance (issue 4): every frame of a recorded session, split at every byte boundary, decodes
 * to the same messages. The session is recorded from a real run — the emulated PLC against an
 * in-process controller over TCP, with operator chute commands and corrupted frames (so NAKs
 * appear in the native dialect; none in NDJSON, which has no checksum) — both directions, in
 * each dialect. (test/protocol/split.test.ts does the same for a synthetic session.)
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  DIALECT_NAMES,
  codecByName,
  type DecodedFrame,
  type DialectName,
} from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import { loadScenario } from '../../../sim/scenario/load.js';
import { loadServeConfig } from '../../../controller/config/index.js';
import { startServer } from '../../../controller/server.js';
import { runEmulator } from '../../../sim/emulator/index.js';
import { dialer } from '../../../controller/transport/index.js';
import { concat } from '../../bytes.js';
import { FAST_HUB, scenario, tempDir } from './helpers.js';

const silent = pino({ level: 'silent' });

/** `--set` pairs of FAST_HUB as `loadScenario` takes them. */
const sets = FAST_HUB.filter((_, i) => i % 2 === 1);

interface Recording {
  in: Uint8Array;
  out: Uint8Array;
}

/** Runs 400 parcels of the emulated PLC against an in-process controller and records both directions. */
async function record(dialect: DialectName): Promise<Recording> {
  const server = await startServer(
    loadServeConfig(undefined, { gateway: 'tcp://127.0.0.1:0', dialect, data: tempDir() }),
    { logger: silent },
  );
  const parts: Record<'in' | 'out', Uint8Array[]> = { in: [], out: [] };
  const model = loadScenario(scenario, { sets });
  const c1 = server.machine.numbering.numberOf(0);
  let disabled = false;
  const commands = setInterval(() => {
    disabled = !disabled;
    server.service.setChuteState(c1, disabled ? ChuteState.DISABLED : ChuteState.OPEN);
  }, 100);
  try {
    const { summary } = await runEmulator(model, {
      connect: server.address,
      dial: dialer(server.address),
      dialect,
      parcels: 400,
      timeScale: 50,
      chuteReportSeconds: 1,
      faults: { corruptRate: dialect === 'ndjson' ? 0 : 0.02 }, // NDJSON has no checksum: a flipped byte may be another valid message
      drainTimeoutMs: 20_000,
      faultSeed: 11,
      logger: silent,
      wire: (direction, bytes) => parts[direction].push(bytes.slice()),
    });
    expect(summary.complete).toBe(true);
  } finally {
    clearInterval(commands);
    await server.close();
  }
  return { in: concat(parts.in), out: concat(parts.out) };
}

/** Decodes `bytes` in one go; fails on any fault. */
function decodeAll(dialect: DialectName, bytes: Uint8Array): DecodedFrame[] {
  const d = codecByName(dialect).createDecoder();
  d.push(bytes);
  const frames: DecodedFrame[] = [];
  for (let r = d.next(); r !== null; r = d.next()) {
    if (r.kind === 'fault')
      throw new Error(`${dialect}: fault ${r.code} at ${r.offset}: ${r.message}`);
    frames.push(r);
  }
  expect(d.bufferedBytes).toBe(0);
  return frames;
}

describe('a recorded emulate ↔ controller session', () => {
  for (const dialect of DIALECT_NAMES) {
    it(`${dialect}: every frame, split at every byte boundary, decodes to the same message`, async () => {
      const rec = await record(dialect);
      const codec = codecByName(dialect);
      const seen = new Set<string>();
      for (const [direction, bytes] of [
        ['out', rec.out],
        ['in', rec.in],
      ] as const) {
        const frames = decodeAll(dialect, bytes);
        for (const f of frames) seen.add(`${direction}:${f.message.type}`);
        for (const f of frames) {
          const one = bytes.subarray(f.offset, f.offset + f.length);
          const want = JSON.stringify({
            seq: f.seq,
            ackRequired: f.ackRequired,
            timestampMs: f.timestampMs,
            message: f.message,
          });
          for (let k = 1; k < one.length; k++) {
            const d = codec.createDecoder();
            d.push(one.subarray(0, k));
            const early = d.next();
            if (early !== null)
              expect.fail(
                `${direction} frame at ${f.offset} split at ${k}: ${early.kind} before the second part`,
              );
            d.push(one.subarray(k));
            const got = d.next();
            if (got === null || got.kind !== 'frame')
              expect.fail(
                `${direction} frame at ${f.offset} split at ${k}: ${got === null ? 'nothing' : got.code}`,
              );
            const json = JSON.stringify({
              seq: got.seq,
              ackRequired: got.ackRequired,
              timestampMs: got.timestampMs,
              message: got.message,
            });
            if (json !== want)
              expect(json, `${direction} frame at ${f.offset} split at ${k}`).toBe(want);
            if (d.next() !== null || d.bufferedBytes !== 0)
              expect.fail(`${direction} frame at ${f.offset} split at ${k}: bytes left over`);
          }
        }
        // the whole stream in chunks of 1..97 bytes gives the same frames
        const d = codec.createDecoder();
        const chunked: DecodedFrame[] = [];
        for (let o = 0, n = 1; o < bytes.length; o += n, n = ((n * 7 + 3) % 97) + 1) {
          d.push(bytes.subarray(o, o + n));
          for (let r = d.next(); r !== null; r = d.next()) if (r.kind === 'frame') chunked.push(r);
        }
        expect(JSON.stringify(chunked)).toBe(JSON.stringify(frames));
      }
      // what a real session carries: every business message both ways, ACKs, link syncs, NAKs of corrupted native frames (a telegram with a bad BCC has no trusted sequence number to NAK)
      const expected = [
        'out:sortRequest',
        'out:sortConfirmation',
        'out:chuteState',
        'out:ack',
        'out:linkSync',
        'in:destinationReply',
        'in:chuteState',
        'in:ack',
        'in:linkSync',
      ];
      if (dialect === 'native') expected.push('in:nak'); // a body CRC fault under a good header CRC is NAKed
      for (const t of expected) {
        expect(seen, t).toContain(t);
      }
    }, 120_000);
  }
});
