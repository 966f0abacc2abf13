/**
 * The `sortline` command: one entry, sub-commands. Each sub-command lives in `bin/commands/` and
 * registers itself on the commander program; this file only wires them and maps errors to exit
 * codes: 0 success, 1 runtime failure, 2 bad input (usage, unreadable or invalid files).
 */
import { Command, CommanderError } from 'commander';
import { isSortlineError } from '../core/errors.js';
import { formatError } from './format-error.js';
import { commands } from './commands/index.js';

/** Exit code for bad input (usage errors, unreadable or invalid files). */
export const EXIT_BAD_INPUT = 2;

/** Builds the commander program with every sub-command registered. */
export function buildProgram(): Command {
  const program = new Command('sortline')
    .description('Parcel sorting-center simulator and controller')
    .version(VERSION, '-V, --version')
    .configureOutput({
      // usage errors carry the stable code, like every other error (docs/errors.md)
      outputError: (text, write) =>
        write(`sortline: SORTLINE_ERR_USAGE: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(see --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

const VERSION = '0.1.0';

/** Runs the CLI on `argv` (as process.argv) and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are not errors; commander already printed the message
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      return EXIT_BAD_INPUT;
    }
    if (isSortlineError(err)) {
      process.stderr.write(formatError(err));
      return exitCodeFor(err.code);
    }
    throw err;
  }
}

/** Bad-input codes exit 2; other coded errors (a failed run) exit 1. */
function exitCodeFor(code: string): number {
  return /_(USAGE|FILE_READ|JSON_SYNTAX|SET_PATH|INVALID|CONFIG)(_|$)/.test(code)
    ? EXIT_BAD_INPUT
    : 1;
}
