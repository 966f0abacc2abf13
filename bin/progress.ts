import { createRequire } from 'node:module';
import type cliProgress from 'cli-progress';

/**
 * cli-progress, loaded the first time a bar is shown: a quiet run, a run whose stderr is no
 * terminal and a short run never load it (start-up time). A CommonJS package, so `require` loads
 * it synchronously from the engine's progress callback.
 */
let cliProgressModule: typeof cliProgress | undefined;
function loadCliProgress(): typeof cliProgress {
  return (cliProgressModule ??= createRequire(import.meta.url)(
    'cli-progress',
  ) as typeof cliProgress);
}

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
        const { SingleBar, Presets } = loadCliProgress();
        bar = new SingleBar(
          {
            stream: process.stderr,
            format: `${options.label ?? 'simulating'} [{bar}] {percentage}% | {value}/{total} simulated min | eta {eta}s`,
            hideCursor: true,
            clearOnComplete: true,
            synchronousUpdate: true,
          },
          Presets.shades_classic,
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
