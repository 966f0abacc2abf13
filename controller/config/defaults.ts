/**
 * The embedded default configuration of `sortline serve` (docs/operations.md "Configuration"):
 * what runs with no file and no flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CHUTE_CAPACITY } from '../../core/plan/index.js';
import { ADMISSION_DEFAULTS, SERVICE_DEFAULTS } from '../service/index.js';
import type { ServeConfigDoc } from './schema.js';

/** Default gateway port: Sortline's own choice, outside the IANA well-known range (7300/tcp is unassigned). */
export const DEFAULT_PORT = 7300;

/** The bundled plan served by default, relative to the package root. */
export const DEFAULT_PLAN = 'scenarios/jiangsu-outbound-hub.plan.json';

/**
 * The default configuration. `plan` is resolved against the package root (not the working
 * directory); `data` against the working directory.
 */
export function defaultConfig(): ServeConfigDoc {
  return {
    gateway: {
      listen: `tcp://127.0.0.1:${DEFAULT_PORT}`,
      dialect: 'native',
      name: 'plc1',
      connections: 'one',
      session: {},
      exposed: false,
      allowOrigins: [],
      maxConnections: 64,
    },
    plan: path.join(packageRoot(), DEFAULT_PLAN),
    data: './sortline-data',
    chutes: { capacity: DEFAULT_CHUTE_CAPACITY },
    labels: {},
    // the service's own defaults (controller/service/defaults.ts), the one source of them
    service: {
      replyBudgetMs: SERVICE_DEFAULTS.replyBudgetMs,
      recirculationLimit: SERVICE_DEFAULTS.recirculationLimit,
      maxOpenTasks: SERVICE_DEFAULTS.maxOpenTasks,
      closedMemory: SERVICE_DEFAULTS.closedMemory,
      limits: { ...SERVICE_DEFAULTS.limits },
      admission: {
        maxQueueDelayMs: ADMISSION_DEFAULTS.maxQueueDelayMs,
        maxJournalBacklog: ADMISSION_DEFAULTS.maxJournalBacklog,
      },
    },
    journal: {
      synchronous: 'full',
      batchRows: 1_000,
      flushMs: 5,
      retentionHours: 168,
      pruneIntervalMinutes: 10,
    },
    log: { level: 'info' },
  };
}

/** The directory of Sortline's package.json, found upwards from this file (source or dist/). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'sortline'
    )
      return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}
