/**
 * The journal's per-operation field lists (controller/journal/records.ts): each operation written
 * through the journal comes back from the read-only journal with every field as given (the
 * expected columns are written out here by hand, not derived from the field lists), and the field
 * lists agree with the schema.
 */
import { describe, expect, it } from 'vitest';
import Sqlite from 'better-sqlite3';
import {
  Outcome,
  ReadSource,
  ReplyStatus,
  type DestinationReply,
  type SortConfirmation,
  type SortRequest,
} from '../../../core/protocol/index.js';
import { ChuteNumbering } from '../../../core/sorter/index.js';
import { ChuteSource, ConfirmationKind, RequestKind } from '../../../controller/service/index.js';
import { EventKind, Journal, SCHEMA_VERSION } from '../../../controller/journal/index.js';
import { BatchReader, BatchWriter } from '../../../controller/journal/batch.js';
import {
  decodeRecord,
  encodeRecord,
  newRecord,
  OPS,
  REQUEST,
  OPEN,
  type SqlRow,
} from '../../../controller/journal/records.js';
import { SCHEMA_SQL } from '../../../controller/journal/schema.js';
import { read, tempDir } from './helpers.js';

const T0 = Date.UTC(2026, 11, 4, 6, 0, 0);

function reply(
  turn: number,
  chutes: number[],
  exceptionChute: number,
  status: DestinationReply['status'] = ReplyStatus.OK,
): DestinationReply {
  return { type: 'destinationReply', taskId: 4_000_000_001, turn, chutes, exceptionChute, status };
}

function sortRequest(overrides: Partial<SortRequest> = {}): SortRequest {
  return {
    type: 'sortRequest',
    taskId: 4_000_000_001,
    turn: 3,
    induct: 65_535,
    scanner: 12,
    carrier: 401,
    reads: [
      { source: ReadSource.SCANNER, scanner: 12, data: ']C1 0012345, "quoted"' },
      { source: ReadSource.RFID, scanner: 7, data: 'E200341201' },
      { source: ReadSource.MANUAL, scanner: 65_535, data: '' },
    ],
    weightG: 999_999,
    lengthMm: 1200,
    widthMm: 650,
    heightMm: 40,
    ...overrides,
  };
}

/** A journal in a fresh directory, with the given operations written, committed and closed. */
async function written(write: (j: Journal) => void): Promise<string> {
  const dir = tempDir();
  const j = Journal.open({ dir, flushMs: 60_000 });
  write(j);
  await j.close();
  return dir;
}

/** Every row of `table` in the journal of `dir`, by rowid, without the `id` of events. */
function rows(dir: string, table: string, where = ''): Record<string, unknown>[] {
  return read(dir, (db) =>
    db.prepare(`SELECT * FROM ${table} ${where} ORDER BY rowid`).all(),
  ) as Record<string, unknown>[];
}

function events(dir: string): Record<string, unknown>[] {
  return rows(dir, 'events').map(({ id: _id, ...rest }) => rest);
}

/** An events row with every column NULL except those given. */
function event(columns: Record<string, unknown>): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  for (const c of EVENT_COLUMNS) all[c] = null;
  return { ...all, ...columns };
}

const EVENT_COLUMNS = [
  'ts_ms',
  'kind',
  'task',
  'turn',
  'code',
  'detail',
  'chute',
  'chutes',
  'exception_chute',
  'destination',
  'sent',
  'latency_us',
  'late',
  'gateway',
  'fill',
  'induct',
  'scanner',
  'carrier',
  'weight_g',
  'length_mm',
  'width_mm',
  'height_mm',
  'reads',
];

/** A tasks row as `opened` leaves it: not closed. */
const NOT_CLOSED = {
  closed_ms: null,
  outcome: null,
  outcome_chute: null,
  outcome_turn: null,
  closed_stamp_ms: null,
};

