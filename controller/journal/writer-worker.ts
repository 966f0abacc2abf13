/**
 * The journal's writer thread (worker_threads): owns the writing SQLite connection, commits each
 * batch the event loop thread posts in one transaction, in order, and answers when it is durable.
 * Commits, fsyncs (`synchronous = FULL`) and WAL checkpoints therefore never stall the event loop
 * that answers sort requests (docs/operations.md "Durability").
 *
 * Messages in: {@link WriterRequest}; out: {@link WriterReply}. `workerData`: {@link WriterData}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openJournalDatabase, type SynchronousLevel } from './database.js';
import { pruneJournal, type PruneResult } from './retention.js';
import { JournalWrites } from './writes.js';
import type { Batch } from './batch.js';

/** What the writer opens. */
export interface WriterData {
  dir: string;
  synchronous: SynchronousLevel;
}

/** Requests to the writer, handled in the order posted. */
export type WriterRequest =
  | { op: 'batch'; id: number; batch: Batch }
  | { op: 'prune'; id: number; beforeMs: number; maxRows: number }
  | { op: 'close' };

/** Answers of the writer. */
export type WriterReply =
  | { op: 'committed'; id: number; ms: number }
  | { op: 'failed'; id: number; message: string }
  | { op: 'pruned'; id: number; result: PruneResult }
  | { op: 'pruneFailed'; id: number; message: string }
  | { op: 'closed' };

const port = parentPort!;
const { dir, synchronous } = workerData as WriterData;
const db = openJournalDatabase(dir, synchronous);
const writes = new JournalWrites(db);
const commit = db.transaction((batch: Batch) => writes.apply(batch));

port.on('message', (m: WriterRequest) => {
  switch (m.op) {
    case 'batch': {
      const start = performance.now();
      try {
        commit(m.batch);
        post({ op: 'committed', id: m.id, ms: performance.now() - start });
      } catch (err) {
        post({ op: 'failed', id: m.id, message: (err as Error).message });
      }
      return;
    }
    case 'prune':
      try {
        post({ op: 'pruned', id: m.id, result: pruneJournal(db, m.beforeMs, m.maxRows) });
      } catch (err) {
        post({ op: 'pruneFailed', id: m.id, message: (err as Error).message });
      }
      return;
    case 'close':
      db.close();
      post({ op: 'closed' });
      port.close();
  }
});

function post(reply: WriterReply): void {
  port.postMessage(reply);
}
