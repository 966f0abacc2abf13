/**
 * `npm run bench -- sim [--runs N] [--spawns N] [--hours H] [--seed S] [--baseline DIR
 * [--write-baseline]] [--json]`:
 * the DESIGN.md reference model (scenarios/reference-loop.json), 8 simulated hours, in Sortline
 * and in the SimPy 3 peer model (bench/peers/reference_loop_simpy.py, Debian's /usr/bin/python3
 * with python3-simpy3), in the same run, each on one core. Three figures, each with its ratio:
 *
 * - warm (engine, in-process): simulated parcels per wall-second of the engine alone. Sortline's
 *   `runSimulation` in this process, median of `--runs` runs after one untimed run for the JIT;
 *   SimPy's own clock around its run loop (the `wallSeconds` it prints), median of its processes.
 * - whole process: wall seconds from spawning `sortline simulate scenarios/reference-loop.json
 *   --quiet` and the peer's `python3 reference_loop_simpy.py --hours H --seed S` to their exit
 *   (interpreter start, module loading, schema checks, JIT warm-up and the run), `--spawns`
 *   times each in turn (A B A B ..., after one untimed pair), median, min and max; the ratio is
 *   the peer's median over Sortline's. Target: Sortline at least 3x faster.
 * - `sortline --version` start-up, the same way, beside a bare `node -e 0` (the floor no Node.js
 *   command can go under). Target: under a third of the figure before start-up work (issue 9),
 *   recorded in bench/startup-baseline.json, or measured in this run from `--baseline DIR` (a
 *   built checkout of that commit, whose bin/sortline.js is spawned in turn with ours).
 *
 * `--write-baseline` (with `--baseline DIR`): writes the baseline checkout's figures measured in
 * this run to bench/startup-baseline.json (its commit from `git -C DIR rev-parse --short HEAD`,
 * the UTC date, Node.js version, spawns, hours, seed, the load average at the start and end of the
 * measurements, `sortline --version` and `simulate --quiet` seconds of DIR, the SimPy peer's and
 * `node -e 0`'s seconds from the same run), so that runs without `--baseline` compare with them.
 * Without `--baseline` the recorded file is read; a file whose note is "placeholder" is named so
 * in the output (its comparison means nothing).
 *
 * The machine's load average is printed by bench/run.ts at the start and end of the suite; the
 * JSON holds it too. Both engines' KPIs are printed so the two models can be seen to agree.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSimulation } from '../sim/engine.js';
import { buildReport } from '../sim/report/index.js';
import { loadScenario } from '../sim/scenario/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const PYTHON = '/usr/bin/python3';
const PEER = path.join(repo, 'bench/peers/reference_loop_simpy.py');
const SCENARIO = 'scenarios/reference-loop.json';
const BASELINE_FILE = path.join(repo, 'bench/startup-baseline.json');

/** Whole-process target: Sortline's `simulate --quiet` this many times faster than the peer's. */
export const WHOLE_PROCESS_TARGET = 3;
/** Start-up target: `sortline --version` under this fraction of the baseline's. */
export const VERSION_TARGET = 1 / 3;

/** What one engine reports of a run (KPIs and the engine's own wall time). */
interface Figures {
  parcelsPerWallSecond: number;
  wallSeconds: number;
  sortedPerHour: number;
  recirculationsPerInducted: number;
  meanInductWaitSeconds: number;
  arrived: number;
}

/** Median, min and max of a sample, in its unit. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/**
 * bench/startup-baseline.json: the figures of the commit before the start-up work, measured by
 * this suite with `--baseline DIR --write-baseline` (seconds of wall time, spawn to exit).
 */
