/**
 * `npm run bench -- controller [--seconds S] [--warmup S] [--dialect native|telegram|ndjson|all]
 * [--load 1,8,64,paced] [--levels 25,50,100,200,400] [--overload-connections 8] [--json]` (and
 * `--flood`: the flood bench, bench/controller-flood.ts, instead):
 * the controller (`startServer`: sessions → sort service → journal on, SQLite WAL, synchronous
 * FULL, `connections: 'many'`) on the main thread, the load generator (bench/controller-load.ts)
 * in a worker thread on its own core, over loopback TCP. Measured: sort requests per second with
 * 1, 8 and 64 gateway connections (closed loop, 256 requests outstanding in all), and the round
 * trip p50/p99 of each, plus the round trip at a paced 10,000 requests/s on one connection.
 *
 * Overload (issue 8): capacity is the best closed-loop figure just measured; then, on a fresh
 * controller each, an open-loop generator offers 25 %, 50 %, 100 %, 200 % and 400 % of it over
 * `--overload-connections` [8] gateway connections, every request stamped with its real send time
 * (what the controller's admission control measures queueing from), and follows each request of
 * the measured window to its reply: goodput (status OK within the 50 ms budget), busy replies
 * (status 7, shed), other replies, and requests with no reply at all (the claim is none). Target:
 * goodput at 400 % at least 80 % of the peak goodput.
 *
 * Peer, in the same run: a raw TCP echo of the same frames (no session, service or journal; the
 * generator takes each echoed request as its reply) — the upper bound of what loopback TCP and
 * the generator allow. Ratios are "controller / raw echo" of requests per second and of p99.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { DIALECT_NAMES, type DialectName } from '../core/protocol/index.js';
import { loadServeConfig } from '../controller/config/index.js';
import { startServer } from '../controller/server.js';
import { journalPath, openJournalReadOnly } from '../controller/journal/index.js';
import { Hub } from '../sim/hub.js';
import { loadScenario } from '../sim/scenario/index.js';
import type { LoadResult, LoadSpec, Outcomes } from './controller-load.js';

/** Reply budget of the overload levels: an OK reply later than this is not goodput, ms. */
const BUDGET_MS = 50;

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

/** One load shape. */
interface Shape {
  name: string;
  connections: number;
  depth?: number;
  ratePerSecond?: number;
  /** Tracked open loop (overload levels): the reply budget, ms. */
  budgetMs?: number;
}

const OUTSTANDING = 256;
/** The load shapes, by the key `--load` selects them with. */
const SHAPES: Record<string, Shape> = {
  '1': { name: '1 connection', connections: 1, depth: OUTSTANDING },
  '8': { name: '8 connections', connections: 8, depth: OUTSTANDING / 8 },
  '64': { name: '64 connections', connections: 64, depth: OUTSTANDING / 64 },
  paced: { name: 'paced 10,000/s, 1 connection', connections: 1, ratePerSecond: 10_000 },
};

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

