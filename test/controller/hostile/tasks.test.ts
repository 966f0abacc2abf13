/**
 * A PLC that restarts and reuses task ids, and one that names chutes it does not have (issue 8,
 * findings 4 and 7), and a controller past its capacity (finding 8, the busy reply): over a real
 * TCP link against a running controller. Before, a reused open task id got the old parcel's
 * reply (a misroute), a confirmation into chute 9999 counted as discharged, and requests beyond
 * capacity were dropped or answered late without a word.
 */
import { describe, expect, it } from 'vitest';
import {
  NakReason,
  Outcome,
  ReplyStatus,
  type DestinationReply,
} from '../../../core/protocol/index.js';
import { openJournalReadOnly } from '../../../controller/journal/index.js';
import { controller, Peer, request, until } from './peer.js';

const NANJING = ']C1421156210008';
const SHANDONG = ']C1421156250001';
const replies = (p: Peer): DestinationReply[] =>
  p.of('destinationReply').map((f) => f.message as DestinationReply);

describe('a PLC that reuses task ids', () => {
  it('a reused open task id with another label is a new parcel: its own destination, the old task closed as lost (journaled)', async () => {
    const c = await controller();
    const p = await Peer.connect(c.server.address, 'native');
    p.sync();
    p.write(request(7, NANJING), 1);
    await until(() => replies(p).length === 1);
    const nanjing = replies(p)[0]!;
    // the same request resent: the same answer, one task
    p.write(request(7, NANJING), 1);
    // the PLC cold-restarts (numbering and task ids from 1 again, with a link sync) and task id 7
    // is now another parcel, bound for Shandong
    p.sync(0, 1);
    p.write(request(7, SHANDONG), 1);
    await until(() => replies(p).length === 2);
    const shandong = replies(p)[1]!;
    expect(shandong.status).toBe(ReplyStatus.OK);
    expect(shandong.chutes).not.toEqual(nanjing.chutes);
    const s = c.server.service.stats;
    expect(s.taskIdReuses).toBe(1);
    expect(c.logs.some((l) => l.code === 'SORTLINE_ERR_SERVICE_TASK_ID_REUSED')).toBe(true);
    const view = c.server.service.task(c.config.gateway.name, 7)!;
    expect(view.open).toBe(true);
    expect(view.chutes).toEqual(shandong.chutes);
    // the journal holds two lives of task id 7: the first closed as tracking lost
    await c.server.journal.settle();
    const db = openJournalReadOnly(c.server.journalPath);
    const rows = db
      .prepare('SELECT id, outcome FROM tasks WHERE task_id = 7 ORDER BY id')
      .all() as { id: number; outcome: number | null }[];
    db.close();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.outcome).toBe(Outcome.TRACKING_LOST);
    expect(rows[1]!.outcome).toBeNull();
  });

  it("an earlier turn stamped after the open task's latest request is another parcel too; a resend (same stamp) is stale", async () => {
    const c = await controller();
    const p = await Peer.connect(c.server.address, 'native');
    p.sync();
    const t0 = Date.now();
    p.write(request(9, NANJING, 1), 1, t0);
    p.write(request(9, NANJING, 2), 2, t0 + 10); // recirculated: turn 2
    await until(() => replies(p).length === 2);
    p.write(request(9, NANJING, 1), 3, t0); // a late resend of turn 1: stale, unanswered
    p.write(request(9, SHANDONG, 1), 4, t0 + 20); // a new parcel with id 9
    await until(() => replies(p).length === 3);
    expect(c.server.service.stats.staleRequests).toBe(1);
    expect(c.server.service.stats.taskIdReuses).toBe(1);
  });
});

describe('a PLC naming a chute it does not have', () => {
  it('a confirmation into chute 9999 is refused (NAK malformed), counted and logged, not counted as discharged', async () => {
    const c = await controller();
    const p = await Peer.connect(c.server.address, 'native');
    p.sync();
    p.write(request(1, NANJING), 1);
    await until(() => replies(p).length === 1);
    p.write(
      { type: 'sortConfirmation', taskId: 1, turn: 1, chute: 9999, outcome: Outcome.DISCHARGED },
      2,
    );
    await until(() => p.naks().length === 1);
    expect(p.naks()).toEqual([`2:${NakReason.MALFORMED}`]);
    const s = c.server.service.stats;
    expect(s.unknownChuteConfirmations).toBe(1);
    expect(s.byOutcome[Outcome.DISCHARGED]).toBe(0);
    expect(c.server.service.task(c.config.gateway.name, 1)!.open).toBe(true);
    expect(c.logs.some((l) => l.code === 'SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE')).toBe(true);
    // the real confirmation closes the task
    const chute = replies(p)[0]!.chutes[0]!;
    p.write(
      { type: 'sortConfirmation', taskId: 1, turn: 1, chute, outcome: Outcome.DISCHARGED },
      3,
    );
    await until(() => c.server.service.task(c.config.gateway.name, 1)!.open === false);
  });
});

describe('past capacity', () => {
  it('requests that queued longer than maxQueueDelayMs get a busy reply at once, counted and logged; fresh ones are served', async () => {
    const c = await controller({ service: { admission: { maxQueueDelayMs: 50 } } });
    const p = await Peer.connect(c.server.address, 'native');
    p.sync();
    const now = Date.now();
    for (let i = 1; i <= 5; i++) p.write(request(i), i, now); // fresh: the base delay
    await until(() => replies(p).length === 5);
    // requests the PLC queued 500 ms ago (stamped then): they would be answered too late
    for (let i = 6; i <= 8; i++) p.write(request(i), i, Date.now() - 500);
    p.write(request(9), 9); // and a fresh one
    await until(() => replies(p).length === 9);
    const r = replies(p);
    expect(r.slice(5, 8).map((x) => x.status)).toEqual([
      ReplyStatus.BUSY,
      ReplyStatus.BUSY,
      ReplyStatus.BUSY,
    ]);
    expect(r.slice(5, 8).every((x) => x.chutes.length === 0)).toBe(true);
    expect(r[8]!.status).toBe(ReplyStatus.OK);
    const s = c.server.service.stats;
    expect(s.busyReplies).toBe(3);
    expect(c.logs.some((l) => l.code === 'SORTLINE_ERR_SERVICE_OVERLOADED')).toBe(true);
    // a shed request opened no task: asked again in time, it is served
    p.write(request(6), 10);
    await until(() => replies(p).length === 10);
    expect(replies(p)[9]!.status).toBe(ReplyStatus.OK);
  });
});
