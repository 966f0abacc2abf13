/**
 * Reading back what a restarted sort service needs (docs/operations.md "Restart"): open tasks
 * with their latest reply, the most recently closed tasks with the PLC stamp of their closing
 * frame (so a confirmation the PLC resends because its ACK was lost in the crash counts as a
 * duplicate, and a request reusing the task id later is a new task), chute states and fills, and
 * the last task number given.
 */
import type { RecoveredClosedTask, RecoveredOpenTask, RecoveredState } from '../service/index.js';
import type { Database } from './database.js';

/** Reads the state to rebuild from `db`; `closedMemory` bounds the closed tasks read. */
export function recoverState(db: Database, closedMemory: number): RecoveredState {
  const maxId = (db.prepare('SELECT max(id) FROM tasks').pluck().get() as number | null) ?? 0;
  const pruned = Number(
    db.prepare("SELECT value FROM meta WHERE key = 'lastTask'").pluck().get() ?? 0,
  );
  const open = db
    .prepare(
      'SELECT id, gateway, task_id, turn, status, destination, chutes, exception_chute FROM tasks WHERE closed_ms IS NULL ORDER BY id',
    )
    .all() as Array<{
    id: number;
    gateway: number;
    task_id: number;
    turn: number;
    status: number | null;
    destination: string | null;
    chutes: string | null;
    exception_chute: number | null;
  }>;
  const closed = db
    .prepare(
      'SELECT id, gateway, task_id, outcome_turn, outcome, outcome_chute, closed_stamp_ms FROM tasks WHERE closed_ms IS NOT NULL ORDER BY closed_ms DESC, id DESC LIMIT ?',
    )
    .all(closedMemory) as Array<{
    id: number;
    gateway: number;
    task_id: number;
    outcome_turn: number;
    outcome: number;
    outcome_chute: number;
    closed_stamp_ms: number | null;
  }>;
  const chutes = db.prepare('SELECT chute, state, fill FROM chutes ORDER BY chute').all() as Array<{
    chute: number;
    state: number;
    fill: number;
  }>;
  const openTasks: RecoveredOpenTask[] = open.map((t) => ({
    task: t.id,
    gateway: t.gateway,
    taskId: t.task_id,
    turn: t.turn,
    status: t.status ?? 0,
    destination: t.destination,
    chutes: t.chutes === null || t.chutes === '' ? [] : t.chutes.split(' ').map(Number),
    exceptionChute: t.exception_chute ?? 0,
  }));
  const closedTasks: RecoveredClosedTask[] = closed.reverse().map((t) => ({
    task: t.id,
    gateway: t.gateway,
    taskId: t.task_id,
    turn: t.outcome_turn,
    outcome: t.outcome,
    chute: t.outcome_chute,
    stampMs: t.closed_stamp_ms ?? 0,
  }));
  return { lastTask: Math.max(maxId, pruned), openTasks, closedTasks, chutes };
}