/** Runs the generator in a worker against host:port. */
function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(here, 'controller-load.js'), { workerData: spec });
    w.once('message', (r: LoadResult) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

/** Labels of the Jiangsu hub's label pool (what its scan tunnel reads). */
function jiangsuLabels(): string[] {
  const model = loadScenario(path.join(repo, 'scenarios/jiangsu-outbound-hub.json'));
  return [...new Hub(model).pool.labels];
}

async function againstController(
  dialect: DialectName,
  shape: Shape,
  timing: Timing,
  labels: string[],
): Promise<
  LoadResult & { journalRequests: number; codes: Record<string, number>; service: ServiceCounts }
> {
  const data = mkdtempSync(path.join(tmpdir(), 'sortline-bench-'));
  try {
    const config = loadServeConfig(undefined, {
      gateway: 'tcp://127.0.0.1:0',
      dialect,
      data,
      connections: 'many',
      logLevel: 'silent',
    });
    // warnings and errors are only counted by code (the busy and drop codes of the overload levels)
    const codes: Record<string, number> = {};
    const logger = pino(
      { level: 'warn' },
      {
        write(line: string): void {
          for (const m of line.matchAll(/SORTLINE_ERR_[A-Z0-9_]+/g))
            codes[m[0]] = (codes[m[0]] ?? 0) + 1;
        },
      },
    );
    const server = await startServer(config, { logger });
    const port = Number(new URL(server.address.replace(/^tcp:/, 'http:')).port);
    const r = await load({
      host: '127.0.0.1',
      port,
      dialect,
      connections: shape.connections,
      ...pick(shape),
      ...timing,
      labels,
    });
    const st = server.service.stats;
    const service: ServiceCounts = {
      requests: st.requests,
      replies: st.replies,
      busyReplies: st.busyReplies,
      missingReplies: st.missingReplies,
    };
    await server.close();
    return { ...r, journalRequests: journalRequests(data), codes, service };
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

async function againstEcho(
  dialect: DialectName,
  shape: Shape,
  timing: Timing,
  labels: string[],
): Promise<LoadResult> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const r = await load({
    host: '127.0.0.1',
    port,
    dialect,
    connections: shape.connections,
    ...pick(shape),
    ...timing,
    labels,
  });
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
  return r;
}

interface Timing {
  warmupSeconds: number;
  seconds: number;
}

function pick(shape: Shape): Pick<LoadSpec, 'depth' | 'ratePerSecond' | 'budgetMs'> {
  if (shape.depth !== undefined) return { depth: shape.depth };
  return shape.budgetMs !== undefined
    ? { ratePerSecond: shape.ratePerSecond!, budgetMs: shape.budgetMs }
    : { ratePerSecond: shape.ratePerSecond! };
}

/** The controller's own counters after a run (controller/service/stats.ts). */
interface ServiceCounts {
  requests: number;
  replies: number;
  busyReplies: number;
  /** Replies the controller could not queue for the PLC (its send queue full). */
  missingReplies: number;
}

/** One overload level: what became of the requests offered at `percent` % of capacity. */
interface OverloadLevel {
  percent: number;
  targetPerSecond: number;
  outcomes: Outcomes;
  /** Round trip of the OK replies, ms. */
  p50: number;
  p99: number;
  /** Generator connections the controller closed or reset. */
  dropped: number;
  /** Error codes the controller logged (warn and above), by code. */
  codes: Record<string, number>;
  /** The controller's counters over the whole level (warm-up and drain included). */
  service: ServiceCounts;
}

/** The overload levels of one dialect. */
interface OverloadRun {
  dialect: DialectName;
  capacity: number;
  capacityShape: string;
  connections: number;
  levels: OverloadLevel[];
  peakGoodput: number;
  goodputAt400: number | null;
  goodputMet: boolean | null;
  unanswered: number;
}

/** Sort-request events in the journal of `data` (a check that the journal recorded every request answered). */
function journalRequests(data: string): number {
  const db = openJournalReadOnly(journalPath(data));
  try {
    return (db.prepare('SELECT count(*) AS n FROM events WHERE kind = 1').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export async function run(args: string[]): Promise<void> {
  if (args.includes('--flood')) {
    const { runFlood } = await import('./controller-flood.js');
    await runFlood(args);
    return;
  }
  const seconds = Number(arg(args, '--seconds', '4'));
  const warmupSeconds = Number(arg(args, '--warmup', '1'));
  const d = arg(args, '--dialect', 'native');
  const dialects: DialectName[] =
    d === 'all'
      ? [...DIALECT_NAMES]
      : (DIALECT_NAMES as readonly string[]).includes(d)
        ? [d as DialectName]
        : [];
  if (dialects.length === 0) {
    process.stderr.write(
      `bench controller: --dialect must be one of ${DIALECT_NAMES.join(', ')}, all\n`,
    );
    process.exitCode = 2;
    return;
  }
  const keys = arg(args, '--load', Object.keys(SHAPES).join(',')).split(',');
  const unknown = keys.filter((k) => !Object.hasOwn(SHAPES, k));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench controller: --load takes a list of ${Object.keys(SHAPES).join(', ')}; got ${unknown.join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const levels = arg(args, '--levels', '25,50,100,200,400').split(',').map(Number);
  const connections = Number(arg(args, '--overload-connections', '8'));
  if (levels.some((l) => !(l > 0)) || !Number.isInteger(connections) || connections < 1) {
    process.stderr.write(
      'bench controller: --levels takes a list of percentages of capacity, --overload-connections a count\n',
    );
    process.exitCode = 2;
    return;
  }
  const labels = jiangsuLabels();
  const timing = { warmupSeconds, seconds };
  const rows: {
    dialect: DialectName;
    shape: string;
    controller: LoadResult & { journalRequests: number };
    echo: LoadResult;
    ratio: number;
    p99Ratio: number;
  }[] = [];
  for (const dialect of dialects) {
    for (const shape of keys.map((k) => SHAPES[k]!)) {
      const echo = await againstEcho(dialect, shape, timing, labels);
      const controller = await againstController(dialect, shape, timing, labels);
      rows.push({
        dialect,
        shape: shape.name,
        controller,
        echo,
        ratio: controller.perSecond / echo.perSecond,
        p99Ratio: controller.p99 / echo.p99,
      });
    }
  }
  const overload: OverloadRun[] = [];
  for (const dialect of dialects) {
    const closed = rows.filter((r) => r.dialect === dialect && r.shape !== SHAPES.paced!.name);
    let capacity = 0;
    let capacityShape = '';
    for (const r of closed) {
      if (r.controller.perSecond > capacity) {
        capacity = r.controller.perSecond;
        capacityShape = r.shape;
      }
    }
    if (closed.length === 0) {
      // no closed-loop shape asked for: capacity measured here, with 8 connections
      const c = await againstController(dialect, SHAPES['8']!, timing, labels);
      capacity = c.perSecond;
      capacityShape = SHAPES['8']!.name;
    }
    const lv: OverloadLevel[] = [];
    for (const percent of levels) {
      const rate = Math.round((capacity * percent) / 100);
      const c = await againstController(
        dialect,
        { name: `${percent} %`, connections, ratePerSecond: rate, budgetMs: BUDGET_MS },
        timing,
        labels,
      );
      lv.push({
        percent,
        targetPerSecond: rate,
        outcomes: c.outcomes!,
        p50: c.p50,
        p99: c.p99,
        dropped: c.dropped ?? 0,
        codes: c.codes,
        service: c.service,
      });
    }
    const peak = Math.max(...lv.map((l) => l.outcomes.goodputPerSecond));
    const top = lv.find((l) => l.percent === 400);
    overload.push({
      dialect,
      capacity,
      capacityShape,
      connections,
      levels: lv,
      peakGoodput: peak,
      goodputAt400: top?.outcomes.goodputPerSecond ?? null,
      goodputMet: top === undefined ? null : top.outcomes.goodputPerSecond >= 0.8 * peak,
      unanswered: lv.reduce((n, l) => n + l.outcomes.unanswered, 0),
    });
  }
  const result = {
    suite: 'controller',
    setup: `startServer (journal on: SQLite WAL, synchronous full; connections many) on the main thread; load generator in a worker thread; loopback TCP; ${warmupSeconds} s warm-up + ${seconds} s measured per row`,
    targets: { requestsPerSecond: 50_000, p99MsAt10k: 1, goodputAt400OfPeak: 0.8 },
    rows,
    overload,
  };
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const f = (x: number): string => Math.round(x).toLocaleString('en-US');
  const lines = [
    `controller: ${result.setup}`,
    `  dialect   load                            controller req/s  p50 ms  p99 ms | raw echo req/s  p50 ms  p99 ms | controller / raw echo: req/s, p99`,
  ];
  for (const r of rows) {
    const c = r.controller;
    const e = r.echo;
    lines.push(
      `  ${r.dialect.padEnd(9)} ${r.shape.padEnd(31)} ${f(c.perSecond).padStart(16)} ${c.p50.toFixed(3).padStart(7)} ${c.p99.toFixed(3).padStart(7)} | ${f(e.perSecond).padStart(14)} ${e.p50.toFixed(3).padStart(7)} ${e.p99.toFixed(3).padStart(7)} | ${r.ratio.toFixed(2)}, ${r.p99Ratio.toFixed(1)}`,
    );
  }
  lines.push(
    '  sort requests journaled / sent (requests in flight when the generator disconnects are not received): ' +
      rows.map((r) => `${f(r.controller.journalRequests)} / ${f(r.controller.sent)}`).join(', '),
  );
  const closed = rows.filter((r) => r.shape !== SHAPES.paced!.name);
  const paced = rows.filter((r) => r.shape === SHAPES.paced!.name);
  const best = Math.max(...closed.map((r) => r.controller.perSecond));
  const worstP99 = Math.max(...paced.map((r) => r.controller.p99));
  lines.push(
    `  target ≥ 50,000 requests/s per controller process: ${closed.length === 0 ? 'not measured' : `${best >= 50_000 ? 'met' : 'NOT met'} (best ${f(best)} /s)`}`,
    `  target p99 < 1 ms at 10,000 requests/s: ${paced.length === 0 ? 'not measured' : `${worstP99 < 1 ? 'met' : 'NOT met'} (${worstP99.toFixed(3)} ms)`}`,
  );
  for (const o of overload) {
    lines.push(
      `overload, ${o.dialect}: capacity ${f(o.capacity)} /s (closed loop, ${o.capacityShape}); open loop over ${o.connections} connection(s), requests stamped with their send time, ${BUDGET_MS} ms reply budget, ${warmupSeconds} s warm-up + ${seconds} s measured per level, then up to 2 s for the last replies`,
      `  level  target /s  offered /s  goodput /s  busy /s | ok late  other  NAK  no reply | ok p50 ms  ok p99 ms | every request answered (ok or coded busy)`,
    );
    for (const l of o.levels) {
      const c = l.outcomes;
      lines.push(
        `  ${`${l.percent} %`.padStart(5)} ${f(l.targetPerSecond).padStart(10)} ${f(c.offeredPerSecond).padStart(11)} ${f(c.goodputPerSecond).padStart(11)} ${f(c.busyPerSecond).padStart(8)} | ${f(c.okLate).padStart(7)} ${f(c.otherStatus).padStart(6)} ${f(c.naks).padStart(4)} ${f(c.unanswered).padStart(9)} | ${l.p50.toFixed(3).padStart(9)} ${l.p99.toFixed(3).padStart(10)} | ${c.unanswered === 0 && c.naks === 0 ? 'yes' : 'NO'} (${f(c.offered)} sent, ${f(c.okInBudget)} ok in budget, ${f(c.busy)} busy)`,
      );
    }
    for (const l of o.levels) {
      const logged = Object.entries(l.codes);
      const sv = l.service;
      lines.push(
        `  ${l.percent} %: controller counted ${f(sv.requests)} requests, ${f(sv.replies)} replies (${f(sv.busyReplies)} busy), ${f(sv.missingReplies)} replies not sent (send queue full); ${l.dropped} of ${o.connections} connection(s) dropped by it; logged: ${logged.length === 0 ? 'nothing' : logged.map(([k, n]) => `${k} ×${n}`).join(', ')}`,
      );
    }
    lines.push(
      `  goodput at 400 % >= 80 % of peak: ${o.goodputMet === null ? 'not measured (no 400 % level)' : `${o.goodputMet ? 'met' : 'NOT met'} (${f(o.goodputAt400!)} /s = ${((100 * o.goodputAt400!) / o.peakGoodput).toFixed(0)} % of peak ${f(o.peakGoodput)} /s; ${((100 * o.goodputAt400!) / o.capacity).toFixed(0)} % of closed-loop capacity)`}`,
      `  requests with no reply at all, all levels: ${f(o.unanswered)} (claim: 0) — ${o.unanswered === 0 ? 'met' : 'NOT met'}`,
    );
  }
  lines.push('');
  process.stdout.write(lines.join('\n'));
}
