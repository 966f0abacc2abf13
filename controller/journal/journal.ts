/**
 * The journal (issue 4 item 5; docs/operations.md "The journal"): every sort request, reply, sort
 * confirmation and chute change of a sort service, appended to SQLite in batched transactions.
 *
 * Appending only writes the operation into a pending buffer (no SQL, no allocation beyond the
 * buffer's growth): replies are never delayed by the journal. The buffer is committed in one
 * transaction when `batchRows` operations are pending (on the next turn of the event loop) or
 * `flushMs` after the first one, whichever comes first. A confirmation's `onCommit` (the session's
 * ACK) runs only after the transaction holding it has committed.
 *
 * Writes run on the event loop thread: a commit of a few hundred operations takes well under a
 * millisecond (docs/operations.md "Durability" gives the measurement and the trade-off).
 */
import path from 'node:path';
import { SortlineError } from '../../core/errors.js';
import type { DestinationReply, SortConfirmation, SortRequest } from '../../core/protocol/messages.js';
import type {
  ChuteSourceCode,
  ConfirmationKindCode,
  RecoveredState,
  RequestKindCode,
  ServiceRecorder,
} from '../service/recorder.js';
import { journalPath, openJournalDatabase, type Database, type SynchronousLevel } from './database.js';
import { acquireLock, releaseLock } from './lock.js';
import { recoverState } from './recover.js';
import { pruneJournal, type PruneResult } from './retention.js';
import { LOCK_FILE } from './schema.js';
import { JournalWrites, Op } from './writes.js';

/** How a journal is opened. */
export interface JournalOptions {
  /** Data directory (created when missing): holds `journal.sqlite` and `journal.lock`. */
  dir: string;
  /** `PRAGMA synchronous`: `'full'` (default; survives power loss) or `'normal'` (survives process kills). */
  synchronous?: SynchronousLevel;
  /** Commit when this many operations are pending. Default 1,000. */
  batchRows?: number;
  /** Commit at most this many ms after the first pending operation. Default 5. */
  flushMs?: number;
  /**
   * Called once when a commit fails (disk full, I/O error) with `SORTLINE_ERR_JOURNAL_WRITE`.
   * The journal then stops: later operations are dropped and their confirmations never
   * acknowledged, so the PLC keeps them. Default: throw it (from a timer).
   */
  onError?: (err: SortlineError) => void;
}

/** Counters of a journal. */
export interface JournalStats {
  /** Transactions committed. */
  commits: number;
  /** Operations committed. */
  operations: number;
  /** Confirmations acknowledged after their commit. */
  acknowledged: number;
  /** Longest commit so far, ms. */
  maxCommitMs: number;
}

/** A writable journal: a {@link ServiceRecorder} over SQLite. One writer per data directory. */
export class Journal implements ServiceRecorder {
  /** Path of the database file. */
  readonly path: string;
  readonly stats: JournalStats = { commits: 0, operations: 0, acknowledged: 0, maxCommitMs: 0 };
  private readonly db: Database;
  private readonly writes: JournalWrites;
  private readonly lockFile: string;
  private readonly batchRows: number;
  private readonly flushMs: number;
  private readonly onError: (err: SortlineError) => void;
  private readonly buf: unknown[] = [];
  private n = 0;
  private ops = 0;
  private readonly callbacks: Array<() => void> = [];
  private nCallbacks = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private failed = false;
  private shut = false;
  private readonly gateways = new Map<string, number>();
  private readonly commit: () => void;

  private constructor(db: Database, lockFile: string, options: JournalOptions) {
    this.db = db;
    this.path = db.name;
    this.lockFile = lockFile;
    this.writes = new JournalWrites(db);
    this.batchRows = Math.max(1, options.batchRows ?? 1000);
    this.flushMs = Math.max(0, options.flushMs ?? 5);
    this.onError = options.onError ?? ((err) => {
      throw err;
    });
    this.commit = db.transaction(() => this.writes.apply(this.buf, this.n));
    for (const row of db.prepare('SELECT id, name FROM gateways').all() as Array<{ id: number; name: string }>) this.gateways.set(row.name, row.id);
  }

  /**
   * Opens (or creates) the journal of `options.dir` and takes its lock.
   * @throws SortlineError `SORTLINE_ERR_JOURNAL_LOCKED`, `SORTLINE_ERR_JOURNAL_OPEN`, `SORTLINE_ERR_JOURNAL_SCHEMA`.
   */
  static open(options: JournalOptions): Journal {
    const lockFile = path.join(options.dir, LOCK_FILE);
    const db = openJournalDatabase(options.dir, options.synchronous ?? 'full');
    try {
      acquireLock(lockFile);
    } catch (err) {
      db.close();
      throw err;
    }
    return new Journal(db, lockFile, options);
  }

  /** The database file of data directory `dir`. */
  static pathOf(dir: string): string {
    return journalPath(dir);
  }

  /** Operations waiting for the next commit. */
  get pending(): number {
    return this.ops;
  }

  /**
   * What a sort service needs to carry on after a restart: open tasks with their latest reply,
   * the `closedMemory` most recently closed tasks, chute states and fills, the last task number.
   */
  recover(closedMemory = 65_536): RecoveredState {
    this.flush();
    return recoverState(this.db, closedMemory);
  }

  /**
   * Deletes tasks closed before `beforeMs` (ms since the Unix epoch) and their events, and chute
   * events older than that, at most `maxRows` rows per table per call (call again while
   * `more`). Open tasks and their events are kept whatever their age. Commits what is pending first.
   */
  prune(beforeMs: number, maxRows = 10_000): PruneResult {
    this.flush();
    return pruneJournal(this.db, beforeMs, maxRows);
  }

  /** Names of every gateway the journal has seen. */
  gatewayNames(): string[] {
    return [...this.gateways.keys()];
  }

