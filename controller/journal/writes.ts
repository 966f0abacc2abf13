/**
 * The journal's write operations as prepared statements, applied from a {@link Batch} (./batch.ts).
 * Each operation is its {@link Op} code followed by its fields; `S` marks a field taken from the
 * batch's strings, `chutes` a count followed by that many chute numbers, `reads` a count followed by
 * (source, scanner) per read with each read's data among the strings.
 */
import type { Database } from './database.js';
import { BatchReader, type Batch } from './batch.js';
import { EventKind } from './schema.js';

/** Operation codes of a batch, with their fields. */
export const Op = {
  /** task, gateway, taskId, atMs, replied (0/1), [turn, status, exceptionChute, chutes], destination S */
  OPEN: 1,
  /** task, turn, status, exceptionChute, chutes, destination S */
  REPLIED: 2,
  /** task, atMs, turn, induct, scanner, carrier, weightG, lengthMm, widthMm, heightMm, kind, replied (0/1), [status, exceptionChute, chutes], sent, latencyUs, late, reads, destination S */
  REQUEST: 3,
  /** task, atMs, turn, status, exceptionChute, chutes, sent, destination S */
  REROUTE: 4,
  /** task, atMs, turn, outcome, chute, kind */
  CONFIRMATION: 5,
  /** task, atMs, outcome, chute, turn, stampMs (0 unknown) */
  CLOSE: 6,
  /** atMs, chute, state, fill, source, gateway */
  CHUTE: 7,
  /** atMs, chute, state, fill */
  FILL: 8,
  /** id, name S */
  GATEWAY: 9,
  /** count, then per chute: number, id S */
  CHUTE_IDS: 10,
} as const;

/** The prepared statements of one writable journal connection. */
export class JournalWrites {
  private readonly openTask;
  private readonly replyTask;
  private readonly closeTask;
  private readonly requestEvent;
  private readonly rerouteEvent;
  private readonly confirmationEvent;
  private readonly chuteEvent;
  private readonly chuteState;
  private readonly chuteFill;
  private readonly gateway;
  private readonly clearChuteIds;
  private readonly chuteId;

