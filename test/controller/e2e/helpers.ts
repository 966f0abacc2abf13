/**
 * Helpers of the end-to-end and fault tests: `sortline serve` and `sortline emulate` as child
 * processes (the compiled CLI), the journal and the emulator's ledger read back as CSV, and the
 * parcel-by-parcel comparison of the two.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { OUTCOME_NAMES, isTerminalOutcome } from '../../../core/protocol/index.js';
import type { EmulatorSummary } from '../../../sim/emulator/index.js';

export const cli = fileURLToPath(new URL('../../../bin/sortline.js', import.meta.url));
export const scenario = fileURLToPath(
  new URL('../../../scenarios/jiangsu-outbound-hub.json', import.meta.url),
);

/**
 * The Jiangsu hub made faster for the tests, so 10,000 parcels take minutes of simulated time:
 * 0.6 m pitch at 5 m/s (tick 0.12 s, reply deadline 5 m → 0.96 s), 0.3 s induct cycle, a steady
 * 40,000 arrivals /h. The sort plan stays the bundled one that `sortline serve` serves by default.
 */
export const FAST_HUB = [
  '--set',
  'arrivals.ratePerHour=[40000]',
  '--set',
  'arrivals.waves=[]',
  '--set',
  'sorter.pitch=0.6',
  '--set',
  'sorter.speed=5',
  '--set',
  'sorter.inducts.cycleSeconds=0.3',
];

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sortline-e2e-'));
  dirs.push(d);
  return d;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const LISTENING = /^sortline serve: listening on (\S+) \(dialect (\w+)/m;

/** A running `sortline serve`. */
export interface Serve {
  readonly proc: ChildProcess;
  /** The gateway address it printed. */
  readonly address: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** Starts `sortline serve` with `args` and resolves once it printed where it listens (at most 20 s). */
export function startServe(args: string[]): Promise<Serve> {
  const proc = spawn(process.execPath, [cli, 'serve', '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 20_000);
    const check = (): void => {
      const m = LISTENING.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ proc, address: m[1]!, stderr: () => err, exited });
      }
    };
    proc.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${out} ${err}`));
    });
  });
}

/** Sends SIGTERM and waits for the exit code. */
export async function stopServe(s: Serve): Promise<number | null> {
  s.proc.kill('SIGTERM');
  return s.exited;
}

/** What an emulate run left. */
export interface EmulateResult {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: EmulatorSummary;
  /** By parcel serial number (1, 2, … in scan order). */
  ledger: Map<number, LedgerRow>;
}

/** One parcel of the emulator's ledger CSV. */
export interface LedgerRow {
  parcel: number;
  /** Its task id on the wire (unique among open tasks, reused after a PLC restart with reuse). */
  taskId: number;
  outcome: string;
  chute: number;
  turns: number;
}

/** Runs `sortline emulate` to its end (bounded by `limitMs`) and reads its summary and ledger. */
export async function emulate(args: string[], limitMs = 240_000): Promise<EmulateResult> {
  const dir = tempDir();
  const json = path.join(dir, 'summary.json');
  const ledgerFile = path.join(dir, 'ledger.csv');
  const proc = spawn(
    process.execPath,
    [cli, 'emulate', scenario, ...args, '--json', json, '--ledger', ledgerFile],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), limitMs);
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  let summary: EmulatorSummary;
  try {
    summary = JSON.parse(readFileSync(json, 'utf8')) as EmulatorSummary;
  } catch {
    throw new Error(`emulate left no summary (exit ${code}): ${stdout} ${stderr}`);
  }
  const ledger = new Map<number, LedgerRow>();
  for (const r of parseCsv(readFileSync(ledgerFile, 'utf8')))
    ledger.set(Number(r.parcel), {
      parcel: Number(r.parcel),
      taskId: Number(r.task_id),
      outcome: r.outcome!,
      chute: Number(r.chute),
      turns: Number(r.turns),
    });
  return { code, stdout, stderr, summary, ledger };
}

/** Parses CSV text (RFC 4180: quoted fields with doubled quotes, CRLF or LF) into rows keyed by the header. */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, k) => [h, r[k] ?? ''])));
}

/** `sortline journal export` (tasks, or events with `events`) of data directory `data`, parsed. */
export function exportJournal(data: string, events = false): Record<string, string>[] {
  const r = spawnSync(
    process.execPath,
    [cli, 'journal', 'export', '--data', data, ...(events ? ['--events'] : [])],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 30 },
  );
  if (r.status !== 0) throw new Error(`journal export failed (${r.status}): ${r.stderr}`);
  return parseCsv(r.stdout);
}

const TERMINAL_NAMES = new Set(OUTCOME_NAMES.filter((_, code) => isTerminalOutcome(code)));

/**
 * Compares the emulator's ledger with the controller's journal of `data`, parcel by parcel, and
 * returns every disagreement (empty when they agree):
 * - every task of the journal is closed;
 * - a PLC task id names one parcel at a time: the parcels of one task id, in scan order, and the
 *   journal's tasks of that id, in the order they were opened, pair one to one (a task id is used
 *   again only after a PLC restart that restored its counter, `--plc-restart n:reuse`);
 * - each pair has the ledger's terminal outcome and chute;
 * - the journal has no task the ledger does not know;
 * - each task id has exactly as many counted terminal sort confirmations among the events as
 *   parcels used it (none double-counted, none lost).
 */
export function disagreements(ledger: ReadonlyMap<number, LedgerRow>, data: string): string[] {
  const out: string[] = [];
  const byTaskId = new Map<number, Record<string, string>[]>();
  for (const t of exportJournal(data)) {
    const id = Number(t.task_id);
    byTaskId.set(id, [...(byTaskId.get(id) ?? []), t]);
    if (t.state !== 'closed') out.push(`task ${t.task} (task id ${id}) is ${t.state}`);
  }
  const parcelsOf = new Map<number, LedgerRow[]>();
  for (const e of [...ledger.values()].sort((a, b) => a.parcel - b.parcel))
    parcelsOf.set(e.taskId, [...(parcelsOf.get(e.taskId) ?? []), e]);
  for (const [id, rows] of byTaskId) {
    const parcels = parcelsOf.get(id) ?? [];
    if (parcels.length === 0) out.push(`task id ${id} is in the journal, not in the ledger`);
    else if (rows.length !== parcels.length)
      out.push(
        `task id ${id}: ${parcels.length} parcels in the ledger, ${rows.length} tasks in the journal`,
      );
  }
  for (const [id, parcels] of parcelsOf) {
    const rows = [...(byTaskId.get(id) ?? [])].sort((a, b) => Number(a.task) - Number(b.task));
    parcels.forEach((e, k) => {
      const t = rows[k];
      if (t === undefined)
        out.push(
          `parcel ${e.parcel} (task id ${id}, ${e.outcome} at ${e.chute}) is not in the journal`,
        );
      else if (t.outcome !== e.outcome || Number(t.outcome_chute) !== e.chute)
        out.push(
          `parcel ${e.parcel} (task id ${id}): ledger ${e.outcome} at ${e.chute}, journal task ${t.task} ${t.outcome} at ${t.outcome_chute}`,
        );
    });
  }
  const counted = new Map<number, number>();
  for (const ev of exportJournal(data, true)) {
    if (ev.kind !== 'confirmation' || !TERMINAL_NAMES.has(ev.code as never)) continue;
    if (ev.detail !== 'counted' && ev.detail !== 'unknownTask') continue;
    const id = Number(ev.task_id);
    counted.set(id, (counted.get(id) ?? 0) + 1);
  }
  for (const [id, parcels] of parcelsOf) {
    const n = counted.get(id) ?? 0;
    if (n !== parcels.length)
      out.push(
        `task id ${id} has ${n} counted terminal confirmations for ${parcels.length} parcels`,
      );
  }
  return out;
}

/**
 * The checks every emulate run must pass: exit 0, `parcels` parcels each with one terminal
 * outcome, none lost or left open, every confirmation acknowledged, and the journal of `data`
 * agreeing with the ledger parcel by parcel ({@link disagreements}).
 */
export function expectAgreement(r: EmulateResult, data: string, parcels: number): void {
  const s = r.summary;
  expect(r.code, r.stderr).toBe(0);
  expect(s.complete).toBe(true);
  expect(s.parcels).toBe(parcels);
  expect(s.counts.lost).toBe(0);
  expect(s.counts.open).toBe(0);
  expect(s.unacknowledged).toEqual([]);
  // one terminal outcome per parcel, on both counts of the emulator
  expect(r.ledger.size).toBe(parcels);
  expect(s.counts.sorted + s.counts.exception).toBe(parcels);
  // every request was answered in time or went late, never both
  expect(s.counts.replied + s.counts.late).toBe(s.counts.requested);
  expect(s.latencyMs.replies).toBeGreaterThan(0);
  expect(disagreements(r.ledger, data)).toEqual([]);
}
