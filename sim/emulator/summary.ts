/**
 * The emulated PLC's ledger summary (`sortline emulate --json`): what happened to every parcel,
 * from the PLC's side, and the round-trip latency of the controller's replies.
 */
import { OUTCOME_NAMES, type SessionStats } from '../../core/protocol/index.js';
import type { FaultStats } from './faulty-link.js';
import type { EmulatedPlc } from './plc.js';

/** Round-trip latency percentiles in ms (nearest rank: the smallest value with at least p % of the values at or below it). */
export interface LatencySummary {
  /** Requests answered (first reply of each turn), in time or late. */
  replies: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The JSON summary of an emulator run. */
export interface EmulatorSummary {
  scenario: string;
  /** Gateway address dialled. */
  connect: string;
  dialect: string;
  /** Scenario seed (machine, flow, labels) and the seed of the fault injection. */
  seed: number;
  /** Simulated seconds per wall-clock second. */
  timeScale: number;
  /** Reply deadline: simulated seconds from the scan to the decision point. */
  replyDeadlineSeconds: number;
  /** Parcels created. */
  parcels: number;
  /** True when every parcel created has a terminal outcome and every confirmation was acknowledged. */
  complete: boolean;
  /**
   * - `requested`: sort requests sent (one per turn);
   * - `replied`: requests whose reply arrived before the parcel's decision point;
   * - `late`: requests without a reply at the decision point (parcel to the exception chute, outcome `lateReply`);
   * - `sorted`: parcels that ended in a destination chute (the outcome `discharged` of `outcomes`
   *   also counts parcels a fallback reply sent to an exception chute);
   * - `exception`: parcels that ended in an exception chute (the reply's fallback, `lateReply` or `loopLimit`);
   * - `lost`: parcels with a terminal outcome whose terminal sort confirmation the controller had
   *   not acknowledged (ACK, or a link sync covering its sequence number) when the emulator stopped;
   * - `open`: parcels created without a terminal outcome when the emulator stopped;
   * - `intermediate`, `updatedReplies`, `repliesAfterDecision`, `ignoredReplies`, `chuteReports`,
   *   `chuteCommands`, `busy`: see `PlcCounts`.
   */
  counts: {
    requested: number;
    replied: number;
    late: number;
    sorted: number;
    exception: number;
    lost: number;
    open: number;
    intermediate: number;
    updatedReplies: number;
    repliesAfterDecision: number;
    ignoredReplies: number;
    chuteReports: number;
    chuteCommands: number;
    busy: number;
  };
  /** Terminal outcomes by name (`discharged`, `loopLimit`, `lateReply`). */
  outcomes: Record<string, number>;
  latencyMs: LatencySummary;
  /** Task ids with a confirmation the controller had not acknowledged when the emulator stopped (at most 1,000 listed). */
  unacknowledged: number[];
  simulatedSeconds: number;
  wallSeconds: number;
  /**
   * Times the emulator fell behind its time scale (its own event loop stalled) and held the
   * machine clock instead of jumping ahead, and the simulated seconds so not run
   * (`simulatedSeconds + lagSeconds` ≈ `wallSeconds × timeScale`). A held clock keeps the
   * emulator's stalls from counting as late replies.
   */
  stalls: number;
  lagSeconds: number;
  session: Pick<
    SessionStats,
    | 'framesIn'
    | 'framesOut'
    | 'resends'
    | 'duplicates'
    | 'faults'
    | 'linkUps'
    | 'linkDowns'
    | 'linkDeaths'
    | 'peerResets'
    | 'rejected'
  >;
  faults: FaultStats;
  /** PLC restarts played (`restarts`; each a new session, so `session` counts since the last). */
  plcRestarts: number;
}

/** Nearest-rank percentiles of `values` (sorted in place); zeros when empty. */
export function latencySummary(values: number[]): LatencySummary {
  const n = values.length;
  if (n === 0) return { replies: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  values.sort((a, b) => a - b);
  const at = (p: number): number => round3(values[Math.max(0, Math.ceil((p / 100) * n) - 1)]!);
  return { replies: n, p50: at(50), p90: at(90), p99: at(99), max: round3(values[n - 1]!) };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** What {@link summarize} needs beyond the PLC. */
export interface RunFacts {
  connect: string;
  dialect: string;
  seed: number;
  timeScale: number;
  wallSeconds: number;
  unacknowledged: readonly number[];
  /** Task ids whose terminal confirmation is unacknowledged. */
  lost: number;
  /** The machine clock's holds and lag (./machine-clock.ts). */
  stalls: number;
  lagSeconds: number;
  session: SessionStats;
  faults: FaultStats;
  plcRestarts: number;
}

/** The summary of a run of `plc`. */
export function summarize(plc: EmulatedPlc, facts: RunFacts): EmulatorSummary {
  const c = plc.counts;
  const outcomes: Record<string, number> = {};
  for (const e of plc.ledger.values()) {
    const name = OUTCOME_NAMES[e.outcome] ?? String(e.outcome);
    outcomes[name] = (outcomes[name] ?? 0) + 1;
  }
  const s = facts.session;
  const open = plc.parcelsCreated - plc.ledger.size;
  return {
    scenario: plc.model.name,
    connect: facts.connect,
    dialect: facts.dialect,
    seed: facts.seed,
    timeScale: facts.timeScale,
    replyDeadlineSeconds: round3(plc.replyDeadlineSeconds),
    parcels: plc.parcelsCreated,
    complete: open === 0 && facts.unacknowledged.length === 0,
    counts: {
      requested: c.requested,
      replied: c.replied,
      late: c.late,
      sorted: c.sorted,
      exception: c.exception,
      lost: facts.lost,
      open,
      intermediate: c.intermediate,
      updatedReplies: c.updatedReplies,
      repliesAfterDecision: c.repliesAfterDecision,
      ignoredReplies: c.ignoredReplies,
      chuteReports: c.chuteReports,
      chuteCommands: c.chuteCommands,
      busy: c.busy,
    },
    outcomes,
    latencyMs: latencySummary(plc.roundTripsMs.slice()),
    unacknowledged: facts.unacknowledged.slice(0, 1000),
    simulatedSeconds: round3(plc.now),
    wallSeconds: round3(facts.wallSeconds),
    stalls: facts.stalls,
    lagSeconds: round3(facts.lagSeconds),
    session: {
      framesIn: s.framesIn,
      framesOut: s.framesOut,
      resends: s.resends,
      duplicates: s.duplicates,
      faults: s.faults,
      linkUps: s.linkUps,
      linkDowns: s.linkDowns,
      linkDeaths: s.linkDeaths,
      peerResets: s.peerResets,
      rejected: s.rejected,
    },
    faults: { ...facts.faults },
    plcRestarts: facts.plcRestarts,
  };
}
