import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import {
  ParcelRouter, READ_SOURCE_NAMES, ReadSource, compileResolverConfig, describeRead, type CompiledResolverConfig, type ReadDescription,
} from '../../core/labels/index.js';
import { compilePlan, type SortPlan } from '../../core/plan/index.js';
import { Fallback } from '../../core/sorter/states.js';
import { readJsonFile } from '../../sim/scenario/load.js';

interface ResolveOptions {
  plan?: string;
  jsonl?: boolean;
  config?: string;
}

/** One output line of `sortline resolve` (docs/labels.md "sortline resolve"). */
type OutputLine = (
  | { ok: true; kind: string; hri?: string; id?: string }
  | { ok: false; error: { code: string; message: string; offset: number } }
) & { destination?: string | null; chute?: string | null };

/**
 * `sortline resolve [--plan plan.json] [--jsonl] [--config resolver.json]`: reads one read per
 * line from stdin (raw scanner data, or with `--jsonl` objects `{"source":"scanner"|"rfid"|
 * "manual","data":"...","scanner":0}`) and writes one JSON object per line: `ok`; when ok `kind`,
 * `hri` (GS1 data in bracket form), `id` (other kinds); with `--plan` also `destination` and
 * `chute`; when not ok `error` {`code`, `message`, `offset`}. A bad plan or configuration file is a
 * coded error on stderr and exit code 2.
 */
export function registerResolve(program: Command): void {
  program
    .command('resolve')
    .description('resolve scanner and RFID reads from stdin (one per line) to label kinds, keys and, with --plan, destinations; one JSON object per line')
    .option('--plan <plan.json>', 'sort plan (docs/sort-plan.md): add the destination and chute of each read')
    .option('--jsonl', 'read JSON lines {"source":"scanner"|"rfid"|"manual","data":"...","scanner":0} instead of raw data')
    .option('--config <resolver.json>', 'label resolver configuration (docs/labels.md): scanner profiles, e-waybill patterns, ...')
    .action(async (opts: ResolveOptions) => {
      await resolveStdin(opts);
    });
}

async function resolveStdin(opts: ResolveOptions): Promise<void> {
  const config: CompiledResolverConfig = compileResolverConfig(opts.config === undefined ? {} : readJsonFile(opts.config));
  const plan: SortPlan | null = opts.plan === undefined ? null : compilePlan(readJsonFile(opts.plan));
  const router = plan === null ? null : new ParcelRouter(plan, config);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let out = '';
  for await (const line of lines) {
    out += JSON.stringify(resolveLine(line, opts.jsonl === true, config, plan, router)) + '\n';
    if (out.length >= 1 << 16) {
      await write(out);
      out = '';
    }
  }
  if (out !== '') await write(out);
}

function write(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

function lineError(code: 'SORTLINE_ERR_JSON_SYNTAX' | 'SORTLINE_ERR_USAGE', message: string): OutputLine {
  return { ok: false, error: { code, message, offset: 0 } };
}

/** The read of one input line: raw data, or a JSON line with its source and scanner. */
function parseLine(line: string, jsonl: boolean): { data: string; source: number; scanner: number } | OutputLine {
  if (!jsonl) return { data: line, source: ReadSource.SCANNER, scanner: 0 };
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return lineError('SORTLINE_ERR_JSON_SYNTAX', `the line is not valid JSON: ${(err as Error).message}`);
  }
  const o = v as { source?: unknown; data?: unknown; scanner?: unknown };
  if (typeof v !== 'object' || v === null || typeof o.data !== 'string') {
    return lineError('SORTLINE_ERR_USAGE', 'expected an object {"source":"scanner"|"rfid"|"manual","data":"..."} with a string "data"');
  }
  const source = o.source === undefined ? 0 : READ_SOURCE_NAMES.indexOf(o.source as never);
  if (source < 0) return lineError('SORTLINE_ERR_USAGE', `"source" is ${JSON.stringify(o.source)}; expected "scanner", "rfid" or "manual"`);
  const scanner = o.scanner === undefined ? 0 : o.scanner;
  if (typeof scanner !== 'number' || !Number.isInteger(scanner) || scanner < 0) {
    return lineError('SORTLINE_ERR_USAGE', `"scanner" is ${JSON.stringify(o.scanner)}; expected a non-negative integer`);
  }
  return { data: o.data, source, scanner };
}

function resolveLine(line: string, jsonl: boolean, config: CompiledResolverConfig, plan: SortPlan | null, router: ParcelRouter | null): OutputLine {
  const read = parseLine(line, jsonl);
  if ('ok' in read) return withRoute(read, plan, null);
  const d: ReadDescription = describeRead(read.data, read.source, config, read.scanner);
  let out: OutputLine;
  if (d.ok) {
    out = { ok: true, kind: d.kind };
    if (d.hri !== undefined) out.hri = d.hri;
    if (d.id !== undefined) out.id = d.id;
  } else {
    out = { ok: false, error: d.error };
  }
  if (router === null) return out;
  router.begin();
  router.addRead(read.data, read.source, read.scanner);
  return withRoute(out, plan, router.finish());
}

/** Adds `destination` and `chute` when there is a plan: the destination's first chute, or the fallback's exception chute. */
function withRoute(out: OutputLine, plan: SortPlan | null, result: number | null): OutputLine {
  if (plan === null) return out;
  const r = result ?? -Fallback.NO_READ; // an unreadable input line counts as a no-read
  const chute = r >= 0 ? plan.destChuteList[plan.destChuteStart[r]!]! : plan.fallbackChute[-r]!;
  out.destination = r >= 0 ? plan.destinationIds[r]! : null;
  out.chute = plan.chuteIds[chute] ?? null;
  return out;
}
