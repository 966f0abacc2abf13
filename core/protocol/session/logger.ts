/**
 * The logger a session writes to: the subset of pino's `Logger` API it calls (a pino logger fits
 * as it is), so the session state machines stay free of any logging library and run in browsers.
 */

/** Structured log calls: a context object first, then the message (pino's argument order). */
export interface SessionLogger {
  debug(context: object, message?: string): void;
  info(context: object, message?: string): void;
  warn(context: object, message?: string): void;
  error(context: object, message?: string): void;
}

/** A logger that writes nothing (the session default). */
export const SILENT_LOGGER: SessionLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
