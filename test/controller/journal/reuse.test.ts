/**
 * Task ids reused after a controller restart (tester finding): the PLC stamp of the frame that
 * closed a task is journaled and restored, so a request stamped later starts a new task life; a
 * journal of schema 1 (no stamp column) is upgraded in place and its closed tasks fall back to the
 * turn alone; stale requests are logged once per burst and counted.
 */
import Sqlite from 'better-sqlite3';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Outcome, ReplyStatus } from '../../../core/protocol/index.js';
import { Journal, SCHEMA_VERSION } from '../../../controller/journal/index.js';
import { RequestKind } from '../../../controller/service/index.js';
import { label, makeService, num, read as scan, request } from '../service/helpers.js';
import { journaled, read, settableClock, tempDir } from './helpers.js';

/** PLC clock stamps (ms since the Unix epoch) of the first run and of the run after the restart. */
const FIRST_RUN = Date.UTC(2026, 10, 20, 8, 0, 0);
const SECOND_RUN = FIRST_RUN + 3_600_000;

/** A first controller run: task ids 1..3 requested and discharged, confirmations stamped by the PLC. */
async function firstRun(dir: string): Promise<void> {
  const s = journaled(dir);
  for (let id = 1; id <= 3; id++) {
    s.ask(request(id, [scan(label('210008'))]), FIRST_RUN + id);
    s.deliver(
      {
        type: 'sortConfirmation',
        taskId: id,
        turn: 1,
        chute: num('C53'),
        outcome: Outcome.DISCHARGED,
      },
      s.port,
      FIRST_RUN + 100 + id,
    );
  }
  await s.journal.close();
}

/** A controller restarted on `dir`, its service rebuilt from the journal, logging to `lines`. */
function restarted(dir: string, lines: string[]) {
  const journal = Journal.open({ dir, flushMs: 60_000 });
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const s = makeService({ recorder: journal, clock: settableClock(SECOND_RUN), logger });
  s.service.restore(journal.recover());
  return { journal, ...s };
}

describe('journal: task ids reused after a restart', () => {
  it("journals the closing frame's PLC stamp and restores it: the same ids stamped later are new parcels, answered", async () => {
    const dir = tempDir();
    await firstRun(dir);
    expect(
      read(dir, (db) => db.prepare('SELECT task_id, closed_stamp_ms FROM tasks ORDER BY id').all()),
    ).toEqual([
      { task_id: 1, closed_stamp_ms: FIRST_RUN + 101 },
      { task_id: 2, closed_stamp_ms: FIRST_RUN + 102 },
      { task_id: 3, closed_stamp_ms: FIRST_RUN + 103 },
    ]);
    const lines: string[] = [];
    const s = restarted(dir, lines);
    for (let id = 1; id <= 3; id++) {
      const reply = s.ask(request(id, [scan(label('210008'))]), SECOND_RUN + id);
      expect(reply).toMatchObject({
        taskId: id,
        turn: 1,
        status: ReplyStatus.OK,
        chutes: [num('C53')],
      });
      expect(s.service.task('plc1', id)).toMatchObject({ open: true, task: 3 + id });
    }
    expect(s.service.stats.staleRequests).toBe(0);
    expect(lines).toEqual([]);
    await s.journal.close();
    const lives = read(dir, (db) =>
      db
        .prepare('SELECT task_id, count(*) AS n FROM tasks GROUP BY task_id ORDER BY task_id')
        .all(),
    );
    expect(lives).toEqual([
      { task_id: 1, n: 2 },
      { task_id: 2, n: 2 },
      { task_id: 3, n: 2 },
    ]);
  });

  it('still takes a request resent from before the close as stale after the restart, and warns once per burst', async () => {
    const dir = tempDir();
    await firstRun(dir);
    const lines: string[] = [];
    const s = restarted(dir, lines);
    const before = s.sent.length;
    s.deliver(request(1, [scan(label('210008'))]), s.port, FIRST_RUN + 1); // the original stamp: a resend
    s.deliver(request(2, [scan(label('210008'))]), s.port, FIRST_RUN + 2);
    expect(s.sent.length).toBe(before);
    expect(s.service.stats).toMatchObject({ staleRequests: 2, staleAfterClose: 2, staleBursts: 1 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 40,
      code: 'SORTLINE_ERR_SERVICE_STALE_REQUEST',
      taskId: 1,
      turn: 1,
    });
    await s.journal.close();
  });

  it('upgrades a journal of schema 1 in place; its closed tasks have no stamp, so the turn alone decides', async () => {
    const dir = tempDir();
    await firstRun(dir);
    // make it a schema-1 journal: no closed_stamp_ms column, no chute_ids table
    const db = new Sqlite(Journal.pathOf(dir));
    db.exec(
      "ALTER TABLE tasks DROP COLUMN closed_stamp_ms; DROP TABLE chute_ids; UPDATE meta SET value = '1' WHERE key = 'schema'",
    );
    db.close();
    const lines: string[] = [];
    const s = restarted(dir, lines);
    await s.journal.settle();
    expect(
      read(dir, (d) => d.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get()),
    ).toBe(String(SCHEMA_VERSION));
    expect(
      read(dir, (d) =>
        d.prepare('SELECT count(*) FROM tasks WHERE closed_stamp_ms IS NULL').pluck().get(),
      ),
    ).toBe(3);
    const before = s.sent.length;
    s.deliver(request(1, [scan(label('210008'))]), s.port, SECOND_RUN + 1);
    expect(s.sent.length).toBe(before);
    expect(s.service.stats.staleAfterClose).toBe(1);
    expect(JSON.parse(lines[0]!).msg).toContain('the stamp of the closing frame is unknown');
    await s.journal.close();
    expect(
      read(dir, (d) =>
        d
          .prepare('SELECT detail FROM events WHERE kind = 1 ORDER BY id DESC LIMIT 1')
          .pluck()
          .get(),
      ),
    ).toBe(RequestKind.STALE);
  });
});
