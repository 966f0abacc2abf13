/**
 * `npm run bench -- controller --flood [--seconds S] [--rate R] [--kinds requests,confirmations,malformed]
 * [--json]`: the flood bench of issue 8 (finding 2). The controller runs in its own process
 * (`node bin/sortline.js serve`, which loads the build in dist/bundle, default configuration but `--connections many`, native
 * dialect, loopback TCP, journal on), as an operator would run it. In the same run:
 *
 * 1. quiet: a well-behaved gateway link (the load generator of bench/controller-load.ts in a worker
 *    thread: link sync, paced sort requests at `--rate` per second [1,000], stamped with their send
 *    time, every reply ACKed) for 1 s warm-up + `--seconds` [30] measured, alone;
 * 2. for each flood kind (sort requests, sort confirmations, malformed frames answered with NAKs):
 *    a peer that syncs and then writes that kind as fast as its socket takes it without ever
 *    reading, and connects and floods again whenever the controller drops it, while the same paced
 *    link runs as in 1.
 *
 * Measured: the controller's resident set (VmRSS from /proc/PID/status, sampled every 100 ms; the
 * kernel's high-water mark VmHWM at the end) against the 300 MB bound, and the paced link's reply
 * p99 during each flood over its p99 in the quiet run (target: within 2x). The flooding peer
 * stops writing once its socket is no longer writable (the controller reset it) and writes at most
 * 5,000 frames per event-loop turn, so it neither spins nor buffers without bound itself.
 *
 * The flooding peer runs on the bench's main thread and the paced link in a worker: on a 2-core
 * machine the flood takes CPU from the controller as well as socket and event-loop time, which the
 * ratio includes. Not part of the test suite (no wall-clock thresholds in tests); the coded drop
 * and the bounded memory are tested in test/controller/hostile/flood.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { pack } from 'msgpackr';
import {
  codecByName,
  Outcome,
  ReadSource,
  type Codec,
  type SortConfirmation,
  type SortRequest,
} from '../core/protocol/index.js';
import { Hub } from '../sim/hub.js';
import { loadScenario } from '../sim/scenario/index.js';
import type { LoadResult, LoadSpec } from './controller-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const cli = path.join(repo, 'bin/sortline.js');

/** RSS bound of the acceptance (issue 8), MB. */
const RSS_BOUND_MB = 300;
/** Reply budget of the paced link's requests, ms (as the overload levels). */
const BUDGET_MS = 50;
/** Frames the flooding peer writes per event-loop turn at most, and bytes it buffers at most. */
const FRAMES_PER_TURN = 5_000;
const MAX_BUFFERED = 4 << 20;

