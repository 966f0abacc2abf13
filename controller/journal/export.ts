/**
 * CSV export of a journal (`sortline journal export`; docs/operations.md "Export"): one row per
 * task with its outcome, or one row per event. Produced as a lazy sequence of text chunks so a
 * caller can stream a journal of any size with backpressure (`stream.Readable.from`).
 */
import { READ_SOURCE_NAMES, REPLY_STATUS_NAMES, OUTCOME_NAMES } from '../../core/protocol/index.js';
import { CHUTE_STATE_NAMES } from '../../core/sorter/index.js';
import {
  CHUTE_SOURCE_NAMES,
  CONFIRMATION_KIND_NAMES,
  REQUEST_KIND_NAMES,
} from '../service/index.js';
import { csvLine } from './csv.js';
import type { Database } from './database.js';
import { EVENT_KIND_NAMES, EventKind } from './schema.js';

/** A time window, ms since the Unix epoch: `from` inclusive, `to` exclusive; either may be absent. */
export interface ExportWindow {
  fromMs?: number;
  toMs?: number;
}

/**
 * Columns of the tasks CSV, in order (docs/operations.md lists their meaning). Each chute number
 * column is followed by the plan chute id(s) of the number(s), from the journal's `chute_ids`.
 */
export const TASK_COLUMNS = [
  'task',
  'gateway',
  'task_id',
  'opened',
  'closed',
  'state',
  'turn',
  'status',
  'destination',
  'chutes',
  'chute_ids',
  'exception_chute',
  'exception_chute_id',
  'outcome',
  'outcome_chute',
  'outcome_chute_id',
  'outcome_turn',
  'orphan',
] as const;

/** Columns of the events CSV, in order. */
export const EVENT_COLUMNS = [
  'event',
  'time',
  'kind',
  'gateway',
  'task',
  'task_id',
  'turn',
  'code',
  'detail',
  'chute',
  'chute_id',
  'chutes',
  'chute_ids',
  'exception_chute',
  'exception_chute_id',
  'destination',
  'sent',
  'latency_us',
  'late',
  'fill',
  'induct',
  'scanner',
  'carrier',
  'weight_g',
  'length_mm',
  'width_mm',
  'height_mm',
  'reads',
] as const;

/** Text chunks are flushed at about this many characters. */
const CHUNK = 64 * 1024;

/** The tasks CSV: tasks opened within `window`, by task number. */
export function* tasksCsv(db: Database, window: ExportWindow = {}): Generator<string> {
  const rows = db
    .prepare(
      `SELECT t.*, g.name AS gateway_name FROM tasks t LEFT JOIN gateways g ON g.id = t.gateway
     WHERE t.opened_ms >= ? AND t.opened_ms < ? ORDER BY t.id`,
    )
    .iterate(window.fromMs ?? -8.64e15, window.toMs ?? 8.64e15) as IterableIterator<TaskRow>;
  const ids = chuteIds(db);
  let out = csvLine(TASK_COLUMNS);
  for (const t of rows) {
    out += csvLine([
      t.id,
      t.gateway_name,
      t.task_id,
      iso(t.opened_ms),
      iso(t.closed_ms),
      t.closed_ms === null ? 'open' : 'closed',
      t.turn,
      t.status === null ? null : REPLY_STATUS_NAMES[t.status],
      t.destination,
      t.chutes,
      ids.list(t.chutes),
      t.exception_chute,
      ids.one(t.exception_chute),
      t.outcome === null ? null : OUTCOME_NAMES[t.outcome],
      t.outcome_chute,
      ids.one(t.outcome_chute),
      t.outcome_turn,
      t.orphan,
    ]);
    if (out.length >= CHUNK) {
      yield out;
      out = '';
    }
  }
  if (out !== '') yield out;
}

