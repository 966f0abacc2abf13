/** Temporary data directories and a service over a journal, for the journal tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import {
  Journal,
  openJournalReadOnly,
  type Database,
  type JournalOptions,
} from '../../../controller/journal/index.js';
import type { ServiceClock } from '../../../controller/service/index.js';
import { makeService } from '../service/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sortline-journal-'));
  dirs.push(d);
  return d;
}

/** A clock whose wall time the test sets (`at.ms`). */
export function settableClock(
  startMs = Date.UTC(2026, 10, 20, 8, 0, 0),
): ServiceClock & { ms: number } {
  const c = { ms: startMs, nowMs: () => c.ms, monotonicMs: () => 0 };
  return c;
}

/** A journal in `dir` (long flush interval unless given: tests flush by hand) and a service recording into it. */
export function journaled(
  dir: string,
  options: Partial<JournalOptions> = {},
  clock: ServiceClock = settableClock(),
) {
  const journal = Journal.open({ dir, flushMs: 60_000, ...options });
  const s = makeService({ recorder: journal, clock });
  return { journal, ...s };
}

/** Runs `query` on a read-only connection to the journal of `dir`. */
export function read<T>(dir: string, query: (db: Database) => T): T {
  const db = openJournalReadOnly(Journal.pathOf(dir));
  try {
    return query(db);
  } finally {
    db.close();
  }
}
