import type { Command } from 'commander';
import { runSimulation } from '../../sim/engine.js';
import { formatSummary, renderHtmlReport, buildReport } from '../../sim/report/index.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { collect, integer, positiveNumber } from '../options.js';
import { progressBar } from '../progress.js';
import { assertWritable, writeOut } from '../output.js';

interface SimulateOptions {
  seed?: number;
  hours?: number;
  warmupHours?: number;
  set: string[];
  json?: string;
  report?: string;
  quiet?: boolean;
}

/** `sortline simulate <scenario.json>`: run a hub scenario and report (docs/scenario.md). */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'simulate a hub scenario and report throughput, recirculation, no-reads, queues and chute load',
    )
    .argument('<scenario>', 'scenario file (JSON, docs/scenario.md)')
    .option('--seed <n>', 'PRNG seed (default: the scenario seed, else 1)', integer('--seed'))
    .option('--hours <h>', 'simulated hours (default: the scenario)', positiveNumber('--hours'))
    .option(
      '--warmup-hours <h>',
      'hours excluded from rates (default: the scenario)',
      positiveNumber('--warmup-hours', true),
    )
    .option(
      '--set <path=value>',
      'override a scenario value by its path, e.g. sorter.inducts.count=4 (repeatable)',
      collect,
      [],
    )
    .option('--json <file>', 'write the JSON report to a file, or - for stdout')
    .option('--report <file.html>', 'write a self-contained HTML report with charts')
    .option('--quiet', 'no progress bar and no summary')
    .action((scenario: string, opts: SimulateOptions) => {
      simulate(scenario, opts);
    });
}

function simulate(file: string, opts: SimulateOptions): void {
  const load: Parameters<typeof loadScenario>[1] = { sets: opts.set };
  if (opts.seed !== undefined) load.seed = opts.seed;
  if (opts.hours !== undefined) load.hours = opts.hours;
  if (opts.warmupHours !== undefined) load.warmupHours = opts.warmupHours;
  const model = loadScenario(file, load);
  if (opts.json !== undefined && opts.json !== '-') assertWritable(opts.json);
  if (opts.report !== undefined) assertWritable(opts.report);
  const progress = progressBar({ quiet: opts.quiet === true });
  let run;
  try {
    run = runSimulation(model, { onProgress: progress.update });
  } finally {
    progress.stop();
  }
  const report = buildReport(run);
  const jsonToStdout = opts.json === '-';
  if (!opts.quiet) (jsonToStdout ? process.stderr : process.stdout).write(formatSummary(report));
  if (opts.json !== undefined) {
    const text = JSON.stringify(report, null, 2) + '\n';
    if (jsonToStdout) process.stdout.write(text);
    else writeOut(opts.json, text);
  }
  if (opts.report !== undefined) writeOut(opts.report, renderHtmlReport(report, model.description));
}
