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
import {
  compileAllowList,
  isLoopbackHost,
  LOOPBACK_ALLOW,
  parseEndpoint,
  type Endpoint,
} from '../transport/index.js';
import { MIN_SECRET_CHARS } from '../../core/protocol/index.js';
import { defaultConfig } from './defaults.js';
import { ServeConfigSchema, type ServeConfigDoc } from './schema.js';

/** Command-line flags that override the configuration (`sortline serve`). */
export interface ServeOverrides {
  /** `--gateway URL` → `gateway.listen`. */
  gateway?: string;
  /** `--dialect NAME` → `gateway.dialect`. */
  dialect?: string;
  /** `--expose` → `gateway.exposed` true. */
  exposed?: boolean;
  /** `--allow CIDR` (repeatable) → `gateway.allow`. */
  allow?: string[];
  /** `--secret-file FILE` → `gateway.secretFile`. */
  secretFile?: string;
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
    /** True when the listener may bind a non-loopback address. */
    exposed: boolean;
    /** Peer addresses allowed to connect (IP addresses and CIDR blocks; loopback by default). */
    allow: string[];
    /** WebSocket origins allowed (none by default). */
    allowOrigins: string[];
    maxConnections: number;
    /** The shared secret (never printed or logged), or null for none. */
    secret: string | null;
    /** TLS material read from the configured files, or null. */
    tls: { cert: string; key: string; ca?: string } | null;
  };
  /** Things worth a warning at start-up (an exposed gateway without a secret or TLS). */
  warnings: string[];
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
  /** Environment (default `process.env`): `SORTLINE_GATEWAY_SECRET`. */
  env?: Readonly<Record<string, string | undefined>>;
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
    if (o.exposed === true) merged.gateway.exposed = true;
    if (o.allow !== undefined) merged.gateway.allow = o.allow;
    if (o.secretFile !== undefined) {
      merged.gateway.secretFile = path.resolve(cwd, o.secretFile);
      delete merged.gateway.secret;
    }
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

  const warnings: string[] = [];
  const security = resolveGatewaySecurity(
    c.gateway,
    options.baseDir,
    options.env ?? process.env,
    faults,
    warnings,
  );

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
      exposed: c.gateway.exposed,
      allow: security.allow,
      allowOrigins: c.gateway.allowOrigins,
      maxConnections: c.gateway.maxConnections,
      secret: security.secret,
      tls: security.tls,
    },
    warnings,
    plan: { doc: planDoc as SortPlanDoc, source },
    data: path.resolve(dataBase, c.data),
    chutes,
    labels: c.labels,
    service: c.service,
    journal: c.journal,
    log: { level: c.log.level },
  };
}

/** Environment variable that may hold the gateway secret (instead of the file). */
export const SECRET_ENV = 'SORTLINE_GATEWAY_SECRET';

/**
 * The gateway's security settings (docs/operations.md "Securing the gateway"): a non-loopback
 * listen address only with `exposed` and an allow-list; the allow-list (loopback by default);
 * the shared secret from `secret`, `secretFile` or {@link SECRET_ENV}; TLS files for `tls://` and
 * `wss://`. Faults go to `faults` with their pointers, notes for people to `warnings`.
 */
