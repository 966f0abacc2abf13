/**
 * The journal (issue 4 item 5; docs/operations.md "The journal"): every sort request, reply, sort
 * confirmation and chute change of a sort service, appended to SQLite in batched transactions.
 *
 * Appending only copies the operation's fields into the pending batch (./batch.ts: numbers in a
 * Float64Array, strings in a list), through a reusable record in the order of the operation's
 * field list (./records.ts, which also gives the writer its SQL), on the event loop thread, no SQL: replies are never delayed by
 * the journal, and no message object is kept alive until the commit. The buffer is handed to the writer thread
 * (./writer-worker.ts) as one batch when `batchRows` operations are pending (on the next turn of
 * the event loop) or `flushMs` after the first one, whichever comes first; the writer commits each
 * batch in one transaction, in order. A confirmation's `onCommit` (the session's ACK) runs only
 * after the writer reported the transaction holding it committed.
 *
 * The event loop thread keeps a second, reading connection for start-up (recovery and the
 * gateway names); it never writes.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SortlineError } from '../../core/errors.js';
import type { DestinationReply, SortConfirmation, SortRequest } from '../../core/protocol/index.js';
import type { ChuteNumbering } from '../../core/sorter/index.js';
import type {
  ChuteSourceCode,
  ConfirmationKindCode,
  RecoveredState,
  RequestKindCode,
  ServiceRecorder,
} from '../service/index.js';
import {
  journalPath,
  openJournalDatabase,
  type Database,
  type SynchronousLevel,
} from './database.js';
import { acquireLock, releaseLock } from './lock.js';
import { recoverState } from './recover.js';
import type { PruneResult } from './retention.js';
import { LOCK_FILE } from './schema.js';
import type { WriterData, WriterReply, WriterRequest } from './writer-worker.js';
import { BatchWriter } from './batch.js';
import {
  CHUTE,
  CHUTE_ID,
  CHUTE_IDS,
  CLOSE,
  CONFIRMATION,
  encodeRecord,
  FILL,
  GATEWAY,
  newRecord,
  OPEN,
  REPLIED,
  REQUEST,
  REROUTE,
  type FieldSpec,
  type OpSpec,
  type RecordOf,
} from './records.js';

/** How a journal is opened. */
export interface JournalOptions {
  /** Data directory (created when missing): holds `journal.sqlite` and `journal.lock`. */
  dir: string;
  /** `PRAGMA synchronous`: `'full'` (default; survives power loss) or `'normal'` (survives process kills). */
  synchronous?: SynchronousLevel;
  /** Hand a batch to the writer when this many operations are pending. Default 1,000. */
  batchRows?: number;
  /** Hand a batch to the writer at most this many ms after its first operation. Default 5. */
  flushMs?: number;
  /**
   * Called once when a commit fails (disk full, I/O error) with `SORTLINE_ERR_JOURNAL_WRITE`.
   * The journal then stops: later operations are dropped and their confirmations never
   * acknowledged, so the PLC keeps them. Default: throw it.
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
  /** Longest commit so far on the writer thread, ms. */
  maxCommitMs: number;
}

/** A batch handed to the writer and not yet reported committed. */
interface InFlight {
  id: number;
  ops: number;
  acks: Array<() => void>;
}

