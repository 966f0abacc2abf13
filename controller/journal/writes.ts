/**
 * The journal's write operations as prepared statements, applied from a flat buffer of pending
 * operations: each operation is its {@link Op} code followed by a fixed number of arguments
 * (numbers, strings, or the message objects themselves, which are turned into columns here, at
 * commit time, not on the hot path).
 */
import type { DestinationReply, SortConfirmation, SortRequest } from '../../core/protocol/messages.js';
import type { Database } from './database.js';
import { EventKind } from './schema.js';

/** Operation codes of the pending buffer, with their arguments. */
export const Op = {
  /** task, gateway, taskId, atMs, reply | null, destination | null */
  OPEN: 1,
  /** task, reply, destination */
  REPLIED: 2,
  /** task, atMs, request, kind, reply | null, destination, sent, latencyUs, late */
  REQUEST: 3,
  /** task, atMs, reply, destination, sent */
  REROUTE: 4,
  /** task, atMs, confirmation, kind */
  CONFIRMATION: 5,
  /** task, atMs, outcome, chute, turn */
  CLOSE: 6,
  /** atMs, chute, state, fill, source, gateway */
  CHUTE: 7,
  /** atMs, chute, state, fill */
  FILL: 8,
  /** id, name */
  GATEWAY: 9,
} as const;

/** Arguments after the op code, by op code. */
export const OP_ARGS: readonly number[] = [0, 6, 3, 9, 5, 4, 5, 6, 4, 2];

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

  constructor(db: Database) {
    this.openTask = db.prepare(
      'INSERT INTO tasks (id, gateway, task_id, opened_ms, orphan, turn, status, destination, chutes, exception_chute) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.replyTask = db.prepare('UPDATE tasks SET turn = ?, status = ?, destination = ?, chutes = ?, exception_chute = ? WHERE id = ?');
    this.closeTask = db.prepare('UPDATE tasks SET closed_ms = ?, outcome = ?, outcome_chute = ?, outcome_turn = ? WHERE id = ?');
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
  }

  /** Runs the operations `buf[0 .. n)` (call inside a transaction). */
  apply(buf: unknown[], n: number): void {
    let i = 0;
    while (i < n) {
      const op = buf[i] as number;
      const a = i + 1;
      switch (op) {
        case Op.OPEN: {
          const reply = buf[a + 4] as DestinationReply | null;
          this.openTask.run(
            buf[a], buf[a + 1], buf[a + 2], buf[a + 3], reply === null ? 1 : 0, reply === null ? 0 : reply.turn,
            reply?.status ?? null, buf[a + 5], reply === null ? null : reply.chutes.join(' '), reply?.exceptionChute ?? null,
          );
          break;
        }
        case Op.REPLIED: {
          const reply = buf[a + 1] as DestinationReply;
          this.replyTask.run(reply.turn, reply.status, buf[a + 2], reply.chutes.join(' '), reply.exceptionChute, buf[a]);
          break;
        }
        case Op.REQUEST: {
          const m = buf[a + 2] as SortRequest;
          const reply = buf[a + 4] as DestinationReply | null;
          this.requestEvent.run(
            buf[a + 1], buf[a], m.turn, reply?.status ?? null, buf[a + 3], reply === null ? null : reply.chutes.join(' '),
            reply?.exceptionChute ?? null, buf[a + 5], buf[a + 6] ? 1 : 0, buf[a + 7], buf[a + 8] ? 1 : 0,
            m.induct, m.scanner, m.carrier, m.weightG, m.lengthMm, m.widthMm, m.heightMm, JSON.stringify(m.reads),
          );
          break;
        }
        case Op.REROUTE: {
          const reply = buf[a + 2] as DestinationReply;
          this.rerouteEvent.run(buf[a + 1], buf[a], reply.turn, reply.status, reply.chutes.join(' '), reply.exceptionChute, buf[a + 3], buf[a + 4] ? 1 : 0);
          break;
        }
        case Op.CONFIRMATION: {
          const m = buf[a + 2] as SortConfirmation;
          this.confirmationEvent.run(buf[a + 1], buf[a], m.turn, m.outcome, buf[a + 3], m.chute);
          break;
        }
        case Op.CLOSE:
          this.closeTask.run(buf[a + 1], buf[a + 2], buf[a + 3], buf[a + 4], buf[a]);
          break;
        case Op.CHUTE:
          this.chuteEvent.run(buf[a], buf[a + 1], buf[a + 2], buf[a + 3], buf[a + 4], buf[a + 5] === 0 ? null : buf[a + 5]);
          this.chuteState.run(buf[a + 1], buf[a + 2], buf[a + 3], buf[a]);
          break;
        case Op.FILL:
          this.chuteFill.run(buf[a + 1], buf[a + 2], buf[a + 3], buf[a]);
          break;
        case Op.GATEWAY:
          this.gateway.run(buf[a], buf[a + 1]);
          break;
        default:
          throw new Error(`journal: unknown operation ${String(op)} at ${i}`);
      }
      i = a + OP_ARGS[op]!;
    }
  }
}
