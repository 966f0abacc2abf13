/**
 * Shared set-up of the sort service tests: the bundled Jiangsu hub plan through the real label
 * router, a sender that collects what the service sends, and a recorder that keeps every call.
 */
import { readFileSync } from 'node:fs';
import { ParcelRouter } from '../../../core/labels/index.js';
import { type SortPlanDoc, buildMachine, type MachineOptions } from '../../../core/plan/index.js';
import {
  ReadSource,
  type ChuteStateMessage,
  type DestinationReply,
  type FrameHeader,
  type Message,
  type Read,
  type SortRequest,
} from '../../../core/protocol/index.js';
import {
  nullRecorder,
  SortService,
  type GatewayPort,
  type ServiceClock,
  type ServiceRecorder,
  type SortServiceOptions,
} from '../../../controller/service/index.js';

type Sent = DestinationReply | ChuteStateMessage;

/** The bundled Jiangsu hub plan as shipped (its destinations share their chutes round robin). */
export const BUNDLED_PLAN_DOC = JSON.parse(
  readFileSync(
    new URL('../../../scenarios/jiangsu-outbound-hub.plan.json', import.meta.url),
    'utf8',
  ),
) as SortPlanDoc;

/**
 * The bundled plan with `"assignment": "priority"` (docs/sort-plan.md "From destination to
 * chute"): a destination's first chute takes every parcel it can, so the tests can name the chute
 * order a reply must have.
 */
export const PLAN_DOC: SortPlanDoc = { ...BUNDLED_PLAN_DOC, assignment: 'priority' };

/**
 * Wire numbers of the default numbering, derived from the plan document as docs/operations.md
 * states it: the destinations' chutes in order, then the fallback chutes, each at its first
 * appearance, numbered from 1.
 */
export function defaultNumbers(doc: SortPlanDoc = PLAN_DOC): Map<string, number> {
  const ids: string[] = [];
  for (const d of doc.destinations) for (const c of d.chutes) if (!ids.includes(c)) ids.push(c);
  for (const key of [
    'noRead',
    'noRule',
    'multiRead',
    'recirculationLimit',
    'oversize',
    'noChute',
  ] as const) {
    const c = doc.fallbacks[key];
    if (c !== undefined && !ids.includes(c)) ids.push(c);
  }
  return new Map(ids.map((id, i) => [id, i + 1]));
}

/** The wire number of chute id `id` under the default numbering. */
export function num(id: string): number {
  const n = defaultNumbers().get(id);
  if (n === undefined) throw new Error(`no chute ${id} in the plan`);
  return n;
}

/**
 * A GS1-128 label (AIM `]C1`): SSCC (00) 106141411234567897 (GS1 General Specifications example,
 * valid check digit) and ship-to (421) country 156 with `postal`.
 */
export function label(postal: string, country = '156'): string {
  return `]C100106141411234567897421${country}${postal}`;
}

/** A scanner read of `data`. */
export function read(data: string, scanner = 1): Read {
  return { source: ReadSource.SCANNER, scanner, data };
}

/** A sort request with defaults (turn 1, a 1.2 kg parcel of 300 × 200 × 100 mm). */
export function request(
  taskId: number,
  reads: Read[],
  more: Partial<SortRequest> = {},
): SortRequest {
  return {
    type: 'sortRequest',
    taskId,
    turn: 1,
    induct: 1,
    scanner: 1,
    carrier: 17,
    reads,
    weightG: 1200,
    lengthMm: 300,
    widthMm: 200,
    heightMm: 100,
    ...more,
  };
}

const HEADER: FrameHeader = { seq: 1, ackRequired: true, timestampMs: 0 };

/** A service over the Jiangsu plan (`planDoc`, default {@link PLAN_DOC}) with one gateway `plc1` whose sent messages are collected. */
export function makeService(
  options: Partial<SortServiceOptions> & { machine?: MachineOptions; planDoc?: SortPlanDoc } = {},
) {
  const { machine: machineOptions, planDoc, ...serviceOptions } = options;
  const machine = buildMachine(planDoc ?? PLAN_DOC, machineOptions ?? {});
  const service = new SortService({
    ...machine,
    router: new ParcelRouter(machine.plan),
    ...serviceOptions,
  });
  const port = service.attachGateway('plc1');
  const sent: Sent[] = [];
  let accept = true;
  port.bind({
    send: (m) => (accept ? (sent.push(m), true) : false),
    options: service.requires,
  });
  const acks: number[] = [];
  let seq = 0;
  /** Delivers a frame; `stampMs` is the PLC's clock in its header (0: the PLC has none). */
  const deliver = (message: Message, into: GatewayPort = port, stampMs = 0): number => {
    const s = ++seq;
    into.onMessage(message, { ...HEADER, seq: s, timestampMs: stampMs }, () => acks.push(s));
    return s;
  };
  /** Sends request `m` and returns the one reply it produced (throws if none or several). */
  const ask = (m: SortRequest, stampMs = 0): DestinationReply => {
    const before = sent.length;
    deliver(m, port, stampMs);
    const replies = sent.slice(before);
    if (replies.length !== 1 || replies[0]!.type !== 'destinationReply')
      throw new Error(`expected one reply, got ${JSON.stringify(replies)}`);
    return replies[0] as DestinationReply;
  };
  return {
    service,
    machine,
    port,
    sent,
    acks,
    deliver,
    ask,
    refuse: (yes: boolean) => {
      accept = !yes;
    },
  };
}

/** A recorder that keeps every call as [method, ...args], with manual commits. */
export function spyRecorder() {
  const calls: unknown[][] = [];
  const pending: Array<() => void> = [];
  const base = nullRecorder();
  const recorder: ServiceRecorder = {
    gatewayId: (name) => base.gatewayId(name),
    opened: (...a) => void calls.push(['opened', ...a]),
    replied: (...a) => void calls.push(['replied', ...a]),
    request: (...a) => void calls.push(['request', ...a]),
    rerouted: (...a) => void calls.push(['rerouted', ...a]),
    confirmation: (task, atMs, c, kind, onCommit) => {
      calls.push(['confirmation', task, atMs, c, kind]);
      pending.push(onCommit);
    },
    closed: (...a) => void calls.push(['closed', ...a]),
    chute: (...a) => void calls.push(['chute', ...a]),
    fill: (...a) => void calls.push(['fill', ...a]),
  };
  return {
    recorder,
    calls,
    /** Runs the commit callbacks of every confirmation so far. */
    commit: () => pending.splice(0).forEach((f) => f()),
    of: (method: string) => calls.filter((c) => c[0] === method),
  };
}

/** A clock that advances by `stepMs` at every monotonic reading. */
export function steppingClock(stepMs: number): ServiceClock {
  let t = 0;
  return { nowMs: () => 1_790_000_000_000, monotonicMs: () => (t += stepMs) };
}
