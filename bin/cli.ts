/**
 * The `sortline` command: one entry, sub-commands. Each sub-command lives in `bin/commands/` and
 * registers itself on the commander program; this file only wires them and maps errors to exit
 * codes: 0 success, 1 runtime failure, 2 bad input (usage, unreadable or invalid files).
 *
 * Start-up: only the sub-command named on the command line is loaded (bin/commands/index.ts);
 * the others are registered by name and description, enough for `sortline --help`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Help } from 'commander';
import { isSortlineError } from '../core/errors.js';
import { formatError } from './format-error.js';
import { commands } from './commands/index.js';

/** Exit code for bad input (usage errors, unreadable or invalid files). */
export const EXIT_BAD_INPUT = 2;

/**
 * Builds the commander program for `argv` (as process.argv): the sub-command `argv` names is
 * loaded and registered in full, every other one by its name and description only.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('sortline')
    .description('Parcel sorting-center simulator and controller')
    .version(packageVersion(), '-V, --version')
    .configureOutput({
      // usage errors carry the stable code, like every other error (docs/errors.md)
      outputError: (text, write) =>
        write(`sortline: SORTLINE_ERR_USAGE: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(see --help for usage)')
    .exitOverride();
  const terms = new Map(commands.map((c) => [c.name, c.term]));
  program.configureHelp({
    subcommandTerm(cmd) {
      const term = cmd.parent === program ? terms.get(cmd.name()) : undefined;
      return term ?? Help.prototype.subcommandTerm.call(this, cmd);
    },
  });
  const named = subCommandOf(argv.slice(2));
  for (const c of commands) {
    if (c.name === named) {
      (await c.load())(program);
    } else {
      program
        .command(c.name)
        .description(c.description)
        .action(() => {
          throw new Error(`sub-command ${c.name} was dispatched without being loaded`);
        });
    }
  }
  return program;
}

/**
 * The sub-command that `args` (the arguments after the script) names: the first operand, or the
 * one after `help` (`sortline help simulate`). The program's own options (`-V`, `-h`) take no
 * value, so the first argument that is not an option is the sub-command, as commander reads it.
 */
export function subCommandOf(args: readonly string[]): string | undefined {
  const operands = args.filter((a) => a === '-' || !a.startsWith('-'));
  return operands[0] === 'help' ? operands[1] : operands[0];
}

/**
 * The version in the nearest package.json above this module (the one that makes it an ES
 * module): `sortline`'s own, whether this runs from the sources, dist/bin or the bundle.
 */
function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** Runs the CLI on `argv` (as process.argv) and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv);
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
