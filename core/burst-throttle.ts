/**
 * "Warn once per burst": which of a run of like events to log and which only to count. Pure
 * (no I/O); the clock is injected. The session's fault log and the sort service's warnings
 * (stale requests, unexpected messages, busy replies, reused task ids, unknown chutes, replies
 * not sent) use it.
 */

/** Options of {@link createBurstThrottle}; times are ms on the `now` clock. */
export interface BurstThrottleOptions {
  /**
   * A burst ends after this many ms without a hit; the next hit starts a new burst and is logged.
   * Default: Infinity (bursts never end by quiet; give `repeatMs`).
   */
  quietMs?: number;
  /**
   * Within one burst, log again once this many ms have passed since the last logged hit, so a
   * steady stream is still seen (at most one log per `repeatMs`). Default: Infinity (one log a
   * burst).
   */
  repeatMs?: number;
  /** The time now in ms (a monotonic clock in production, a fake one in tests). */
  now: () => number;
}

/** A throttle made by {@link createBurstThrottle}. */
export interface BurstThrottle {
  /**
   * Records one event now. Returns the number of events only counted (not logged) since the last
   * logged one (0 for the first) when this event is to be logged, or `undefined` when it is only to
   * be counted. Allocates nothing.
   */
  hit(): number | undefined;
}

/**
 * Makes a throttle for one kind of event. An event is logged when it is the first, when the one
 * before it came more than `quietMs` earlier (a new burst), or when the last logged one came
 * `repeatMs` or more earlier; every other event is only counted. With `quietMs` alone: one log per
 * burst; with `repeatMs` alone: at most one log per `repeatMs`.
 * @throws RangeError when `quietMs` or `repeatMs` is negative or NaN.
 */
export function createBurstThrottle(options: BurstThrottleOptions): BurstThrottle {
  const { quietMs = Infinity, repeatMs = Infinity, now } = options;
  if (!(quietMs >= 0)) throw new RangeError(`quietMs is ${quietMs}; expected ms ≥ 0`);
  if (!(repeatMs >= 0)) throw new RangeError(`repeatMs is ${repeatMs}; expected ms ≥ 0`);
  let lastHitAt = -Infinity;
  let lastLogAt = -Infinity;
  let unlogged = 0;
  return {
    hit(): number | undefined {
      const t = now();
      const log = t - lastHitAt > quietMs || t - lastLogAt >= repeatMs;
      lastHitAt = t;
      if (!log) {
        unlogged++;
        return undefined;
      }
      const suppressed = unlogged;
      lastLogAt = t;
      unlogged = 0;
      return suppressed;
    },
  };
}
