/**
 * `npm run bench -- sim [--runs N] [--hours H] [--seed S] [--json]`: the DESIGN.md reference model
 * (scenarios/reference-loop.json), 8 simulated hours, in Sortline and in the SimPy 3 peer model
 * (bench/peers/reference_loop_simpy.py, Debian's /usr/bin/python3 with python3-simpy3), in the same
 * run, on one core each. Prints simulated parcels per wall-second of each engine (median of N runs
 * after one untimed warm-up run of Sortline for the JIT) and their ratio, plus both engines' KPIs
 * so the two models can be seen to agree.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSimulation } from '../sim/engine.js';
import { buildReport } from '../sim/report/index.js';
import { loadScenario } from '../sim/scenario/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

interface Figures {
  parcelsPerWallSecond: number;
  wallSeconds: number;
  sortedPerHour: number;
  recirculationsPerInducted: number;
  meanInductWaitSeconds: number;
  arrived: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

function sortline(hours: number, seed: number): Figures {
  const model = loadScenario(path.join(repo, 'scenarios/reference-loop.json'), { hours, seed });
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

function simpy(hours: number, seed: number): Figures {
  const out = execFileSync(
    '/usr/bin/python3',
    [
      path.join(repo, 'bench/peers/reference_loop_simpy.py'),
      '--hours',
      String(hours),
      '--seed',
      String(seed),
    ],
    {
      encoding: 'utf8',
    },
  );
  const r = JSON.parse(out) as Figures;
  return {
    parcelsPerWallSecond: r.parcelsPerWallSecond,
    wallSeconds: r.wallSeconds,
    sortedPerHour: r.sortedPerHour,
    recirculationsPerInducted: r.recirculationsPerInducted,
    meanInductWaitSeconds: r.meanInductWaitSeconds,
    arrived: r.arrived,
  };
}

export function run(args: string[]): void {
  const runs = arg(args, '--runs', 5);
  const hours = arg(args, '--hours', 8);
  const seed = arg(args, '--seed', 1);
  sortline(hours, seed); // JIT warm-up, untimed
  const ours: Figures[] = [];
  const peer: Figures[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(sortline(hours, seed));
    peer.push(simpy(hours, seed));
  }
  const a = median(ours.map((f) => f.parcelsPerWallSecond));
  const b = median(peer.map((f) => f.parcelsPerWallSecond));
  const result = {
    suite: 'sim',
    model: 'reference loop (scenarios/reference-loop.json, docs/scenario.md)',
    simulatedHours: hours,
    seed,
    runs,
    sortline: {
      parcelsPerWallSecond: Math.round(a),
      medianWallSeconds: median(ours.map((f) => f.wallSeconds)),
      kpis: ours[0],
    },
    simpy: {
      parcelsPerWallSecond: Math.round(b),
      medianWallSeconds: median(peer.map((f) => f.wallSeconds)),
      kpis: peer[0],
    },
    ratio: a / b,
  };
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  process.stdout.write(
    [
      `sim: ${result.model}, ${hours} h, seed ${seed}, median of ${runs} runs each`,
      `  engine     parcels/wall-s    wall s   sorted /h  recirc/inducted  mean wait s`,
      `  sortline   ${f(a).padStart(14)}  ${result.sortline.medianWallSeconds.toFixed(4).padStart(8)}  ${f(ours[0]!.sortedPerHour).padStart(10)}  ${ours[0]!.recirculationsPerInducted.toFixed(5).padStart(15)}  ${ours[0]!.meanInductWaitSeconds.toFixed(2).padStart(11)}`,
      `  simpy      ${f(b).padStart(14)}  ${result.simpy.medianWallSeconds.toFixed(4).padStart(8)}  ${f(peer[0]!.sortedPerHour).padStart(10)}  ${peer[0]!.recirculationsPerInducted.toFixed(5).padStart(15)}  ${peer[0]!.meanInductWaitSeconds.toFixed(2).padStart(11)}`,
      `  ratio sortline / simpy: ${result.ratio.toFixed(1)}x`,
      '',
    ].join('\n'),
  );
}
