/**
 * Sending on fake time: link sync before business frames, unchanged resends then a dead link,
 * heartbeat, idle timeout (half-open link), NAK reasons, window, queue and backpressure.
 */
import { describe, expect, it } from 'vitest';
import { CODECS, DIALECT_NAMES, NakReason, memoryLinkPair } from '../../../core/protocol/index.js';
import { flush, RawPeer, reply } from './helpers.js';
import { rig } from './setup.js';

describe.each(DIALECT_NAMES)('session send (%s)', (dialect) => {
  const codec = CODECS[dialect];

  it('writes a link sync on attach and holds business frames until the peer answers with its own', async () => {
    const r = await rig(codec, {}, false);
    expect(r.session.send(reply(1))).toBe(true);
    await flush();
    expect(r.peer.frames.map((f) => f.message)).toEqual([
      { type: 'linkSync', lastReceivedSeq: 0, nextSendSeq: 1 },
    ]);
    expect(r.rec.ups).toBe(0);
    r.peer.sync(0, 1);
    await flush();
    expect(r.rec.ups).toBe(1);
    const b = r.peer.business();
    expect(b.map((f) => [f.seq, f.ackRequired, f.message])).toEqual([[1, true, reply(1)]]);
  });

  it('without the peer’s link sync, sends after resendAfterMs', async () => {
    const r = await rig(codec, {}, false);
    r.session.send(reply(1));
    await r.clock.advance(299);
    expect(r.peer.business()).toHaveLength(0);
    await r.clock.advance(1);
    expect(r.peer.business().map((f) => f.seq)).toEqual([1]);
    expect(r.rec.ups).toBe(1);
  });

  it('resends the unchanged frame every resendAfterMs, maxResends times, then declares the link dead', async () => {
    const r = await rig(codec);
    const before = r.peer.chunks.length;
    r.session.send(reply(1));
    await flush();
    const first = r.peer.chunks[before]!;
    expect(r.peer.chunks.length).toBe(before + 1);
    await r.clock.advance(299);
    expect(r.peer.chunks.length).toBe(before + 1);
    for (let n = 1; n <= 3; n++) {
      await r.clock.advance(1);
      expect(r.peer.chunks.length).toBe(before + 1 + n);
      expect(r.peer.chunks[before + n]).toEqual(first);
      await r.clock.advance(299);
    }
    expect(r.session.connected).toBe(true);
    expect(r.session.stats.resends).toBe(3);
    await r.clock.advance(1);
    expect(r.session.connected).toBe(false);
    expect(r.peer.closedWith).not.toBeNull();
    expect(r.rec.downs).toHaveLength(1);
    expect(r.rec.downs[0]).toContain('SORTLINE_ERR_SESSION_NO_ACK');
    expect(r.session.stats.linkDeaths).toBe(1);
    expect(r.session.stats.inFlight).toBe(1);
  });

  it('an acknowledged frame is not resent; each frame keeps its own resend time', async () => {
    const r = await rig(codec);
    r.session.send(reply(1));
    await r.clock.advance(100);
    r.session.send(reply(2));
    await flush();
    r.peer.ack(1);
    await r.clock.advance(299);
    expect(r.peer.business().map((f) => f.seq)).toEqual([1, 2]);
    await r.clock.advance(1);
    expect(r.peer.business().map((f) => f.seq)).toEqual([1, 2, 2]);
    expect(r.session.stats.acksIn).toBe(1);
  });

  it('numbers frames from initialSeq and wraps from maxSeq to 1', async () => {
    const max = codec.maxSeq;
    const r = await rig(codec, { initialSeq: max - 1 });
    for (let i = 0; i < 3; i++) r.session.send(reply(i));
    await flush();
    expect(r.peer.business().map((f) => f.seq)).toEqual([max - 1, max, 1]);
    for (const s of [max - 1, max, 1]) r.peer.ack(s);
    await flush();
    expect(r.session.stats.inFlight).toBe(0);
    expect(r.session.stats.acksIn).toBe(3);
  });

  it('sends a heartbeat after heartbeatMs without sending anything', async () => {
    const r = await rig(codec);
    await r.clock.advance(4_999);
    expect(r.peer.of('heartbeat')).toHaveLength(0);
    await r.clock.advance(1);
    expect(r.peer.of('heartbeat')).toHaveLength(1);
    expect(r.peer.of('heartbeat')[0]).toMatchObject({ seq: 0, ackRequired: false });
    await r.clock.advance(3_000);
    r.session.send(reply(1));
    await flush();
    r.peer.ack(1);
    await r.clock.advance(4_999);
    expect(r.peer.of('heartbeat')).toHaveLength(1);
    await r.clock.advance(1);
    expect(r.peer.of('heartbeat')).toHaveLength(2);
  });

  it('closes the link after idleTimeoutMs without receiving, also when its own writes still succeed (half-open)', async () => {
    const r = await rig(codec);
    for (let i = 0; i < 6; i++) {
      await r.clock.advance(10_000);
      r.peer.write({ type: 'heartbeat' }, 0);
    }
    await flush();
    expect(r.session.connected).toBe(true);
    expect(r.session.stats.heartbeatsIn).toBe(6);
    r.b.pause();
    await r.clock.advance(29_999);
    expect(r.session.connected).toBe(true);
    await r.clock.advance(1);
    expect(r.session.connected).toBe(false);
    expect(r.rec.downs[0]).toContain('SORTLINE_ERR_SESSION_IDLE_TIMEOUT');
  });

  it('NAK checksum: resends the unchanged frame at once', async () => {
    const r = await rig(codec);
    const before = r.peer.chunks.length;
    r.session.send(reply(1));
    await flush();
    r.peer.nak(1, NakReason.CHECKSUM);
    await flush();
    expect(r.peer.chunks.length).toBe(before + 2);
    expect(r.peer.chunks[before + 1]).toEqual(r.peer.chunks[before]);
    expect(r.session.stats.resends).toBe(1);
  });

  it('NAK busy: resends after resendAfterMs, and busy answers never kill the link', async () => {
    const r = await rig(codec);
    r.session.send(reply(1));
    await flush();
    for (let n = 1; n <= 6; n++) {
      r.peer.nak(1, NakReason.BUSY);
      await r.clock.advance(299);
      expect(r.peer.business()).toHaveLength(n);
      await r.clock.advance(1);
      expect(r.peer.business()).toHaveLength(n + 1);
    }
    expect(r.session.connected).toBe(true);
  });

  it.each([NakReason.UNSUPPORTED, NakReason.MALFORMED, NakReason.TOO_LARGE])(
    'NAK reason %i: drops the frame, reports it, never resends',
    async (reason) => {
      const r = await rig(codec);
      r.session.send(reply(1));
      r.session.send(reply(2));
      await flush();
      r.peer.nak(1, reason);
      r.peer.ack(2);
      await r.clock.advance(2_000);
      expect(r.peer.business().map((f) => f.seq)).toEqual([1, 2]);
      expect(r.rec.faults).toEqual(['SORTLINE_ERR_SESSION_REJECTED']);
      expect(r.session.stats).toMatchObject({ rejected: 1, inFlight: 0, queued: 0 });
    },
  );

  it('counts ACKs and NAKs for frames it never sent as strays', async () => {
    const r = await rig(codec);
    r.peer.ack(77);
    r.peer.nak(78, NakReason.CHECKSUM);
    await flush();
    expect(r.session.stats.strays).toBe(2);
    expect(r.session.connected).toBe(true);
  });

  it('keeps maxInFlight on the wire, queues maxQueued behind, refuses beyond, drains at half', async () => {
    const r = await rig(codec, { maxInFlight: 2, maxQueued: 2 });
    let drains = 0;
    r.session.onDrain(() => drains++);
    expect([1, 2, 3, 4].map((i) => r.session.send(reply(i)))).toEqual([true, true, true, true]);
    expect(r.session.send(reply(5))).toBe(false);
    await flush();
    expect(r.peer.business().map((f) => f.seq)).toEqual([1, 2]);
    expect(r.session.stats).toMatchObject({ inFlight: 2, queued: 2, refused: 1 });
    r.peer.ack(1);
    await flush();
    expect(r.peer.business().map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(drains).toBe(0);
    r.peer.ack(2);
    await flush();
    expect(drains).toBe(1);
    expect(r.peer.business().map((f) => f.seq)).toEqual([1, 2, 3, 4]);
    expect(r.session.send(reply(5))).toBe(true);
    await flush();
    expect(r.peer.business().map((f) => f.seq)).toEqual([1, 2, 3, 4]);
    r.peer.ack(3);
    await flush();
    expect(r.peer.business().map((f) => f.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops writing new frames while the link is above its high-water mark, resumes on drain', async () => {
    const clockRig = await rig(codec);
    const { session } = clockRig;
    const [a, b] = memoryLinkPair({ highWaterMark: 1 });
    const peer = new RawPeer(b, codec);
    session.attach(a);
    await flush();
    peer.sync(0, 1);
    await flush();
    a.pause();
    for (let i = 1; i <= 5; i++) session.send(reply(i));
    expect(session.stats.queued).toBe(4);
    expect(session.stats.inFlight).toBe(1);
    a.resume();
    await flush();
    expect(peer.business().map((f) => (f.message as { taskId: number }).taskId)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(session.stats.queued).toBe(0);
  });

  it('sends an unnumbered message once, only while a link is up', async () => {
    const r = await rig(codec, {}, false);
    expect(r.session.send(reply(1), { ackRequired: false })).toBe(false);
    r.peer.sync(0, 1);
    await flush();
    expect(r.session.send(reply(2), { ackRequired: false })).toBe(true);
    await r.clock.advance(1_000);
    expect(
      r.peer.frames
        .filter((f) => f.message.type === 'destinationReply')
        .map((f) => [f.seq, f.ackRequired]),
    ).toEqual([[0, false]]);
  });
});
