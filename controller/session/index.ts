/**
 * Sessions on gateway addresses: serving a listener's connections (server.ts) and dialling an
 * address (client.ts), each over the transports. The session state machines themselves are
 * core/protocol's (`Session`).
 */
export { serveSessions, type ServeSessionsOptions, type SessionServer } from './server.js';
export { connectSession, type ConnectSessionOptions } from './client.js';
export { nodeLinkCrypto } from './crypto.js';
