import type { Command } from 'commander';
import { runSimulation } from '../../sim/engine.js';
import { formatSummary, renderHtmlReport, buildReport } from '../../sim/report/index.js';
import { CSV_FILE_NAMES, renderCsvFiles } from '../../sim/report/index.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { collect, integer, positiveNumber } from '../options.js';
import { progressBar } from '../progress.js';
import { assertWritable, writeOut } from '../output.js';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SortlineError } from '../../core/errors.js';

interface SimulateOptions {
  seed?: number;
  hours?: number;
  warmupHours?: number;
  set: string[];
  json?: string;
  report?: string;
  csv?: string;
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
    .option(
      '--csv <dir>',
      'write the series and the per-induct, per-chute and per-destination tables as CSV files into a directory (created if missing)',
    )
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
  if (opts.csv !== undefined) assertWritableDir(opts.csv);
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
  if (opts.csv !== undefined) {
    makeDir(opts.csv);
    for (const f of renderCsvFiles(report)) writeOut(path.join(opts.csv, f.name), f.text);
  }
}

function writeError(file: string, err: unknown): SortlineError {
  return new SortlineError(
    'SORTLINE_ERR_FILE_WRITE',
    `cannot write ${file}: ${(err as Error).message}`,
    { path: file },
    { cause: err },
  );
}

/**
 * Checks before the run that the CSV files can be written into `dir`: it is a writable directory,
 * or it does not exist yet and its nearest existing parent is one; no file it will write is a
 * directory.
 * @throws SortlineError SORTLINE_ERR_FILE_WRITE naming the path and why.
 */
function assertWritableDir(dir: string): void {
  try {
    let at = path.resolve(dir);
    for (;;) {
      let st;
      try {
        st = statSync(at);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        const parent = path.dirname(at);
        if (parent === at) throw err;
        at = parent;
        continue;
      }
      if (!st.isDirectory())
        throw new Error(`${at === path.resolve(dir) ? 'it' : at} is not a directory`);
      accessSync(at, constants.W_OK | constants.X_OK);
      break;
    }
  } catch (err) {
    throw writeError(dir, err);
  }
  for (const name of CSV_FILE_NAMES) {
    const file = path.join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(file).isDirectory();
    } catch {
      // does not exist yet: fine
    }
    if (isDir) throw writeError(file, new Error('it is a directory; expected a file path'));
  }
}

/** Creates the CSV directory (and missing parents). @throws SortlineError SORTLINE_ERR_FILE_WRITE. */
function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw writeError(dir, err);
  }
}
