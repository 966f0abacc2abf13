/**
 * Opening a journal database with better-sqlite3 12: the version check (before any write), WAL
 * mode, the chosen `synchronous` level, the schema or its upgrade.
 *
 * Durability (docs/operations.md "Durability"): in WAL mode a committed transaction is in the WAL
 * file before `commit` returns, so killing the process (SIGKILL) never loses it, at any
 * `synchronous` level. `FULL` (the default) also fsyncs the WAL at every commit, so a commit
 * survives a power cut or an OS crash; `NORMAL` fsyncs only at checkpoints and may lose the last
 * commits on a power cut (never on a process kill).
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { SortlineError } from '../../core/errors.js';
import { migrateJournal } from './migrate.js';
import { JOURNAL_FILE, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

/** A better-sqlite3 connection. */
export type Database = Sqlite.Database;

/** `PRAGMA synchronous` levels the journal offers. */
export type SynchronousLevel = 'normal' | 'full';

/** The database file of the data directory `dir`. */
export function journalPath(dir: string): string {
  return path.join(dir, JOURNAL_FILE);
}

/**
 * Opens (creating the schema when new, upgrading an older schema) the journal database of data
 * directory `dir` for writing; the directory must exist. An existing file is first inspected on
 * a read-only connection, so a file that is not a journal (or a newer one) is refused before
 * anything writes to it: no WAL switch, no `-wal`/`-shm` files, no schema.
 * @throws SortlineError `SORTLINE_ERR_JOURNAL_OPEN` (cannot create or open),
 *   `SORTLINE_ERR_JOURNAL_SCHEMA` (a newer or foreign schema).
 */
export function openJournalDatabase(dir: string, synchronous: SynchronousLevel): Database {
  const file = journalPath(dir);
  const companions = [`${file}-wal`, `${file}-shm`].filter((f) => !existsSync(f));
  const version = existsSync(file) ? inspectJournal(file) : 0;
  let db: Database;
  try {
    db = new Sqlite(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = OFF');
  } catch (err) {
    throw openError(file, err);
  }
  try {
    if (version === 0) {
      db.exec(SCHEMA_SQL);
      db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)").run(
        String(SCHEMA_VERSION),
      );
    } else if (version < SCHEMA_VERSION) {
      migrateJournal(db, version);
    }
    // SQLite opens a file this process may not write read-only, without a word: a write (rolled
    // back) proves the journal writable now, as a coded error at start-up, not a failed commit later
    db.exec('BEGIN IMMEDIATE');
    try {
      db.prepare("UPDATE meta SET value = value WHERE key = 'schema'").run();
    } finally {
      db.exec('ROLLBACK');
    }
  } catch (err) {
    db.close();
    for (const f of companions) rmSync(f, { force: true }); // a refused journal is left as found
    throw openError(file, err);
  }
  return db;
}

/**
 * The schema version of the existing database `file`, read on a read-only connection; 0 for a
 * database without tables (new). A database in WAL mode gets `-wal` and `-shm` files from any
 * connection, a read-only one too: when the file is refused, those this call created are removed
 * again, so a refused file is left exactly as it was found.
 * @throws SortlineError `SORTLINE_ERR_JOURNAL_SCHEMA` (not a journal, or newer than this build),
 *   `SORTLINE_ERR_JOURNAL_OPEN` (not an SQLite database, unreadable).
 */
export function inspectJournal(file: string): number {
  const companions = [`${file}-wal`, `${file}-shm`].filter((f) => !existsSync(f));
  let db: Database;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw openError(file, err);
  }
  try {
    const version = schemaVersion(db, file);
    db.close();
    return version;
  } catch (err) {
    db.close();
    for (const f of companions) rmSync(f, { force: true });
    if (err instanceof SortlineError) throw err;
    throw openError(file, err);
  }
}

/**
 * Opens the journal database at `file` read-only (export while a controller is running: WAL lets
 * readers and the writer work side by side).
 * @throws SortlineError `SORTLINE_ERR_JOURNAL_OPEN`, `SORTLINE_ERR_JOURNAL_SCHEMA`.
 */
export function openJournalReadOnly(file: string): Database {
  let db: Database;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw openError(file, err);
  }
  try {
    if (schemaVersion(db, file) === 0) throw schemaError(file, 'it has no tables');
  } catch (err) {
    db.close();
    if (err instanceof SortlineError) throw err;
    throw openError(file, err);
  }
  return db;
}

/**
 * The schema version of `db` (0 when it has no tables); refuses a database whose version is newer
 * than this build's, or that is not a journal. Reads only.
 */
function schemaVersion(db: Database, file: string): number {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
    .pluck()
    .all() as string[];
  if (tables.length === 0) return 0;
  if (!tables.includes('meta'))
    throw schemaError(file, `it holds the tables ${tables.join(', ')} but no meta table`);
  const v = db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as
    string | undefined;
  const version = Number(v);
  if (!Number.isInteger(version) || version < 1 || version > SCHEMA_VERSION) {
    throw schemaError(
      file,
      `its schema version is ${v ?? 'missing'}, this build reads versions 1 to ${SCHEMA_VERSION}`,
    );
  }
  return version;
}

function schemaError(file: string, why: string): SortlineError {
  return new SortlineError(
    'SORTLINE_ERR_JOURNAL_SCHEMA',
    `${file} is not a journal this Sortline can use: ${why}`,
    { path: file },
  );
}

function openError(file: string, err: unknown): SortlineError {
  return new SortlineError(
    'SORTLINE_ERR_JOURNAL_OPEN',
    `cannot open the journal ${file}: ${(err as Error).message}`,
    { path: file },
    { cause: err },
  );
}