describe('journal records: each operation round-trips through the journal', () => {
  it('opened: a task with a reply, and an orphan task without one', async () => {
    const dir = await written((j) => {
      j.opened(7, 2, 4_000_000_001, T0, reply(3, [101, 2, 65_535], 900), 'nanjing');
      j.opened(8, 3, 0, T0 + 1, null, null);
    });
    expect(rows(dir, 'tasks')).toEqual([
      {
        id: 7,
        gateway: 2,
        task_id: 4_000_000_001,
        opened_ms: T0,
        orphan: 0,
        turn: 3,
        status: ReplyStatus.OK,
        destination: 'nanjing',
        chutes: '101 2 65535',
        exception_chute: 900,
        ...NOT_CLOSED,
      },
      {
        id: 8,
        gateway: 3,
        task_id: 0,
        opened_ms: T0 + 1,
        orphan: 1,
        turn: 0,
        status: null,
        destination: null,
        chutes: null,
        exception_chute: null,
        ...NOT_CLOSED,
      },
    ]);
  });

  it('replied: the task takes the new reply (an empty chute list too)', async () => {
    const dir = await written((j) => {
      j.opened(7, 2, 55, T0, reply(1, [101], 900), 'nanjing');
      j.replied(7, reply(2, [], 901, ReplyStatus.NO_RULE), null);
      j.opened(9, 2, 56, T0, reply(1, [101], 900), 'nanjing');
      j.replied(9, reply(4, [5, 6], 902), 'shandong');
    });
    expect(rows(dir, 'tasks')).toEqual([
      {
        id: 7,
        gateway: 2,
        task_id: 55,
        opened_ms: T0,
        orphan: 0,
        turn: 2,
        status: ReplyStatus.NO_RULE,
        destination: null,
        chutes: '',
        exception_chute: 901,
        ...NOT_CLOSED,
      },
      {
        id: 9,
        gateway: 2,
        task_id: 56,
        opened_ms: T0,
        orphan: 0,
        turn: 4,
        status: ReplyStatus.OK,
        destination: 'shandong',
        chutes: '5 6',
        exception_chute: 902,
        ...NOT_CLOSED,
      },
    ]);
  });

  it('request: every request field, its reads in order, the reply it got or none', async () => {
    const dir = await written((j) => {
      j.request(
        7,
        T0 + 5,
        sortRequest(),
        RequestKind.DUPLICATE,
        reply(3, [101, 102], 900, ReplyStatus.MULTI_READ),
        'nanjing',
        false,
        1234.5,
        true,
      );
      j.request(
        8,
        T0 + 6,
        sortRequest({ turn: 1, reads: [], weightG: 0, induct: 0 }),
        RequestKind.STALE,
        null,
        null,
        true,
        0,
        false,
      );
    });
    expect(events(dir)).toEqual([
      event({
        ts_ms: T0 + 5,
        kind: EventKind.REQUEST,
        task: 7,
        turn: 3,
        code: ReplyStatus.MULTI_READ,
        detail: RequestKind.DUPLICATE,
        chutes: '101 102',
        exception_chute: 900,
        destination: 'nanjing',
        sent: 0,
        latency_us: 1234.5,
        late: 1,
        induct: 65_535,
        scanner: 12,
        carrier: 401,
        weight_g: 999_999,
        length_mm: 1200,
        width_mm: 650,
        height_mm: 40,
        reads: JSON.stringify([
          { source: ReadSource.SCANNER, scanner: 12, data: ']C1 0012345, "quoted"' },
          { source: ReadSource.RFID, scanner: 7, data: 'E200341201' },
          { source: ReadSource.MANUAL, scanner: 65_535, data: '' },
        ]),
      }),
      event({
        ts_ms: T0 + 6,
        kind: EventKind.REQUEST,
        task: 8,
        turn: 1,
        code: null,
        detail: RequestKind.STALE,
        chutes: null,
        exception_chute: null,
        destination: null,
        sent: 1,
        latency_us: 0,
        late: 0,
        induct: 0,
        scanner: 12,
        carrier: 401,
        weight_g: 0,
        length_mm: 1200,
        width_mm: 650,
        height_mm: 40,
        reads: '[]',
      }),
    ]);
  });

  it('rerouted: the unasked reply, detail 0', async () => {
    const dir = await written((j) => {
      j.rerouted(7, T0 + 9, reply(2, [6, 7], 903, ReplyStatus.OK), 'shandong', true);
      j.rerouted(8, T0 + 10, reply(5, [], 904, ReplyStatus.NO_RULE), null, false);
    });
    expect(events(dir)).toEqual([
      event({
        ts_ms: T0 + 9,
        kind: EventKind.REROUTE,
        task: 7,
        turn: 2,
        code: ReplyStatus.OK,
        detail: 0,
        chutes: '6 7',
        exception_chute: 903,
        destination: 'shandong',
        sent: 1,
      }),
      event({
        ts_ms: T0 + 10,
        kind: EventKind.REROUTE,
        task: 8,
        turn: 5,
        code: ReplyStatus.NO_RULE,
        detail: 0,
        chutes: '',
        exception_chute: 904,
        destination: null,
        sent: 0,
      }),
    ]);
  });

  it('confirmation: task, turn, outcome, chute and kind', async () => {
    const c: SortConfirmation = {
      type: 'sortConfirmation',
      taskId: 55,
      turn: 4,
      chute: 65_535,
      outcome: Outcome.CHUTE_FULL,
    };
    const acked: number[] = [];
    const dir = await written((j) => {
      j.confirmation(7, T0 + 11, c, ConfirmationKind.AFTER_CLOSE, () => acked.push(1));
      j.confirmation(8, T0 + 12, { ...c, turn: 1, chute: 0, outcome: Outcome.DISCHARGED }, 0, () =>
        acked.push(2),
      );
    });
    expect(acked).toEqual([1, 2]);
    expect(events(dir)).toEqual([
      event({
        ts_ms: T0 + 11,
        kind: EventKind.CONFIRMATION,
        task: 7,
        turn: 4,
        code: Outcome.CHUTE_FULL,
        detail: ConfirmationKind.AFTER_CLOSE,
        chute: 65_535,
      }),
      event({
        ts_ms: T0 + 12,
        kind: EventKind.CONFIRMATION,
        task: 8,
        turn: 1,
        code: Outcome.DISCHARGED,
        detail: ConfirmationKind.COUNTED,
        chute: 0,
      }),
    ]);
  });

  it('closed: outcome, chute, turn, and the PLC stamp (none stored as NULL)', async () => {
    const dir = await written((j) => {
      j.opened(7, 2, 55, T0, reply(1, [101], 900), 'nanjing');
      j.opened(8, 2, 56, T0, reply(1, [101], 900), 'nanjing');
      j.closed(7, T0 + 20, Outcome.DISCHARGED, 101, 3, T0 + 19);
      j.closed(8, T0 + 21, Outcome.CHUTE_FULL, 0, 2, 0);
    });
    expect(
      rows(dir, 'tasks').map((t) => [
        t.id,
        t.closed_ms,
        t.outcome,
        t.outcome_chute,
        t.outcome_turn,
        t.closed_stamp_ms,
      ]),
    ).toEqual([
      [7, T0 + 20, Outcome.DISCHARGED, 101, 3, T0 + 19],
      [8, T0 + 21, Outcome.CHUTE_FULL, 0, 2, null],
    ]);
  });

  it('chute: an event, and the chute row replaced; the gateway 0 (operator) stored as NULL', async () => {
    const dir = await written((j) => {
      j.chute(T0 + 30, 44, 2, 17, ChuteSource.PLC, 3);
      j.chute(T0 + 31, 44, 1, 18, ChuteSource.OPERATOR, 0);
      j.chute(T0 + 32, 45, 3, 0, ChuteSource.PLC, 1);
    });
    expect(events(dir)).toEqual([
      event({
        ts_ms: T0 + 30,
        kind: EventKind.CHUTE,
        chute: 44,
        code: 2,
        fill: 17,
        detail: ChuteSource.PLC,
        gateway: 3,
      }),
      event({
        ts_ms: T0 + 31,
        kind: EventKind.CHUTE,
        chute: 44,
        code: 1,
        fill: 18,
        detail: ChuteSource.OPERATOR,
        gateway: null,
      }),
      event({
        ts_ms: T0 + 32,
        kind: EventKind.CHUTE,
        chute: 45,
        code: 3,
        fill: 0,
        detail: ChuteSource.PLC,
        gateway: 1,
      }),
    ]);
    expect(rows(dir, 'chutes')).toEqual([
      { chute: 44, state: 1, fill: 18, changed_ms: T0 + 31 },
      { chute: 45, state: 3, fill: 0, changed_ms: T0 + 32 },
    ]);
  });

  it('fill: a known chute takes only the fill; an unknown one is added with its state', async () => {
    const dir = await written((j) => {
      j.chute(T0 + 30, 44, 2, 17, ChuteSource.PLC, 3);
      j.fill(T0 + 40, 44, 0, 25);
      j.fill(T0 + 41, 46, 1, 9);
    });
    expect(rows(dir, 'chutes')).toEqual([
      { chute: 44, state: 2, fill: 25, changed_ms: T0 + 30 },
      { chute: 46, state: 1, fill: 9, changed_ms: T0 + 41 },
    ]);
    expect(events(dir)).toHaveLength(1); // fill estimates are not events
  });

  it('gateway: each new name once, with its id, kept across a reopen', async () => {
    const dir = await written((j) => {
      expect(j.gatewayId('plc-north')).toBe(1);
      expect(j.gatewayId('plc "south", 2')).toBe(2);
      expect(j.gatewayId('plc-north')).toBe(1);
    });
    expect(rows(dir, 'gateways')).toEqual([
      { id: 1, name: 'plc-north' },
      { id: 2, name: 'plc "south", 2' },
    ]);
    const again = Journal.open({ dir });
    expect(again.gatewayNames()).toEqual(['plc-north', 'plc "south", 2']);
    expect(again.gatewayId('plc "south", 2')).toBe(2);
    await again.close();
  });

  it('chuteIds: the numbering in force replaces the one before', async () => {
    const dir = await written((j) => {
      j.chuteIds(new ChuteNumbering(['A1', 'A2', 'X'], [10, 11, 900]));
      j.chuteIds(new ChuteNumbering(['B1', 'Z'], [65_535, 3]));
    });
    expect(rows(dir, 'chute_ids')).toEqual([
      { chute: 3, id: 'Z' },
      { chute: 65_535, id: 'B1' },
    ]); // by chute number (the table's rowid)
  });
});

