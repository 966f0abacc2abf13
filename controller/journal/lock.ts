/**
 * One writer per journal: a lock file holding the writer's process id. A lock whose process is
 * gone (killed with SIGKILL, crashed) is taken over; a live holder is refused.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { SortlineError } from '../../core/errors.js';

/** Lock files this process holds now. */
const held = new Set<string>();

/**
 * Takes the lock at `file`.
 * @throws SortlineError `SORTLINE_ERR_JOURNAL_LOCKED` when a live process (this one included,
 *   through another Journal) holds it; `SORTLINE_ERR_JOURNAL_OPEN` when the file cannot be written.
 */
export function acquireLock(file: string): void {
  if (held.has(file)) throw locked(file, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      held.add(file);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SortlineError(
          'SORTLINE_ERR_JOURNAL_OPEN',
          `cannot create the journal lock ${file}: ${(err as Error).message}`,
          { path: file },
          { cause: err },
        );
      }
    }
    const pid = holder(file);
    if (pid !== null && pid !== process.pid && alive(pid)) throw locked(file, pid);
    rmSync(file, { force: true });
  }
  throw locked(file, holder(file) ?? 0);
}

/** Releases a lock taken by {@link acquireLock} (idempotent). */
export function releaseLock(file: string): void {
  if (!held.delete(file)) return;
  rmSync(file, { force: true });
}

function holder(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function locked(file: string, pid: number): SortlineError {
  return new SortlineError(
    'SORTLINE_ERR_JOURNAL_LOCKED',
    `the journal is in use by process ${pid} (lock ${file}); stop it or use another data directory`,
    { path: file },
  );
}