  constructor(db: Database) {
    this.openTask = db.prepare(
      'INSERT INTO tasks (id, gateway, task_id, opened_ms, orphan, turn, status, destination, chutes, exception_chute) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.replyTask = db.prepare(
      'UPDATE tasks SET turn = ?, status = ?, destination = ?, chutes = ?, exception_chute = ? WHERE id = ?',
    );
    this.closeTask = db.prepare(
      'UPDATE tasks SET closed_ms = ?, outcome = ?, outcome_chute = ?, outcome_turn = ?, closed_stamp_ms = ? WHERE id = ?',
    );
    this.requestEvent = db.prepare(
      `INSERT INTO events (ts_ms, kind, task, turn, code, detail, chutes, exception_chute, destination, sent, latency_us, late,
        induct, scanner, carrier, weight_g, length_mm, width_mm, height_mm, reads)
       VALUES (?, ${EventKind.REQUEST}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.rerouteEvent = db.prepare(
      `INSERT INTO events (ts_ms, kind, task, turn, code, detail, chutes, exception_chute, destination, sent)
       VALUES (?, ${EventKind.REROUTE}, ?, ?, ?, 0, ?, ?, ?, ?)`,
    );
    this.confirmationEvent = db.prepare(
      `INSERT OR IGNORE INTO events (ts_ms, kind, task, turn, code, detail, chute) VALUES (?, ${EventKind.CONFIRMATION}, ?, ?, ?, ?, ?)`,
    );
    this.chuteEvent = db.prepare(
      `INSERT INTO events (ts_ms, kind, chute, code, fill, detail, gateway) VALUES (?, ${EventKind.CHUTE}, ?, ?, ?, ?, ?)`,
    );
    this.chuteState = db.prepare(
      'INSERT INTO chutes (chute, state, fill, changed_ms) VALUES (?, ?, ?, ?) ON CONFLICT (chute) DO UPDATE SET state = excluded.state, fill = excluded.fill, changed_ms = excluded.changed_ms',
    );
    this.chuteFill = db.prepare(
      'INSERT INTO chutes (chute, state, fill, changed_ms) VALUES (?, ?, ?, ?) ON CONFLICT (chute) DO UPDATE SET fill = excluded.fill',
    );
    this.gateway = db.prepare('INSERT OR IGNORE INTO gateways (id, name) VALUES (?, ?)');
    this.clearChuteIds = db.prepare('DELETE FROM chute_ids');
    this.chuteId = db.prepare('INSERT INTO chute_ids (chute, id) VALUES (?, ?)');
  }

  /** Runs the operations of `batch` (call inside a transaction). */
  apply(batch: Batch): void {
    const r = new BatchReader(batch);
    while (r.more) {
      const op = r.num();
      switch (op) {
        case Op.OPEN: {
          const task = r.num();
          const gateway = r.num();
          const taskId = r.num();
          const atMs = r.num();
          if (r.num() === 1) {
            const turn = r.num();
            const status = r.num();
            const exc = r.num();
            const chutes = r.spaced();
            this.openTask.run(task, gateway, taskId, atMs, 0, turn, status, r.str(), chutes, exc);
          } else {
            this.openTask.run(task, gateway, taskId, atMs, 1, 0, null, r.str(), null, null);
          }
          break;
        }
        case Op.REPLIED: {
          const task = r.num();
          const turn = r.num();
          const status = r.num();
          const exc = r.num();
          const chutes = r.spaced();
          this.replyTask.run(turn, status, r.str(), chutes, exc, task);
          break;
        }
        case Op.REQUEST: {
          const task = r.num();
          const atMs = r.num();
          const turn = r.num();
          const induct = r.num();
          const scanner = r.num();
          const carrier = r.num();
          const weightG = r.num();
          const lengthMm = r.num();
          const widthMm = r.num();
          const heightMm = r.num();
          const kind = r.num();
          let status: number | null = null;
          let exc: number | null = null;
          let chutes: string | null = null;
          if (r.num() === 1) {
            status = r.num();
            exc = r.num();
            chutes = r.spaced();
          }
          const sent = r.num();
          const latencyUs = r.num();
          const late = r.num();
          const count = r.num();
          const reads: Array<{ source: number; scanner: number; data: string | null }> = [];
          for (let k = 0; k < count; k++)
            reads.push({ source: r.num(), scanner: r.num(), data: null });
          const destination = r.str();
          for (const read of reads) read.data = r.str();
          this.requestEvent.run(
            atMs,
            task,
            turn,
            status,
            kind,
            chutes,
            exc,
            destination,
            sent,
            latencyUs,
            late,
            induct,
            scanner,
            carrier,
            weightG,
            lengthMm,
            widthMm,
            heightMm,
            JSON.stringify(reads),
          );
          break;
        }
        case Op.REROUTE: {
          const task = r.num();
          const atMs = r.num();
          const turn = r.num();
          const status = r.num();
          const exc = r.num();
          const chutes = r.spaced();
          const sent = r.num();
          this.rerouteEvent.run(atMs, task, turn, status, chutes, exc, r.str(), sent);
          break;
        }
        case Op.CONFIRMATION: {
          const task = r.num();
          const atMs = r.num();
          const turn = r.num();
          const outcome = r.num();
          const chute = r.num();
          this.confirmationEvent.run(atMs, task, turn, outcome, r.num(), chute);
          break;
        }
        case Op.CLOSE: {
          const task = r.num();
          const atMs = r.num();
          const outcome = r.num();
          const chute = r.num();
          const turn = r.num();
          const stampMs = r.num();
          this.closeTask.run(atMs, outcome, chute, turn, stampMs === 0 ? null : stampMs, task);
          break;
        }
        case Op.CHUTE: {
          const atMs = r.num();
          const chute = r.num();
          const state = r.num();
          const fill = r.num();
          const source = r.num();
          const gateway = r.num();
          this.chuteEvent.run(atMs, chute, state, fill, source, gateway === 0 ? null : gateway);
          this.chuteState.run(chute, state, fill, atMs);
          break;
        }
        case Op.FILL: {
          const atMs = r.num();
          const chute = r.num();
          const state = r.num();
          this.chuteFill.run(chute, state, r.num(), atMs);
          break;
        }
        case Op.GATEWAY:
          this.gateway.run(r.num(), r.str());
          break;
        case Op.CHUTE_IDS: {
          this.clearChuteIds.run();
          for (let k = r.num(); k > 0; k--) this.chuteId.run(r.num(), r.str());
          break;
        }
        default:
          throw new Error(`journal batch: unknown operation ${op}`);
      }
    }
  }
}