const KINDS = ['requests', 'confirmations', 'malformed'] as const;
type Kind = (typeof KINDS)[number];

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** VmRSS and VmHWM of process `pid`, MB (Linux /proc). */
function memoryMb(pid: number): { rss: number; hwm: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => {
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(s);
    return m === null ? NaN : Number(m[1]) / 1024;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** A running `sortline serve`. */
interface Serve {
  pid: number;
  port: number;
  stderr(): string;
  stop(): Promise<void>;
}

async function startServe(data: string): Promise<Serve> {
  const proc = spawn(
    process.execPath,
    [
      cli,
      'serve',
      '--data',
      data,
      '--gateway',
      'tcp://127.0.0.1:0',
      '--connections',
      'many',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 20_000);
    proc.stdout.on('data', () => {
      const m = /^sortline serve: listening on (\S+)/m.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`serve exited: ${out} ${err}`)));
  });
  return {
    pid: proc.pid!,
    port: Number(new URL(address.replace(/^tcp:/, 'http:')).port),
    stderr: () => err,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** The paced, well-behaved link (bench/controller-load.ts in a worker). */
function pacedLink(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(here, 'controller-load.js'), { workerData: spec });
    w.once('message', (r: LoadResult) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

/** A native frame of message type 1 (sort request) whose body is not a valid request: NAKed. */
function malformedFrame(seq: number, timestampMs: number): Uint8Array {
  const body = Uint8Array.from(pack({ taskId: 'x' }));
  const f = new Uint8Array(24 + body.length + 4);
  const v = new DataView(f.buffer);
  f.set([0xc1, 0x53, 1, 1, 1, 0]);
  v.setUint16(6, body.length);
  v.setUint32(8, seq);
  v.setUint32(12, Math.floor(timestampMs / 0x1_0000_0000));
  v.setUint32(16, timestampMs % 0x1_0000_0000);
  v.setUint32(20, crc32(f.subarray(0, 20)));
  f.set(body, 24);
  v.setUint32(24 + body.length, crc32(body));
  return f;
}

/** What one flood did. */
interface FloodStats {
  frames: number;
  connections: number;
  /** Connections the controller ended (reset or closed) while we were still writing. */
  dropped: number;
  connectFailures: number;
}

/** Floods `kind` frames at the controller until `endMs` (Date.now()), reconnecting when dropped. */
async function flood(
  port: number,
  kind: Kind,
  labels: string[],
  endMs: number,
): Promise<FloodStats> {
  const codec: Codec = codecByName('native');
  const stats: FloodStats = { frames: 0, connections: 0, dropped: 0, connectFailures: 0 };
  const request: SortRequest = {
    type: 'sortRequest',
    taskId: 0,
    turn: 1,
    induct: 1,
    scanner: 1,
    carrier: 1,
    reads: [{ source: ReadSource.SCANNER, scanner: 1, data: '' }],
    weightG: 1250,
    lengthMm: 0,
    widthMm: 0,
    heightMm: 0,
  };
  const confirmation: SortConfirmation = {
    type: 'sortConfirmation',
    taskId: 0,
    turn: 1,
    chute: 1,
    outcome: Outcome.DISCHARGED,
  };
  const header = { seq: 0, ackRequired: true, timestampMs: 0 };
  while (Date.now() < endMs) {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('close', () => resolve(false));
    });
    if (!connected) {
      stats.connectFailures++;
      await sleep(50);
      continue;
    }
    stats.connections++;
    socket.pause(); // never read
    socket.write(
      codec.encode(
        { type: 'linkSync', lastReceivedSeq: 0, nextSendSeq: 1 },
        { seq: 0, ackRequired: false, timestampMs: Date.now() },
      ),
    );
    let seq = 1;
    while (Date.now() < endMs && socket.writable) {
      // a socket the controller reset is no longer writable (and buffers nothing): stop there
      const stamp = Date.now();
      header.timestampMs = stamp;
      for (
        let n = 0;
        n < FRAMES_PER_TURN && socket.writable && socket.writableLength < MAX_BUFFERED;
        n++, seq++
      ) {
        header.seq = seq;
        let frame: Uint8Array;
        if (kind === 'requests') {
          request.taskId = seq;
          request.carrier = 1 + (seq % 400);
          request.reads[0]!.data = labels[seq % labels.length]!;
          frame = codec.encode(request, header);
        } else if (kind === 'confirmations') {
          confirmation.taskId = seq;
          frame = codec.encode(confirmation, header);
        } else frame = malformedFrame(seq, stamp);
        socket.write(frame);
        stats.frames++;
      }
      await sleep(2);
    }
    if (!socket.writable && Date.now() < endMs) stats.dropped++;
    socket.destroy();
  }
  return stats;
}

/** One phase: the paced link, with or without a flood. */
interface Phase {
  name: string;
  link: LoadResult;
  flood: FloodStats | null;
  /** Highest VmRSS sampled during the phase, MB. */
  peakRssMb: number;
  /** p99 of the paced link over its quiet p99. */
  p99Ratio: number | null;
}

export async function runFlood(args: string[]): Promise<void> {
  const seconds = Number(arg(args, '--seconds', '30'));
  const rate = Number(arg(args, '--rate', '1000'));
  const kinds = arg(args, '--kinds', KINDS.join(',')).split(',');
  const unknown = kinds.filter((k) => !(KINDS as readonly string[]).includes(k));
  if (!(seconds > 0) || !(rate > 0) || unknown.length > 0) {
    process.stderr.write(
      `bench controller --flood: --seconds and --rate take positive numbers, --kinds a list of ${KINDS.join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const model = loadScenario(path.join(repo, 'scenarios/jiangsu-outbound-hub.json'));
  const labels = [...new Hub(model).pool.labels];
  const data = mkdtempSync(path.join(tmpdir(), 'sortline-bench-flood-'));
  const serve = await startServe(data);
  const warmupSeconds = 1;
  const spec: LoadSpec = {
    host: '127.0.0.1',
    port: serve.port,
    dialect: 'native',
    connections: 1,
    ratePerSecond: rate,
    budgetMs: BUDGET_MS,
    warmupSeconds,
    seconds,
    labels,
  };
  let phasePeak = 0;
  const sampler = setInterval(() => {
    phasePeak = Math.max(phasePeak, memoryMb(serve.pid).rss);
  }, 100);
  const phases: Phase[] = [];
  let startRssMb: number;
  let hwmMb: number;
  try {
    await sleep(300);
    startRssMb = memoryMb(serve.pid).rss;
    phasePeak = startRssMb;
    const quiet = await pacedLink(spec);
    phases.push({ name: 'quiet', link: quiet, flood: null, peakRssMb: phasePeak, p99Ratio: null });
    for (const kind of kinds as Kind[]) {
      phasePeak = memoryMb(serve.pid).rss;
      const endMs = Date.now() + (warmupSeconds + seconds) * 1000 + 500;
      const f = flood(serve.port, kind, labels, endMs);
      const link = await pacedLink(spec);
      const stats = await f;
      phases.push({
        name: `flood of ${kind}`,
        link,
        flood: stats,
        peakRssMb: Math.max(phasePeak, memoryMb(serve.pid).rss),
        p99Ratio: link.p99 / quiet.p99,
      });
      await sleep(500);
    }
    hwmMb = memoryMb(serve.pid).hwm;
  } finally {
    clearInterval(sampler);
    await serve.stop();
    rmSync(data, { recursive: true, force: true });
  }
  const codes = new Map<string, number>();
  for (const m of serve.stderr().matchAll(/SORTLINE_ERR_[A-Z0-9_]+/g))
    codes.set(m[0], (codes.get(m[0]) ?? 0) + 1);
  const peak = Math.max(hwmMb, ...phases.map((p) => p.peakRssMb));
  const floods = phases.filter((p) => p.p99Ratio !== null);
  const worstRatio = Math.max(...floods.map((p) => p.p99Ratio!));
  const result = {
    suite: 'controller --flood',
    setup: `sortline serve (own process, --connections many, native dialect, journal on, default limits) on loopback TCP; flooding peer on the bench main thread (≤ ${FRAMES_PER_TURN.toLocaleString('en-US')} frames per turn, ≤ 4 MB buffered, reconnects when dropped); paced link ${rate.toLocaleString('en-US')}/s in a worker, requests stamped, ${BUDGET_MS} ms budget; ${warmupSeconds} s warm-up + ${seconds} s measured per phase`,
    targets: { peakRssMb: RSS_BOUND_MB, p99OfQuiet: 2 },
    startRssMb,
    peakRssMb: peak,
    hwmMb,
    phases,
    codes: Object.fromEntries(codes),
    rssMet: peak < RSS_BOUND_MB,
    p99Met: floods.length > 0 && worstRatio <= 2,
  };
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const f = (x: number): string => Math.round(x).toLocaleString('en-US');
  const lines = [
    `controller --flood: ${result.setup}`,
    `  phase                      link p50 ms  p99 ms  max ms | sent  ok in budget  ok late  busy  other  NAK  no reply | peak RSS MB | flood frames  connections  dropped by controller | p99 / quiet`,
  ];
  for (const p of phases) {
    const o = p.link.outcomes!;
    const fl = p.flood;
    lines.push(
      `  ${p.name.padEnd(26)} ${p.link.p50.toFixed(3).padStart(11)} ${p.link.p99.toFixed(3).padStart(7)} ${p.link.max.toFixed(1).padStart(7)} | ${f(o.offered)} ${f(o.okInBudget).padStart(13)} ${f(o.okLate).padStart(8)} ${f(o.busy).padStart(5)} ${f(o.otherStatus).padStart(6)} ${f(o.naks).padStart(4)} ${f(o.unanswered).padStart(9)} | ${p.peakRssMb.toFixed(0).padStart(11)} | ${fl === null ? '-'.padStart(12) : f(fl.frames).padStart(12)} ${fl === null ? '-'.padStart(12) : f(fl.connections).padStart(12)} ${fl === null ? '-'.padStart(22) : f(fl.dropped).padStart(22)} | ${p.p99Ratio === null ? '-' : p.p99Ratio.toFixed(2)}`,
    );
  }
  lines.push(
    `  controller RSS at start ${startRssMb.toFixed(0)} MB; peak ${peak.toFixed(0)} MB (sampled every 100 ms, and VmHWM ${hwmMb.toFixed(0)} MB); bound < ${RSS_BOUND_MB} MB: ${result.rssMet ? 'met' : 'NOT met'}`,
    `  paced link p99 during the floods within 2x of quiet: ${floods.length === 0 ? 'not measured' : `${result.p99Met ? 'met' : 'NOT met'} (worst ${worstRatio.toFixed(2)}x: ${floods.map((p) => `${p.name} ${p.link.p99.toFixed(3)} ms`).join(', ')}; quiet ${phases[0]!.link.p99.toFixed(3)} ms)`}`,
    `  error codes the controller logged: ${codes.size === 0 ? 'none' : [...codes].map(([c, n]) => `${c} ×${n}`).join(', ')}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}
