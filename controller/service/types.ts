/**
 * The public shapes of the sort service (controller/service): how it is built
 * ({@link SortServiceOptions}), how a gateway session talks to it ({@link GatewayPort},
 * {@link ReplySender}), what it requires of that session ({@link SessionRequirements}) and what it
 * reports ({@link TaskView}). docs/operations.md "The sort service".
 */
import type { Logger } from 'pino';
import type { ParcelRouter } from '../../core/labels/index.js';
import type { CompiledPlan } from '../../core/plan/index.js';
import type {
  AckFn,
  BusinessType,
  ChuteStateMessage,
  DestinationReply,
  FrameHeader,
  Message,
} from '../../core/protocol/index.js';
import type { ChuteNumbering, ChuteTable } from '../../core/sorter/index.js';
import type { AdmissionOptions } from './admission.js';
import type { ServiceRecorder } from './recorder.js';

/**
 * What the service needs of every gateway session it is attached to (`SortService.requires`):
 * the session options it depends on for durability. A session built from them passes; the
 * service refuses any other (`SORTLINE_ERR_SERVICE_SESSION_UNSAFE`).
 */
export interface SessionRequirements {
  /**
   * Business types whose ACK the session must leave to the handler's `ack()` (the session option
   * `deferAck`, core/protocol/session): `['sortConfirmation']`, ACKed only after the journal
   * committed it (docs/protocol.md "Sort confirmation").
   */
  readonly deferAck: readonly BusinessType[];
}

/**
 * Where replies and host chute states go: a gateway session (core/protocol `Session`, whose
 * `options` it must expose so the service can check them against {@link SessionRequirements}).
 */
export interface ReplySender {
  /** Queues the message for the PLC; false when it could not be queued (backpressure, closed). */
  send(message: DestinationReply | ChuteStateMessage): boolean;
  /** The session options the service checks (`Session.options`). */
  readonly options: { readonly deferAck: readonly BusinessType[] };
}

/** Size and weight limits of the sorter; a parcel over any of them goes to the oversize chute. 0 = no limit. */
export interface ParcelLimits {
  maxWeightG: number;
  maxLengthMm: number;
  maxWidthMm: number;
  maxHeightMm: number;
}

/** Clocks of the service (injectable for tests). */
export interface ServiceClock {
  /** Wall clock, ms since the Unix epoch (journal timestamps). */
  nowMs(): number;
  /** Monotonic clock in ms with sub-ms resolution (reply latency). */
  monotonicMs(): number;
}

/** How a `SortService` is built. Defaults: `SERVICE_DEFAULTS` (./defaults.ts). */
export interface SortServiceOptions {
  /** The active compiled plan: compiled against `chutes.ids`. */
  plan: CompiledPlan;
  /** The live chute table (state and fill are changed by the service). */
  chutes: ChuteTable;
  /** Wire chute numbers of `chutes`. */
  numbering: ChuteNumbering;
  /** The label router, over the same plan. */
  router: ParcelRouter;
  /** Oversize limits (default: none). */
  limits?: Partial<ParcelLimits>;
  /** Reply budget in ms: a reply that took the service longer is recorded as late. Default 150 (DESIGN.md). */
  replyBudgetMs?: number;
  /**
   * Recirculations a parcel may make: a request of turn > limit + 1 is answered with the
   * recirculation-limit exception chute. Default 0: no limit here (the PLC enforces its own).
   */
  recirculationLimit?: number;
  /** Open tasks kept in memory; past it the oldest is forgotten (counted in `stats.evictedTasks`). Default 1,000,000. */
  maxOpenTasks?: number;
  /** Admission control: when to answer busy instead of serving (admission.ts; defaults there). */
  admission?: Partial<AdmissionOptions>;
  /** Closed tasks remembered to recognise resent confirmations. Default 65,536. */
  closedMemory?: number;
  /** The journal (default: records nothing, confirms at once). */
  recorder?: ServiceRecorder;
  clock?: ServiceClock;
  /**
   * pino logger (default: silent). Stale sort requests (`SORTLINE_ERR_SERVICE_STALE_REQUEST`) and
   * messages a PLC must not send (`SORTLINE_ERR_SERVICE_UNEXPECTED_MESSAGE`) are logged at `warn`,
   * once per burst (the first after `WARN_QUIET_MS` without one); every one is counted in `stats`.
   */
  logger?: Logger;
}

/** One gateway's connection to the service: pass it to a Session as its handler. */
export interface GatewayPort {
  /** The gateway id (stable across restarts, from the recorder). */
  readonly id: number;
  readonly name: string;
  /**
   * A business message from this gateway's PLC (SessionHandler.onMessage). `ack` is called once
   * the message is durable (sort confirmations, after the journal committed); for other messages
   * it is called at once.
   */
  onMessage(message: Message, header: FrameHeader, ack: AckFn): void;
  /**
   * Routes replies (and host chute states) to `sender`; null while the gateway is away.
   * @throws SortlineError `SORTLINE_ERR_SERVICE_SESSION_UNSAFE` when `sender.options.deferAck`
   *   lacks a type of `SortService.requires.deferAck` (the sender is not bound).
   */
  bind(sender: ReplySender | null): void;
}

/** A task as `SortService.task` reports it (API edge). */
export interface TaskView {
  /** Task number (the journal's id for this parcel's life). */
  task: number;
  open: boolean;
  turn: number;
  /** Reply status code of the latest reply. */
  status: number;
  /** Chute numbers of the latest reply. */
  chutes: number[];
  /** Exception chute number of the latest reply (0 none). */
  exceptionChute: number;
  /** Terminal outcome code when closed, else null. */
  outcome: number | null;
}
