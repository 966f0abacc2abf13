import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  Outcome,
  ReplyStatus,
  type DestinationReply,
  type SortConfirmation,
} from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import { ConfirmationKind, RequestKind, WARN_QUIET_MS } from '../../../controller/service/index.js';
import { label, makeService, num, read, request, spyRecorder, steppingClock } from './helpers.js';

const confirm = (
  taskId: number,
  turn: number,
  chute: number,
  outcome: SortConfirmation['outcome'],
): SortConfirmation => ({
  type: 'sortConfirmation',
  taskId,
  turn,
  chute,
  outcome,
});

describe('sort service: tasks and turns', () => {
  it('answers a duplicate request (same task and turn) with the same reply and counts it once', () => {
    const spy = spyRecorder();
    const { ask, service, machine } = makeService({ recorder: spy.recorder });
    const first = ask(request(7, [read(label('250001'))]));
    // the first chute fills up between the two (discharges, no state report): routing afresh would put C06 first
    machine.chutes.fill[machine.numbering.indexOf(num('C05'))] = 15;
    const again = ask(request(7, [read(label('250001'))]));
    expect(again).toEqual(first);
    expect(service.stats.requests).toBe(2);
    expect(service.stats.duplicateRequests).toBe(1);
    expect(service.stats.byStatus[ReplyStatus.OK]).toBe(1);
    expect(spy.of('opened')).toHaveLength(1);
    expect(spy.of('request').map((c) => c[4])).toEqual([RequestKind.NEW, RequestKind.DUPLICATE]);
  });

  it('routes the next turn of a recirculating parcel afresh, under the same task number', () => {
    const spy = spyRecorder();
    const { ask, service, deliver } = makeService({ recorder: spy.recorder });
    expect(ask(request(8, [read(label('250001'))])).chutes[0]).toBe(num('C05'));
    deliver(confirm(8, 1, num('C05'), Outcome.CHUTE_FULL));
    deliver({ type: 'chuteState', chute: num('C05'), state: ChuteState.FULL, fill: 15 });
    const next = ask(request(8, [read(label('250001'))], { turn: 2 }));
    expect(next.turn).toBe(2);
    expect(next.chutes).toEqual([num('C06'), num('C07'), num('C05')]);
    const opened = spy.of('opened');
    expect(opened).toHaveLength(1);
    expect(spy.of('replied').at(-1)![1]).toBe(opened[0]![1]);
    expect(service.task('plc1', 8)).toMatchObject({ open: true, turn: 2 });
  });

  it('does not answer a request for an older turn', () => {
    const { ask, deliver, sent, service } = makeService();
    ask(request(9, [read(label('210008'))], { turn: 2 }));
    const before = sent.length;
    deliver(request(9, [read(label('210008'))], { turn: 1 }));
    expect(sent.length).toBe(before);
    expect(service.stats.staleRequests).toBe(1);
  });

  it('records replies that took longer than the reply budget as late', () => {
    const spy = spyRecorder();
    const { ask, service } = makeService({
      recorder: spy.recorder,
      clock: steppingClock(200),
      replyBudgetMs: 150,
    });
    ask(request(10, [read(label('210008'))]));
    expect(service.stats.lateReplies).toBe(1);
    const [, , , , , , , sent, latencyUs, late] = spy.of('request')[0]!;
    expect([sent, latencyUs, late]).toEqual([true, 200_000, true]);
  });

  it('records a reply that could not be queued as missing', () => {
    const spy = spyRecorder();
    const { deliver, refuse, service } = makeService({ recorder: spy.recorder });
    refuse(true);
    deliver(request(11, [read(label('210008'))]));
    expect(service.stats.missingReplies).toBe(1);
    expect(spy.of('request')[0]![7]).toBe(false);
  });
});

