/**
 * What the sort service tells its journal, and what a journal hands back on restart. The service
 * calls these in the order things happen; controller/journal implements them (batched SQLite
 * transactions), and a service without a journal uses {@link nullRecorder}.
 *
 * Numbers are wire numbers as the PLC knows them (chute numbers, task ids); `task` is the task
 * number the service gave the parcel's life (see {@link ServiceRecorder.opened}).
 */
import type { DestinationReply, SortConfirmation, SortRequest } from '../../core/protocol/index.js';

/** What kind of sort request a request was. */
export const RequestKind = {
  /** The first request of a task, or the request of a new turn (recirculation): routed and answered. */
  NEW: 0,
  /** The same task and turn again: answered with the same reply, not counted again. */
  DUPLICATE: 1,
  /** An older turn than the task's latest: not answered. */
  STALE: 2,
  /**
   * The task id of an open task with other content (a PLC that restarted and reuses task ids):
   * the old task was closed as tracking lost and this request opened a new one, routed and answered.
   */
  REUSED: 3,
} as const;
export type RequestKindCode = (typeof RequestKind)[keyof typeof RequestKind];
/** Names of {@link RequestKind} codes, indexed by code (journal export). */
export const REQUEST_KIND_NAMES = ['new', 'duplicate', 'stale', 'reused'] as const;

/** What a sort confirmation did to its task. */
export const ConfirmationKind = {
  /** Counted: an intermediate outcome of an open task, or the terminal outcome that closed it. */
  COUNTED: 0,
  /** A repeat of the last confirmation of the task (a resend): not counted again. */
  DUPLICATE: 1,
  /** The task was already closed by another terminal outcome: recorded, not counted. */
  AFTER_CLOSE: 2,
  /** No task with that id was known (e.g. the controller restarted between reply and commit): a task was opened for it, and closed when the outcome is terminal. */
  UNKNOWN_TASK: 3,
} as const;
export type ConfirmationKindCode = (typeof ConfirmationKind)[keyof typeof ConfirmationKind];
/** Names of {@link ConfirmationKind} codes, indexed by code. */
export const CONFIRMATION_KIND_NAMES = [
  'counted',
  'duplicate',
  'afterClose',
  'unknownTask',
] as const;

/** Who changed a chute's state. */
export const ChuteSource = {
  /** A chuteState message from a PLC (its sensors). */
  PLC: 1,
  /** An operator command (`SortService.setChuteState`). */
  OPERATOR: 2,
} as const;
export type ChuteSourceCode = (typeof ChuteSource)[keyof typeof ChuteSource];
/** Names of {@link ChuteSource} codes, indexed by code (index 0 unused). */
export const CHUTE_SOURCE_NAMES = ['', 'plc', 'operator'] as const;

/** Receives every request, reply, confirmation and chute change of a sort service. */
export interface ServiceRecorder {
  /** Operations recorded and not yet durable (the journal's backlog; admission control reads it). */
  readonly pending?: number;
  /** A stable id (a positive integer below 2^32) for the gateway called `name`, the same across restarts. */
  gatewayId(name: string): number;
  /**
   * A task's life began: by a sort request answered with `reply` (routed to `destination`, a plan
   * destination id, or null when a fallback applied), or, with `reply` null, by a confirmation for
   * an unknown task.
   */
  opened(
    task: number,
    gateway: number,
    taskId: number,
    atMs: number,
    reply: DestinationReply | null,
    destination: string | null,
  ): void;
  /** The open task's current reply changed (a new turn, or a reroute). */
  replied(task: number, reply: DestinationReply, destination: string | null): void;
  /**
   * A sort request arrived. `reply` is what it was answered with (null for a stale request);
   * `sent` false when the reply could not be queued (a missing reply); `latencyUs` the service's
   * own time from the request to the reply, in µs; `late` when that exceeded the reply budget.
   */
  request(
    task: number,
    atMs: number,
    request: SortRequest,
    kind: RequestKindCode,
    reply: DestinationReply | null,
    destination: string | null,
    sent: boolean,
    latencyUs: number,
    late: boolean,
  ): void;
  /** An open task got a new reply unasked because a chute state changed. */
  rerouted(
    task: number,
    atMs: number,
    reply: DestinationReply,
    destination: string | null,
    sent: boolean,
  ): void;
  /**
   * A sort confirmation arrived. `onCommit` runs once the record is durable (the session then
   * ACKs the frame); never before.
   */
  confirmation(
    task: number,
    atMs: number,
    confirmation: SortConfirmation,
    kind: ConfirmationKindCode,
    onCommit: () => void,
  ): void;
  /**
   * The task closed with a terminal outcome on `turn` at chute number `chute` (0 none), reported in
   * a frame the PLC stamped `stampMs` (its clock, ms since the Unix epoch; 0 when it has none).
   */
  closed(
    task: number,
    atMs: number,
    outcome: number,
    chute: number,
    turn: number,
    stampMs: number,
  ): void;
  /** A chute's state or fill was set (by a PLC report or an operator). `gateway` 0 for none. */
  chute(
    atMs: number,
    chute: number,
    state: number,
    fill: number,
    source: ChuteSourceCode,
    gateway: number,
  ): void;
  /** A chute's fill estimate changed (a parcel was discharged into it). */
  fill(atMs: number, chute: number, state: number, fill: number): void;
}

/** An open task as the journal last recorded it. */
export interface RecoveredOpenTask {
  task: number;
  gateway: number;
  taskId: number;
  /** Turn of the latest request (0 when opened by a confirmation). */
  turn: number;
  /** Reply status of the latest reply. */
  status: number;
  /** Plan destination id of the latest reply, null when a fallback applied (or none yet). */
  destination: string | null;
  /** Chute numbers of the latest reply. */
  chutes: number[];
  /** Exception chute number of the latest reply, 0 when none. */
  exceptionChute: number;
}

/** A recently closed task (remembered so a resent terminal confirmation counts as a duplicate). */
export interface RecoveredClosedTask {
  task: number;
  gateway: number;
  taskId: number;
  turn: number;
  outcome: number;
  chute: number;
  /** PLC clock stamp (ms) of the frame that closed the task; 0 when unknown (no PLC clock, or a journal of schema 1). */
  stampMs: number;
}

/** What a journal hands a new service on restart. */
export interface RecoveredState {
  /** Highest task number given so far (0 for an empty journal). */
  lastTask: number;
  openTasks: RecoveredOpenTask[];
  /** Oldest first. */
  closedTasks: RecoveredClosedTask[];
  /** Last known state and fill of each chute number. */
  chutes: Array<{ chute: number; state: number; fill: number }>;
}

/** A recorder that records nothing and confirms at once: for a service without a journal. */
export function nullRecorder(): ServiceRecorder {
  const ids = new Map<string, number>();
  const none = (): void => {};
  return {
    gatewayId(name) {
      let id = ids.get(name);
      if (id === undefined) ids.set(name, (id = ids.size + 1));
      return id;
    },
    opened: none,
    replied: none,
    request: none,
    rerouted: none,
    confirmation: (_task, _atMs, _confirmation, _kind, onCommit) => onCommit(),
    closed: none,
    chute: none,
    fill: none,
  };
}
