/**
 * A faulty PLC against a running controller, over TCP and WebSocket (issue 8, findings 1, 5, 6
 * and the clock window): holes in its numbering, frames refused as malformed, a restart without
 * a link sync, a truncated frame, a forged clock. Each script fails on the controller of before
 * (the receive window jammed after 4,096 frames; restarts went unanswered in silence; a
 * truncated frame stalled the decoder; a forged stamp moved the controller's notion of time).
 */
import { describe, expect, it } from 'vitest';
import { NakReason, type DestinationReply } from '../../../core/protocol/index.js';
import { nativeFrameOf } from '../../protocol/build.js';
import { controller, Peer, request, until } from './peer.js';

const replies = (p: Peer): DestinationReply[] =>
  p.of('destinationReply').map((f) => f.message as DestinationReply);

describe.each([
  ['tcp', 'ndjson'],
  ['tcp', 'native'],
  ['ws', 'native'],
] as const)('a faulty PLC over %s (%s)', (transport, dialect) => {
  const start = () =>
    controller(
      {},
      {
        listen: transport === 'tcp' ? 'tcp://127.0.0.1:0' : 'ws://127.0.0.1:0/plc',
        dialect,
      },
    );

  it('one malformed request among 5,000 (turn 0): the other 4,999 are answered, the window never jams', async () => {
    const { server } = await start();
    const p = await Peer.connect(server.address, dialect);
    p.sync();
    const N = 5_000;
    const bad = 17;
    for (let i = 1; i <= N; i++) {
      if (i === bad) {
        // a turn of 0 is out of range: a BAD_FIELD fault the controller NAKs as malformed
        if (dialect === 'ndjson')
          p.bytes(
            new TextEncoder().encode(
              JSON.stringify({
                type: 'sortRequest',
                seq: i,
                ack: true,
                ts: Date.now(),
                taskId: i,
                turn: 0,
                induct: 1,
                scanner: 1,
                carrier: 1,
                reads: [],
              }) + '\n',
            ),
          );
        else {
          const body = { ...request(i), turn: 0 } as Record<string, unknown>;
          delete body['type'];
          p.bytes(
            nativeFrameOf(1, body, {
              seq: i,
              tsHigh: Math.floor(Date.now() / 2 ** 32),
              tsLow: Date.now() % 2 ** 32,
            }),
          );
        }
      } else p.write(request(i), i);
      if (i % 500 === 0)
        await until(() => replies(p).length >= i - 1 - 200, 20_000, `replies to ${i}`);
    }
    await until(() => replies(p).length === N - 1, 30_000, 'every good request answered');
    expect(p.naks()).toContain(`${bad}:${NakReason.MALFORMED}`);
    expect(p.naks().filter((n) => n.endsWith(`:${NakReason.BUSY}`))).toEqual([]);
    const s = [...server.sessions.sessions][0]!.stats;
    expect(s.framesRefused).toBe(1);
    expect(s.holesSkipped).toBe(0);
  }, 90_000);

  it('a sequence number that never arrives (lost in a PLC restart): given up, coded, and the link goes on', async () => {
    const { server, logs } = await start();
    const p = await Peer.connect(server.address, dialect);
    p.sync();
    const N = 4_400; // past the 4,096 window
    for (let i = 1; i <= N; i++) {
      if (i !== 50) p.write(request(i), i);
      if (i % 500 === 0) await until(() => replies(p).length >= i - 300, 20_000, `replies to ${i}`);
    }
    await until(
      () => replies(p).length === N - 1,
      30_000,
      'every request but the lost one answered',
    );
    expect(p.naks()).toEqual([]);
    const s = [...server.sessions.sessions][0]!.stats;
    expect(s.holesSkipped).toBe(1);
    expect(logs.some((l) => l.code === 'SORTLINE_ERR_SESSION_HOLE_SKIPPED')).toBe(true);
  }, 90_000);

  it('a PLC that restarts without a link sync is told to sync (NAK resync), and served once it does', async () => {
    const { server, logs } = await start();
    const p = await Peer.connect(server.address, dialect);
    p.sync();
    for (let i = 1; i <= 10; i++) p.write(request(i), i);
    await until(() => replies(p).length === 10);
    // restart: numbering and task ids from 1 again, other parcels, no link sync
    for (let i = 1; i <= 3; i++) p.write(request(100 + i, ']C1421156250001'), i);
    await until(() => p.naks().length === 3);
    expect(p.naks()).toEqual([1, 2, 3].map((s) => `${s}:${NakReason.RESYNC}`));
    expect(replies(p)).toHaveLength(10);
    const s = [...server.sessions.sessions][0]!.stats;
    expect(s.reusedSeqs).toBe(1);
    expect(s.unsyncedFrames).toBe(2);
    expect(logs.some((l) => l.code === 'SORTLINE_ERR_SESSION_SYNC_REQUIRED')).toBe(true);
    // it syncs (a restart: nextSendSeq 1) and sends again: served
    p.sync(0, 1);
    for (let i = 1; i <= 3; i++) p.write(request(100 + i, ']C1421156250001'), i);
    await until(() => replies(p).length === 13);
    expect(
      replies(p)
        .slice(10)
        .map((r) => r.taskId),
    ).toEqual([101, 102, 103]);
  }, 30_000);

  it('business frames on a new connection before its link sync: NAK resync, nothing delivered', async () => {
    const { server } = await start();
    const p = await Peer.connect(server.address, dialect);
    p.write(request(1), 1);
    p.write({ type: 'chuteState', chute: 1, state: 3 }, 2);
    await until(() => p.naks().length === 2);
    expect(p.naks()).toEqual([`1:${NakReason.RESYNC}`, `2:${NakReason.RESYNC}`]);
    expect(server.service.stats.requests).toBe(0);
    expect(server.service.stats.chuteChanges).toBe(0);
  }, 30_000);

  it('a forged clock (a stamp near 2^52) is refused with NAK clock and does not move the controller: real requests are answered', async () => {
    const { server, logs } = await start();
    const p = await Peer.connect(server.address, dialect);
    p.sync();
    const forged = 2 ** 52;
    p.write({ type: 'sortConfirmation', taskId: 1, turn: 1, chute: 1, outcome: 0 }, 1, forged);
    p.write(request(1), 2);
    p.write(request(2), 3);
    await until(() => replies(p).length === 2);
    expect(p.naks()).toEqual([`1:${NakReason.CLOCK}`]);
    expect(server.service.stats.confirmations).toBe(0);
    expect(logs.some((l) => l.code === 'SORTLINE_ERR_SESSION_CLOCK_SKEW')).toBe(true);
    // a confirmation an hour in the past is refused too; stamp 0 (no clock) passes
    p.write(
      { type: 'sortConfirmation', taskId: 1, turn: 1, chute: 1, outcome: 0 },
      4,
      Date.now() - 3_600_000,
    );
    p.write({ type: 'sortConfirmation', taskId: 2, turn: 1, chute: 1, outcome: 0 }, 5, 0);
    await until(() => p.naks().length === 2 && server.service.stats.confirmations === 1);
    expect(server.service.stats.staleRequests).toBe(0);
  }, 30_000);

  if (dialect === 'native')
    it('a truncated frame is discarded once the line stays quiet, counted, and the next frame is answered', async () => {
      const { server } = await start();
      const p = await Peer.connect(server.address, dialect);
      p.sync();
      const whole = p.codec.encode(request(1), {
        seq: 1,
        ackRequired: true,
        timestampMs: Date.now(),
      });
      p.bytes(whole.subarray(0, 30)); // the rest never comes
      const s = [...server.sessions.sessions][0]!.stats;
      await until(() => s.partialFramesDiscarded === 1, 10_000, 'the partial frame discarded');
      p.write(request(2), 2);
      await until(() => replies(p).length === 1);
      expect(replies(p)[0]!.taskId).toBe(2);
      expect(s.faults).toBeGreaterThanOrEqual(1);
    }, 30_000);
});
