/**
 * Upgrades a journal written by an older Sortline to {@link SCHEMA_VERSION} in place, in one
 * transaction (docs/operations.md "Schema"): step `v` takes a version-v journal to version v + 1.
 * Rows written before a step keep NULL in the columns it adds (for `tasks.closed_stamp_ms`: the
 * closing frame's stamp is unknown, and the turn alone tells a late request from a reused task id).
 */
import type Sqlite from 'better-sqlite3';
import { SCHEMA_VERSION } from './schema.js';

/** SQL of each step, by the version it starts from. */
const STEPS: Readonly<Record<number, string>> = {
  1: `
ALTER TABLE tasks ADD COLUMN closed_stamp_ms INTEGER;
CREATE TABLE IF NOT EXISTS chute_ids (
  chute INTEGER PRIMARY KEY,
  id TEXT NOT NULL
);
`,
};

/** Runs every step from version `from` (≥ 1) to {@link SCHEMA_VERSION} and records the new version. */
export function migrateJournal(db: Sqlite.Database, from: number): void {
  db.transaction(() => {
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(STEPS[v]!);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema'").run(String(SCHEMA_VERSION));
  })();
}
