/**
 * Clock time of simulated seconds: the scenario's `startTime` ("HH:MM", 24-hour clock) is the
 * clock at simulated second 0; later times run on past midnight into the following days.
 */

/** Seconds after midnight of an "HH:MM" (or "HH:MM:SS") clock time. */
export function clockStartSeconds(startTime: string): number {
  const [h = 0, m = 0, s = 0] = startTime.split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

/** A clock time: the day (0 = the day the run starts, 1 = the next, ...) and the time of day. */
export interface ClockTime {
  /** Days after the start day (0 on the start day). */
  day: number;
  /** Seconds after that day's midnight, 0 ≤ s < 86,400. */
  secondOfDay: number;
}

/** The clock time at simulated second `t` of a run starting at `startSeconds` after midnight. */
export function clockAt(startSeconds: number, t: number): ClockTime {
  const total = Math.round((startSeconds + t) * 1000) / 1000; // no 23:59:59.9999 from float noise
  const day = Math.floor(total / 86400);
  return { day, secondOfDay: total - day * 86400 };
}

const pad = (x: number) => String(x).padStart(2, '0');

/**
 * "HH:MM:SS" of a clock time (seconds rounded down to the whole second), or "HH:MM" with
 * `seconds: false` (rounded down to the minute).
 */
export function formatTimeOfDay(secondOfDay: number, seconds = true): string {
  const s = Math.floor(secondOfDay + 1e-6);
  const hhmm = `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}`;
  return seconds ? `${hhmm}:${pad(s % 60)}` : hhmm;
}

/** "HH:MM" of simulated second t, with "+Nd" after it on later days (e.g. "01:30 +1d"). */
export function formatClock(startSeconds: number, t: number): string {
  const c = clockAt(startSeconds, t);
  const hhmm = formatTimeOfDay(c.secondOfDay, false);
  return c.day > 0 ? `${hhmm} +${c.day}d` : hhmm;
}

/**
 * A duration in seconds for people: "12.34 s" under a minute, "5 min 03 s" under an hour,
 * "2 h 05 min" beyond.
 */
export function formatDuration(seconds: number): string {
  if (seconds < 59.995) return `${seconds.toFixed(2)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  const m = Math.round(seconds / 60);
  return `${Math.floor(m / 60)} h ${pad(m % 60)} min`;
}
