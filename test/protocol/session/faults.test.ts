/**
 * Garbage, corrupted frames and failing handlers: good frames between bad ones are still
 * delivered, faults are counted and reported, a corrupted frame whose header is intact is NAKed
 * (dialect by dialect), and the session never throws.
 */
import { describe, expect, it } from 'vitest';
import {
  CODECS,
  NakReason,
  type DialectName,
  type FrameHeader,
  type BusinessMessage,
} from '../../../core/protocol/index.js';
import { flush, Recorder, confirmation, request } from './helpers.js';
import { rig } from './setup.js';
import { concat } from '../../bytes.js';

/** A copy of `frame` corrupted in its body, and the NAK the receiver owes for it (null: header not trusted, no NAK). */
const CORRUPT: Record<DialectName, { corrupt(frame: Uint8Array): Uint8Array; nak: number | null }> =
  {
    // A body byte: the header CRC still holds, the body CRC does not → NAK checksum.
    native: { corrupt: (f) => flip(f, 24 + 3, 0x01), nak: NakReason.CHECKSUM },
    // A digit of the body: the BCC covers the whole telegram, so the sequence number is not trusted.
    telegram: { corrupt: (f) => flip(f, 1 + 22 + 4, 0x01), nak: null },
    // The line is still JSON with a readable seq, but a field is wrong → NAK malformed.
    ndjson: {
      corrupt: (f) =>
        new TextEncoder().encode(new TextDecoder().decode(f).replace('"turn":1', '"turn":"one"')),
      nak: NakReason.MALFORMED,
    },
  };

function flip(f: Uint8Array, at: number, bits: number): Uint8Array {
  const c = f.slice();
  c[at] = c[at]! ^ bits;
  return c;
}

describe.each(Object.keys(CORRUPT) as DialectName[])('session faults (%s)', (dialect) => {
  const codec = CODECS[dialect];
  const enc = (taskId: number, seq: number): Uint8Array =>
    codec.encode(request(taskId), { seq, ackRequired: true, timestampMs: 0 });

  it('delivers the good frames around garbage and a corrupted frame, counts the faults, NAKs when it can', async () => {
    const r = await rig(codec);
    const garbage = new TextEncoder().encode('\x00\x7fnoise between frames\r\n'); // ends with LF: in NDJSON garbage ends at a line end
    const stream = concat([
      enc(1, 1),
      garbage,
      enc(2, 2),
      CORRUPT[dialect].corrupt(enc(3, 3)),
      enc(4, 4),
    ]);
    // Once whole, once in chunks of 7 bytes.
    r.b.write(stream);
    await flush();
    expect(r.rec.ids()).toEqual([1, 2, 4]);
    const faults = r.session.stats.faults;
    expect(faults).toBeGreaterThanOrEqual(2);
    expect(r.rec.faults).toHaveLength(faults);
    expect(r.session.stats.bytesDiscarded).toBeGreaterThanOrEqual(garbage.length);
    const naks = r.peer.of('nak').map((f) => f.message);
    expect(naks).toEqual(
      CORRUPT[dialect].nak === null
        ? []
        : [{ type: 'nak', nakSeq: 3, reason: CORRUPT[dialect].nak }],
    );
    // The peer resends frame 3 (unchanged, as after a timeout): delivered.
    r.b.write(enc(3, 3));
    await flush();
    expect(r.rec.ids()).toEqual([1, 2, 4, 3]);
    for (let i = 0; i < stream.length; i += 7) r.b.write(stream.subarray(i, i + 7));
    await flush();
    expect(r.rec.ids()).toEqual([1, 2, 4, 3]);
    expect(r.session.stats.duplicates).toBe(3);
    expect(r.session.stats.faults).toBe(2 * faults);
    expect(r.session.connected).toBe(true);
  });

  it('survives 2,000 random chunks and still delivers the next good frame', async () => {
    const r = await rig(codec);
    let x = 0x9e3779b9;
    const rnd = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    const good = enc(1, 1);
    for (let i = 0; i < 2_000; i++) {
      const n = 1 + Math.floor(rnd() * 64);
      const chunk = new Uint8Array(n);
      for (let k = 0; k < n; k++)
        chunk[k] = rnd() < 0.3 ? good[Math.floor(rnd() * good.length)]! : Math.floor(rnd() * 256);
      r.b.write(chunk);
    }
    await flush();
    expect(r.session.stats.faults).toBeGreaterThan(0);
    // A delimiter ends whatever partial frame the noise left, then a good frame.
    const reset = dialect === 'ndjson' ? '\n' : dialect === 'telegram' ? '\x03' : '';
    r.b.write(concat([new TextEncoder().encode(reset), enc(77, 500_000)]));
    await flush();
    expect(r.rec.ids()).toContain(77);
  });
});

describe('session handler faults', () => {
  const codec = CODECS.native;

  it('a throwing handler is counted; the session carries on; a deferred message is delivered again on resend', async () => {
    let fail = true;
    const rec = new (class extends Recorder {
      override onMessage(m: BusinessMessage, h: FrameHeader, ack: () => void): void {
        super.onMessage(m, h, ack);
        if (fail) throw new Error('journal down');
      }
    })();
    const r = await rig(codec, { deferAck: ['sortConfirmation'] }, true, rec);
    r.peer.write(confirmation(1), 1);
    r.peer.write(request(2), 2);
    await flush();
    expect(r.session.stats.handlerErrors).toBe(2);
    expect(r.peer.acked()).toEqual([2]);
    fail = false;
    r.peer.write(confirmation(1), 1);
    await flush();
    expect(rec.ids()).toEqual([1, 2, 1]);
    rec.acks[2]!();
    await flush();
    expect(r.peer.acked()).toEqual([2, 1]);
    expect(r.session.connected).toBe(true);
  });

  it('reports a WebSocket-style link fault and counts it', async () => {
    const r = await rig(codec);
    (r.a as unknown as { emitFault(code: string, message: string): void }).emitFault(
      'SORTLINE_ERR_TRANSPORT_TEXT_MESSAGE',
      'text',
    );
    expect(r.rec.faults).toEqual(['SORTLINE_ERR_TRANSPORT_TEXT_MESSAGE']);
    expect(r.session.stats.faults).toBe(1);
  });

  it('a link dropped inside a frame reports the cut frame', async () => {
    const r = await rig(codec);
    r.b.write(enc3().subarray(0, 10));
    await flush();
    r.b.destroy('cut');
    await flush();
    expect(r.rec.faults).toEqual(['SORTLINE_ERR_PROTOCOL_TRUNCATED']);
  });

  function enc3(): Uint8Array {
    return codec.encode(request(3), { seq: 3, ackRequired: true, timestampMs: 0 });
  }
});
