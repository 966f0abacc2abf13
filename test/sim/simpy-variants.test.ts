import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { applySet } from '../../core/json.js';
import type { SimReport } from '../../sim/report/json.js';
import { readScenario, root, simulateDoc } from './helpers.js';

// Cross-validation on variants of the reference model (issue 9): the SimPy 3 peer
// (bench/peers/reference_loop_simpy.py, Debian python3-simpy3) takes the load, chute capacity,
// handling time, no-read share, hours and warm-up as flags; Sortline gets the same values as
// `--set` overrides of scenarios/reference-loop.json. Both sides are built from one variant record
// below, each through its own interface. The engines draw different random numbers, so they are
// compared as distributions: 10 seeds each, 3 simulated hours with 0.5 h of warm-up.
//
// Band: for a figure with per-seed values a (Sortline) and b (peer), n = 10 each, the difference of
// the two means has standard error se = √(s_a²/n + s_b²/n), s the sample standard deviation
// (n − 1) of each engine's 10 values. The two means must agree within 3·se (about 3 standard errors
// of the difference: a true-model pair fails it with a probability of the order of 1 %). se is
// computed from the samples themselves, nothing is hard-coded; a figure that is exactly 0 for
// every seed on both sides has a band of 0 and must then be 0 on both.
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);
const HOURS = 3;
const WARMUP_HOURS = 0.5;
const PEER = path.join(root, 'bench/peers/reference_loop_simpy.py');

type Handling =
  | { distribution: 'exponential'; mean: number }
  | { distribution: 'constant'; value: number }
  | { distribution: 'lognormal'; mean: number; sd: number };

interface Variant {
  name: string;
  ratePerHour: number;
  chuteCapacity: number;
  handling: Handling;
}

// Light load, deep chutes: short waits, no recirculation. Overload: arrivals above what 8 inducts
// can put on a loop where carriers come round full (about 10,500 /h), so the queues grow and the
// wait is minutes. Shallow chutes with slow lognormal handling: chutes full often, one parcel in six
// recirculates.
const VARIANTS: Variant[] = [
  {
    name: 'rate 9,000 /h, capacity 15, exponential 20 s',
    ratePerHour: 9000,
    chuteCapacity: 15,
    handling: { distribution: 'exponential', mean: 20 },
  },
  {
    name: 'rate 12,000 /h, capacity 8, exponential 20 s',
    ratePerHour: 12000,
    chuteCapacity: 8,
    handling: { distribution: 'exponential', mean: 20 },
  },
  {
    name: 'rate 6,000 /h, capacity 3, lognormal mean 45 s sd 30 s',
    ratePerHour: 6000,
    chuteCapacity: 3,
    handling: { distribution: 'lognormal', mean: 45, sd: 30 },
  },
];

/** The variant as `--set` overrides of the reference scenario. */
const sets = (v: Variant) => [
  `arrivals.ratePerHour=[${v.ratePerHour}]`,
  `sorter.chuteCapacity=${v.chuteCapacity}`,
  `operators.handlingSeconds=${JSON.stringify(v.handling)}`,
  `hours=${HOURS}`,
  `warmupHours=${WARMUP_HOURS}`,
];

/** The reference scenario document with the variant applied and the seed set. */
function variantDoc(v: Variant, seed: number): Record<string, any> {
  const doc = readScenario('reference-loop.json');
  for (const s of [...sets(v), `seed=${seed}`]) applySet(doc, s);
  return doc;
}

/** The variant as the peer's flags. */
function peerArgs(v: Variant): string[] {
  const h = v.handling;
  const handling = [
    '--handling-distribution',
    h.distribution,
    '--handling-mean',
    String(h.distribution === 'constant' ? h.value : h.mean),
  ];
  if (h.distribution === 'lognormal') handling.push('--handling-sd', String(h.sd));
  return [
    '--rate',
    String(v.ratePerHour),
    '--chute-capacity',
    String(v.chuteCapacity),
    ...handling,
    '--hours',
    String(HOURS),
    '--warmup-hours',
    String(WARMUP_HOURS),
  ];
}

interface PeerReport {
  seed: number;
  sortedPerHour: number;
  recirculationsPerInducted: number;
  meanInductWaitSeconds: number;
}

const run = promisify(execFile);
async function simpy(args: string[]): Promise<PeerReport> {
  const { stdout } = await run('/usr/bin/python3', [PEER, ...args], { encoding: 'utf8' });
  return JSON.parse(stdout) as PeerReport;
}

/** Runs jobs at most `width` at a time (the peers are processes; CI has two cores). */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/** Both means, their difference and the 3-standard-error band (see the comment at the top). */
function compare(a: number[], b: number[]) {
  const se = Math.sqrt(variance(a) / a.length + variance(b) / b.length);
  return { sortline: mean(a), simpy: mean(b), diff: mean(a) - mean(b), band: 3 * se };
}

