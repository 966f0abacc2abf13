/**
 * Two sessions over in-memory links on fake time: frames unacknowledged when a link drops —
 * lost on the wire, or delivered with their ACK lost — are resent after the link sync of the next
 * link and delivered exactly once, in order, both ways.
 */
import { describe, expect, it } from 'vitest';
import {
  CODECS,
  DIALECT_NAMES,
  type Codec,
  Session,
  memoryLinkPair,
  type MemoryLink,
} from '../../../core/protocol/index.js';
import { flush, ManualClock, Recorder, reply, request } from './helpers.js';

function pair(
  codec: Codec,
  clock: ManualClock,
): { plc: Session; host: Session; plcRec: Recorder; hostRec: Recorder } {
  const plcRec = new Recorder();
  const hostRec = new Recorder();
  return {
    plc: new Session(codec, plcRec, {}, clock),
    host: new Session(codec, hostRec, {}, clock),
    plcRec,
    hostRec,
  };
}

function connect(plc: Session, host: Session): [MemoryLink, MemoryLink] {
  const [a, b] = memoryLinkPair();
  plc.attach(a);
  host.attach(b);
  return [a, b];
}

describe.each(DIALECT_NAMES)('session reconnect (%s)', (dialect) => {
  const codec = CODECS[dialect];

  it('resends what the peer did not acknowledge and delivers it exactly once', async () => {
    const clock = new ManualClock();
    const { plc, host, plcRec, hostRec } = pair(codec, clock);
    const [a1, b1] = connect(plc, host);
    await flush();
    expect(plcRec.ups + hostRec.ups).toBe(2);
    for (let i = 1; i <= 5; i++) plc.send(request(i));
    for (let i = 1; i <= 5; i++) host.send(reply(100 + i));
    await flush();
    expect(hostRec.ids()).toEqual([1, 2, 3, 4, 5]);
    expect(plcRec.ids()).toEqual([101, 102, 103, 104, 105]);
    // Drop 1: the PLC's 6..8 reach the host but the host's ACKs are held and lost, as are the
    // host's 106..110; the PLC's 9..10 never leave.
    b1.pause();
    for (let i = 6; i <= 8; i++) plc.send(request(i));
    await flush();
    for (let i = 6; i <= 8; i++) host.send(reply(100 + i));
    a1.pause();
    for (let i = 9; i <= 10; i++) plc.send(request(i));
    for (let i = 9; i <= 10; i++) host.send(reply(100 + i));
    await flush();
    expect(hostRec.ids()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    a1.destroy('cable pulled');
    await flush();
    expect(plc.connected || host.connected).toBe(false);
    expect(plc.stats.inFlight).toBe(5);
    await clock.advance(1_000);
    // Drop 2, the other way round.
    const [a2, b2] = connect(plc, host);
    await flush();
    a2.pause();
    for (let i = 11; i <= 12; i++) host.send(reply(100 + i));
    await flush();
    for (let i = 11; i <= 14; i++) plc.send(request(i));
    b2.pause();
    for (let i = 13; i <= 14; i++) host.send(reply(100 + i));
    await flush();
    b2.destroy('cable pulled');
    await clock.advance(1_000);
    connect(plc, host);
    await flush();
    for (let i = 15; i <= 16; i++) plc.send(request(i));
    for (let i = 15; i <= 16; i++) host.send(reply(100 + i));
    await clock.advance(1_000);
    const ids = Array.from({ length: 16 }, (_, i) => i + 1);
    expect(hostRec.ids()).toEqual(ids);
    expect(plcRec.ids()).toEqual(ids.map((i) => 100 + i));
    expect(plc.stats).toMatchObject({ inFlight: 0, queued: 0 });
    expect(host.stats).toMatchObject({ inFlight: 0, queued: 0 });
    expect(plcRec.downs).toHaveLength(2);
    // Frames that arrived (ACK lost) are released by the peer's link sync, not resent; only the
    // lost ones are: PLC 9–10 and 11–14, host 106–110 and 113–114.
    expect(plc.stats.resends).toBe(6);
    expect(host.stats.resends).toBe(7);
    expect(plc.stats.duplicates + host.stats.duplicates).toBe(0);
  });

  it('messages sent while disconnected queue and leave after the next attach', async () => {
    const clock = new ManualClock();
    const { plc, host, hostRec } = pair(codec, clock);
    for (let i = 1; i <= 3; i++) expect(plc.send(request(i))).toBe(true);
    expect(plc.stats.queued).toBe(3);
    connect(plc, host);
    await flush();
    expect(hostRec.ids()).toEqual([1, 2, 3]);
    expect(plc.stats.queued + plc.stats.inFlight).toBe(0);
  });

  it('a replaced link is destroyed and the session carries on over the new one', async () => {
    const clock = new ManualClock();
    const { plc, host, hostRec } = pair(codec, clock);
    const [a1] = connect(plc, host);
    await flush();
    const [a2, b2] = memoryLinkPair();
    host.attach(b2);
    plc.attach(a2);
    await flush();
    expect(a1.closed).toBe(true);
    plc.send(request(1));
    await flush();
    expect(hostRec.ids()).toEqual([1]);
    expect(host.stats.linkDowns).toBe(1);
  });

  it('a session that restarted (fresh numbering) is recognised by its link sync', async () => {
    const clock = new ManualClock();
    const { plc, host, hostRec } = pair(codec, clock);
    connect(plc, host);
    await flush();
    for (let i = 1; i <= 4; i++) plc.send(request(i));
    await flush();
    const plc2 = new Session(codec, new Recorder(), {}, clock);
    connect(plc2, host);
    await flush();
    for (let i = 5; i <= 6; i++) plc2.send(request(i));
    await flush();
    expect(hostRec.ids()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(host.stats.peerResets).toBe(1);
  });
});
