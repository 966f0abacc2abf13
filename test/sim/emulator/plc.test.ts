/**
 * The emulated PLC's machine model (issue 4 item 6) on a tiny loop (helpers.ts): replies before
 * the decision point are applied, late ones are not; full and disabled chutes, recirculation with
 * re-requests, the loop limit; chute-state commands and chute sensor reports; one terminal
 * outcome per task.
 */
import { describe, expect, it } from 'vitest';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import {
  Outcome,
  ReplyStatus,
  isTerminalOutcome,
  type SortRequest,
} from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import type { EmulatedPlc } from '../../../sim/emulator/index.js';
import {
  C1,
  C2,
  X1,
  replyTo,
  runUntil,
  tinyModel,
  tinyPlc,
  type RecordingPort,
} from './helpers.js';

/** Runs until the first request and returns it with the tick (= simulated second) of its scan. */
function firstRequest(
  plc: EmulatedPlc,
  port: RecordingPort,
): { request: SortRequest; scanAt: number } {
  runUntil(plc, () => port.requests.length > 0);
  return { request: port.requests[0]!, scanAt: plc.now - 1 };
}

describe('EmulatedPlc', () => {
  it('applies a reply that arrives before the decision point and discharges into its first chute', () => {
    const { plc, port } = tinyPlc({ parcels: 1 });
    const { request } = firstRequest(plc, port);
    expect(request).toMatchObject({ type: 'sortRequest', taskId: 1, turn: 1, induct: 1 });
    expect(request.reads).toHaveLength(1);
    expect(request.reads[0]!.data.startsWith(']C1')).toBe(true);
    plc.onReply(replyTo(request, [C1]));
    runUntil(plc, () => plc.finished);
    expect(port.confirmations).toEqual([
      { type: 'sortConfirmation', taskId: 1, turn: 1, chute: C1, outcome: Outcome.DISCHARGED },
    ]);
    expect(plc.ledger.get(1)).toEqual({
      parcel: 1,
      taskId: 1,
      outcome: Outcome.DISCHARGED,
      chute: C1,
      turns: 1,
    });
    expect(plc.counts).toMatchObject({
      requested: 1,
      replied: 1,
      late: 0,
      sorted: 1,
      exception: 0,
    });
    expect(plc.roundTripsMs).toHaveLength(1);
  });

  it('sends a parcel without a reply at its decision point to the exception chute as a late reply', () => {
    const { plc, port } = tinyPlc({ parcels: 1 });
    firstRequest(plc, port);
    runUntil(plc, () => plc.finished);
    expect(port.confirmations).toEqual([
      { type: 'sortConfirmation', taskId: 1, turn: 1, chute: X1, outcome: Outcome.LATE_REPLY },
    ]);
    expect(plc.counts).toMatchObject({
      requested: 1,
      replied: 0,
      late: 1,
      sorted: 0,
      exception: 1,
    });
  });

  it('counts a reply at the decision point as in time and one after it as late (simulated time)', () => {
    for (const [delay, outcome] of [
      [3, Outcome.DISCHARGED],
      [3.5, Outcome.LATE_REPLY],
    ] as const) {
      const { plc, port } = tinyPlc({ parcels: 1 });
      const { request, scanAt } = firstRequest(plc, port);
      expect(plc.replyDeadlineSeconds).toBe(3); // 3 m at 1 m/s
      plc.onReply(replyTo(request, [C1]), scanAt + delay);
      runUntil(plc, () => plc.finished);
      expect(port.confirmations.at(-1)!.outcome).toBe(outcome);
      expect(plc.counts.repliesAfterDecision).toBe(outcome === Outcome.LATE_REPLY ? 1 : 0);
    }
  });

  it('lets a later reply for the same turn replace the chutes until the decision point, not after', () => {
    const { plc, port } = tinyPlc({ parcels: 1 });
    const { request, scanAt } = firstRequest(plc, port);
    plc.onReply(replyTo(request, [C2]), scanAt + 1);
    plc.onReply(replyTo(request, [C1]), scanAt + 2);
    plc.onReply(replyTo(request, [C2]), scanAt + 4); // after the decision point: ignored
    runUntil(plc, () => plc.finished);
    expect(plc.ledger.get(1)).toMatchObject({ outcome: Outcome.DISCHARGED, chute: C1 });
    expect(plc.counts).toMatchObject({
      replied: 1,
      updatedReplies: 1,
      repliesAfterDecision: 1,
      ignoredReplies: 0,
    });
    expect(plc.roundTripsMs).toHaveLength(1);
  });

  it('ignores replies for unknown tasks and other turns', () => {
    const { plc, port } = tinyPlc({ parcels: 1 });
    const { request } = firstRequest(plc, port);
    plc.onReply({ ...replyTo(request, [C1]), taskId: 99 });
    plc.onReply({ ...replyTo(request, [C1]), turn: 2 });
    expect(plc.counts).toMatchObject({ ignoredReplies: 2, repliesAfterDecision: 0 });
    runUntil(plc, () => plc.finished);
    expect(plc.ledger.get(1)!.outcome).toBe(Outcome.LATE_REPLY);
  });

  it("sends a reply without chutes (a fallback) to the reply's exception chute, outcome discharged", () => {
    const { plc, port } = tinyPlc({ parcels: 1 });
    const { request } = firstRequest(plc, port);
    plc.onReply(replyTo(request, [], ReplyStatus.NO_READ));
    runUntil(plc, () => plc.finished);
    expect(plc.ledger.get(1)).toMatchObject({ outcome: Outcome.DISCHARGED, chute: X1 });
    expect(plc.counts).toMatchObject({ sorted: 0, exception: 1 });
    // the outcome is `discharged` all the same: `sorted` counts destination chutes only
    expect(plc.ledger.get(1)!.outcome).toBe(Outcome.DISCHARGED);
  });

  it('tries the next listed chute when the first cannot take the parcel (a disabled chute)', () => {
    const { plc, port } = tinyPlc({ parcels: 1 });
    plc.onChuteState({ type: 'chuteState', chute: C1, state: ChuteState.DISABLED });
    expect(plc.counts.chuteCommands).toBe(1);
    const { request } = firstRequest(plc, port);
    plc.onReply(replyTo(request, [C1, C2]));
    runUntil(plc, () => plc.finished);
    expect(port.confirmations.map((c) => [c.outcome, c.chute, c.turn])).toEqual([
      [Outcome.CHUTE_DISABLED, C1, 1],
      [Outcome.DISCHARGED, C2, 1],
    ]);
  });

  it('recirculates and re-requests with the same reads, then sends the parcel to the exception chute at the loop limit', () => {
    const { plc, port } = tinyPlc({ parcels: 1 });
    plc.onChuteState({ type: 'chuteState', chute: C1, state: ChuteState.BLOCKED });
    const { request } = firstRequest(plc, port);
    plc.onReply(replyTo(request, [C1]));
    runUntil(plc, () => port.requests.length === 2);
    const again = port.requests[1]!;
    expect(again).toMatchObject({ taskId: 1, turn: 2 });
    expect(again.reads).toEqual(request.reads);
    expect(again.weightG).toBe(request.weightG);
    plc.onReply(replyTo(request, [C2])); // answers turn 1: stale now
    plc.onReply(replyTo(again, [C1]));
    runUntil(plc, () => plc.finished);
    expect(port.confirmations.map((c) => [c.outcome, c.chute, c.turn])).toEqual([
      [Outcome.BLOCKED, C1, 1],
      [Outcome.RECIRCULATED, C1, 1],
      [Outcome.BLOCKED, C1, 2],
      [Outcome.LOOP_LIMIT, X1, 2],
    ]);
    expect(plc.ledger.get(1)).toEqual({
      parcel: 1,
      taskId: 1,
      outcome: Outcome.LOOP_LIMIT,
      chute: X1,
      turns: 2,
    });
    expect(plc.counts).toMatchObject({
      requested: 2,
      replied: 2,
      intermediate: 3,
      exception: 1,
      ignoredReplies: 1,
    });
  });

  it('meets a chute full at its capacity (operators that never clear it) and reports it full', () => {
    const { plc, port } = tinyPlc({ parcels: 4, chuteReportSeconds: 1 });
    const answered = new Set<number>();
    runUntil(plc, () => {
      for (const r of port.requests) {
        if (r.turn === 1 && !answered.has(r.taskId)) {
          answered.add(r.taskId);
          plc.onReply(replyTo(r, [C1]));
        }
      }
      return plc.finished;
    });
    // The operator holds the first parcel, C1 holds the next 2 (its capacity): the fourth meets it
    // full, recirculates, and ends late (its re-request is not answered).
    expect([...plc.ledger.values()].map((e) => [e.outcome, e.chute])).toEqual([
      [Outcome.DISCHARGED, C1],
      [Outcome.DISCHARGED, C1],
      [Outcome.DISCHARGED, C1],
      [Outcome.LATE_REPLY, X1],
    ]);
    expect(port.confirmations.filter((c) => c.taskId === 4).map((c) => c.outcome)).toEqual([
      Outcome.CHUTE_FULL,
      Outcome.RECIRCULATED,
      Outcome.LATE_REPLY,
    ]);
    const c1 = port.chuteStates.filter((m) => m.chute === C1);
    expect(c1.at(-1)).toEqual({ type: 'chuteState', chute: C1, state: ChuteState.FULL, fill: 2 });
    expect(port.chuteStates.every((m) => m.chute !== X1)).toBe(true);
  });

  it('reports a chute whose state an operator command changed', () => {
    const { plc, port } = tinyPlc({ parcels: 1, chuteReportSeconds: 1 });
    plc.onChuteState({ type: 'chuteState', chute: C2, state: ChuteState.BAGGING });
    plc.advanceTo(2);
    expect(port.chuteStates).toContainEqual({
      type: 'chuteState',
      chute: C2,
      state: ChuteState.BAGGING,
      fill: 0,
    });
    expect(plc.counts.chuteReports).toBe(port.chuteStates.length);
  });

  it("gives every task exactly one terminal outcome, the ledger's, under random reply delays (200 parcels)", () => {
    const { plc, port } = tinyPlc(
      { parcels: 200, chuteReportSeconds: 5 },
      tinyModel({ ratePerHour: 1800, handlingMean: 3, seed: 9 }),
    );
    const rng = xoroshiro128plus(42);
    const due: { at: number; request: SortRequest; chutes: number[] }[] = [];
    let seen = 0;
    runUntil(
      plc,
      () => {
        for (; seen < port.requests.length; seen++) {
          const r = port.requests[seen]!;
          const roll = (rng.next() >>> 0) % 10;
          if (roll === 0) continue; // never answered
          const chutes = roll < 4 ? [C1, C2] : roll < 8 ? [C2] : [C1];
          due.push({ at: plc.now + ((rng.next() >>> 0) % 5), request: r, chutes });
        }
        for (let k = due.length - 1; k >= 0; k--) {
          if (due[k]!.at <= plc.now) {
            plc.onReply(replyTo(due[k]!.request, due[k]!.chutes));
            due.splice(k, 1);
          }
        }
        return plc.finished;
      },
      100_000,
    );
    expect(plc.parcelsCreated).toBe(200);
    expect(plc.ledger.size).toBe(200);
    const terminal = port.confirmations.filter((c) => isTerminalOutcome(c.outcome));
    expect(terminal).toHaveLength(200);
    expect(new Set(terminal.map((c) => c.taskId)).size).toBe(200);
    for (const c of terminal)
      // without a restart the task ids are the parcels' serial numbers
      expect(plc.ledger.get(c.taskId)).toEqual({
        parcel: c.taskId,
        taskId: c.taskId,
        outcome: c.outcome,
        chute: c.chute,
        turns: c.turn,
      });
    // no confirmation after a task's terminal one
    const closedAt = new Map(terminal.map((c) => [c.taskId, port.confirmations.indexOf(c)]));
    port.confirmations.forEach((c, i) => expect(i).toBeLessThanOrEqual(closedAt.get(c.taskId)!));
    const k = plc.counts;
    expect(k.replied + k.late).toBe(k.requested);
    expect(k.sorted + k.exception).toBe(200);
    expect(k.late).toBeGreaterThan(0);
    expect(k.intermediate).toBeGreaterThan(0);
  });

  it('refuses a late-reply chute that is not an exception chute of the machine', () => {
    for (const chute of ['X9', 'C1']) {
      expect(() => tinyPlc({ lateReplyChute: chute })).toThrow(
        expect.objectContaining({ code: 'SORTLINE_ERR_EMULATOR_NO_EXCEPTION_CHUTE' }),
      );
    }
    expect(() => tinyPlc({ lateReplyChute: 'X1' })).not.toThrow();
  });
});
