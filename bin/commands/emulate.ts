import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { pino } from 'pino';
import { SortlineError, isSortlineError } from '../../core/errors.js';
import {
  createLinkAuthenticator,
  DIALECT_NAMES,
  MIN_SECRET_CHARS,
  OUTCOME_NAMES,
  type DialectName,
  type LinkAuthenticator,
} from '../../core/protocol/index.js';
import { SECRET_ENV } from '../../controller/config/index.js';
import { nodeLinkCrypto } from '../../controller/session/index.js';
import {
  runEmulator,
  type EmulatorOptions,
  type EmulatorRestart,
  type EmulatorSummary,
  type EmulatedPlc,
} from '../../sim/emulator/index.js';
import { dialer, parseEndpoint } from '../../controller/transport/index.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { collect, integer, positiveNumber } from '../options.js';
import { writeOut } from '../output.js';

interface EmulateOptions {
  connect: string;
  dialect: DialectName;
  seed?: number;
  set: string[];
  timeScale: number;
  parcels?: number;
  json?: string;
  ledger?: string;
  dropEvery: number;
  delayMs: number;
  corruptRate: number;
  duplicateRate: number;
  scanToDivert: number;
  chuteReportS: number;
  drainTimeoutS: number;
  connectTimeoutS: number;
  logLevel: string;
  quiet?: boolean;
  secretFile?: string;
  tlsCa?: string;
  plcRestart: EmulatorRestart[];
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * `sortline emulate <scenario.json>`: the simulator plays the sorter PLC against a controller
 * (docs/emulator.md). Exit 0 when every parcel has a terminal outcome and every confirmation was
 * acknowledged; 1 when the drain timeout left some unacknowledged; 2 for bad flags or scenarios.
 */
export function registerEmulate(program: Command): void {
  program
    .command('emulate')
    .description(
      'play the sorter PLC of a hub scenario against a controller (sort requests, replies, confirmations)',
    )
    .argument(
      '<scenario>',
      'scenario file (JSON, docs/scenario.md); its sort plan must be the one the controller serves',
    )
    .option(
      '--connect <url>',
      'controller gateway address: tcp://HOST:PORT, ws://HOST:PORT[/path] or a serial device',
      address,
      'tcp://127.0.0.1:7300',
    )
    .option(
      '--dialect <name>',
      `wire dialect: ${DIALECT_NAMES.join(', ')}`,
      choice('--dialect', DIALECT_NAMES),
      'native',
    )
    .option(
      '--seed <n>',
      'PRNG seed of the scenario and of the fault injection (default: the scenario seed)',
      integer('--seed'),
    )
    .option(
      '--set <path=value>',
      'override a scenario value by its path, e.g. arrivals.ratePerHour=[20000] (repeatable)',
      collect,
      [],
    )
    .option(
      '--time-scale <f>',
      'simulated seconds per wall-clock second (reply deadlines are simulated time)',
      bounded('--time-scale', 0, 1e6, false),
      1,
    )
    .option(
      '--parcels <n>',
      'create this many parcels, then exit once all have a terminal outcome and every confirmation is acknowledged',
      atLeastOne('--parcels'),
    )
    .option('--json <file>', 'write the ledger summary as JSON to a file, or - for stdout')
    .option(
      '--ledger <file>',
      "write every parcel's terminal outcome as CSV: task_id,outcome,chute,turns",
    )
    .option(
      '--drop-every <s>',
      'fault: drop the connection this many wall seconds after each connect (0 = never)',
      bounded('--drop-every', 0, 86_400),
      0,
    )
    .option(
      '--plc-restart <n[:reuse]>',
      'fault: the PLC restarts once n parcels were created: the link drops, a new session numbers from 1, unacknowledged messages are sent again; ":reuse" also restores the task-id counter from an old checkpoint (repeatable)',
      plcRestart,
      [],
    )
    .option(
      '--delay-ms <ms>',
      'fault: delay every outgoing frame by this many ms',
      bounded('--delay-ms', 0, 60_000),
      0,
    )
    .option(
      '--corrupt-rate <p>',
      'fault: probability of flipping a random byte of an outgoing frame',
      bounded('--corrupt-rate', 0, 1),
      0,
    )
    .option(
      '--duplicate-rate <p>',
      'fault: probability of sending an outgoing frame twice',
      bounded('--duplicate-rate', 0, 1),
      0,
    )
    .option(
      '--scan-to-divert <m>',
      'metres from the scan to the first divert: the reply deadline is this travel time',
      positiveNumber('--scan-to-divert'),
      5,
    )
    .option(
      '--chute-report-s <s>',
      'report chute fill and state every this many simulated seconds (0 = never)',
      bounded('--chute-report-s', 0, 86_400),
      5,
    )
    .option(
      '--drain-timeout-s <s>',
      'after the last parcel, wait at most this long for the controller to acknowledge every confirmation',
      bounded('--drain-timeout-s', 0, 86_400),
      60,
    )
    .option(
      '--connect-timeout-s <s>',
      'give up when no controller answers within this long',
      bounded('--connect-timeout-s', 0, 86_400, false),
      30,
    )
    .option(
      '--secret-file <file>',
      'file holding the gateway secret, proved at link sync (default: SORTLINE_GATEWAY_SECRET, else none)',
    )
    .option(
      '--tls-ca <file>',
      'PEM certificate authorities to trust for a tls:// or wss:// controller (default: the system CAs)',
    )
    .option(
      '--log-level <level>',
      `session log to stderr: ${LOG_LEVELS.join(', ')}`,
      choice('--log-level', LOG_LEVELS),
      'warn',
    )
    .option('--quiet', 'no progress line on stderr (there is none when stderr is not a terminal)')
    .action(async (scenario: string, opts: EmulateOptions) => {
      await emulate(scenario, opts);
    });
}

async function emulate(file: string, opts: EmulateOptions): Promise<void> {
  const load: Parameters<typeof loadScenario>[1] = { sets: opts.set };
  if (opts.seed !== undefined) load.seed = opts.seed;
  const model = loadScenario(file, load);
  if (opts.corruptRate > 0 && opts.dialect === 'ndjson') {
    process.stderr.write(
      'sortline emulate: warning: NDJSON has no checksum; a corrupted frame may still decode as a different valid message\n',
    );
  }
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const options: EmulatorOptions = {
    connect: opts.connect,
    dial: dialer(
      opts.connect,
      opts.tlsCa === undefined ? {} : { tls: { ca: readText(opts.tlsCa, '--tls-ca') } },
    ),
    session: { auth: plcAuthenticator(opts.secretFile) },
    dialect: opts.dialect,
    timeScale: opts.timeScale,
    scanToDivertMeters: opts.scanToDivert,
    chuteReportSeconds: opts.chuteReportS,
    faults: {
      dropEverySeconds: opts.dropEvery,
      delayMs: opts.delayMs,
      corruptRate: opts.corruptRate,
      duplicateRate: opts.duplicateRate,
    },
    faultSeed: model.seed,
    drainTimeoutMs: Math.round(opts.drainTimeoutS * 1000),
    connectTimeoutMs: Math.max(1, Math.round(opts.connectTimeoutS * 1000)),
    signal: abort.signal,
    logger: pino({ level: opts.logLevel, base: { name: 'sortline-emulate' } }, pino.destination(2)),
  };
  if (opts.parcels !== undefined) options.parcels = opts.parcels;
  if (opts.plcRestart.length > 0) options.restarts = opts.plcRestart;
  const progress = emulateProgress({ quiet: opts.quiet === true, total: opts.parcels });
  options.onProgress = progress.update;
  let run;
  try {
    run = await runEmulator(model, options);
  } finally {
    progress.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const { summary, plc } = run;
  const jsonToStdout = opts.json === '-';
  (jsonToStdout ? process.stderr : process.stdout).write(formatSummary(summary));
  if (opts.json !== undefined) {
    const text = JSON.stringify(summary, null, 2) + '\n';
    if (jsonToStdout) process.stdout.write(text);
    else writeOut(opts.json, text);
  }
  if (opts.ledger !== undefined) writeOut(opts.ledger, ledgerCsv(plc));
  if (!summary.complete) {
    const ids = summary.unacknowledged;
    throw new SortlineError(
      'SORTLINE_ERR_EMULATOR_UNACKNOWLEDGED',
      `${summary.counts.open} parcels without a terminal outcome and ${ids.length} tasks with unacknowledged confirmations after ${opts.drainTimeoutS} s` +
        (ids.length > 0
          ? `; task ids: ${ids.slice(0, 50).join(', ')}${ids.length > 50 ? ', ...' : ''}`
          : ''),
    );
  }
}

/** The ledger as CSV (RFC 4180, CRLF): one row per parcel with a terminal outcome, in scan order. */
function ledgerCsv(plc: EmulatedPlc): string {
  const rows = [...plc.ledger.values()].sort((a, b) => a.parcel - b.parcel);
  let out = 'parcel,task_id,outcome,chute,turns\r\n';
  for (const e of rows)
    out += `${e.parcel},${e.taskId},${OUTCOME_NAMES[e.outcome]},${e.chute},${e.turns}\r\n`;
  return out;
}

function formatSummary(s: EmulatorSummary): string {
  const c = s.counts;
  const l = s.latencyMs;
  return (
    `sortline emulate: ${s.scenario} → ${s.connect} (${s.dialect}, time scale ${s.timeScale}, reply deadline ${s.replyDeadlineSeconds} s)\n` +
    `  parcels ${s.parcels}: sorted ${c.sorted}, exception ${c.exception}, open ${c.open}, lost ${c.lost}\n` +
    `  requests ${c.requested}: replied in time ${c.replied}, late ${c.late}; round trip p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms\n` +
    `  ${s.simulatedSeconds} simulated s in ${s.wallSeconds} s` +
    (s.stalls > 0
      ? ` (the emulator fell behind ${s.stalls} times: ${s.lagSeconds} simulated s held back)`
      : '') +
    `; ${s.complete ? 'every confirmation acknowledged' : `${s.unacknowledged.length} tasks with unacknowledged confirmations`}\n` +
    (s.plcRestarts > 0 ? `  PLC restarts ${s.plcRestarts}\n` : '')
  );
}

/** commander parser: a gateway address (checked as the transports parse it). */
function address(value: string): string {
  try {
    parseEndpoint(value);
  } catch (err) {
    if (isSortlineError(err)) throw new InvalidArgumentError(err.message);
    throw err;
  }
  return value;
}

/** commander parser: one of `names`. */
function choice<T extends string>(flag: string, names: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(names as readonly string[]).includes(value))
      throw new InvalidArgumentError(`${flag} must be one of ${names.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** commander parser: a number in [min, max] (or (min, max] when `minIncluded` is false). */
function bounded(
  flag: string,
  min: number,
  max: number,
  minIncluded = true,
): (value: string) => number {
  return (value) => {
    const n = Number(value);
    const ok =
      value.trim() !== '' && Number.isFinite(n) && (minIncluded ? n >= min : n > min) && n <= max;
    if (!ok)
      throw new InvalidArgumentError(
        `${flag} must be a number ${minIncluded ? '≥' : '>'} ${min} and ≤ ${max}, got "${value}"`,
      );
    return n;
  };
}

/** commander parser of `--plc-restart n[:reuse]` (repeatable): appends to the list. */
function plcRestart(value: string, list: EmulatorRestart[]): EmulatorRestart[] {
  const m = /^([1-9][0-9]{0,9})(:reuse)?$/.exec(value.trim());
  if (m === null)
    throw new InvalidArgumentError(
      `--plc-restart must be a parcel count ≥ 1, optionally followed by ":reuse", got "${value}"`,
    );
  return [...list, { afterParcels: Number(m[1]), reuseTaskIds: m[2] !== undefined }];
}

/** commander parser: an integer ≥ 1. */
function atLeastOne(flag: string): (value: string) => number {
  const int = integer(flag);
  return (value) => {
    const n = int(value);
    if (n < 1) throw new InvalidArgumentError(`${flag} must be an integer ≥ 1, got "${value}"`);
    return n;
  };
}

/**
 * The PLC side of the link handshake: the secret from `file` or SORTLINE_GATEWAY_SECRET, or null
 * (no secret: the controller must not require one).
 * @throws SortlineError `SORTLINE_ERR_USAGE` for an unreadable file or a secret under 16 characters.
 */
function plcAuthenticator(file: string | undefined): LinkAuthenticator | null {
  const secret =
    file !== undefined
      ? readText(file, '--secret-file').replace(/\r?\n$/, '')
      : process.env[SECRET_ENV] || null;
  if (secret === null) return null;
  if (secret.length < MIN_SECRET_CHARS)
    throw new SortlineError(
      'SORTLINE_ERR_USAGE',
      `${file === undefined ? SECRET_ENV : '--secret-file'}: expected a secret of at least ${MIN_SECRET_CHARS} characters, got ${secret.length}`,
    );
  return createLinkAuthenticator('plc', secret, nodeLinkCrypto);
}

/** The UTF-8 text of `file`, named `flag` in the error. */
function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new SortlineError(
      'SORTLINE_ERR_FILE_READ',
      `${flag} ${file}: ${(err as Error).message}`,
      {
        path: file,
      },
    );
  }
}

/** What `runEmulator` reports to its `onProgress` callback. */
type Progress = Parameters<NonNullable<EmulatorOptions['onProgress']>>[0];

/**
 * The progress line of `sortline emulate` on `stream` (default stderr), drawn with cli-progress:
 * parcels done (with a bar when `total` parcels were asked for), late replies, confirmations
 * awaiting their ACK, simulated seconds; "draining" once the machine has stopped. Nothing at all
 * when `quiet` or when the stream is not a terminal. `update` takes runEmulator's `onProgress`
 * counts (at most a few per second); `stop` removes the line.
 */
export function emulateProgress(options: {
  quiet: boolean;
  total?: number | undefined;
  stream?: NodeJS.WriteStream;
}): { update: (p: Progress) => void; stop: () => void } {
  const stream = options.stream ?? process.stderr;
  const enabled = !options.quiet && stream.isTTY === true;
  const total = options.total;
  let bar: cliProgress.SingleBar | undefined;
  const payload = (p: Progress) => ({
    phase: p.draining ? 'draining ' : 'emulating',
    created: p.parcels,
    late: p.late,
    unacked: p.unacknowledged,
    simulated: Math.round(p.simulatedSeconds),
  });
  return {
    update(p) {
      if (!enabled) return;
      if (bar) {
        bar.update(p.done, payload(p));
        return;
      }
      const counts = '| late {late} | awaiting ACK {unacked} | {simulated} simulated s';
      bar = new cliProgress.SingleBar(
        {
          stream,
          format:
            total === undefined
              ? `{phase} {value} parcels done of {created} created ${counts} | Ctrl-C stops`
              : `{phase} [{bar}] {value}/{total} parcels done ${counts}`,
          hideCursor: true,
          clearOnComplete: true,
          synchronousUpdate: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total ?? 0, p.done, payload(p));
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
