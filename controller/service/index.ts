/**
 * controller/service: the sort service. Sort requests → label resolution → sort plan → chute
 * assignment → destination replies; tasks, chute states, confirmations. docs/operations.md.
 */
export { SortService, WARN_QUIET_MS } from './service.js';
export type {
  GatewayPort,
  ParcelLimits,
  ReplySender,
  ServiceClock,
  SortServiceOptions,
  TaskView,
} from './service.js';
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