describe('sort service: confirmations', () => {
  it('closes a task with exactly one terminal outcome; intermediate outcomes may repeat', () => {
    const spy = spyRecorder();
    const { ask, deliver, service } = makeService({ recorder: spy.recorder });
    ask(request(20, [read(label('250001'))]));
    deliver(confirm(20, 1, num('C05'), Outcome.CHUTE_FULL));
    deliver(confirm(20, 1, num('C06'), Outcome.CHUTE_FULL));
    deliver(confirm(20, 1, 0, Outcome.RECIRCULATED));
    ask(request(20, [read(label('250001'))], { turn: 2 }));
    deliver(confirm(20, 2, num('C07'), Outcome.DISCHARGED));
    deliver(confirm(20, 2, num('X2'), Outcome.LOOP_LIMIT));
    expect(service.task('plc1', 20)).toMatchObject({ open: false, outcome: Outcome.DISCHARGED });
    expect(service.stats.closedTasks).toBe(1);
    expect(service.stats.confirmationsAfterClose).toBe(1);
    expect(spy.of('closed')).toHaveLength(1);
    expect(spy.of('confirmation').map((c) => c[4])).toEqual([
      ConfirmationKind.COUNTED,
      ConfirmationKind.COUNTED,
      ConfirmationKind.COUNTED,
      ConfirmationKind.COUNTED,
      ConfirmationKind.AFTER_CLOSE,
    ]);
  });

  it('counts a resent confirmation once, before and after the task closed', () => {
    const spy = spyRecorder();
    const { ask, deliver, service } = makeService({ recorder: spy.recorder });
    ask(request(21, [read(label('210008'))]));
    deliver(confirm(21, 1, num('C53'), Outcome.CHUTE_FULL));
    deliver(confirm(21, 1, num('C53'), Outcome.CHUTE_FULL));
    ask(request(21, [read(label('210008'))], { turn: 2 }));
    deliver(confirm(21, 2, num('C53'), Outcome.DISCHARGED));
    deliver(confirm(21, 2, num('C53'), Outcome.DISCHARGED));
    expect(service.stats.duplicateConfirmations).toBe(2);
    expect(service.stats.byOutcome[Outcome.DISCHARGED]).toBe(1);
    expect(service.stats.byOutcome[Outcome.CHUTE_FULL]).toBe(1);
    expect(spy.of('fill')).toHaveLength(1);
    expect(spy.of('closed')).toHaveLength(1);
  });

  it('acknowledges a confirmation only when the recorder commits it', () => {
    const spy = spyRecorder();
    const { ask, deliver, acks } = makeService({ recorder: spy.recorder });
    ask(request(22, [read(label('210008'))]));
    const requestAcks = acks.length;
    const seq = deliver(confirm(22, 1, num('C53'), Outcome.DISCHARGED));
    expect(acks.length).toBe(requestAcks);
    spy.commit();
    expect(acks.at(-1)).toBe(seq);
  });

  it('records a confirmation for an unknown task in a task of its own, and closes it when terminal', () => {
    const spy = spyRecorder();
    const { deliver, service, ask } = makeService({ recorder: spy.recorder });
    deliver(confirm(23, 2, num('C53'), Outcome.DISCHARGED));
    expect(service.stats.unknownTaskConfirmations).toBe(1);
    expect(service.task('plc1', 23)).toMatchObject({ open: false, outcome: Outcome.DISCHARGED });
    expect(spy.of('opened')[0]!.slice(5)).toEqual([null, null]);
    // the resend of it is a duplicate, not another task
    deliver(confirm(23, 2, num('C53'), Outcome.DISCHARGED));
    expect(service.stats.duplicateConfirmations).toBe(1);
    expect(spy.of('opened')).toHaveLength(1);
    // an intermediate one opens a task that a later request continues
    deliver(confirm(24, 1, num('C53'), Outcome.CHUTE_FULL));
    expect(service.task('plc1', 24)).toMatchObject({ open: true, turn: 0 });
    ask(request(24, [read(label('210008'))], { turn: 2 }));
    expect(spy.of('opened')).toHaveLength(2);
    expect(service.task('plc1', 24)).toMatchObject({ open: true, turn: 2, chutes: [num('C53')] });
  });

  it('starts a new task life when the PLC reuses a closed task id (a request stamped after the close)', () => {
    const spy = spyRecorder();
    const { ask, deliver, service, port } = makeService({ recorder: spy.recorder });
    ask(request(25, [read(label('210008'))]), 1000);
    deliver(confirm(25, 1, num('C53'), Outcome.DISCHARGED), port, 1500);
    const first = service.task('plc1', 25)!.task;
    ask(request(25, [read(label('250001'))]), 90_000);
    const second = service.task('plc1', 25)!;
    expect(second.open).toBe(true);
    expect(second.task).not.toBe(first);
    expect(spy.of('opened')).toHaveLength(2);
  });

  it('a confirmation stamped after the one that closed its task is another parcel with the reused id, whose request was lost: a task of its own', () => {
    // found by the restart soak: the request of a parcel with a reused id was lost with a killed
    // controller; its late-reply confirmation was taken for one of the closed old task
    const spy = spyRecorder();
    const { ask, deliver, service, port } = makeService({ recorder: spy.recorder });
    ask(request(29, [read(label('210008'))]), 1000);
    deliver(confirm(29, 1, num('C53'), Outcome.DISCHARGED), port, 1500);
    const first = service.task('plc1', 29)!.task;
    deliver(confirm(29, 1, num('C53'), Outcome.DISCHARGED), port, 1500); // a resend: its own stamp
    expect(service.stats.duplicateConfirmations).toBe(1);
    deliver(confirm(29, 1, num('X2'), Outcome.LATE_REPLY), port, 95_000);
    const second = service.task('plc1', 29)!;
    expect(second.task).not.toBe(first);
    expect(second).toMatchObject({ open: false, outcome: Outcome.LATE_REPLY });
    expect(service.stats.unknownTaskConfirmations).toBe(1);
    expect(service.stats.closedTasks).toBe(2);
    expect(service.stats.confirmationsAfterClose).toBe(0);
    expect(spy.of('closed')).toHaveLength(2);
  });

  it('a request sent before its task closed and delivered after (a resend) is stale: no reply, no new task', () => {
    const spy = spyRecorder();
    const { ask, deliver, service, port, sent } = makeService({ recorder: spy.recorder });
    ask(request(26, [read(label('210008'))], { turn: 1 }), 1000);
    deliver(confirm(26, 1, 0, Outcome.RECIRCULATED), port, 2000);
    // the turn-2 request is corrupted on the wire; before its resend arrives the PLC gives up on a reply
    deliver(confirm(26, 2, num('X2'), Outcome.LATE_REPLY), port, 2600);
    const before = sent.length;
    deliver(request(26, [read(label('210008'))], { turn: 2 }), port, 2100); // the resend keeps its stamp
    expect(sent.length).toBe(before);
    expect(service.task('plc1', 26)!.open).toBe(false);
    expect(spy.of('opened')).toHaveLength(1);
    expect(service.stats.staleRequests).toBe(1);
  });

  it('a request overtaken by the confirmation that closed its unknown task is stale', () => {
    const { deliver, service, port, sent } = makeService();
    deliver(confirm(27, 1, num('X2'), Outcome.LATE_REPLY), port, 3000);
    deliver(request(27, [read(label('210008'))]), port, 2000);
    expect(sent).toHaveLength(0);
    expect(service.task('plc1', 27)!.open).toBe(false);
  });

  it('without a PLC clock a request of the closing turn or before is taken as stale (the safe side: the parcel goes to the exception chute, no task is left open)', () => {
    const { deliver, service, sent } = makeService();
    deliver(request(28, [read(label('210008'))]));
    deliver(confirm(28, 1, num('C53'), Outcome.DISCHARGED));
    const before = sent.length;
    deliver(request(28, [read(label('210008'))]));
    expect(sent.length).toBe(before);
    expect(service.task('plc1', 28)!.open).toBe(false);
  });

  it('acknowledges a destination reply sent by the PLC (the wrong direction), counts it and logs a coded warning once per burst', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const clock = { ms: 1_790_000_000_000, nowMs: () => clock.ms, monotonicMs: () => 0 };
    const { deliver, acks, sent, service } = makeService({ logger, clock });
    const wrong = {
      type: 'destinationReply',
      taskId: 5,
      turn: 1,
      chutes: [num('C53')],
      exceptionChute: num('X1'),
      status: ReplyStatus.OK,
    } satisfies DestinationReply;
    const seq = deliver(wrong);
    expect(acks).toContain(seq);
    expect(sent).toEqual([]);
    deliver(wrong);
    expect(service.stats.unexpectedMessages).toBe(2);
    expect(lines.map((l) => JSON.parse(l) as { code: string; type: string })).toEqual([
      expect.objectContaining({
        code: 'SORTLINE_ERR_SERVICE_UNEXPECTED_MESSAGE',
        type: 'destinationReply',
      }),
    ]);
    clock.ms += WARN_QUIET_MS + 1; // a new burst
    deliver(wrong);
    expect(lines).toHaveLength(2);
    expect(service.task('plc1', 5)).toBeNull();
  });

  it('keeps the tasks of two gateways apart', () => {
    const { ask, service, deliver } = makeService();
    const other = service.attachGateway('plc2');
    other.bind({ send: () => true, options: service.requires });
    ask(request(30, [read(label('210008'))]));
    deliver(request(30, [read(label('250001'))]), other);
    expect(service.task('plc1', 30)!.chutes).toEqual([num('C53')]);
    expect(service.task('plc2', 30)!.chutes[0]).toBe(num('C05'));
    expect(service.attachGateway('plc2')).toBe(other);
  });

  it('raises the fill estimate per discharge; a chute state report overrides it', () => {
    const { ask, deliver, machine } = makeService();
    const c53 = machine.numbering.indexOf(num('C53'));
    for (let id = 40; id < 43; id++) {
      ask(request(id, [read(label('210008'))]));
      deliver(confirm(id, 1, num('C53'), Outcome.DISCHARGED));
    }
    expect(machine.chutes.fill[c53]).toBe(3);
    deliver({ type: 'chuteState', chute: num('C53'), state: ChuteState.OPEN, fill: 0 });
    expect(machine.chutes.fill[c53]).toBe(0);
  });

  it("counts the PLC's late-reply outcomes", () => {
    const { ask, deliver, service } = makeService();
    ask(request(50, [read(label('210008'))]));
    deliver(confirm(50, 1, num('X2'), Outcome.LATE_REPLY));
    expect(service.stats.byOutcome[Outcome.LATE_REPLY]).toBe(1);
    expect(service.task('plc1', 50)).toMatchObject({ open: false, outcome: Outcome.LATE_REPLY });
  });

  it('forgets the oldest open task past maxOpenTasks', () => {
    const { ask, service } = makeService({ maxOpenTasks: 2 });
    for (let id = 60; id < 63; id++) ask(request(id, [read(label('210008'))]));
    expect(service.openTasks).toBe(2);
    expect(service.stats.evictedTasks).toBe(1);
    expect(service.task('plc1', 60)).toBeNull();
    expect(service.task('plc1', 62)).not.toBeNull();
  });
});
