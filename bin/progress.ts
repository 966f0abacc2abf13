import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr for long runs: it appears only once a run has taken more than
 * `afterMs` (default 1 s) and only when stderr is a terminal and the user did not ask for quiet.
 * Returns the callback the engine calls with simulated and total seconds, and a `stop`.
 */
export function progressBar(options: { quiet: boolean; afterMs?: number; label?: string }): {
  update: (done: number, total: number) => void;
  stop: () => void;
} {
  const enabled = !options.quiet && process.stderr.isTTY === true;
  const started = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total) {
      if (!enabled) return;
      if (!bar) {
        if (performance.now() - started < (options.afterMs ?? 1000)) return;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `${options.label ?? 'simulating'} [{bar}] {percentage}% | {value}/{total} simulated min | eta {eta}s`,
            hideCursor: true,
            clearOnComplete: true,
            synchronousUpdate: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.round(total / 60), 0);
      }
      bar.update(Math.round(done / 60));
    },
    stop() {
      bar?.stop();
    },
  };
}
