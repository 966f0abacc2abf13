import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { SortlineError } from '../../core/errors.js';
import {
  eventsCsv,
  journalPath,
  openJournalReadOnly,
  tasksCsv,
  type ExportWindow,
} from '../../controller/journal/index.js';

interface ExportOptions {
  data: string;
  from?: string;
  to?: string;
  out: string;
  events?: boolean;
}

/**
 * `sortline journal export`: the journal as CSV (docs/operations.md "Export"): one row per task
 * with its outcome, or with `--events` one row per event. Reads while a controller runs.
 * `sortline journal` without a sub-command is a usage error, as commander treats a missing
 * sub-command: the help goes to stderr and the exit code is 2 (bad input).
 */
export function registerJournal(program: Command): void {
  const journal = program
    .command('journal')
    .description('work with the controller journal')
    .usage('<command> [options]')
    .argument('[command]', 'sub-command')
    .helpCommand(true)
    .action((name: string | undefined) => {
      journal.outputHelp({ error: true });
      const names = journal.commands.map((c) => c.name()).join(', ');
      throw new SortlineError(
        'SORTLINE_ERR_USAGE',
        name === undefined
          ? `journal: expected a sub-command: ${names}`
          : `journal: unknown sub-command "${name}"; expected one of: ${names}`,
      );
    });
  journal
    .command('export')
    .description(
      'write the journal as CSV: one row per task with its outcome, or every event with --events',
    )
    .option('--data <dir>', 'data directory of the controller', './sortline-data')
    .option(
      '--from <iso>',
      'only tasks opened (events recorded) at or after this ISO 8601 time, e.g. 2026-11-20T16:00:00+08:00',
    )
    .option('--to <iso>', 'only tasks opened (events recorded) before this ISO 8601 time')
    .option('--out <file>', 'output file, or - for stdout', '-')
    .option(
      '--events',
      'write the events CSV (every request, reply, confirmation and chute change) instead of the tasks CSV',
    )
    .action(async (opts: ExportOptions) => {
      await exportCsv(opts);
    });
}

async function exportCsv(opts: ExportOptions): Promise<void> {
  const window: ExportWindow = {};
  if (opts.from !== undefined) window.fromMs = isoTime('--from', opts.from);
  if (opts.to !== undefined) window.toMs = isoTime('--to', opts.to);
  if (window.fromMs !== undefined && window.toMs !== undefined && !(window.fromMs < window.toMs)) {
    throw new SortlineError(
      'SORTLINE_ERR_USAGE',
      `--from ${opts.from} is not before --to ${opts.to}: the window [from, to) would be empty`,
    );
  }
  const db = openJournalReadOnly(journalPath(opts.data));
  try {
    const chunks = opts.events ? eventsCsv(db, window) : tasksCsv(db, window);
    const out: Writable = opts.out === '-' ? process.stdout : createWriteStream(opts.out);
    try {
      await pipeline(Readable.from(chunks), out, { end: opts.out !== '-' });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new SortlineError(
        'SORTLINE_ERR_FILE_WRITE',
        `cannot write ${opts.out}: ${e.code ?? ''} ${e.message}`.trim(),
        { path: opts.out },
        { cause: err },
      );
    }
  } finally {
    db.close();
  }
}

/** ms since the Unix epoch of an ISO 8601 date or date-time. @throws SortlineError SORTLINE_ERR_USAGE. */
function isoTime(flag: string, value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new SortlineError(
      'SORTLINE_ERR_USAGE',
      `${flag} "${value}": expected an ISO 8601 date or date-time such as 2026-11-20 or 2026-11-20T16:00:00+08:00`,
    );
  }
  return ms;
}