interface Baseline {
  /** Short commit id of the baseline checkout. */
  commit: string;
  /** UTC date of the run, YYYY-MM-DD. */
  date: string;
  /** How the figures were measured ("placeholder" when they were not). */
  note: string;
  /** os.loadavg() (1, 5, 15 min) at the start and the end of the measurements. */
  loadAverage: { start: number[]; end: number[] };
  /** Node.js version the figures were taken with (absent in the placeholder). */
  node?: string;
  spawns?: number;
  simulatedHours?: number;
  seed?: number;
  /** The baseline's `sortline --version`. */
  versionSeconds: Spread;
  /** The baseline's `sortline simulate scenarios/reference-loop.json --quiet`. */
  simulateSeconds: Spread;
  /** The SimPy peer's whole process, spawned in turn with the baseline's simulate. */
  simpySeconds: Spread;
  /** `node -e 0` in the same run (the floor). */
  nodeBareSeconds?: Spread;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (xs: number[]): Spread => ({
  median: median(xs),
  min: Math.min(...xs),
  max: Math.max(...xs),
  n: xs.length,
});

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}
function stringArg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** One in-process run of Sortline's engine on the reference model. */
function sortlineWarm(hours: number, seed: number): Figures {
  const model = loadScenario(path.join(repo, SCENARIO), { hours, seed });
  const r = buildReport(runSimulation(model));
  return {
    parcelsPerWallSecond: r.counts.arrived / r.wallSeconds,
    wallSeconds: r.wallSeconds,
    sortedPerHour: r.sortedPerHour,
    recirculationsPerInducted: r.recirculationsPerInducted,
    meanInductWaitSeconds: r.meanInductWaitSeconds,
    arrived: r.counts.arrived,
  };
}

/**
 * Spawns `command args` in `cwd`, waits for its exit and returns its wall seconds (a monotonic
 * clock read just before the spawn and just after the child is reaped) and its stdout.
 * @throws Error when it cannot start or exits non-zero, with its stderr.
 */
function timed(command: string, args: string[], cwd: string): { seconds: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { seconds, stdout: r.stdout };
}

/** A command the suite spawns: a label and how to start it. */
interface Spawned {
  name: string;
  command: string;
  args: string[];
  cwd: string;
}

/**
 * Spawns every command of `set` in turn, `n` rounds after one untimed round (file caches, the
 * first start of each interpreter), and returns each one's wall seconds and stdouts in order.
 */
function interleaved(
  set: Spawned[],
  n: number,
): Map<string, { seconds: number[]; stdout: string[] }> {
  const out = new Map(
    set.map((s) => [s.name, { seconds: [] as number[], stdout: [] as string[] }]),
  );
  for (let round = -1; round < n; round++) {
    for (const s of set) {
      const r = timed(s.command, s.args, s.cwd);
      if (round < 0) continue;
      out.get(s.name)!.seconds.push(r.seconds);
      out.get(s.name)!.stdout.push(r.stdout);
    }
  }
  return out;
}

function peerFigures(stdout: string): Figures {
  const r = JSON.parse(stdout) as Figures;
  return {
    parcelsPerWallSecond: r.parcelsPerWallSecond,
    wallSeconds: r.wallSeconds,
    sortedPerHour: r.sortedPerHour,
    recirculationsPerInducted: r.recirculationsPerInducted,
    meanInductWaitSeconds: r.meanInductWaitSeconds,
    arrived: r.arrived,
  };
}

function readBaseline(): Baseline {
  return JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as Baseline;
}

/**
 * The baseline as JSON laid out the way prettier lays it out (one top-level key a line, each
 * value on one line), so that the written file passes `prettier --check`.
 */
