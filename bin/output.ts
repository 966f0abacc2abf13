import { writeFileSync } from 'node:fs';
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
    throw new SortlineError('SORTLINE_ERR_FILE_WRITE', `cannot write ${file}: ${e.message}`, { path: file }, { cause: err });
  }
}
