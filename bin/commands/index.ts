import type { Command } from 'commander';
import { registerSimulate } from './simulate.js';
import { registerResolve } from './resolve.js';
import { registerServe } from './serve.js';
import { registerJournal } from './journal.js';
import { registerEmulate } from './emulate.js';

/** A sub-command registers itself on the program. */
export type RegisterCommand = (program: Command) => void;

/** Every sub-command, in the order `sortline --help` lists them. */
export const commands: RegisterCommand[] = [
  registerSimulate,
  registerResolve,
  registerServe,
  registerJournal,
  registerEmulate,
];
