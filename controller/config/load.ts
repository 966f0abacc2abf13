/**
 * Loading the `sortline serve` configuration (docs/operations.md "Configuration"): the embedded
 * default, merged with a file, overridden by flags, validated as a whole — the schema, the gateway
 * address, the sort plan, the chute numbering and the label resolver configuration — with every
 * fault reported at once with its JSON pointer.
 *
 * Paths in a file are relative to the file's directory; paths given as flags are relative to the
 * working directory; the default plan is the bundled Jiangsu hub plan of the package.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SortlineError, type ErrorDetail } from '../../core/errors.js';
import { pointerToken, readJson } from '../../core/json.js';
import { compileResolverConfig, type ResolverConfig } from '../../core/labels/index.js';
import { schemaErrors } from '../../core/schema-errors.js';
import { validatePlan, type SortPlanDoc, type MachineOptions } from '../../core/plan/index.js';
import type { DialectName } from '../../core/protocol/index.js';
import type { ParcelLimits } from '../service/index.js';
import { parseEndpoint } from '../transport/index.js';
import { defaultConfig } from './defaults.js';
import { ServeConfigSchema, type ServeConfigDoc } from './schema.js';

/** Command-line flags that override the configuration (`sortline serve`). */
export interface ServeOverrides {
  /** `--gateway URL` → `gateway.listen`. */
  gateway?: string;
  /** `--dialect NAME` → `gateway.dialect`. */
  dialect?: string;
  /** `--connections one|many` → `gateway.connections`. */
  connections?: string;
  /** `--data DIR` → `data`. */
  data?: string;
  /** `--plan FILE` → `plan`. */
  plan?: string;
  /** `--log-level LEVEL` → `log.level`. */
  logLevel?: string;
}

/** The configuration `startServer` runs: validated, defaults filled in, paths absolute, the plan read. */
export interface ServeConfig {
  gateway: {
    listen: string;
    dialect: DialectName;
    name: string;
    connections: 'one' | 'many';
    session: ServeConfigDoc['gateway']['session'];
  };
  plan: {
    /** The plan document (validated). */
    doc: SortPlanDoc;
    /** Its file, or `inline` when the configuration holds the plan itself. */
    source: string;
  };
  /** Absolute data directory (the journal lives there). */
  data: string;
  chutes: MachineOptions & { capacity: number };
  labels: ResolverConfig;
  service: ServeConfigDoc['service'] & { limits: ParcelLimits };
  journal: ServeConfigDoc['journal'];
  log: { level: string };
}

/**
 * Loads the configuration: `file` (optional) over the default, then `overrides`.
 * @param cwd directory flags and the default data directory are relative to.
 * @throws SortlineError `SORTLINE_ERR_FILE_READ`, `SORTLINE_ERR_JSON_SYNTAX` (the file or the plan
 *   file); `SORTLINE_ERR_CONFIG_INVALID` with every fault and its pointer in `details`;
 *   `SORTLINE_ERR_PLAN_INVALID` for a plan file that fails validation (pointers into the plan).
 */
export function loadServeConfig(
  file?: string,
  overrides: ServeOverrides = {},
  cwd = process.cwd(),
): ServeConfig {
  const doc = file === undefined ? {} : readJsonFile(path.resolve(cwd, file));
  return resolveServeConfig(doc, {
    baseDir: file === undefined ? cwd : path.dirname(path.resolve(cwd, file)),
    cwd,
    overrides,
    ...(file === undefined ? {} : { path: file }),
  });
}

/** Where a configuration document came from, for {@link resolveServeConfig}. */
export interface ResolveOptions {
  /** Directory the document's relative paths are relative to. */
  baseDir: string;
  /** Directory flags and the default data directory are relative to (default: the working directory). */
  cwd?: string;
  /** The document's file, named in errors. */
  path?: string;
  overrides?: ServeOverrides;
}

/**
 * Validates and resolves a configuration document already in memory (see {@link loadServeConfig}).
 * @throws SortlineError as {@link loadServeConfig}.
 */
