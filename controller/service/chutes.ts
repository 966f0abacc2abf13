/**
 * Chute states and rerouting (docs/operations.md "Chute states"): states and fills from the PLC's
 * sensors (chuteState messages) and from operators, the fill estimate grown by each discharge,
 * and the reroute of open tasks filed under a chute that stopped taking parcels: each gets a new
 * destination reply (same task and turn) when its destination's chutes now answer differently.
 *
 * Hot path (a discharge, a chute change): typed-array work; a reroute allocates only the replies
 * it sends.
 */
import { Fallback } from '../../core/plan/index.js';
import { ReplyStatus, type ChuteStateMessage } from '../../core/protocol/index.js';
import { machineChuteState } from '../../core/wire-map.js';
import type { ServiceContext } from './context.js';
import { ChuteSource, type ChuteSourceCode } from './recorder.js';

/** Applies chute states and fills to the live chute table and reroutes what they affect. */
export class ChuteStates {
  constructor(private readonly ctx: ServiceContext) {}

  /** A chuteState message from gateway `gateway`'s PLC; an unknown chute number is counted and journaled only. */
  onChuteState(gateway: number, m: ChuteStateMessage): void {
    const ctx = this.ctx;
    const c = ctx.numbering.indexOf(m.chute);
    if (c < 0) {
      ctx.stats.unknownChutes++;
      ctx.recorder.chute(
        ctx.clock.nowMs(),
        m.chute,
        machineChuteState(m.state),
        m.fill ?? 0,
        ChuteSource.PLC,
        gateway,
      );
      return;
    }
    this.apply(c, machineChuteState(m.state), m.fill, ChuteSource.PLC, gateway);
  }

  /**
   * Sets chute index `c` to machine state `state` (and `fill` when given), journals it (`source`,
   * `gateway`: 0 for an operator), and reroutes the tasks filed under it when it no longer takes
   * parcels.
   */
  apply(
    c: number,
    state: number,
    fill: number | undefined,
    source: ChuteSourceCode,
    gateway: number,
  ): void {
    const ctx = this.ctx;
    const chutes = ctx.chutes;
    chutes.state[c] = state;
    if (fill !== undefined) chutes.fill[c] = fill;
    ctx.stats.chuteChanges++;
    const now = ctx.clock.nowMs();
    ctx.recorder.chute(now, ctx.numbering.numberOf(c), state, chutes.fill[c]!, source, gateway);
    if (!chutes.accepts(c)) this.reroute(c, now);
  }

  /** A parcel went into chute number `chute`: the fill estimate grows by one (journaled). */
  discharged(chute: number, now: number): void {
    const ctx = this.ctx;
    const c = ctx.numbering.indexOf(chute);
    if (c < 0) return;
    const fill = ctx.chutes.fill;
    fill[c] = fill[c]! + 1;
    ctx.recorder.fill(now, chute, ctx.chutes.state[c]!, fill[c]);
  }

  /**
   * Gives every open task whose reply lists chute `c` first a new reply (same task and turn) when
   * its destination's chutes now give a different answer.
   */
  private reroute(c: number, now: number): void {
    const ctx = this.ctx;
    const t = ctx.tasks;
    const a = ctx.assigner;
    const scratch = ctx.scratch;
    let r = t.chuteHead[c]!;
    while (r >= 0) {
      const next = t.nextOnChute(r);
      const d = t.destination[r]!;
      if (d >= 0) {
        const n = a.candidates(d, scratch);
        const status = n > 0 ? ReplyStatus.OK : ReplyStatus.NO_CHUTE;
        const exc = a.fallbackChute(n > 0 ? Fallback.RECIRCULATION_LIMIT : Fallback.NO_CHUTE);
        if (!t.sameReply(r, status, exc, scratch, n)) {
          t.setReply(r, d, status, exc, scratch, n);
          const reply = ctx.replyOf(r, t.taskId[r]!, t.turn[r]!);
          const sent = ctx.send(t.gateway[r]!, reply);
          ctx.stats.rerouteReplies++;
          const destination = ctx.destinationId(r);
          ctx.recorder.replied(t.number[r]!, reply, destination);
          ctx.recorder.rerouted(t.number[r]!, now, reply, destination, sent);
        }
      }
      r = next;
    }
  }
}
