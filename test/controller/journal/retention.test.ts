import { describe, expect, it } from 'vitest';
import { Outcome } from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import { EventKind, Journal } from '../../../controller/journal/index.js';
import { label, makeService, num, read as scan, request } from '../service/helpers.js';
import { journaled, read, settableClock, tempDir } from './helpers.js';

const HOUR = 3_600_000;

describe('journal: retention', () => {
  it('prunes tasks closed before the cutoff with their events, keeps open tasks, recent tasks and chute states', async () => {
    const dir = tempDir();
    const clock = settableClock();
    const t0 = clock.ms;
    const { journal, ask, deliver } = journaled(dir, {}, clock);
    ask(request(1, [scan(label('210008'))])); // A: closed long ago
    deliver({
      type: 'sortConfirmation',
      taskId: 1,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    ask(request(2, [scan(label('250001'))])); // B: open since long ago
    deliver({ type: 'chuteState', chute: num('C05'), state: ChuteState.FULL, fill: 15 });
    clock.ms = t0 + 10 * HOUR;
    ask(request(3, [scan(label('210008'))])); // C: closed recently
    deliver({
      type: 'sortConfirmation',
      taskId: 3,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    await journal.settle();

    let total = { tasks: 0, events: 0 };
    for (;;) {
      const r = await journal.prune(t0 + 5 * HOUR, 1); // one row per call: exercise the slicing
      total = { tasks: total.tasks + r.tasks, events: total.events + r.events };
      if (!r.more) break;
    }
    expect(total).toEqual({ tasks: 1, events: 3 });
    const tasks = read(dir, (db) =>
      db.prepare('SELECT task_id FROM tasks ORDER BY id').pluck().all(),
    );
    expect(tasks).toEqual([2, 3]);
    const events = read(dir, (db) =>
      db.prepare('SELECT kind, task IS NULL AS chute FROM events ORDER BY id').all(),
    );
    expect(events).toEqual([
      { kind: EventKind.REQUEST, chute: 0 }, // B's request
      { kind: EventKind.REROUTE, chute: 0 }, // B rerouted off the full C05
      { kind: EventKind.REQUEST, chute: 0 }, // C's
      { kind: EventKind.CONFIRMATION, chute: 0 },
    ]);
    expect(
      read(dir, (db) =>
        db.prepare('SELECT state, fill FROM chutes WHERE chute = ?').get(num('C05')),
      ),
    ).toEqual({ state: ChuteState.FULL, fill: 15 });
    await journal.close();
  });

  it('keeps numbering tasks after every task was pruned', async () => {
    const dir = tempDir();
    const clock = settableClock();
    const { journal, ask, deliver, service } = journaled(dir, {}, clock);
    ask(request(1, [scan(label('210008'))]));
    deliver({
      type: 'sortConfirmation',
      taskId: 1,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    const last = service.task('plc1', 1)!.task;
    await journal.prune(clock.ms + 1);
    expect(read(dir, (db) => db.prepare('SELECT count(*) FROM tasks').pluck().get())).toBe(0);
    await journal.close();
    const again = Journal.open({ dir });
    const s = makeService({ recorder: again });
    s.service.restore(again.recover());
    s.ask(request(1, [scan(label('210008'))]));
    expect(s.service.task('plc1', 1)!.task).toBe(last + 1);
    await again.close();
  });
});