export function resolveServeConfig(doc: unknown, options: ResolveOptions): ServeConfig {
  const cwd = options.cwd ?? process.cwd();
  const where = options.path === undefined ? {} : { path: options.path };
  const defaults = defaultConfig();
  const merged = merge(defaults, doc) as ServeConfigDoc;
  // where each path came from: the file (relative to baseDir) or the default/flags (relative to cwd)
  const fileDoc = isObject(doc) ? doc : {};
  let planBase = 'plan' in fileDoc ? options.baseDir : cwd;
  let dataBase = 'data' in fileDoc ? options.baseDir : cwd;
  const o = options.overrides ?? {};
  if (isObject(merged.gateway)) {
    if (o.gateway !== undefined) merged.gateway.listen = o.gateway;
    if (o.dialect !== undefined) (merged.gateway as { dialect: string }).dialect = o.dialect;
    if (o.connections !== undefined)
      (merged.gateway as { connections: string }).connections = o.connections;
  }
  if (o.plan !== undefined) {
    merged.plan = o.plan;
    planBase = cwd;
  }
  if (o.data !== undefined) {
    merged.data = o.data;
    dataBase = cwd;
  }
  if (o.logLevel !== undefined && isObject(merged.log)) merged.log.level = o.logLevel;

  const faults = schemaErrors(ServeConfigSchema, merged);
  if (faults.length > 0) throw invalid(faults, where);
  const c = merged;

  try {
    parseEndpoint(c.gateway.listen);
  } catch (err) {
    faults.push({ pointer: '/gateway/listen', message: (err as Error).message });
  }

  let planDoc: unknown;
  let source: string;
  if (typeof c.plan === 'string') {
    source = path.resolve(planBase, c.plan);
    planDoc = readJsonFile(source);
    const planFaults = validatePlan(planDoc);
    if (planFaults.length > 0) {
      throw new SortlineError(
        'SORTLINE_ERR_PLAN_INVALID',
        `sort plan ${source} refused: ${planFaults.length} fault${planFaults.length === 1 ? '' : 's'}; first at ${planFaults[0]!.pointer}: ${planFaults[0]!.message}`,
        { path: source, details: planFaults },
      );
    }
  } else {
    source = 'inline';
    planDoc = c.plan;
    const planFaults = validatePlan(planDoc);
    for (const f of planFaults) faults.push({ pointer: `/plan${f.pointer}`, message: f.message });
    if (planFaults.length > 0) planDoc = undefined;
  }

  if (planDoc !== undefined) checkChutes(planDoc as SortPlanDoc, c.chutes, faults);
  try {
    compileResolverConfig(c.labels);
  } catch (err) {
    const details = (err as SortlineError).details ?? [];
    for (const d of details) faults.push({ pointer: `/labels${d.pointer}`, message: d.message });
  }
  if (faults.length > 0) throw invalid(faults, where);

  const chutes: ServeConfig['chutes'] = { capacity: c.chutes.capacity };
  if (c.chutes.numbers !== undefined) chutes.numbers = c.chutes.numbers;
  if (c.chutes.capacities !== undefined) chutes.capacities = c.chutes.capacities;
  return {
    gateway: {
      listen: c.gateway.listen,
      dialect: c.gateway.dialect,
      name: c.gateway.name,
      connections: c.gateway.connections,
      session: c.gateway.session,
    },
    plan: { doc: planDoc as SortPlanDoc, source },
    data: path.resolve(dataBase, c.data),
    chutes,
    labels: c.labels,
    service: c.service,
    journal: c.journal,
    log: { level: c.log.level },
  };
}

/**
 * Chute numbers distinct and covering every chute the plan names; capacities only for known chutes.
 */
function checkChutes(
  plan: SortPlanDoc,
  chutes: ServeConfigDoc['chutes'],
  faults: ErrorDetail[],
): void {
  const named = new Set<string>();
  for (const d of plan.destinations) for (const c of d.chutes) named.add(c);
  for (const c of Object.values(plan.fallbacks)) if (c !== undefined) named.add(c);
  const numbers = chutes.numbers;
  const machine = numbers === undefined ? named : new Set(Object.keys(numbers));
  if (numbers !== undefined) {
    const owner = new Map<number, string>();
    for (const [id, n] of Object.entries(numbers)) {
      const first = owner.get(n);
      if (first !== undefined)
        faults.push({
          pointer: `/chutes/numbers/${pointerToken(id)}`,
          message: `found number ${n}, already chute "${first}"'s; expected a number no other chute has`,
        });
      else owner.set(n, id);
    }
    const missing = [...named].filter((id) => !Object.hasOwn(numbers, id));
    if (missing.length > 0) {
      faults.push({
        pointer: '/chutes/numbers',
        message: `the plan names chute${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')} with no number; expected a number for every chute of the plan`,
      });
    }
  }
  for (const id of Object.keys(chutes.capacities ?? {})) {
    if (!machine.has(id))
      faults.push({
        pointer: `/chutes/capacities/${pointerToken(id)}`,
        message: `unknown chute "${id}"; expected a chute of the plan${numbers === undefined ? '' : ' or of /chutes/numbers'}`,
      });
  }
}

/** `over` merged into `base`: objects key by key, anything else (and `plan`, `labels`, the chute maps) replaced whole. */
function merge(base: unknown, over: unknown, key = ''): unknown {
  if (!isObject(base) || !isObject(over) || ATOMIC.has(key))
    return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v, k);
  return out;
}

const ATOMIC = new Set(['plan', 'labels', 'numbers', 'capacities']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a UTF-8 JSON file (SORTLINE_ERR_FILE_READ, SORTLINE_ERR_JSON_SYNTAX). */
function readJsonFile(file: string): unknown {
  return readJson(file, { stat: statSync, read: readFileSync });
}

function invalid(faults: ErrorDetail[], where: { path?: string }): SortlineError {
  return new SortlineError(
    'SORTLINE_ERR_CONFIG_INVALID',
    `the serve configuration has ${faults.length} fault${faults.length === 1 ? '' : 's'}; first at ${faults[0]!.pointer || '/'}: ${faults[0]!.message}`,
    { ...where, details: faults },
  );
}