/** The events CSV: events within `window`, in arrival order. */
export function* eventsCsv(db: Database, window: ExportWindow = {}): Generator<string> {
  const rows = db
    .prepare(
      `SELECT e.*, t.task_id AS task_id, g.name AS gateway_name FROM events e
     LEFT JOIN tasks t ON t.id = e.task
     LEFT JOIN gateways g ON g.id = coalesce(t.gateway, e.gateway)
     WHERE e.ts_ms >= ? AND e.ts_ms < ? ORDER BY e.id`,
    )
    .iterate(window.fromMs ?? -8.64e15, window.toMs ?? 8.64e15) as IterableIterator<EventRow>;
  const ids = chuteIds(db);
  let out = csvLine(EVENT_COLUMNS);
  for (const e of rows) {
    out += csvLine([
      e.id,
      iso(e.ts_ms),
      EVENT_KIND_NAMES[e.kind],
      e.gateway_name,
      e.task,
      e.task_id,
      e.turn,
      codeName(e.kind, e.code),
      detailName(e.kind, e.detail),
      e.chute,
      ids.one(e.chute),
      e.chutes,
      ids.list(e.chutes),
      e.exception_chute,
      ids.one(e.exception_chute),
      e.destination,
      e.sent,
      e.latency_us,
      e.late,
      e.fill,
      e.induct,
      e.scanner,
      e.carrier,
      e.weight_g,
      e.length_mm,
      e.width_mm,
      e.height_mm,
      readsWithNames(e.reads),
    ]);
    if (out.length >= CHUNK) {
      yield out;
      out = '';
    }
  }
  if (out !== '') yield out;
}

interface TaskRow {
  id: number;
  gateway_name: string | null;
  task_id: number;
  opened_ms: number;
  closed_ms: number | null;
  turn: number;
  status: number | null;
  destination: string | null;
  chutes: string | null;
  exception_chute: number | null;
  outcome: number | null;
  outcome_chute: number | null;
  outcome_turn: number | null;
  orphan: number;
}

interface EventRow {
  id: number;
  ts_ms: number;
  kind: number;
  gateway_name: string | null;
  task: number | null;
  task_id: number | null;
  turn: number | null;
  code: number | null;
  detail: number | null;
  chute: number | null;
  chutes: string | null;
  exception_chute: number | null;
  destination: string | null;
  sent: number | null;
  latency_us: number | null;
  late: number | null;
  fill: number | null;
  induct: number | null;
  scanner: number | null;
  carrier: number | null;
  weight_g: number | null;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  reads: string | null;
}

/** Plan chute ids by wire number, as the journal's `chute_ids` holds them (empty for a schema-1 journal). */
interface ChuteIds {
  /** The id of chute number `n`; null for null, `?` for a number without a recorded id. */
  one(n: number | null): string | null;
  /** The ids of space-separated chute numbers, space-separated in the same order (`?` for unknown ones). */
  list(numbers: string | null): string | null;
}

function chuteIds(db: Database): ChuteIds {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chute_ids'")
    .get();
  const rows =
    table === undefined
      ? []
      : (db.prepare('SELECT chute, id FROM chute_ids').all() as Array<{
          chute: number;
          id: string;
        }>);
  const byNumber = new Map(rows.map((r) => [r.chute, r.id] as const));
  const one = (n: number | null): string | null => (n === null ? null : (byNumber.get(n) ?? '?'));
  return {
    one,
    list: (numbers) =>
      numbers === null || numbers === ''
        ? numbers
        : numbers
            .split(' ')
            .map((n) => one(Number(n)))
            .join(' '),
  };
}

/** The `reads` JSON of a request event with each read's `source` code replaced by its name (`scanner`, `rfid`, `manual`). */
function readsWithNames(reads: string | null): string | null {
  if (reads === null) return null;
  const list = JSON.parse(reads) as Array<{ source: number; scanner: number; data: string }>;
  return JSON.stringify(
    list.map((r) => ({
      source: READ_SOURCE_NAMES[r.source] ?? String(r.source),
      scanner: r.scanner,
      data: r.data,
    })),
  );
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The name of an event's `code`: reply status, outcome or chute state by kind. */
function codeName(kind: number, code: number | null): string | null {
  if (code === null) return null;
  switch (kind) {
    case EventKind.REQUEST:
    case EventKind.REROUTE:
      return REPLY_STATUS_NAMES[code] ?? String(code);
    case EventKind.CONFIRMATION:
      return OUTCOME_NAMES[code] ?? String(code);
    default:
      return CHUTE_STATE_NAMES[code] ?? String(code);
  }
}

/** The name of an event's `detail`: request kind, confirmation kind or chute source by kind; empty for reroutes (stored as 0). */
function detailName(kind: number, detail: number | null): string | null {
  if (detail === null) return null;
  switch (kind) {
    case EventKind.REQUEST:
      return REQUEST_KIND_NAMES[detail] ?? String(detail);
    case EventKind.CONFIRMATION:
      return CONFIRMATION_KIND_NAMES[detail] ?? String(detail);
    case EventKind.CHUTE:
      return CHUTE_SOURCE_NAMES[detail] || String(detail);
    default:
      return null;
  }
}
