/**
 * Sessions: numbering, ACKs, resends, duplicate suppression, heartbeats, idle detection and link
 * sync over a transport link (docs/transports.md "Sessions"), with helpers that serve or dial a
 * gateway address.
 */
export { Session, type HandlerFactory, type SendOptions } from './session.js';
export type {
  BusinessMessage,
  BusinessType,
  SessionFault,
  SessionHandler,
  SessionIssue,
} from './handler.js';
export { SESSION_DEFAULTS, resolveSessionOptions, type SessionOptions } from './options.js';
export { createSessionStats, type SessionStats } from './stats.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { serveSessions, type ServeSessionsOptions, type SessionServer } from './server.js';
export {
  connectSession,
  type ConnectSessionOptions,
  type ReconnectOptions,
  type SessionClient,
} from './client.js';