function baselineJson(b: Baseline): string {
  const inline = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(inline).join(', ')}]`
      : v !== null && typeof v === 'object'
        ? `{ ${Object.entries(v)
            .map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`)
            .join(', ')} }`
        : JSON.stringify(v);
  const lines = Object.entries(b).map(([k, v]) => `  ${JSON.stringify(k)}: ${inline(v)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** Short commit id of a checkout, or 'unknown' when it is not a git work tree. */
function commitOf(dir: string): string {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

export function run(args: string[]): void {
  const runs = arg(args, '--runs', 5);
  const spawns = arg(args, '--spawns', 9);
  const hours = arg(args, '--hours', 8);
  const seed = arg(args, '--seed', 1);
  const baselineDir = stringArg(args, '--baseline');
  const writeBaseline = args.includes('--write-baseline');
  if (writeBaseline && baselineDir === undefined) {
    process.stderr.write('bench sim: --write-baseline needs --baseline DIR\n');
    process.exitCode = 2;
    return;
  }
  const loadAtStart = loadAverage();
  try {
    execFileSync(PYTHON, ['-c', 'import simpy'], { stdio: 'ignore' });
  } catch {
    process.stderr.write(
      `bench sim: the SimPy peer needs ${PYTHON} with SimPy 3 (Debian: apt-get install python3-simpy3)\n`,
    );
    process.exitCode = 1;
    return;
  }
  if (baselineDir !== undefined && !existsSync(path.join(baselineDir, 'bin/sortline.js'))) {
    process.stderr.write(`bench sim: --baseline ${baselineDir} holds no bin/sortline.js\n`);
    process.exitCode = 2;
    return;
  }

  // warm: the engine in this process
  sortlineWarm(hours, seed); // JIT warm-up, untimed
  const ours: Figures[] = [];
  for (let i = 0; i < runs; i++) ours.push(sortlineWarm(hours, seed));

  // whole process: sortline simulate --quiet and the peer, in turn
  const hs = ['--hours', String(hours), '--seed', String(seed)];
  const sim: Spawned[] = [
    {
      name: 'sortline',
      command: process.execPath,
      args: [path.join(repo, 'bin/sortline.js'), 'simulate', SCENARIO, '--quiet', ...hs],
      cwd: repo,
    },
    { name: 'simpy', command: PYTHON, args: [PEER, ...hs], cwd: repo },
  ];
  const start: Spawned[] = [
    {
      name: 'version',
      command: process.execPath,
      args: [path.join(repo, 'bin/sortline.js'), '--version'],
      cwd: repo,
    },
    { name: 'node', command: process.execPath, args: ['-e', '0'], cwd: repo },
  ];
  if (baselineDir !== undefined) {
    const dir = path.resolve(baselineDir);
    const bin = path.join(dir, 'bin/sortline.js');
    sim.push({
      name: 'baseline',
      command: process.execPath,
      args: [bin, 'simulate', SCENARIO, '--quiet', ...hs],
      cwd: dir,
    });
    start.push({
      name: 'baselineVersion',
      command: process.execPath,
      args: [bin, '--version'],
      cwd: dir,
    });
  }
  const whole = interleaved(sim, spawns);
  const starts = interleaved(start, spawns);
  const loadAtEnd = loadAverage();

  const peer = whole.get('simpy')!.stdout.map(peerFigures);
  const warmOurs = median(ours.map((f) => f.parcelsPerWallSecond));
  const warmPeer = median(peer.map((f) => f.parcelsPerWallSecond));
  const wholeOurs = spread(whole.get('sortline')!.seconds);
  const wholePeer = spread(whole.get('simpy')!.seconds);
  const version = spread(starts.get('version')!.seconds);
  const nodeFloor = spread(starts.get('node')!.seconds);
  if (writeBaseline) {
    const dir = path.resolve(baselineDir!);
    const commit = commitOf(dir);
    const written: Baseline = {
      commit,
      date: new Date().toISOString().slice(0, 10),
      note:
        `npm run bench -- sim --baseline ${dir} --write-baseline: ${dir} a checkout of ${commit} ` +
        `built with its own npm run build (tsc only, no bundle), its bin/sortline.js spawned by ` +
        `${process.execPath} ${process.version} from ${dir}, in turn with this checkout's ` +
        `(HEAD ${commitOf(repo)} and its work tree) and the SimPy peer (simulate) or node -e 0 ` +
        `(--version), ${spawns} timed rounds after one untimed, spawn to exit, one at a time ` +
        `(the suite keeps about one of the ${os.availableParallelism()} cores busy itself, so ` +
        `the load average at the end is mostly its own)`,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      node: process.version,
      spawns,
      simulatedHours: hours,
      seed,
      versionSeconds: spread(starts.get('baselineVersion')!.seconds),
      simulateSeconds: spread(whole.get('baseline')!.seconds),
      simpySeconds: wholePeer,
      nodeBareSeconds: nodeFloor,
    };
    writeFileSync(BASELINE_FILE, baselineJson(written));
    process.stderr.write(`bench sim: wrote ${path.relative(repo, BASELINE_FILE)}\n`);
  }
  const recorded = readBaseline();
  const placeholder = recorded.note === 'placeholder';
  const base =
    baselineDir !== undefined
      ? {
          source: `measured in this run from ${path.resolve(baselineDir)} (commit ${commitOf(path.resolve(baselineDir))})`,
          versionSeconds: spread(starts.get('baselineVersion')!.seconds),
          simulateSeconds: spread(whole.get('baseline')!.seconds),
          ratio: wholePeer.median / median(whole.get('baseline')!.seconds),
        }
      : {
          source: `${placeholder ? 'PLACEHOLDER (not measured) ' : ''}recorded in bench/startup-baseline.json (commit ${recorded.commit}, ${recorded.date}, load average ${recorded.loadAverage.start.join(' ')} → ${recorded.loadAverage.end.join(' ')})`,
          versionSeconds: recorded.versionSeconds,
          simulateSeconds: recorded.simulateSeconds,
          ratio: recorded.simpySeconds.median / recorded.simulateSeconds.median,
        };
  const wholeRatio = wholePeer.median / wholeOurs.median;
  const versionRatio = version.median / base.versionSeconds.median;
  const targets = [
    {
      figure: 'whole process: sortline simulate --quiet vs the SimPy peer',
      value: wholeRatio,
      target: `>= ${WHOLE_PROCESS_TARGET}x faster`,
      met: wholeRatio >= WHOLE_PROCESS_TARGET,
    },
    {
      figure: 'sortline --version start-up vs the baseline (before the start-up work)',
      value: versionRatio,
      target: `< ${VERSION_TARGET.toFixed(3)} of the baseline's`,
      met: versionRatio < VERSION_TARGET,
    },
  ];
  const result = {
    suite: 'sim',
    model: 'reference loop (scenarios/reference-loop.json, docs/scenario.md)',
    simulatedHours: hours,
    seed,
    runs,
    spawns,
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    warm: {
      sortline: {
        parcelsPerWallSecond: Math.round(warmOurs),
        medianWallSeconds: median(ours.map((f) => f.wallSeconds)),
        kpis: ours[0],
      },
      simpy: {
        parcelsPerWallSecond: Math.round(warmPeer),
        medianWallSeconds: median(peer.map((f) => f.wallSeconds)),
        kpis: peer[0],
      },
      ratio: warmOurs / warmPeer,
    },
    wholeProcess: {
      sortlineSeconds: wholeOurs,
      simpySeconds: wholePeer,
      ratio: wholeRatio,
      baselineSortlineSeconds: base.simulateSeconds,
      baselineRatio: base.ratio,
    },
    startup: {
      versionSeconds: version,
      nodeBareSeconds: nodeFloor,
      baselineVersionSeconds: base.versionSeconds,
      ratioToBaseline: versionRatio,
    },
    baseline: base.source,
    targets,
  };
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const s = (x: Spread) =>
    `${x.median.toFixed(3)} s (min ${x.min.toFixed(3)}, max ${x.max.toFixed(3)})`;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const k = (x: Figures) =>
    `sorted ${f(x.sortedPerHour)} /h, recirc/inducted ${x.recirculationsPerInducted.toFixed(5)}, mean wait ${x.meanInductWaitSeconds.toFixed(2)} s`;
  process.stdout.write(
    [
      `sim: ${result.model}, ${hours} h, seed ${seed}`,
      `  warm (engine in-process; sortline median of ${runs} runs after a warm-up, simpy its own clock, median of ${spawns}):`,
      `    sortline  ${f(warmOurs).padStart(10)} parcels/wall-s  (${k(ours[0]!)})`,
      `    simpy     ${f(warmPeer).padStart(10)} parcels/wall-s  (${k(peer[0]!)})`,
      `    ratio sortline / simpy: ${result.warm.ratio.toFixed(1)}x`,
      `  whole process (spawn to exit, median of ${spawns} in turn after one untimed pair):`,
      `    sortline simulate ${SCENARIO} --quiet   ${s(wholeOurs)}`,
      `    simpy ${path.relative(repo, PEER)} ${hs.join(' ')}   ${s(wholePeer)}`,
      `    ratio simpy / sortline: ${wholeRatio.toFixed(2)}x faster; target >= ${WHOLE_PROCESS_TARGET}x: ${met(targets[0]!.met)}`,
      `    baseline: sortline simulate --quiet ${s(base.simulateSeconds)}, ratio ${base.ratio.toFixed(2)}x`,
      `  start-up (median of ${spawns}):`,
      `    sortline --version   now ${s(version)}; baseline ${s(base.versionSeconds)}`,
      `    node -e 0 (floor)    ${s(nodeFloor)}`,
      `    ratio now / baseline: ${versionRatio.toFixed(3)}; target < ${VERSION_TARGET.toFixed(3)}: ${met(targets[1]!.met)}`,
      `  baseline: ${base.source}`,
      '',
    ].join('\n'),
  );
}
