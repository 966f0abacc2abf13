import { describe, expect, it } from 'vitest';
import { Outcome, ReplyStatus } from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import { Journal } from '../../../controller/journal/index.js';
import { label, makeService, num, read as scan, request } from '../service/helpers.js';
import { journaled, tempDir } from './helpers.js';

describe('journal: a restarted service carries on from the journal', () => {
  it('rebuilds open tasks with their replies, recently closed tasks, chute states and fills, and the task numbering', async () => {
    const dir = tempDir();
    const before = journaled(dir);
    before.ask(request(1, [scan(label('250001'))])); // shandong: C05 C06 C07
    before.deliver({ type: 'chuteState', chute: num('C05'), state: ChuteState.BLOCKED }); // task 1 rerouted to C06 first
    before.ask(request(2, [scan(label('210008'))]));
    before.deliver({
      type: 'sortConfirmation',
      taskId: 2,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    before.ask(request(3, [])); // no-read, open
    before.ask(request(4, [scan(label('210008'))]));
    before.deliver({
      type: 'sortConfirmation',
      taskId: 4,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    const task1 = before.service.task('plc1', 1)!;
    const lastNumber = before.service.task('plc1', 4)!.task;
    await before.journal.close();

    const journal = Journal.open({ dir, flushMs: 60_000 });
    const after = makeService({ recorder: journal });
    after.service.restore(journal.recover());
    const { machine } = after;
    // chute state and fill estimate
    expect(machine.chutes.state[machine.numbering.indexOf(num('C05'))]).toBe(ChuteState.BLOCKED);
    expect(machine.chutes.fill[machine.numbering.indexOf(num('C53'))]).toBe(2);
    // the open task answers a duplicate request with its current (rerouted) reply, as the same task
    expect(after.ask(request(1, [scan(label('250001'))]))).toMatchObject({
      chutes: task1.chutes,
      status: ReplyStatus.OK,
    });
    expect(after.service.task('plc1', 1)!.task).toBe(task1.task);
    expect(after.service.task('plc1', 3)).toMatchObject({
      open: true,
      status: ReplyStatus.NO_READ,
    });
    // the closed task recognises its resent terminal confirmation: no new task, no fill counted
    after.deliver({
      type: 'sortConfirmation',
      taskId: 2,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    expect(after.service.stats.duplicateConfirmations).toBe(1);
    expect(after.service.stats.unknownTaskConfirmations).toBe(0);
    expect(machine.chutes.fill[machine.numbering.indexOf(num('C53'))]).toBe(2);
    // a re-routed open task is still filed under its new first chute: blocking it reroutes again
    after.deliver({ type: 'chuteState', chute: num('C06'), state: ChuteState.BLOCKED });
    expect(after.service.task('plc1', 1)!.chutes).toEqual([num('C07')]);
    // new tasks continue the numbering
    after.ask(request(5, [scan(label('210008'))]));
    expect(after.service.task('plc1', 5)!.task).toBe(lastNumber + 1);
    await journal.close();
  });
});
