/**
 * The journal's SQLite schema (docs/operations.md "The journal"), its version, and the codes of
 * its event kinds. One database file per controller data directory.
 *
 * Tables:
 * - `meta`: `schema` = {@link SCHEMA_VERSION}.
 * - `gateways`: a stable id per gateway name (the PLC task ids are per gateway).
 * - `tasks`: one row per task (one parcel's life): the PLC task id, the latest reply, and, once
 *   closed, its one terminal outcome and the PLC's clock stamp of the frame that closed it (which
 *   tells a late resent request of the closed life from a new parcel reusing the task id).
 * - `events`: every sort request (with the reply it got), unasked reroute reply, sort
 *   confirmation and chute change, in arrival order. A partial UNIQUE index on confirmations
 *   (task, turn, outcome, chute) makes a resent confirmation an ignored insert, so nothing is
 *   counted twice even across restarts.
 * - `chutes`: the last known state and fill estimate of each chute number (for restarts).
 * - `chute_ids`: the plan chute id of each chute number, as the last controller run numbered them
 *   (for the CSV export).
 *
 * Version history (./migrate.ts upgrades older journals in place):
 * - 1: the first release.
 * - 2: `tasks.closed_stamp_ms`; the `chute_ids` table.
 */

/** Version of the schema below; a journal with a higher version is refused, a lower one upgraded. */
export const SCHEMA_VERSION = 2;

/** Kinds of `events` rows. */
export const EventKind = {
  /** A sort request and the reply it got (`code` = reply status, `detail` = RequestKind). */
  REQUEST: 1,
  /** An unasked reply after a chute state change (`code` = reply status). */
  REROUTE: 2,
  /** A sort confirmation (`code` = outcome, `detail` = ConfirmationKind). */
  CONFIRMATION: 3,
  /** A chute state change (`code` = chute state, `detail` = ChuteSource). */
  CHUTE: 4,
} as const;
/** Names of {@link EventKind} codes, indexed by code (index 0 unused). */
export const EVENT_KIND_NAMES = ['', 'request', 'reroute', 'confirmation', 'chute'] as const;

/** DDL of a new journal (idempotent). */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS gateways (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY,
  gateway INTEGER NOT NULL,
  task_id INTEGER NOT NULL,
  opened_ms INTEGER NOT NULL,
  orphan INTEGER NOT NULL,
  turn INTEGER NOT NULL DEFAULT 0,
  status INTEGER,
  destination TEXT,
  chutes TEXT,
  exception_chute INTEGER,
  closed_ms INTEGER,
  outcome INTEGER,
  outcome_chute INTEGER,
  outcome_turn INTEGER,
  closed_stamp_ms INTEGER
);
CREATE INDEX IF NOT EXISTS tasks_closed ON tasks (closed_ms);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  ts_ms INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  task INTEGER,
  turn INTEGER,
  code INTEGER,
  detail INTEGER,
  chute INTEGER,
  chutes TEXT,
  exception_chute INTEGER,
  destination TEXT,
  sent INTEGER,
  latency_us INTEGER,
  late INTEGER,
  gateway INTEGER,
  fill INTEGER,
  induct INTEGER,
  scanner INTEGER,
  carrier INTEGER,
  weight_g INTEGER,
  length_mm INTEGER,
  width_mm INTEGER,
  height_mm INTEGER,
  reads TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS events_confirmation ON events (task, turn, code, chute) WHERE kind = ${EventKind.CONFIRMATION};
CREATE TABLE IF NOT EXISTS chutes (
  chute INTEGER PRIMARY KEY,
  state INTEGER NOT NULL,
  fill INTEGER NOT NULL,
  changed_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chute_ids (
  chute INTEGER PRIMARY KEY,
  id TEXT NOT NULL
);
`;

/** File name of the database inside the data directory. */
export const JOURNAL_FILE = 'journal.sqlite';
/** File name of the lock (the holder's process id) inside the data directory. */
export const LOCK_FILE = 'journal.lock';
