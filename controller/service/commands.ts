/**
 * Operator commands and queries at the API edge (docs/operations.md "Operator commands"): set a
 * chute's state (and fill) by its wire number, with the checks a user-facing input needs, told to
 * every connected PLC; and the view of one task. Not on the hot path: these allocate freely.
 */
import { SortlineError } from '../../core/errors.js';
import { Limits, type ChuteStateMessage } from '../../core/protocol/index.js';
import { CHUTE_STATE_NAMES, type ChuteStateCode } from '../../core/sorter/index.js';
import { wireChuteState } from '../../core/wire-map.js';
import type { ChuteStates } from './chutes.js';
import type { ServiceContext } from './context.js';
import { ChuteSource } from './recorder.js';
import { TaskState } from './task-table.js';
import type { TaskView } from './types.js';

/**
 * Sets the state (and optionally the fill) of the chute with wire number `chute`, reroutes open
 * tasks whose first chute no longer takes parcels, and sends every connected PLC a host
 * chuteState message.
 * @throws SortlineError `SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE` for a number no chute has,
 *   `SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE` for a state or fill out of range.
 */
export function setChuteState(
  ctx: ServiceContext,
  chutes: ChuteStates,
  chute: number,
  state: ChuteStateCode,
  fill?: number,
): void {
  const c = ctx.numbering.indexOf(chute);
  if (!Number.isInteger(chute) || c < 0) {
    throw new SortlineError(
      'SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE',
      `chute: no chute has number ${String(chute)}; expected one of the configured chute numbers`,
      { pointer: '/chute' },
    );
  }
  if (!Number.isInteger(state) || CHUTE_STATE_NAMES[state] === undefined) {
    throw new SortlineError(
      'SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE',
      `state: expected a chute state code 0–${CHUTE_STATE_NAMES.length - 1} (${CHUTE_STATE_NAMES.join(', ')}), got ${String(state)}`,
      { pointer: '/state' },
    );
  }
  if (fill !== undefined && !(Number.isInteger(fill) && fill >= 0 && fill <= Limits.U16_MAX)) {
    throw new SortlineError(
      'SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE',
      `fill: expected an integer 0–${Limits.U16_MAX}, got ${String(fill)}`,
      { pointer: '/fill' },
    );
  }
  chutes.apply(c, state, fill, ChuteSource.OPERATOR, 0);
  const message: ChuteStateMessage =
    fill === undefined
      ? { type: 'chuteState', chute, state: wireChuteState(state) }
      : { type: 'chuteState', chute, state: wireChuteState(state), fill };
  for (const sender of ctx.senders) sender?.send(message);
}

/** The task of PLC task id `taskId` on gateway id `gateway` (-1: unknown gateway), or null. */
export function taskView(ctx: ServiceContext, gateway: number, taskId: number): TaskView | null {
  const t = ctx.tasks;
  const r = gateway < 0 ? -1 : t.find(gateway, taskId);
  if (r < 0) return null;
  const chutes: number[] = [];
  for (let k = 0; k < t.chuteCount[r]!; k++)
    chutes.push(ctx.numbering.numberOf(t.chutes[r * Limits.MAX_CHUTES + k]!));
  const exc = t.exceptionChute[r]!;
  const open = t.state[r] === TaskState.OPEN;
  return {
    task: t.number[r]!,
    open,
    turn: t.turn[r]!,
    status: t.status[r]!,
    chutes,
    exceptionChute: exc >= 0 ? ctx.numbering.numberOf(exc) : 0,
    outcome: open ? null : t.outcome[r]!,
  };
}
