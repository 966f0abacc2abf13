/**
 * The sort service (DESIGN.md "The gateway protocol", issue 4 item 4): sort requests → label
 * resolution → the compiled sort plan → chute assignment aware of live chute states and fill →
 * destination reply; tasks from first request to one terminal outcome; chute states from PLC
 * sensors and operators, with rerouting. Specified in docs/operations.md "The sort service".
 *
 * This file is the façade: it dispatches each gateway message to its part and checks the sessions
 * it is attached to. The parts: ./tasks.ts (task lifecycle: requests, confirmations), ./chutes.ts
 * (chute states, fill, reroute), ./restore.ts (rebuild after a restart), ./commands.ts (operator
 * commands, task view), over the shared state of ./context.ts; shapes in ./types.ts, defaults in
 * ./defaults.ts.
 *
 * Durability: a sort confirmation is ACKed only after the journal commits it. The service passes
 * the session's `ack` to the recorder as the commit callback; that holds only when the session
 * defers the ACK of confirmations (session option `deferAck`). The service declares this in
 * {@link SortService.requires} and refuses a session without it
 * (`SORTLINE_ERR_SERVICE_SESSION_UNSAFE`).
 */
import { SortlineError } from '../../core/errors.js';
import type { AckFn, Message } from '../../core/protocol/index.js';
import type { ChuteStateCode } from '../../core/sorter/index.js';
import { ChuteStates } from './chutes.js';
import { setChuteState, taskView } from './commands.js';
import { ServiceContext, WARN_QUIET_MS } from './context.js';
import type { RecoveredState } from './recorder.js';
import { restoreState } from './restore.js';
import type { ServiceStats } from './stats.js';
import { TaskLifecycle } from './tasks.js';
import type {
  GatewayPort,
  ReplySender,
  SessionRequirements,
  SortServiceOptions,
  TaskView,
} from './types.js';

/** What every session attached to a {@link SortService} must do: defer the ACK of sort confirmations. */
export const SERVICE_SESSION_REQUIREMENTS: SessionRequirements = Object.freeze({
  deferAck: Object.freeze(['sortConfirmation'] as const),
});

/** Answers sort requests and tracks tasks for any number of gateways. */
export class SortService {
  /**
   * The session options this service depends on ({@link SERVICE_SESSION_REQUIREMENTS}): build
   * every gateway session's options from it (controller/server.ts spreads it into them).
   * {@link GatewayPort.bind} refuses a session that does not meet it.
   */
  readonly requires: SessionRequirements = SERVICE_SESSION_REQUIREMENTS;
  readonly stats: ServiceStats;
  private readonly ctx: ServiceContext;
  private readonly chuteStates: ChuteStates;
  private readonly lifecycle: TaskLifecycle;
  private readonly ports = new Map<string, GatewayPort>();
  private lastUnexpectedMs = -Infinity;

  /** @throws SortlineError `SORTLINE_ERR_PLAN_MACHINE_MISMATCH` when the plan was not compiled against `chutes`. */
  constructor(options: SortServiceOptions) {
    this.ctx = new ServiceContext(options);
    this.stats = this.ctx.stats;
    this.chuteStates = new ChuteStates(this.ctx);
    this.lifecycle = new TaskLifecycle(this.ctx, this.chuteStates);
  }

  /** Open tasks in memory now. */
  get openTasks(): number {
    return this.ctx.tasks.openCount;
  }

  /**
   * The port of gateway `name` (created on first call; the same port afterwards, so a gateway
   * that reconnects keeps its tasks). Gateway ids come from the recorder and survive restarts.
   * Its `bind` refuses a sender whose session options do not meet {@link requires}.
   */
  attachGateway(name: string): GatewayPort {
    const known = this.ports.get(name);
    if (known !== undefined) return known;
    const ctx = this.ctx;
    const id = ctx.recorder.gatewayId(name);
    while (ctx.senders.length <= id) ctx.senders.push(null);
    const port: GatewayPort = {
      id,
      name,
      onMessage: (message, header, ack) => this.onMessage(id, message, header.timestampMs, ack),
      bind: (sender) => {
        if (sender !== null) this.checkSession(name, sender);
        ctx.senders[id] = sender;
      },
    };
    this.ports.set(name, port);
    return port;
  }

  /**
   * Rebuilds open tasks, recently closed tasks and chute states and fills from a journal
   * (call once, before any message). Chute numbers the numbering does not know are skipped.
   */
  restore(state: RecoveredState): void {
    restoreState(this.ctx, state);
  }

  /**
   * Operator command: sets the state (and optionally the fill) of the chute with wire number
   * `chute`, reroutes open tasks whose first chute no longer takes parcels, and tells every
   * connected PLC (a host chuteState message).
   * @throws SortlineError `SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE` for a number no chute has,
   *   `SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE` for a state or fill out of range.
   */
  setChuteState(chute: number, state: ChuteStateCode, fill?: number): void {
    setChuteState(this.ctx, this.chuteStates, chute, state, fill);
  }

  /** The task of PLC task id `taskId` on gateway `gateway` as the service holds it, or null (API edge). */
  task(gateway: string, taskId: number): TaskView | null {
    return taskView(this.ctx, this.ports.get(gateway)?.id ?? -1, taskId);
  }

  /**
   * Refuses `sender` (gateway `name`) when its session options do not defer the ACK of every
   * type in {@link requires}: such a session would ACK a confirmation before the journal commit.
   * @throws SortlineError `SORTLINE_ERR_SERVICE_SESSION_UNSAFE`.
   */
  private checkSession(name: string, sender: ReplySender): void {
    const deferred = sender.options.deferAck;
    const missing = this.requires.deferAck.filter((t) => !deferred.includes(t));
    if (missing.length === 0) return;
    throw new SortlineError(
      'SORTLINE_ERR_SERVICE_SESSION_UNSAFE',
      `gateway ${name}: the session's deferAck is ${JSON.stringify(deferred)}, expected it to include ${missing.map((t) => `'${t}'`).join(', ')} (SortService.requires), so that a confirmation is ACKed only after the journal commits it; the session is refused`,
      { pointer: '/session/deferAck' },
    );
  }

  /** `stampMs`: the PLC's clock in the frame header (ms; 0 when it has none). */
  private onMessage(gateway: number, message: Message, stampMs: number, ack: AckFn): void {
    switch (message.type) {
      case 'sortRequest':
        this.lifecycle.onRequest(gateway, message, stampMs);
        ack();
        return;
      case 'sortConfirmation':
        this.lifecycle.onConfirmation(gateway, message, stampMs, ack);
        return;
      case 'chuteState':
        this.chuteStates.onChuteState(gateway, message);
        ack();
        return;
      default:
        // a destination reply from the PLC: the wrong direction (acknowledged, so it is not resent, and ignored)
        this.onUnexpected(gateway, message);
        ack();
    }
  }

  private onUnexpected(gateway: number, message: Message): void {
    const ctx = this.ctx;
    const stats = ctx.stats;
    stats.unexpectedMessages++;
    const now = ctx.clock.nowMs();
    if (now - this.lastUnexpectedMs > WARN_QUIET_MS) {
      ctx.log.warn(
        {
          code: 'SORTLINE_ERR_SERVICE_UNEXPECTED_MESSAGE',
          gateway,
          type: message.type,
          unexpectedMessages: stats.unexpectedMessages,
        },
        `the PLC sent a ${message.type}, which only the controller sends; acknowledged and ignored (check the PLC program and which side is which)`,
      );
    }
    this.lastUnexpectedMs = now;
  }
}