/** A writable journal: a {@link ServiceRecorder} over SQLite. One writer per data directory. */
export class Journal implements ServiceRecorder {
  /** Path of the database file. */
  readonly path: string;
  readonly stats: JournalStats = { commits: 0, operations: 0, acknowledged: 0, maxCommitMs: 0 };
  private readonly db: Database;
  private readonly worker: Worker;
  private readonly lockFile: string;
  private readonly created: Created;
  private readonly batchRows: number;
  private readonly flushMs: number;
  private readonly onError: (err: SortlineError) => void;
  private readonly batch = new BatchWriter();
  /** One reusable record per operation (./records.ts): appending allocates nothing. */
  private readonly records = {
    open: newRecord(OPEN),
    replied: newRecord(REPLIED),
    request: newRecord(REQUEST),
    reroute: newRecord(REROUTE),
    confirmation: newRecord(CONFIRMATION),
    close: newRecord(CLOSE),
    chute: newRecord(CHUTE),
    fill: newRecord(FILL),
    gateway: newRecord(GATEWAY),
    chuteIds: newRecord(CHUTE_IDS),
    chuteId: newRecord(CHUTE_ID),
  };
  private ops = 0;
  private acks: Array<() => void> = [];
  private readonly inFlight: InFlight[] = [];
  private nextId = 1;
  private readonly prunes = new Map<
    number,
    { resolve: (r: PruneResult) => void; reject: (e: Error) => void }
  >();
  private settled: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private failed = false;
  private shut = false;
  private closing: Promise<void> | null = null;
  private readonly gateways = new Map<string, number>();
  private lastGateway = 0;

  private constructor(db: Database, lockFile: string, created: Created, options: JournalOptions) {
    this.db = db;
    this.path = db.name;
    this.lockFile = lockFile;
    this.created = created;
    this.batchRows = Math.max(1, options.batchRows ?? 1000);
    this.flushMs = Math.max(0, options.flushMs ?? 5);
    this.onError =
      options.onError ??
      ((err) => {
        throw err;
      });
    for (const row of db.prepare('SELECT id, name FROM gateways').all() as Array<{
      id: number;
      name: string;
    }>) {
      this.gateways.set(row.name, row.id);
      this.lastGateway = Math.max(this.lastGateway, row.id);
    }
    const data: WriterData = { dir: options.dir, synchronous: options.synchronous ?? 'full' };
    this.worker = new Worker(writerScript(), { workerData: data });
    this.worker.unref();
    this.worker.on('message', (m: WriterReply) => this.onReply(m));
    this.worker.on('error', (err) => this.fail(err.message));
  }

  /**
   * Opens (or creates) the journal of `options.dir`, takes its lock and starts its writer thread.
   * A `journal.sqlite` that is not a journal is refused before anything is written to it (it is
   * inspected read-only, under the lock); on any failure what this call created (the directory,
   * the lock, a new database) is removed again.
   * @throws SortlineError `SORTLINE_ERR_JOURNAL_LOCKED`, `SORTLINE_ERR_JOURNAL_OPEN`, `SORTLINE_ERR_JOURNAL_SCHEMA`.
   */
  static open(options: JournalOptions): Journal {
    const dir = options.dir;
    const file = journalPath(dir);
    const lockFile = path.join(dir, LOCK_FILE);
    const created: Created = { dir: undefined, database: false };
    try {
      created.dir = mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new SortlineError(
        'SORTLINE_ERR_JOURNAL_OPEN',
        `cannot create the data directory ${dir}: ${(err as Error).message}`,
        { path: dir },
        { cause: err },
      );
    }
    let db: Database | null = null;
    try {
      acquireLock(lockFile); // first, so no other controller opens the file while it is inspected
      created.database = !existsSync(file);
      db = openJournalDatabase(dir, options.synchronous ?? 'full');
      db.pragma('wal_autocheckpoint = 0'); // checkpoints run on the writer thread
      return new Journal(db, lockFile, created, options);
    } catch (err) {
      db?.close();
      releaseLock(lockFile);
      removeCreated(file, created);
      throw err;
    }
  }

  /** The database file of data directory `dir`. */
  static pathOf(dir: string): string {
    return journalPath(dir);
  }

  /** Operations not yet committed (pending here or handed to the writer). */
  get pending(): number {
    let k = this.ops;
    for (const b of this.inFlight) k += b.ops;
    return k;
  }

