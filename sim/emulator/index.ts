/**
 * sim/emulator: the emulated sorter PLC (issue 4 item 6; docs/emulator.md). The simulator's hub,
 * driven by the same tick loop as the engine (sim/hub.ts HubTicks), plays the PLC against a
 * controller over a byte link (core/protocol); bin/ wires it to a controller transport.
 */
export {
  EmulatedPlc,
  type EmulatedPlcOptions,
  type LedgerEntry,
  type PlcCounts,
  type PlcPort,
} from './plc.js';
export {
  runEmulator,
  type EmulatorOptions,
  type EmulatorRestart,
  type EmulatorRun,
} from './run.js';
export {
  summarize,
  latencySummary,
  type EmulatorSummary,
  type LatencySummary,
  type RunFacts,
} from './summary.js';
export {
  FaultyLink,
  createFaultStats,
  hasFaults,
  resolveFaultOptions,
  type FaultOptions,
  type FaultStats,
} from './faulty-link.js';
export { ConfirmationTracker, type WireListener } from './confirmation-tracker.js';
export { LinkDecorator } from './link-decorator.js';
