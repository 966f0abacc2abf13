/**
 * Opening a journal database with better-sqlite3 12: WAL mode, the chosen `synchronous` level,
 * the schema, and the version check.
 *
 * Durability (docs/operations.md "Durability"): in WAL mode a committed transaction is in the WAL
 * file before `commit` returns, so killing the process (SIGKILL) never loses it, at any
 * `synchronous` level. `FULL` (the default) also fsyncs the WAL at every commit, so a commit
 * survives a power cut or an OS crash; `NORMAL` fsyncs only at checkpoints and may lose the last
 * commits on a power cut (never on a process kill).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { SortlineError } from '../../core/errors.js';
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
 * Opens (creating `dir` and the schema when new) the journal of data directory `dir` for writing.
 * @throws SortlineError `SORTLINE_ERR_JOURNAL_OPEN` (cannot create or open),
 *   `SORTLINE_ERR_JOURNAL_SCHEMA` (a newer or foreign schema).
 */
export function openJournalDatabase(dir: string, synchronous: SynchronousLevel): Database {
  const file = journalPath(dir);
  let db: Database;
  try {
    mkdirSync(dir, { recursive: true });
    db = new Sqlite(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = OFF');
  } catch (err) {
    throw openError(file, err);
  }
  try {
    checkVersion(db, file);
    db.exec(SCHEMA_SQL);
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
  } catch (err) {
    db.close();
    if (err instanceof SortlineError) throw err;
    throw openError(file, err);
  }
  return db;
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
    checkVersion(db, file);
    const meta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    if (meta === undefined) throw schemaError(file, 'it has no meta table');
  } catch (err) {
    db.close();
    if (err instanceof SortlineError) throw err;
    throw openError(file, err);
  }
  return db;
}

/** Refuses a database whose schema version is newer than this build's, or that is not a journal. */
function checkVersion(db: Database, file: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) return;
  if (!tables.includes('meta')) throw schemaError(file, `it holds the tables ${tables.join(', ')} but no meta table`);
  const v = db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as string | undefined;
  const version = Number(v);
  if (!Number.isInteger(version) || version < 1 || version > SCHEMA_VERSION) {
    throw schemaError(file, `its schema version is ${v ?? 'missing'}, this build reads versions 1 to ${SCHEMA_VERSION}`);
  }
}

function schemaError(file: string, why: string): SortlineError {
  return new SortlineError('SORTLINE_ERR_JOURNAL_SCHEMA', `${file} is not a journal this Sortline can use: ${why}`, { path: file });
}

function openError(file: string, err: unknown): SortlineError {
  return new SortlineError('SORTLINE_ERR_JOURNAL_OPEN', `cannot open the journal ${file}: ${(err as Error).message}`, { path: file }, { cause: err });
}
