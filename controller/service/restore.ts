/**
 * Restore after a restart (docs/operations.md "Restart"): rebuilds open tasks, recently closed
 * tasks and chute states and fills in a {@link ServiceContext} from what the journal recovered
 * (controller/journal `Journal.recover`), so resent requests and confirmations of the PLC are
 * recognised across a controller restart.
 */
import { Fallback } from '../../core/plan/index.js';
import { Limits, ReplyStatus, type ReplyStatusCode } from '../../core/protocol/index.js';
import { fallbackOf } from '../../core/wire-map.js';
import type { ServiceContext } from './context.js';
import type { RecoveredState } from './recorder.js';

/**
 * Loads `state` into `ctx` (call once, before any message): the task counter, chute states and
 * fills, closed tasks (with their closing turn, outcome, chute and stamp) and open tasks with
 * their latest reply. Chute numbers the numbering does not know are skipped; past `maxOpenTasks`
 * the oldest open tasks are dropped.
 */
export function restoreState(ctx: ServiceContext, state: RecoveredState): void {
  ctx.lastTask = Math.max(ctx.lastTask, state.lastTask);
  const t = ctx.tasks;
  const numbering = ctx.numbering;
  for (const c of state.chutes) {
    const i = numbering.indexOf(c.chute);
    if (i < 0) continue;
    ctx.chutes.state[i] = c.state;
    ctx.chutes.fill[i] = c.fill;
  }
  for (const c of state.closedTasks) {
    let r = t.find(c.gateway, c.taskId);
    if (r >= 0) t.remove(r);
    r = t.open(c.gateway, c.taskId, c.task);
    t.turn[r] = c.turn;
    t.lastTurn[r] = c.turn;
    t.lastOutcome[r] = c.outcome;
    t.lastChute[r] = c.chute;
    t.close(r, c.outcome, c.stampMs);
  }
  const scratch = ctx.scratch;
  for (const o of state.openTasks) {
    let r = t.find(o.gateway, o.taskId);
    if (r >= 0) t.remove(r);
    r = t.open(o.gateway, o.taskId, o.task);
    t.turn[r] = o.turn;
    const d = o.destination === null ? -1 : ctx.plan.destinationIndex(o.destination);
    let n = 0;
    for (const number of o.chutes) {
      const i = numbering.indexOf(number);
      if (i >= 0 && n < Limits.MAX_CHUTES) scratch[n++] = i;
    }
    const destination =
      d >= 0
        ? d
        : o.status === ReplyStatus.OK || o.status === ReplyStatus.NO_CHUTE
          ? -Fallback.NO_RULE
          : // a busy reply opens no task, so none is restored with one
            -(fallbackOf(o.status as ReplyStatusCode) ?? Fallback.NO_RULE);
    t.setReply(r, destination, o.status, numbering.indexOf(o.exceptionChute), scratch, n);
    const old = t.overflow();
    if (old >= 0) t.remove(old);
  }
}
