import type { CompiledPlan, SortPlanDoc } from '../../core/plan/index.js';
import type { SlotPolicySpec } from '../../core/schedule/index.js';
import type { ChuteSpec, InductSpec, LoopSpec } from '../../core/sorter/index.js';
import type { DistributionSpec } from './schema.js';

/**
 * A validated scenario, resolved into what the engine runs: machine tables, the compiled sort
 * plan, and the parcel-flow, scanner, label and operator models with every default filled in.
 */
export interface SimModel {
  name: string;
  description: string;
  /** PRNG seed. */
  seed: number;
  /** Simulated hours. */
  hours: number;
  /** Hours at the start excluded from rate figures. */
  warmupHours: number;
  /** Clock time at simulated hour 0, "HH:MM" (24-hour clock; default "00:00"). */
  startTime: string;
  /** The same as seconds after midnight (0 ≤ s < 86,400). */
  startClockSeconds: number;
  loop: LoopSpec;
  inducts: InductSpec[];
  /** Share of arrivals per induct (same length as inducts). */
  inductWeights: number[];
  /** Destination chutes, then exception chutes (flagged `exception`). */
  chutes: ChuteSpec[];
  recirculationLimit: number;
  slotPolicy: SlotPolicySpec;
  operators: { perChute: number; handlingSeconds: DistributionSpec };
  arrivals: {
    /** Parcels per hour for each simulated hour; the last value holds after. */
    ratePerHour: number[];
    waves: { startHour: number; durationHours: number; parcels: number; name?: string }[];
  };
  scanner: {
    /** Probability that the scan tunnel reads the label. */
    readRate: number;
    /** Probability that a read label is also reported by a second camera (an identical read). */
    duplicateReadRate: number;
    /** Probability that the parcel carries a second, stale label (another destination) that is read too. */
    secondLabelRate: number;
    /** What the scanner sends on a no-read (DESIGN.md: a configurable token). */
    noReadToken: string;
  };
  labels: {
    aim: ']C1' | ']d2' | ']Q3';
    postalCodeLength: number;
    routingCodeShare: number;
    weightKg: DistributionSpec;
    poolPerDestination: number;
    companyPrefix: string;
  };
  plan: CompiledPlan;
  planDoc: SortPlanDoc;
  /** Destination mix weights by plan destination index. */
  mix: Float64Array;
}
