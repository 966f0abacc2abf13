/**
 * The journal's write operations as prepared statements, applied from a {@link Batch} (./batch.ts)
 * on the writer thread. Each operation in the batch is its op code followed by its fields; the
 * fields, their order and the SQL that stores them all come from the operation's field list in
 * ./records.ts, the same list the event loop thread encodes from.
 */
import type { Database } from './database.js';
import { BatchReader, type Batch } from './batch.js';
import { decodeRecord, OPS, statementSql, type OpSpec, type SqlRow } from './records.js';

/** An operation ready to run: its spec, its reusable parameter row and its statements. */
interface Prepared {
  op: OpSpec;
  row: SqlRow;
  statements: Array<{ run(params?: SqlRow): unknown }>;
  /** Per statement: whether it takes parameters (a `DELETE FROM` takes none). */
  bound: boolean[];
}

/** The prepared statements of one writable journal connection, one set per operation of ./records.ts. */
export class JournalWrites {
  /** Prepared operations by op code. */
  private readonly byCode: Array<Prepared | undefined> = [];

  constructor(db: Database) {
    for (const op of OPS) {
      if (this.byCode[op.code] !== undefined)
        throw new Error(`journal operations: code ${op.code} used twice (${op.name})`);
      this.byCode[op.code] = {
        op,
        row: {},
        statements: op.statements.map((s) => db.prepare(statementSql(s))),
        bound: op.statements.map((s) => s.mode !== 'deleteAll'),
      };
    }
  }

  /** Runs the operations of `batch` (call inside a transaction). */
  apply(batch: Batch): void {
    const r = new BatchReader(batch);
    while (r.more) {
      const code = r.num();
      const p = this.byCode[code];
      if (p === undefined) throw new Error(`journal batch: unknown operation ${code}`);
      decodeRecord(r, p.op, p.row);
      for (let i = 0; i < p.statements.length; i++) {
        if (p.bound[i]) p.statements[i]!.run(p.row);
        else p.statements[i]!.run();
      }
    }
  }
}
