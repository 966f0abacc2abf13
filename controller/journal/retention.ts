/**
 * Retention (docs/operations.md "Retention"): tasks closed before a cutoff are deleted with their
 * events; chute events before the cutoff too. Open tasks and their events stay whatever their age,
 * and the `chutes` table (the state a restart needs) is never pruned. Work is bounded per call so
 * a large backlog is pruned in slices between other work.
 */
import type { Database } from './database.js';

/** What one {@link pruneJournal} call deleted. */
export interface PruneResult {
  tasks: number;
  events: number;
  /** True when a limit was reached: call again to go on. */
  more: boolean;
}

/**
 * Deletes at most `maxRows` closed tasks (closed before `beforeMs`) and at most `maxRows` events
 * (before `beforeMs`, of no task or of a task no longer in the journal), in one transaction.
 */
export function pruneJournal(db: Database, beforeMs: number, maxRows: number): PruneResult {
  const run = db.transaction((): PruneResult => {
    // keep the task numbering going past pruned tasks
    db.prepare(
      "INSERT INTO meta (key, value) SELECT 'lastTask', CAST(max(id) AS TEXT) FROM tasks HAVING max(id) IS NOT NULL ON CONFLICT (key) DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)",
    ).run();
    const tasks = db
      .prepare(
        'DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE closed_ms < ? ORDER BY closed_ms LIMIT ?)',
      )
      .run(beforeMs, maxRows).changes;
    const boundary = firstEventAtOrAfter(db, beforeMs);
    const events = db
      .prepare(
        `DELETE FROM events WHERE id IN (
         SELECT e.id FROM events e
         WHERE e.id < ? AND (e.task IS NULL OR NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.task))
         ORDER BY e.id LIMIT ?)`,
      )
      .run(boundary, maxRows).changes;
    return { tasks, events, more: tasks === maxRows || events === maxRows };
  });
  return run();
}

/**
 * The id below which every event is older than `beforeMs`: binary search over the rowid, since
 * events are appended in time order (O(log n) indexed lookups, no index on time needed).
 */
function firstEventAtOrAfter(db: Database, beforeMs: number): number {
  const range = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM events').get() as {
    lo: number | null;
    hi: number | null;
  };
  if (range.lo === null || range.hi === null) return 0;
  const at = db.prepare('SELECT id, ts_ms FROM events WHERE id >= ? ORDER BY id LIMIT 1');
  // events with id < lo are older; events with id >= hi are not
  let lo = range.lo;
  let hi = range.hi + 1;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const row = at.get(mid) as { id: number; ts_ms: number } | undefined;
    if (row === undefined || row.id >= hi) hi = mid;
    else if (row.ts_ms >= beforeMs) hi = row.id;
    else lo = row.id + 1;
  }
  return lo;
}