// The peers run as child processes (two at a time) while Sortline runs here.
const peerRuns = pool(
  VARIANTS.flatMap((v) => SEEDS.map((seed) => () => simpy([...peerArgs(v), '--seed', `${seed}`]))),
  2,
);
const ours: SimReport[][] = VARIANTS.map((v) =>
  SEEDS.map((seed) => simulateDoc(variantDoc(v, seed))),
);
const peerFlat = await peerRuns;
const peer: PeerReport[][] = VARIANTS.map((_, i) =>
  peerFlat.slice(i * SEEDS.length, (i + 1) * SEEDS.length),
);

const FIGURES = ['sortedPerHour', 'meanInductWaitSeconds', 'recirculationsPerInducted'] as const;

describe(`Sortline against the SimPy peer on variants (${HOURS} h, ${WARMUP_HOURS} h warm-up, 10 seeds each)`, () => {
  VARIANTS.forEach((v, i) => {
    describe(v.name, () => {
      for (const figure of FIGURES) {
        it(`mean ${figure} agrees within 3 standard errors of the difference`, () => {
          const c = compare(
            ours[i]!.map((r) => r[figure]),
            peer[i]!.map((r) => r[figure]),
          );
          console.log(`${v.name}: ${figure} ${JSON.stringify(c)}`);
          expect(Math.abs(c.diff)).toBeLessThanOrEqual(c.band);
        });
      }
    });
  });

  it('the variants differ visibly from each other (each one is a different test)', () => {
    const sorted = peer.map((rs) => mean(rs.map((r) => r.sortedPerHour)));
    const wait = peer.map((rs) => mean(rs.map((r) => r.meanInductWaitSeconds)));
    const recirc = peer.map((rs) => mean(rs.map((r) => r.recirculationsPerInducted)));
    // light / overloaded / shallow chutes: rate follows the load, the overload waits minutes, the
    // shallow chutes recirculate far more than the others
    expect(sorted[1]!).toBeGreaterThan(sorted[0]! + 1000);
    expect(sorted[0]!).toBeGreaterThan(sorted[2]! + 1000);
    expect(wait[1]!).toBeGreaterThan(10 * wait[0]!);
    expect(recirc[2]!).toBeGreaterThan(10 * Math.max(recirc[0]!, recirc[1]!, 0.001));
    for (const rs of ours) for (const r of rs) expect(r.warmupSeconds).toBe(WARMUP_HOURS * 3600);
  });
});

describe('the peer reads a Sortline scenario (--scenario)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sortline-simpy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const strip = ({ wallSeconds: _w, parcelsPerWallSecond: _p, ...rest }: Record<string, unknown>) =>
    rest;
  const peerSync = (args: string[]) =>
    JSON.parse(execFileSync('/usr/bin/python3', [PEER, ...args], { encoding: 'utf8' })) as Record<
      string,
      unknown
    >;

  it('a variant scenario file gives exactly what the same flags give', () => {
    const v = VARIANTS[2]!;
    const file = path.join(dir, 'variant.json');
    writeFileSync(file, JSON.stringify(variantDoc(v, 4)));
    const fromFile = peerSync(['--scenario', file]);
    expect(fromFile.seed).toBe(4);
    expect(fromFile.simulatedSeconds).toBe(HOURS * 3600);
    expect(strip(fromFile)).toEqual(strip(peerSync([...peerArgs(v), '--seed', '4'])));
    // a flag beside --scenario overrides the file
    expect(strip(peerSync(['--scenario', file, '--chute-capacity', '30']))).not.toEqual(
      strip(fromFile),
    );
  });

  it('a scenario with parts the peer does not model is refused, each part named', () => {
    const doc = readScenario('reference-loop.json');
    applySet(doc, 'sorter.carriers=500');
    applySet(doc, 'arrivals.waves=[{"startHour":1,"durationHours":1,"parcels":100}]');
    applySet(doc, 'operators.perChute=2');
    const file = path.join(dir, 'other.json');
    writeFileSync(file, JSON.stringify(doc));
    let status: number | null = null;
    let stderr = '';
    try {
      peerSync(['--scenario', file]);
    } catch (e) {
      const err = e as { status: number | null; stderr: string };
      status = err.status;
      stderr = String(err.stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toContain('the peer does not model this scenario');
    expect(stderr).toContain('/sorter/carriers: found 500; expected 400');
    expect(stderr).toContain('/arrivals/waves');
    expect(stderr).toContain('/operators/perChute: found 2; expected 1');
  });
});
