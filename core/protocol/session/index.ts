/**
 * Sessions: the link state machines of the gateway protocol (docs/protocol.md "Link rules"):
 * numbering, ACKs, resends, duplicate suppression, heartbeats, idle detection and link sync, over
 * a byte link (link.ts) with an injected clock. Pure: no I/O of its own; transports
 * (controller/transport) implement the link, the owner (the sort service, the emulated PLC)
 * implements the handler.
 */
export { Session, type HandlerFactory, type SendOptions } from './session.js';
export type {
  AckFn,
  BusinessMessage,
  BusinessType,
  SessionFault,
  SessionHandler,
  SessionIssue,
} from './handler.js';
export { SESSION_DEFAULTS, resolveSessionOptions, type SessionOptions } from './options.js';
export { createSessionStats, type SessionStats } from './stats.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { SILENT_LOGGER, type SessionLogger } from './logger.js';
export { LinkBase, type Link, type LinkFault, type LinkKind } from './link.js';
export { MemoryLink, memoryLinkPair, type MemoryLinkOptions } from './memory-link.js';
export {
  dialSession,
  type Dial,
  type DialSessionOptions,
  type ReconnectOptions,
  type SessionClient,
} from './client.js';
export {
  createLinkAuthenticator,
  linkProofInput,
  MIN_SECRET_CHARS,
  type LinkAuthenticator,
  type LinkCrypto,
} from './auth.js';
export { frameFingerprint } from './fingerprint.js';
export { MAX_HANDSHAKE_BYTES } from './candidates.js';