  gatewayId(name: string): number {
    let id = this.gateways.get(name);
    if (id === undefined) {
      this.db.prepare('INSERT OR IGNORE INTO gateways (name) VALUES (?)').run(name);
      id = this.db.prepare('SELECT id FROM gateways WHERE name = ?').pluck().get(name) as number;
      this.gateways.set(name, id);
    }
    return id;
  }

  opened(task: number, gateway: number, taskId: number, atMs: number, reply: DestinationReply | null, destination: string | null): void {
    const b = this.reserve(Op.OPEN);
    b[this.n++] = task;
    b[this.n++] = gateway;
    b[this.n++] = taskId;
    b[this.n++] = atMs;
    b[this.n++] = reply;
    b[this.n++] = destination;
  }

  replied(task: number, reply: DestinationReply, destination: string | null): void {
    const b = this.reserve(Op.REPLIED);
    b[this.n++] = task;
    b[this.n++] = reply;
    b[this.n++] = destination;
  }

  request(task: number, atMs: number, request: SortRequest, kind: RequestKindCode, reply: DestinationReply | null,
    destination: string | null, sent: boolean, latencyUs: number, late: boolean): void {
    const b = this.reserve(Op.REQUEST);
    b[this.n++] = task;
    b[this.n++] = atMs;
    b[this.n++] = request;
    b[this.n++] = kind;
    b[this.n++] = reply;
    b[this.n++] = destination;
    b[this.n++] = sent;
    b[this.n++] = latencyUs;
    b[this.n++] = late;
  }

  rerouted(task: number, atMs: number, reply: DestinationReply, destination: string | null, sent: boolean): void {
    const b = this.reserve(Op.REROUTE);
    b[this.n++] = task;
    b[this.n++] = atMs;
    b[this.n++] = reply;
    b[this.n++] = destination;
    b[this.n++] = sent;
  }

  confirmation(task: number, atMs: number, confirmation: SortConfirmation, kind: ConfirmationKindCode, onCommit: () => void): void {
    const b = this.reserve(Op.CONFIRMATION);
    b[this.n++] = task;
    b[this.n++] = atMs;
    b[this.n++] = confirmation;
    b[this.n++] = kind;
    if (!this.failed && !this.shut) this.callbacks[this.nCallbacks++] = onCommit;
  }

  closed(task: number, atMs: number, outcome: number, chute: number, turn: number): void {
    const b = this.reserve(Op.CLOSE);
    b[this.n++] = task;
    b[this.n++] = atMs;
    b[this.n++] = outcome;
    b[this.n++] = chute;
    b[this.n++] = turn;
  }

  chute(atMs: number, chute: number, state: number, fill: number, source: ChuteSourceCode, gateway: number): void {
    const b = this.reserve(Op.CHUTE);
    b[this.n++] = atMs;
    b[this.n++] = chute;
    b[this.n++] = state;
    b[this.n++] = fill;
    b[this.n++] = source;
    b[this.n++] = gateway;
  }

  fill(atMs: number, chute: number, state: number, fill: number): void {
    const b = this.reserve(Op.FILL);
    b[this.n++] = atMs;
    b[this.n++] = chute;
    b[this.n++] = state;
    b[this.n++] = fill;
  }

  /**
   * Commits everything pending now, then runs the commit callbacks of its confirmations.
   * A failed commit reports `SORTLINE_ERR_JOURNAL_WRITE` to `onError` once and stops the journal.
   */
  flush(): void {
    this.clearTimers();
    if (this.n === 0 || this.failed) return;
    const start = performance.now();
    try {
      this.commit();
    } catch (err) {
      this.fail(err);
      return;
    }
    const ms = performance.now() - start;
    const s = this.stats;
    s.commits++;
    s.operations += this.ops;
    if (ms > s.maxCommitMs) s.maxCommitMs = ms;
    this.buf.fill(undefined, 0, this.n);
    this.n = 0;
    this.ops = 0;
    const k = this.nCallbacks;
    this.nCallbacks = 0;
    s.acknowledged += k;
    for (let i = 0; i < k; i++) {
      const ack = this.callbacks[i]!;
      this.callbacks[i] = NOOP;
      ack();
    }
  }

  /** Commits what is pending, closes the database and releases the lock (idempotent). */
  close(): void {
    if (this.shut) return;
    this.flush();
    this.shut = true;
    this.clearTimers();
    this.db.close();
    releaseLock(this.lockFile);
  }

  /** Appends op code `op`, arms the commit triggers, and returns the buffer to write its arguments into. */
  private reserve(op: number): unknown[] {
    const b = this.buf;
    if (this.failed || this.shut) {
      // nothing more is committed: keep overwriting the start of the buffer
      this.n = 0;
      this.ops = 0;
      b[this.n++] = op;
      return b;
    }
    b[this.n++] = op;
    this.ops++;
    if (this.ops >= this.batchRows) {
      if (this.immediate === null) this.immediate = setImmediate(this.flushSoon);
    } else if (this.timer === null) {
      this.timer = setTimeout(this.flushSoon, this.flushMs);
    }
    return b;
  }

  private readonly flushSoon = (): void => {
    this.timer = null;
    this.immediate = null;
    if (!this.shut) this.flush();
  };

  private clearTimers(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.immediate !== null) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
  }

  private fail(err: unknown): void {
    this.failed = true;
    this.n = 0;
    this.ops = 0;
    this.nCallbacks = 0;
    this.callbacks.length = 0;
    this.onError(new SortlineError('SORTLINE_ERR_JOURNAL_WRITE', `journal ${this.path}: a commit failed: ${(err as Error).message}; its confirmations were not acknowledged`, { path: this.path }, { cause: err }));
  }
}

const NOOP = (): void => {};
