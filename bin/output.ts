import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SortlineError } from '../core/errors.js';

/**
 * Writes a report or export to `file`.
 * @throws SortlineError SORTLINE_ERR_FILE_WRITE with the path and the system error.
 */
export function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new SortlineError(
      'SORTLINE_ERR_FILE_WRITE',
      `cannot write ${file}: ${e.message}`,
      { path: file },
      { cause: err },
    );
  }
}

/**
 * Checks before a long run that `file` can be written: its directory exists and is writable, and
 * it is not itself a directory.
 * @throws SortlineError SORTLINE_ERR_FILE_WRITE naming the path and why.
 */
export function assertWritable(file: string): void {
  try {
    const dir = path.dirname(path.resolve(file));
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
    let isDir = false;
    try {
      isDir = statSync(file).isDirectory();
    } catch {
      // does not exist yet: fine
    }
    if (isDir) throw new Error('it is a directory; expected a file path');
  } catch (err) {
    throw new SortlineError(
      'SORTLINE_ERR_FILE_WRITE',
      `cannot write ${file}: ${(err as Error).message}`,
      { path: file },
      { cause: err },
    );
  }
}