function resolveGatewaySecurity(
  g: ServeConfigDoc['gateway'],
  baseDir: string,
  env: Readonly<Record<string, string | undefined>>,
  faults: ErrorDetail[],
  warnings: string[],
): { allow: string[]; secret: string | null; tls: ServeConfig['gateway']['tls'] } {
  let endpoint: Endpoint | null = null;
  try {
    endpoint = parseEndpoint(g.listen);
  } catch (err) {
    faults.push({ pointer: '/gateway/listen', message: (err as Error).message });
  }
  const network = endpoint !== null && endpoint.kind !== 'serial';
  const loopback = endpoint !== null && endpoint.kind !== 'serial' && isLoopbackHost(endpoint.host);
  if (network && !loopback && !g.exposed) {
    faults.push({
      pointer: '/gateway/listen',
      message: `${g.listen} is not a loopback address: it exposes the gateway to the network; expected 127.0.0.1 or ::1, or gateway.exposed true (the --expose flag) with gateway.allow naming the PLCs`,
    });
  }
  let allow: string[] = [...LOOPBACK_ALLOW];
  if (g.allow !== undefined) {
    try {
      compileAllowList(g.allow);
      allow = [...g.allow];
    } catch (err) {
      const m = /^allow\[(\d+)\]: (.*)$/.exec((err as Error).message);
      faults.push({
        pointer: m === null ? '/gateway/allow' : `/gateway/allow/${m[1]}`,
        message: m === null ? (err as Error).message : m[2]!,
      });
    }
  } else if (network && !loopback) {
    faults.push({
      pointer: '/gateway/allow',
      message: `missing; expected the addresses of the PLCs allowed to connect (IP addresses or CIDR blocks such as "10.20.0.0/24") when the gateway listens on ${g.listen}`,
    });
  }
  let secret: string | null = null;
  if (g.secret !== undefined && g.secretFile !== undefined) {
    faults.push({ pointer: '/gateway/secret', message: 'expected secret or secretFile, not both' });
  } else if (g.secret !== undefined) secret = g.secret;
  else if (g.secretFile !== undefined) {
    const file = path.resolve(baseDir, g.secretFile);
    try {
      secret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      faults.push({
        pointer: '/gateway/secretFile',
        message: `cannot read ${file}: ${(err as Error).message}`,
      });
    }
    if (secret !== null && secret.length < MIN_SECRET_CHARS) {
      faults.push({
        pointer: '/gateway/secretFile',
        message: `${file} holds ${secret.length} characters; expected a secret of at least ${MIN_SECRET_CHARS}`,
      });
      secret = null;
    }
  } else if (env[SECRET_ENV] !== undefined && env[SECRET_ENV] !== '') {
    secret = env[SECRET_ENV];
    if (secret.length < MIN_SECRET_CHARS) {
      faults.push({
        pointer: '/gateway/secret',
        message: `${SECRET_ENV} holds ${secret.length} characters; expected a secret of at least ${MIN_SECRET_CHARS}`,
      });
      secret = null;
    }
  }
  const secure = endpoint !== null && endpoint.kind !== 'serial' && endpoint.secure;
  let tls: ServeConfig['gateway']['tls'] = null;
  if (g.tls !== undefined) {
    if (!secure)
      faults.push({
        pointer: '/gateway/tls',
        message: `TLS is configured but ${g.listen} is not a tls:// or wss:// address; expected tls://HOST:PORT or wss://HOST:PORT/path`,
      });
    const read = (key: 'certFile' | 'keyFile' | 'caFile'): string | undefined => {
      const f = g.tls?.[key];
      if (f === undefined) return undefined;
      const file = path.resolve(baseDir, f);
      try {
        return readFileSync(file, 'utf8');
      } catch (err) {
        faults.push({
          pointer: `/gateway/tls/${key}`,
          message: `cannot read ${file}: ${(err as Error).message}`,
        });
        return undefined;
      }
    };
    const cert = read('certFile');
    const key = read('keyFile');
    const ca = read('caFile');
    if (cert !== undefined && key !== undefined)
      tls = ca === undefined ? { cert, key } : { cert, key, ca };
  } else if (secure) {
    faults.push({
      pointer: '/gateway/tls',
      message: `missing; ${g.listen} is a TLS address: expected tls.certFile and tls.keyFile`,
    });
  }
  if (network && !loopback) {
    if (secret === null)
      warnings.push(
        `the gateway listens on ${g.listen} without a shared secret: any host on its allow-list can sync; set gateway.secretFile (or ${SECRET_ENV})`,
      );
    if (!secure)
      warnings.push(
        `the gateway listens on ${g.listen} without TLS: frames cross the network in the clear; use tls:// or wss:// with gateway.tls`,
      );
  }
  return { allow, secret, tls };
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
