import type { Command } from 'commander';

/** A sub-command registers itself on the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * One sub-command of `sortline`: what `sortline --help` lists for it, and the module that
 * registers it in full (arguments, options, action). Only the module of the sub-command named on
 * the command line is loaded (bin/cli.ts), so `sortline --version`, `sortline --help` and each
 * sub-command load only what they need: `simulate` never loads the controller, the journal's
 * SQLite or the wire codecs, and `--version` loads none of them nor the schema library.
 *
 * `term` and `description` repeat what the module's registration gives commander, so that the
 * program's help can list every sub-command without loading any; test/cli/startup.test.ts checks
 * that they agree.
 */
export interface SubCommand {
  /** The sub-command's name, as typed: `sortline simulate ...`. */
  readonly name: string;
  /** How `sortline --help` lists it: the name, `[options]` when it has options, its arguments. */
  readonly term: string;
  /** Its one-paragraph description, as its registration sets it. */
  readonly description: string;
  /** Loads the sub-command's module (a dynamic import) and returns its registration. */
  readonly load: () => Promise<RegisterCommand>;
}

/** Every sub-command, in the order `sortline --help` lists them. */
export const commands: readonly SubCommand[] = [
  {
    name: 'simulate',
    term: 'simulate [options] <scenario>',
    description:
      'simulate a hub scenario and report throughput, recirculation, no-reads, queues and chute load',
    load: async () => (await import('./simulate.js')).registerSimulate,
  },
  {
    name: 'resolve',
    term: 'resolve [options]',
    description:
      'resolve scanner, RFID and manual reads from stdin (one per line) to label kinds, identifiers and, with --plan, destinations; one JSON object per line',
    load: async () => (await import('./resolve.js')).registerResolve,
  },
  {
    name: 'serve',
    term: 'serve [options]',
    description:
      'run the controller: answer sort requests of a sorter PLC gateway and journal everything',
    load: async () => (await import('./serve.js')).registerServe,
  },
  {
    name: 'journal',
    term: 'journal [command]',
    description: 'work with the controller journal',
    load: async () => (await import('./journal.js')).registerJournal,
  },
  {
    name: 'emulate',
    term: 'emulate [options] <scenario>',
    description:
      'play the sorter PLC of a hub scenario against a controller (sort requests, replies, confirmations)',
    load: async () => (await import('./emulate.js')).registerEmulate,
  },
];
