/** A tiny loop sorter scenario and a recording port, for the emulated-PLC tests. */
import { resolveScenario } from '../../../sim/scenario/load.js';
import type { SimModel } from '../../../sim/scenario/model.js';
import { buildMachine } from '../../../core/plan/index.js';
import { EmulatedPlc, type EmulatedPlcOptions, type PlcPort } from '../../../sim/emulator/index.js';
import {
  type ChuteStateMessage,
  type DestinationReply,
  type SortConfirmation,
  type SortRequest,
  ReplyStatus,
} from '../../../core/protocol/index.js';

/**
 * 40 carriers at 1 m pitch and 1 m/s (tick 1 s); one induct at position 0; destination chutes C1
 * (position 10) and C2 (20), capacity 2; exception chute X1 (35). Plan: D1 → C1, C2 (postal 100);
 * D2 → C2 (postal 101); every parcel is for D1 and every label is read. Recirculation limit 1.
 * Operators take 10^6 s per parcel (chutes never clear). Chute numbers (the controller's default:
 * plan chutes in order): C1 = 1, C2 = 2, X1 = 3.
 */
export function tinyModel(
  overrides: { ratePerHour?: number; seed?: number; handlingMean?: number } = {},
): SimModel {
  return resolveScenario({
    name: 'tiny',
    description: 'a tiny loop for the emulated-PLC tests',
    seed: overrides.seed ?? 1,
    hours: 1,
    sorter: {
      type: 'loop',
      carriers: 40,
      pitch: 1,
      speed: 1,
      recirculationLimit: 1,
      inducts: { count: 1, cycleSeconds: 1, positions: [0] },
      chuteCapacity: 2,
      chutes: [
        { id: 'C1', position: 10 },
        { id: 'C2', position: 20 },
      ],
      exceptionChutes: [{ id: 'X1', position: 35 }],
    },
    operators: {
      perChute: 1,
      handlingSeconds: { distribution: 'exponential', mean: overrides.handlingMean ?? 1e6 },
    },
    arrivals: { ratePerHour: [overrides.ratePerHour ?? 360] },
    scanner: { readRate: 1 },
    labels: { postalCodeLength: 6, poolPerDestination: 4 },
    mix: [
      { destination: 'D1', weight: 1 },
      { destination: 'D2', weight: 0 },
    ],
    plan: {
      version: 'tiny-1',
      homeCountry: '156',
      destinations: [
        { id: 'D1', chutes: ['C1', 'C2'] },
        { id: 'D2', chutes: ['C2'] },
      ],
      rules: [
        { postal: '100', destination: 'D1' },
        { postal: '101', destination: 'D2' },
      ],
      fallbacks: { noRead: 'X1', noRule: 'X1', multiRead: 'X1', recirculationLimit: 'X1' },
    },
  });
}

export const C1 = 1;
export const C2 = 2;
export const X1 = 3;

/** A port that keeps everything the PLC sends, in order. */
export class RecordingPort implements PlcPort {
  readonly requests: SortRequest[] = [];
  readonly confirmations: SortConfirmation[] = [];
  readonly chuteStates: ChuteStateMessage[] = [];
  request(m: SortRequest): void {
    this.requests.push(m);
  }
  confirm(m: SortConfirmation): void {
    this.confirmations.push(m);
  }
  chuteState(m: ChuteStateMessage): void {
    this.chuteStates.push(m);
  }
}

/** An emulated PLC of {@link tinyModel} with the controller's chute numbering. */
export function tinyPlc(
  options: Partial<EmulatedPlcOptions> = {},
  model = tinyModel(),
): { plc: EmulatedPlc; port: RecordingPort } {
  const { numbering } = buildMachine(model.planDoc);
  const chuteNumbers = new Map(numbering.ids.map((id, i) => [id, numbering.numberOf(i)] as const));
  const port = new RecordingPort();
  const plc = new EmulatedPlc(
    model,
    port,
    { chuteNumbers, scanToDivertMeters: 3, chuteReportSeconds: 0, ...options },
    () => 0,
  );
  return { plc, port };
}

/** A destination reply for `request`. */
export function replyTo(
  request: SortRequest,
  chutes: number[],
  status: number = ReplyStatus.OK,
): DestinationReply {
  return {
    type: 'destinationReply',
    taskId: request.taskId,
    turn: request.turn,
    chutes,
    exceptionChute: X1,
    status: status as DestinationReply['status'],
  };
}

/** Runs whole ticks (1 s each in the tiny model) until `ok()` holds; at most `limit` ticks. */
export function runUntil(plc: EmulatedPlc, ok: () => boolean, limit = 10_000): void {
  for (let i = 0; i < limit && !ok(); i++) plc.advanceTo(plc.now);
  if (!ok()) throw new Error('condition not met within the tick limit');
}
