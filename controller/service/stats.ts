/**
 * Counters of a sort service, updated in place on the hot path (plain numbers and typed arrays);
 * read them for logs, metrics and tests.
 */
import { REPLY_STATUS_NAMES, OUTCOME_NAMES } from '../../core/protocol/index.js';

/** What a sort service has done since it started. */
export interface ServiceStats {
  /** Sort requests received (every kind). */
  requests: number;
  /** Requests repeating the task's latest turn: answered again, not routed again. */
  duplicateRequests: number;
  /**
   * Stale requests, not answered: for an older turn than the open task's latest, or belonging to
   * the closed life of their task (see `staleAfterClose`).
   */
  staleRequests: number;
  /** Stale requests for a closed task: turn not after the closing turn, and not stamped after the closing frame. */
  staleAfterClose: number;
  /** Bursts of stale requests (each logged once, `SORTLINE_ERR_SERVICE_STALE_REQUEST`). */
  staleBursts: number;
  /** Destination replies queued for a PLC (first answers, repeats and reroutes). */
  replies: number;
  /** Replies that could not be queued (no connection, send queue full): the PLC gets none. */
  missingReplies: number;
  /** Replies whose service latency exceeded the reply budget. */
  lateReplies: number;
  /** Longest service latency of a reply so far, in ms. */
  maxLatencyMs: number;
  /** Unasked replies after a chute state change. */
  rerouteReplies: number;
  /** Routed requests (first request of a task or a new turn) by reply status code (ReplyStatus). */
  byStatus: Float64Array;
  /** Sort confirmations received (every kind). */
  confirmations: number;
  /** Counted confirmations by outcome code (Outcome). */
  byOutcome: Float64Array;
  /** Confirmations that repeated the last one of their task (resends). */
  duplicateConfirmations: number;
  /** Confirmations for a task already closed by another terminal outcome. */
  confirmationsAfterClose: number;
  /** Confirmations for a task the service did not know. */
  unknownTaskConfirmations: number;
  /** Tasks closed by a terminal outcome. */
  closedTasks: number;
  /** Open tasks forgotten because more than `maxOpenTasks` were open. */
  evictedTasks: number;
  /** Chute state changes applied (PLC reports and operator commands). */
  chuteChanges: number;
  /** Chute states for a chute number no chute has. */
  unknownChutes: number;
  /** Requests answered busy (load shed: queued too long, or the journal behind; `SORTLINE_ERR_SERVICE_OVERLOADED`). */
  busyReplies: number;
  /** Of `busyReplies`, those shed because the journal was behind. */
  busyForJournal: number;
  /** Requests that reused the task id of an open task with other content: the old task was closed as lost (`SORTLINE_ERR_SERVICE_TASK_ID_REUSED`). */
  taskIdReuses: number;
  /** Confirmations naming a chute number no chute has: refused with NAK malformed, not counted (`SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE`). */
  unknownChuteConfirmations: number;
  /** Messages a PLC must not send to the host (destination replies), acknowledged and ignored (`SORTLINE_ERR_SERVICE_UNEXPECTED_MESSAGE`). */
  unexpectedMessages: number;
}

/** Fresh, zeroed counters. */
export function createServiceStats(): ServiceStats {
  return {
    requests: 0,
    duplicateRequests: 0,
    staleRequests: 0,
    staleAfterClose: 0,
    staleBursts: 0,
    replies: 0,
    missingReplies: 0,
    lateReplies: 0,
    maxLatencyMs: 0,
    rerouteReplies: 0,
    byStatus: new Float64Array(REPLY_STATUS_NAMES.length),
    confirmations: 0,
    byOutcome: new Float64Array(OUTCOME_NAMES.length),
    duplicateConfirmations: 0,
    confirmationsAfterClose: 0,
    unknownTaskConfirmations: 0,
    closedTasks: 0,
    evictedTasks: 0,
    chuteChanges: 0,
    unknownChutes: 0,
    unexpectedMessages: 0,
    busyReplies: 0,
    busyForJournal: 0,
    taskIdReuses: 0,
    unknownChuteConfirmations: 0,
  };
}
