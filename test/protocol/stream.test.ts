/** The buffering shared by the dialects: chunk queue, compaction, offsets, the buffer bound. */
import { describe, expect, it } from 'vitest';
import { CODECS } from '../../core/protocol/index.js';
import { ProtocolFault, type DecodedFrame, type DecodeFault } from '../../core/protocol/faults.js';
import { FramedDecoder } from '../../core/protocol/stream.js';
import { SAMPLES } from './samples.js';

/** A dialect that never finds a frame end: it must still not hold more than maxFrameBytes. */
class NeverEnds extends FramedDecoder {
  protected scan(): DecodedFrame | DecodeFault | null {
    return null;
  }
}

describe('FramedDecoder', () => {
  it('a dialect that wants more bytes with a full buffer gets LENGTH_OVER_LIMIT, and the buffer stays bounded', () => {
    const d = new NeverEnds(64);
    d.push(new Uint8Array(200).fill(0x41));
    const faults = [];
    for (let r = d.next(); r !== null; r = d.next()) faults.push(r);
    expect(faults).toMatchObject(
      [0, 64, 128].map((offset) => ({
        kind: 'fault',
        fault: ProtocolFault.LENGTH_OVER_LIMIT,
        offset,
      })),
    );
    expect(d.bufferedBytes).toBe(200 - 192);
    expect(d.stats).toMatchObject({ faults: 3, bytesDiscarded: 192, resyncs: 1 });
  });

  it('several chunks pushed before next(), empty chunks, and chunks larger than the buffer', () => {
    const codec = CODECS.native;
    const f = codec.encode(SAMPLES.sortRequest, { seq: 1, ackRequired: true, timestampMs: 0 });
    const d = codec.createDecoder({ maxFrameBytes: f.length });
    const stream = new Uint8Array(f.length * 5);
    for (let i = 0; i < 5; i++) stream.set(f, i * f.length);
    d.push(new Uint8Array(0));
    d.push(stream.subarray(0, 7));
    d.push(stream.subarray(7, 3 * f.length + 1));
    d.push(new Uint8Array(0));
    d.push(stream.subarray(3 * f.length + 1));
    const offsets: number[] = [];
    for (let r = d.next(); r !== null; r = d.next()) {
      expect(r.kind).toBe('frame');
      offsets.push(r.offset);
      expect(d.bufferedBytes).toBeLessThanOrEqual(f.length);
    }
    expect(offsets).toEqual([0, 1, 2, 3, 4].map((i) => i * f.length));
    expect(d.end()).toBeNull();
  });

  it('offsets keep counting across end()', () => {
    const codec = CODECS.ndjson;
    const line = codec.encode(SAMPLES.heartbeat, { seq: 0, ackRequired: false, timestampMs: 0 });
    const d = codec.createDecoder();
    d.push(line.subarray(0, 5));
    expect(d.next()).toBeNull();
    expect(d.end()).toMatchObject({ offset: 0 });
    d.push(line);
    expect(d.next()).toMatchObject({ kind: 'frame', offset: 5 });
  });
});
