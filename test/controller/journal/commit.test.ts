import { writeFileSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Outcome } from '../../../core/protocol/index.js';
import { EventKind, Journal } from '../../../controller/journal/index.js';
import { label, num, read as scan, request } from '../service/helpers.js';
import { until } from '../serve/helpers.js';
import { journaled, read, tempDir } from './helpers.js';

describe('journal: batched commits on the writer thread, ACK after commit', () => {
  it('acknowledges a confirmation only after the transaction holding it committed', async () => {
    const dir = tempDir();
    const { journal, ask, deliver, acks } = journaled(dir);
    ask(request(1, [scan(label('210008'))]));
    const seq = deliver({
      type: 'sortConfirmation',
      taskId: 1,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    expect(acks).not.toContain(seq);
    expect(journal.pending).toBe(6); // the gateway, opened, request, confirmation, fill, closed
    expect(read(dir, (db) => db.prepare('SELECT count(*) FROM events').pluck().get())).toBe(0);
    journal.flush(); // handed to the writer: not committed yet when flush returns
    expect(acks).not.toContain(seq);
    await journal.settle();
    expect(acks).toContain(seq);
    const rows = read(dir, (db) =>
      db.prepare('SELECT kind, turn, code, chute FROM events ORDER BY id').all(),
    );
    expect(rows).toEqual([
      { kind: EventKind.REQUEST, turn: 1, code: 0, chute: null },
      { kind: EventKind.CONFIRMATION, turn: 1, code: Outcome.DISCHARGED, chute: num('C53') },
    ]);
    expect(
      read(dir, (db) =>
        db
          .prepare(
            'SELECT task_id, closed_ms IS NOT NULL AS closed, outcome, outcome_chute FROM tasks',
          )
          .get(),
      ),
    ).toEqual({ task_id: 1, closed: 1, outcome: Outcome.DISCHARGED, outcome_chute: num('C53') });
    await journal.close();
  });

  it('hands a batch over on its own when batchRows operations are pending', async () => {
    const dir = tempDir();
    const { journal, ask, deliver, acks } = journaled(dir, { batchRows: 4 });
    await journal.settle(); // the gateway's registration
    expect(journal.stats.commits).toBe(1);
    ask(request(1, [scan(label('210008'))])); // opened + request: 2 operations
    const seq = deliver({
      type: 'sortConfirmation',
      taskId: 1,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.CHUTE_FULL,
    }); // 3
    await new Promise((resolve) => setImmediate(resolve));
    expect(journal.pending).toBe(3); // below batchRows; flushMs (60 s in these tests) is far off
    deliver({ type: 'chuteState', chute: num('C53'), state: 1, fill: 15 }); // 4: the batch is full
    // only the size trigger can hand it over before `until` gives up (10 s < flushMs)
    await until(() => acks.includes(seq));
    expect(journal.stats.commits).toBe(2);
    await journal.close();
  });

  it('hands a batch over on its own flushMs after its first operation', async () => {
    const dir = tempDir();
    const { journal, ask, deliver, acks } = journaled(dir, { flushMs: 1 });
    ask(request(1, [scan(label('210008'))]));
    const seq = deliver({
      type: 'sortConfirmation',
      taskId: 1,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    await until(() => acks.includes(seq));
    expect(journal.pending).toBe(0);
    await journal.close();
  });

  it('stores a resent confirmation once, even when the service no longer remembers the first', async () => {
    const dir = tempDir();
    const { journal, ask, deliver } = journaled(dir);
    ask(request(1, [scan(label('210008'))]));
    const c = {
      type: 'sortConfirmation',
      taskId: 1,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.CHUTE_FULL,
    } as const;
    deliver(c);
    await journal.settle();
    // the same confirmation, written again as the journal's last line of defence
    journal.confirmation(1, 0, c, 0, () => {});
    await journal.settle();
    expect(
      read(dir, (db) =>
        db
          .prepare(`SELECT count(*) FROM events WHERE kind = ${EventKind.CONFIRMATION}`)
          .pluck()
          .get(),
      ),
    ).toBe(1);
    await journal.close();
  });

  it('reports a failed commit once, stops, and never acknowledges what it did not commit', async () => {
    const dir = tempDir();
    const errors: string[] = [];
    const { journal, ask, deliver, acks } = journaled(dir, { onError: (e) => errors.push(e.code) });
    ask(request(1, [scan(label('210008'))]));
    await journal.settle();
    // a task number that already exists makes the INSERT of the next opened task fail
    journal.opened(1, 1, 99, 0, null, null);
    const seq = deliver({
      type: 'sortConfirmation',
      taskId: 1,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    await journal.settle();
    deliver({
      type: 'sortConfirmation',
      taskId: 2,
      turn: 1,
      chute: num('C53'),
      outcome: Outcome.DISCHARGED,
    });
    await journal.settle();
    expect(errors).toEqual(['SORTLINE_ERR_JOURNAL_WRITE']);
    expect(acks).not.toContain(seq);
    expect(
      read(dir, (db) =>
        db
          .prepare(`SELECT count(*) FROM events WHERE kind = ${EventKind.CONFIRMATION}`)
          .pluck()
          .get(),
      ),
    ).toBe(0);
    await journal.close();
  });

  it('refuses a second writer and takes over the lock of a dead one', async () => {
    const dir = tempDir();
    const first = Journal.open({ dir });
    expect(() => Journal.open({ dir })).toThrow(
      expect.objectContaining({ code: 'SORTLINE_ERR_JOURNAL_LOCKED' }),
    );
    await first.close();
    // a pid far above any Linux pid_max: no such process
    writeFileSync(`${dir}/journal.lock`, '999999999\n');
    await Journal.open({ dir }).close();
  });

  it('refuses a database that is not a journal', () => {
    const dir = tempDir();
    const db = new Sqlite(Journal.pathOf(dir));
    db.exec('CREATE TABLE parcels (id INTEGER)');
    db.close();
    expect(() => Journal.open({ dir })).toThrow(
      expect.objectContaining({ code: 'SORTLINE_ERR_JOURNAL_SCHEMA' }),
    );
  });
});
