/**
 * controller/journal: the controller's SQLite journal (better-sqlite3, WAL): batched appends,
 * commit-then-ACK, recovery after a restart, retention, CSV export. docs/operations.md.
 */
export { Journal, type JournalOptions, type JournalStats } from './journal.js';
export {
  openJournalReadOnly,
  journalPath,
  type Database,
  type SynchronousLevel,
} from './database.js';
export { tasksCsv, eventsCsv, TASK_COLUMNS, EVENT_COLUMNS, type ExportWindow } from './export.js';
export type { PruneResult } from './retention.js';
export { EventKind, EVENT_KIND_NAMES, SCHEMA_VERSION, JOURNAL_FILE, LOCK_FILE } from './schema.js';