  /**
   * What a sort service needs to carry on after a restart: open tasks with their latest reply,
   * the `closedMemory` most recently closed tasks, chute states and fills, the last task number.
   * Reads what is committed: call it right after {@link open}, before appending.
   */
  recover(closedMemory = 65_536): RecoveredState {
    return recoverState(this.db, closedMemory);
  }

  /**
   * Deletes tasks closed before `beforeMs` (ms since the Unix epoch) and their events, and chute
   * events older than that, at most `maxRows` rows per table per call (call again while
   * `more`), on the writer thread after every batch handed to it. Open tasks and their events are
   * kept whatever their age.
   */
  prune(beforeMs: number, maxRows = 10_000): Promise<PruneResult> {
    this.flush();
    if (this.failed || this.shut) return Promise.resolve({ tasks: 0, events: 0, more: false });
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.prunes.set(id, { resolve, reject });
      this.post({ op: 'prune', id, beforeMs, maxRows });
    });
  }

  /** Names of every gateway the journal has seen. */
  gatewayNames(): string[] {
    return [...this.gateways.keys()];
  }

  /** The gateway's id; a new gateway gets the next id here and is recorded with the next batch (this process is the only writer). */
  gatewayId(name: string): number {
    let id = this.gateways.get(name);
    if (id === undefined) {
      id = ++this.lastGateway;
      this.gateways.set(name, id);
      const r = this.records.gateway;
      r.id = id;
      r.name = name;
      this.put(GATEWAY, r);
    }
    return id;
  }

  opened(
    task: number,
    gateway: number,
    taskId: number,
    atMs: number,
    reply: DestinationReply | null,
    destination: string | null,
  ): void {
    const r = this.records.open;
    r.task = task;
    r.gateway = gateway;
    r.taskId = taskId;
    r.atMs = atMs;
    r.orphan = reply === null;
    r.turn = reply === null ? 0 : reply.turn;
    r.status = reply === null ? null : reply.status;
    r.destination = destination;
    r.chutes = reply === null ? null : reply.chutes;
    r.exceptionChute = reply === null ? null : reply.exceptionChute;
    this.put(OPEN, r);
  }

  replied(task: number, reply: DestinationReply, destination: string | null): void {
    const r = this.records.replied;
    r.task = task;
    r.turn = reply.turn;
    r.status = reply.status;
    r.destination = destination;
    r.chutes = reply.chutes;
    r.exceptionChute = reply.exceptionChute;
    this.put(REPLIED, r);
  }

  request(
    task: number,
    atMs: number,
    request: SortRequest,
    kind: RequestKindCode,
    reply: DestinationReply | null,
    destination: string | null,
    sent: boolean,
    latencyUs: number,
    late: boolean,
  ): void {
    const r = this.records.request;
    r.task = task;
    r.atMs = atMs;
    r.turn = request.turn;
    r.induct = request.induct;
    r.scanner = request.scanner;
    r.carrier = request.carrier;
    r.weightG = request.weightG;
    r.lengthMm = request.lengthMm;
    r.widthMm = request.widthMm;
    r.heightMm = request.heightMm;
    r.kind = kind;
    r.status = reply === null ? null : reply.status;
    r.exceptionChute = reply === null ? null : reply.exceptionChute;
    r.chutes = reply === null ? null : reply.chutes;
    r.sent = sent;
    r.latencyUs = latencyUs;
    r.late = late;
    r.reads = request.reads;
    r.destination = destination;
    this.put(REQUEST, r);
  }

  rerouted(
    task: number,
    atMs: number,
    reply: DestinationReply,
    destination: string | null,
    sent: boolean,
  ): void {
    const r = this.records.reroute;
    r.task = task;
    r.atMs = atMs;
    r.turn = reply.turn;
    r.status = reply.status;
    r.exceptionChute = reply.exceptionChute;
    r.chutes = reply.chutes;
    r.sent = sent;
    r.destination = destination;
    this.put(REROUTE, r);
  }

  confirmation(
    task: number,
    atMs: number,
    confirmation: SortConfirmation,
    kind: ConfirmationKindCode,
    onCommit: () => void,
  ): void {
    const r = this.records.confirmation;
    r.task = task;
    r.atMs = atMs;
    r.turn = confirmation.turn;
    r.outcome = confirmation.outcome;
    r.chute = confirmation.chute;
    r.kind = kind;
    this.put(CONFIRMATION, r);
    if (!this.failed && !this.shut) this.acks.push(onCommit);
  }

  closed(
    task: number,
    atMs: number,
    outcome: number,
    chute: number,
    turn: number,
    stampMs: number,
  ): void {
    const r = this.records.close;
    r.task = task;
    r.atMs = atMs;
    r.outcome = outcome;
    r.chute = chute;
    r.turn = turn;
    r.stampMs = stampMs === 0 ? null : stampMs; // 0: the frame had no stamp
    this.put(CLOSE, r);
  }

  /**
   * Records the chute numbering in force (plan chute id of each wire number), replacing the one
   * recorded before, so the CSV export can name chutes by id. One operation (for `batchRows` and
   * the stats), written as {@link CHUTE_IDS} followed by one {@link CHUTE_ID} per chute.
   */
  chuteIds(numbering: ChuteNumbering): void {
    const b = this.reserve(CHUTE_IDS.code);
    encodeRecord(b, CHUTE_IDS, this.records.chuteIds);
    const r = this.records.chuteId;
    const ids = numbering.ids;
    for (let i = 0; i < ids.length; i++) {
      r.chute = numbering.numberOf(i);
      r.id = ids[i]!;
      b.num(CHUTE_ID.code);
      encodeRecord(b, CHUTE_ID, r);
    }
  }

  chute(
    atMs: number,
    chute: number,
    state: number,
    fill: number,
    source: ChuteSourceCode,
    gateway: number,
  ): void {
    const r = this.records.chute;
    r.atMs = atMs;
    r.chute = chute;
    r.state = state;
    r.fill = fill;
    r.source = source;
    r.gateway = gateway === 0 ? null : gateway; // 0: an operator's or the service's change
    this.put(CHUTE, r);
  }

  fill(atMs: number, chute: number, state: number, fill: number): void {
    const r = this.records.fill;
    r.atMs = atMs;
    r.chute = chute;
    r.state = state;
    r.fill = fill;
    this.put(FILL, r);
  }

  /** Hands everything pending to the writer thread now (does not wait for the commit). */
  flush(): void {
    this.clearTimers();
    if (this.ops === 0 || this.failed || this.shut) return;
    const id = this.nextId++;
    const batch = this.batch.take();
    this.inFlight.push({ id, ops: this.ops, acks: this.acks });
    this.ops = 0;
    this.acks = [];
    this.post({ op: 'batch', id, batch }, [batch.nums.buffer as ArrayBuffer]);
  }

  /** Hands everything pending to the writer and resolves once all of it is committed (or the journal failed). */
  settle(): Promise<void> {
    this.flush();
    if (this.inFlight.length === 0 || this.failed) return Promise.resolve();
    return new Promise((resolve) => this.settled.push(resolve));
  }

  /**
   * Commits what is pending, stops the writer thread, closes the database and releases the lock
   * (idempotent). Appends after this are dropped.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.settle();
      this.shut = true;
      this.clearTimers();
      await new Promise<void>((resolve) => {
        this.worker.once('exit', () => resolve());
        this.worker.ref();
        this.worker.postMessage({ op: 'close' } satisfies WriterRequest);
      });
      this.db.close();
      releaseLock(this.lockFile);
    })();
    return this.closing;
  }

  /**
   * Closes the journal and, when {@link open} created its database (a new journal, nothing of it
   * used yet), removes what it created: the database files and the data directory if it made it.
   * For a start-up that failed after the journal was opened (the gateway address in use).
   */
  async discard(): Promise<void> {
    await this.close();
    removeCreated(this.path, this.created);
  }

  /** Appends one operation: its op code and then the fields of `rec` as `op` lists them. */
  private put<F extends readonly FieldSpec[]>(op: OpSpec<F>, rec: RecordOf<F>): void {
    encodeRecord(this.reserve(op.code), op, rec);
  }

  /** Appends op code `op`, arms the hand-over triggers, and returns the batch to write its fields into. */
  private reserve(op: number): BatchWriter {
    const b = this.batch;
    if (this.failed || this.shut) {
      // nothing more is committed: keep the batch from growing
      b.clear();
      b.num(op);
      return b;
    }
    b.num(op);
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
    this.flush();
  };

  private post(request: WriterRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.ref();
    this.worker.postMessage(request, transfer);
  }

  private onReply(m: WriterReply): void {
    switch (m.op) {
      case 'committed': {
        if (this.failed) return; // a batch after a failed one: committed, but never acknowledged
        const s = this.stats;
        s.commits++;
        if (m.ms > s.maxCommitMs) s.maxCommitMs = m.ms;
        const b = this.inFlight.shift()!;
        s.operations += b.ops;
        s.acknowledged += b.acks.length;
        for (const ack of b.acks) ack();
        break;
      }
      case 'failed':
        this.fail(m.message);
        return;
      case 'pruned':
      case 'pruneFailed': {
        const p = this.prunes.get(m.id);
        if (p === undefined) return; // its promise was settled when the journal failed
        this.prunes.delete(m.id);
        if (m.op === 'pruned') p.resolve(m.result);
        else
          p.reject(
            new SortlineError(
              'SORTLINE_ERR_JOURNAL_WRITE',
              `journal ${this.path}: pruning failed: ${m.message}`,
              { path: this.path },
            ),
          );
        break;
      }
      case 'closed':
        return;
    }
    this.idle();
  }

  /** Lets the process exit while nothing is outstanding; wakes `settle()` callers. */
  private idle(): void {
    if (this.inFlight.length > 0 || this.prunes.size > 0) return;
    if (!this.shut) this.worker.unref();
    for (const resolve of this.settled.splice(0)) resolve();
  }

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

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.clearTimers();
    this.batch.clear();
    this.ops = 0;
    this.acks = [];
    this.inFlight.length = 0;
    for (const p of this.prunes.values()) p.resolve({ tasks: 0, events: 0, more: false });
    this.prunes.clear();
    for (const resolve of this.settled.splice(0)) resolve();
    this.onError(
      new SortlineError(
        'SORTLINE_ERR_JOURNAL_WRITE',
        `journal ${this.path}: a commit failed: ${message}; its confirmations were not acknowledged`,
        { path: this.path },
      ),
    );
  }
}

/**
 * The writer thread's script: the compiled `writer-worker.js` next to this module (tsc's dist/);
 * otherwise — this module running from its TypeScript source (the test runner) or from a bundle
 * (dist/bundle/, scripts/bundle.mjs) — the compiled one under the package's `dist/`, found by
 * walking up to the directory that holds it (`npm run build` makes it).
 */
function writerScript(): URL {
  const here = new URL('./writer-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const rel = 'dist/controller/journal/writer-worker.js';
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, rel);
    if (existsSync(candidate)) return pathToFileURL(candidate);
    const up = path.dirname(dir);
    if (up === dir) return pathToFileURL(path.join(process.cwd(), rel));
    dir = up;
  }
}

/** What {@link Journal.open} created: the first directory it made (if any) and whether the database file is new. */
interface Created {
  dir: string | undefined;
  database: boolean;
}

/** Removes a database `file` (with its `-wal` and `-shm`) and the directory that `created` says were made by an open. */
function removeCreated(file: string, created: Created): void {
  if (created.database)
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  if (created.dir !== undefined) rmSync(created.dir, { recursive: true, force: true });
}