describe('journal records: the field lists', () => {
  it('use each op code once and each field in some statement', () => {
    expect(new Set(OPS.map((o) => o.code)).size).toBe(OPS.length);
    for (const op of OPS) {
      const used = new Set(
        op.statements.flatMap((s) => [
          ...Object.values(s.columns),
          ...(s.mode === 'update' ? [s.key.field] : []),
        ]),
      );
      expect([...used].sort(), op.name).toEqual(op.fields.map((f) => f.name).sort());
    }
  });

  it('name only columns of the schema, and every column of events and tasks is written by some operation', () => {
    const db = new Sqlite(':memory:');
    db.exec(SCHEMA_SQL);
    const columns = (table: string): string[] =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map(
        (c) => c.name,
      );
    const written = new Map<string, Set<string>>();
    for (const op of OPS)
      for (const s of op.statements) {
        const set = written.get(s.table) ?? new Set<string>();
        for (const c of [...Object.keys(s.columns), ...Object.keys(s.fixed ?? {})]) set.add(c);
        if (s.mode === 'update') set.add(s.key.column);
        written.set(s.table, set);
      }
    for (const [table, cols] of written)
      for (const c of cols) expect(columns(table), `${table}.${c}`).toContain(c);
    // `events.id` is the rowid (arrival order); every other column comes from an operation
    expect([...written.get('events')!].sort()).toEqual(
      columns('events')
        .filter((c) => c !== 'id')
        .sort(),
    );
    expect([...written.get('tasks')!].sort()).toEqual(columns('tasks').sort());
    db.close();
    expect(SCHEMA_VERSION).toBe(2); // the field lists write schema 2; a new version revisits them
  });

  it('decode what they encode, in order, with nulls and empty lists kept apart', () => {
    const b = new BatchWriter();
    const req = newRecord(REQUEST);
    req.task = 3;
    req.turn = 2;
    req.status = null;
    req.chutes = null;
    req.reads = [{ source: ReadSource.RFID, scanner: 4, data: 'E2' }];
    req.destination = 'x';
    encodeRecord(b, REQUEST, req);
    expect(req.reads).toEqual([]); // no message array kept alive by the reused record
    const open = newRecord(OPEN);
    open.chutes = [];
    open.status = 0;
    open.exceptionChute = null;
    encodeRecord(b, OPEN, open);
    const r = new BatchReader(b.take());
    const first: SqlRow = {};
    decodeRecord(r, REQUEST, first);
    expect(first).toMatchObject({
      task: 3,
      turn: 2,
      status: null,
      chutes: null,
      reads: '[{"source":1,"scanner":4,"data":"E2"}]',
      destination: 'x',
    });
    const second: SqlRow = {};
    decodeRecord(r, OPEN, second);
    expect(second).toMatchObject({
      chutes: '',
      status: 0,
      exceptionChute: null,
      destination: null,
    });
    expect(r.more).toBe(false);
  });
});
