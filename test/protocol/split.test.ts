/**
 * Acceptance (issue 4): every frame of a recorded session, split at every byte boundary, decodes
 * to the same messages — in every dialect.
 */
import { describe, expect, it } from 'vitest';
import {
  CODECS,
  DIALECT_NAMES,
  MESSAGE_TYPE_NAMES,
  type Codec,
  type DecodedFrame,
  type StreamDecoder,
} from '../../core/protocol/index.js';
import { recordedSession } from './session.js';
import { concat } from '../bytes.js';

const session = recordedSession();

/** Drains `d`, failing on any fault. */
function drain(d: StreamDecoder, into: DecodedFrame[]): void {
  for (let r = d.next(); r !== null; r = d.next()) {
    if (r.kind === 'fault') throw new Error(`unexpected fault ${r.code}: ${r.message}`);
    into.push(r);
  }
}

function encodeSession(codec: Codec): { bytes: Uint8Array; starts: number[] } {
  const frames = session.map((f) => codec.encode(f.message, f.header));
  const starts: number[] = [];
  let o = 0;
  for (const f of frames) {
    starts.push(o);
    o += f.length;
  }
  return { bytes: concat(frames), starts };
}

describe('recorded session', () => {
  it('has at least 50 frames and every message type', () => {
    expect(session.length).toBeGreaterThanOrEqual(50);
    const types = new Set(session.map((f) => f.message.type));
    expect([...types].sort()).toEqual(Object.values(MESSAGE_TYPE_NAMES).sort());
  });

  for (const name of DIALECT_NAMES) {
    const codec = CODECS[name];
    const { bytes, starts } = encodeSession(codec);
    const expected = session.map((f, i) => ({
      kind: 'frame',
      ...f.header,
      message: f.message,
      offset: starts[i],
    }));

    it(`${name}: decodes in one chunk to the recorded frames, offsets included`, () => {
      const d = codec.createDecoder();
      const got: DecodedFrame[] = [];
      d.push(bytes);
      drain(d, got);
      expect(got).toMatchObject(expected);
      expect(d.stats).toEqual({ frames: session.length, faults: 0, bytesDiscarded: 0, resyncs: 0 });
      expect(d.end()).toBeNull();
    });

    it(`${name}: split at each of its ${bytes.length + 1} byte boundaries, decodes to the same frames`, () => {
      const whole: DecodedFrame[] = [];
      const d0 = codec.createDecoder();
      d0.push(bytes);
      drain(d0, whole);
      const wholeJson = JSON.stringify(whole);
      for (let k = 0; k <= bytes.length; k++) {
        const d = codec.createDecoder();
        const got: DecodedFrame[] = [];
        d.push(bytes.subarray(0, k));
        drain(d, got);
        d.push(bytes.subarray(k));
        drain(d, got);
        // A cheap exact comparison per split; the full diff only when it fails.
        if (JSON.stringify(got) !== wholeJson) expect(got, `split at byte ${k}`).toEqual(whole);
        if (d.bufferedBytes !== 0)
          expect.fail(`split at byte ${k}: ${d.bufferedBytes} bytes left in the buffer`);
      }
    });

    it(`${name}: fed one byte at a time, decodes to the same frames`, () => {
      const d = codec.createDecoder();
      const got: DecodedFrame[] = [];
      for (let i = 0; i < bytes.length; i++) {
        d.push(bytes.subarray(i, i + 1));
        drain(d, got);
        expect(d.bufferedBytes).toBeLessThanOrEqual(d.maxFrameBytes);
      }
      expect(got).toMatchObject(expected);
    });
  }
});
