/**
 * Receiving: ACK on receipt before the handler, deferred ACKs, duplicate suppression, sequence
 * wrap, the receive window — in every dialect (fake time, in-memory links).
 */
import { describe, expect, it } from 'vitest';
import {
  CODECS,
  DIALECT_NAMES,
  NakReason,
  type FrameHeader,
  type BusinessMessage,
} from '../../../core/protocol/index.js';
import { flush, Recorder, confirmation, request } from './helpers.js';
import { reattach, rig } from './setup.js';

describe.each(DIALECT_NAMES)('session receive (%s)', (dialect) => {
  const codec = CODECS[dialect];

  it('ACKs a business frame before its handler runs', async () => {
    let acksOutAtHandler = -1;
    const rec = new (class extends Recorder {
      override onMessage(m: BusinessMessage, h: FrameHeader, ack: () => void): void {
        acksOutAtHandler = r.session.stats.acksOut;
        super.onMessage(m, h, ack);
      }
    })();
    const r = await rig(codec, {}, true, rec);
    r.peer.write(request(70_000), 5);
    await flush();
    expect(acksOutAtHandler).toBe(1);
    expect(r.rec.ids()).toEqual([70_000]);
    expect(r.peer.acked()).toEqual([5]);
    expect(r.rec.messages[0]!.header).toMatchObject({ seq: 5, ackRequired: true });
  });

  it('defers the ACK of deferAck types until ack(); a resend meanwhile is answered busy, not delivered', async () => {
    const r = await rig(codec, { deferAck: ['sortConfirmation'] });
    r.peer.write(confirmation(1), 7);
    r.peer.write(request(2), 8);
    await flush();
    expect(r.rec.ids()).toEqual([1, 2]);
    expect(r.peer.acked()).toEqual([8]);
    r.peer.write(confirmation(1), 7);
    await flush();
    expect(r.rec.ids()).toEqual([1, 2]);
    expect(r.peer.of('nak').map((f) => f.message)).toEqual([
      { type: 'nak', nakSeq: 7, reason: NakReason.BUSY },
    ]);
    r.rec.acks[0]!();
    r.rec.acks[0]!();
    await flush();
    expect(r.peer.acked()).toEqual([8, 7]);
    r.peer.write(confirmation(1), 7);
    await flush();
    expect(r.peer.acked()).toEqual([8, 7, 7]);
    expect(r.rec.ids()).toEqual([1, 2]);
    expect(r.session.stats.duplicates).toBe(2);
  });

  it('link sync reports only what was acknowledged: a deferred frame not yet acked is resent by the peer', async () => {
    const r = await rig(codec, { deferAck: ['sortConfirmation'] });
    r.peer.write(request(1), 1);
    r.peer.write(confirmation(1), 2);
    r.peer.write(request(3), 3);
    await flush();
    const r2 = await reattach(r, null);
    const sync = r2.peer.of('linkSync')[0]!.message;
    expect(sync).toEqual({ type: 'linkSync', lastReceivedSeq: 1, nextSendSeq: 1 });
    r.rec.acks[1]!();
    await flush();
    expect(r2.peer.acked()).toEqual([2]);
  });

  it('delivers a replayed frame once and ACKs every copy', async () => {
    const r = await rig(codec);
    for (let i = 0; i < 4; i++) r.peer.write(request(1), 10);
    r.peer.write(request(2), 11);
    r.peer.write(request(1), 10);
    await flush();
    expect(r.rec.ids()).toEqual([1, 2]);
    expect(r.peer.acked()).toEqual([10, 10, 10, 10, 11, 10]);
    expect(r.session.stats.duplicates).toBe(4);
    expect(r.session.stats.delivered).toBe(2);
  });

  it('delivers a late frame that fills a gap, and suppresses its replay', async () => {
    const r = await rig(codec);
    r.peer.write(request(1), 1);
    r.peer.write(request(3), 3);
    r.peer.write(request(2), 2);
    r.peer.write(request(2), 2);
    r.peer.write(request(3), 3);
    await flush();
    expect(r.rec.ids()).toEqual([1, 3, 2]);
    expect(r.session.stats.duplicates).toBe(2);
  });

  it("wraps at the codec's maxSeq: maxSeq-1, maxSeq, 1, 2 are four new frames", async () => {
    const max = codec.maxSeq;
    const r = await rig(codec);
    const seqs = [max - 1, max, 1, 2];
    seqs.forEach((s, i) => r.peer.write(request(100 + i), s));
    r.peer.write(request(101), max);
    r.peer.write(request(102), 1);
    await flush();
    expect(r.rec.ids()).toEqual([100, 101, 102, 103]);
    expect(r.peer.acked()).toEqual([...seqs, max, 1]);
    expect(r.session.stats.duplicates).toBe(2);
    const r2 = await reattach(r, null);
    expect(r2.peer.of('linkSync')[0]!.message).toMatchObject({ lastReceivedSeq: 2 });
  });

  it('answers busy beyond the receive window and accepts the frame once the window moved', async () => {
    const r = await rig(codec, {
      maxInFlight: 4,
      duplicateWindow: 4,
      deferAck: ['sortConfirmation'],
    });
    r.peer.write(confirmation(1), 1);
    for (let s = 2; s <= 4; s++) r.peer.write(request(s), s);
    r.peer.write(request(5), 5);
    await flush();
    expect(r.rec.ids()).toEqual([1, 2, 3, 4]);
    expect(r.peer.of('nak').map((f) => f.message)).toEqual([
      { type: 'nak', nakSeq: 5, reason: NakReason.BUSY },
    ]);
    expect(r.rec.faults).toEqual(['SORTLINE_ERR_SESSION_WINDOW_FULL']);
    r.rec.acks[0]!();
    r.peer.write(request(5), 5);
    await flush();
    expect(r.rec.ids()).toEqual([1, 2, 3, 4, 5]);
  });

  it('a frame far behind the window means the peer restarted its numbering: delivered, reported', async () => {
    const r = await rig(codec, { maxInFlight: 4, duplicateWindow: 8 });
    for (let s = 100; s < 110; s++) r.peer.write(request(s), s);
    r.peer.write(request(1), 1);
    r.peer.write(request(1), 1);
    await flush();
    expect(r.rec.ids()).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 1]);
    expect(r.session.stats.peerResets).toBe(1);
    expect(r.rec.faults).toEqual(['SORTLINE_ERR_SESSION_PEER_RESET']);
  });

  it("a peer's link sync announcing numbers that cannot follow restarts duplicate suppression", async () => {
    const r = await rig(codec);
    for (let s = 1; s <= 5; s++) r.peer.write(request(s), s);
    await flush();
    const r2 = await reattach(r, { last: 0, next: 1 });
    for (let s = 1; s <= 3; s++) r2.peer.write(request(10 + s), s);
    await flush();
    expect(r.rec.ids()).toEqual([1, 2, 3, 4, 5, 11, 12, 13]);
    expect(r.rec.faults).toEqual(['SORTLINE_ERR_SESSION_PEER_RESET']);
  });

  it('delivers a business frame sent without ACK-required, without ACKing it', async () => {
    const r = await rig(codec);
    r.peer.write(request(9), 0, false);
    r.peer.write(request(9), 0, false);
    await flush();
    expect(r.rec.ids()).toEqual([9, 9]);
    expect(r.peer.acked()).toEqual([]);
  });

  it('drops a business frame numbered 0 that asks for an ACK', async () => {
    const r = await rig(codec);
    r.peer.write(request(9), 0, true);
    await flush();
    expect(r.rec.ids()).toEqual([]);
    expect(r.rec.faults).toEqual(['SORTLINE_ERR_SESSION_BAD_SEQ']);
  });
});
