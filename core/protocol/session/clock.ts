/**
 * The time source of sessions, injectable so tests can run resend, heartbeat and idle logic on
 * fake time.
 */

/** Opaque timer handle of a {@link Clock}. */
export type TimerHandle = unknown;

/** A clock with timers. */
export interface Clock {
  /** Milliseconds since the Unix epoch (UTC), an integer, never going backwards. Also stamped into frame headers. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer of {@link setTimeout}; a handle that already fired is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The process clock: `performance.timeOrigin + performance.now()` (monotonic, so a wall-clock step
 * does not fire or stall timers) and Node timers. A session arms a timer only while a link is
 * attached or while it closes, so a session left alone without a link does not keep the process
 * alive; a dialling client's reconnect timer does, until the client is closed.
 */
export const systemClock: Clock = {
  now: () => Math.floor(performance.timeOrigin + performance.now()),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
