/**
 * `npm run bench -- controller [--seconds S] [--warmup S] [--dialect native|telegram|ndjson|all]
 * [--load 1,8,64,paced] [--json]`:
 * the controller (`startServer`: sessions → sort service → journal on, SQLite WAL, synchronous
 * FULL, `connections: 'many'`) on the main thread, the load generator (bench/controller-load.ts)
 * in a worker thread on its own core, over loopback TCP. Measured: sort requests per second with
 * 1, 8 and 64 gateway connections (closed loop, 256 requests outstanding in all), and the round
 * trip p50/p99 of each, plus the round trip at a paced 10,000 requests/s on one connection.
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
import type { LoadResult, LoadSpec } from './controller-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

/** One load shape. */
interface Shape {
  name: string;
  connections: number;
  depth?: number;
  ratePerSecond?: number;
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
): Promise<LoadResult & { journalRequests: number }> {
  const data = mkdtempSync(path.join(tmpdir(), 'sortline-bench-'));
  try {
    const config = loadServeConfig(undefined, {
      gateway: 'tcp://127.0.0.1:0',
      dialect,
      data,
      connections: 'many',
      logLevel: 'silent',
    });
    const server = await startServer(config, { logger: pino({ level: 'silent' }) });
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
    await server.close();
    return { ...r, journalRequests: journalRequests(data) };
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

function pick(shape: Shape): Pick<LoadSpec, 'depth' | 'ratePerSecond'> {
  return shape.depth !== undefined
    ? { depth: shape.depth }
    : { ratePerSecond: shape.ratePerSecond! };
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
  const result = {
    suite: 'controller',
    setup: `startServer (journal on: SQLite WAL, synchronous full; connections many) on the main thread; load generator in a worker thread; loopback TCP; ${warmupSeconds} s warm-up + ${seconds} s measured per row`,
    targets: { requestsPerSecond: 50_000, p99MsAt10k: 1 },
    rows,
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
    '',
  );
  process.stdout.write(lines.join('\n'));
}
