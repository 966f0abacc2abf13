/**
 * controller/service: the sort service. Sort requests → label resolution → sort plan → chute
 * assignment → destination replies; tasks, chute states, confirmations. docs/operations.md.
 * Files: service.ts (the SortService façade), tasks.ts (task lifecycle), chutes.ts (chute states,
 * reroute), restore.ts (after a restart), commands.ts (operator commands), context.ts (shared
 * state), types.ts, defaults.ts, admission.ts, task-table.ts, recorder.ts, stats.ts.
 */
export { SortService, SERVICE_SESSION_REQUIREMENTS } from './service.js';
export { WARN_QUIET_MS } from './context.js';
export { SERVICE_DEFAULTS, ADMISSION_DEFAULTS, type ServiceDefaults } from './defaults.js';
export type {
  GatewayPort,
  ParcelLimits,
  ReplySender,
  ServiceClock,
  SessionRequirements,
  SortServiceOptions,
  TaskView,
} from './types.js';
export { createServiceStats, type ServiceStats } from './stats.js';
export {
  ChuteSource,
  CHUTE_SOURCE_NAMES,
  ConfirmationKind,
  CONFIRMATION_KIND_NAMES,
  RequestKind,
  REQUEST_KIND_NAMES,
  nullRecorder,
} from './recorder.js';
export type {
  ChuteSourceCode,
  ConfirmationKindCode,
  RecoveredClosedTask,
  RecoveredOpenTask,
  RecoveredState,
  RequestKindCode,
  ServiceRecorder,
} from './recorder.js';
