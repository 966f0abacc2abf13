/**
 * The journal's record layout, in one place: for each operation the journal records (a task
 * opened, its reply changed, a sort request, a reroute, a sort confirmation, a task closed, a chute
 * change, a fill estimate, a gateway name, the chute numbering), one list of typed fields and the
 * SQL statements that store them (table, column ← field, fixed column values).
 *
 * That one list drives both sides of the writer thread hand-over (./batch.ts):
 * - the event loop thread ({@link encodeRecord}, used by ./journal.ts) writes a record's fields
 *   into the batch in list order, from a reusable record object ({@link newRecord}): no
 *   allocation per record;
 * - the writer thread ({@link RecordWriter}, used by ./writes.ts) reads them back in the same
 *   order into the statement's named parameters and runs the SQL generated from the same list
 *   ({@link statementSql}).
 *
 * A field added, removed or moved therefore changes both sides at once; what a field means on disk
 * is the column it names (./schema.ts, docs/operations.md "The journal"). The batch layout is
 * transient (it never reaches the disk), so it may change freely between releases.
 */
import type { Read } from '../../core/protocol/index.js';
import type { BatchReader, BatchWriter } from './batch.js';
import { EventKind } from './schema.js';

/**
 * Types of a record field, with their batch encoding and their SQL value:
 * - `num`: a number (one float64; stored as is);
 * - `num?`: a number or null (NaN in the batch; NULL in SQL);
 * - `bool`: a boolean (0/1 in the batch and in SQL);
 * - `str`: a string or null (one entry of the batch's strings);
 * - `chutes`: a list of chute numbers (a count, then the numbers; stored space-separated, `''`
 *   when empty);
 * - `chutes?`: the same or null (count -1 for null; NULL in SQL);
 * - `reads`: the reads of a sort request (a count, then source and scanner per read, each read's
 *   data among the strings; stored as the JSON array `[{"source","scanner","data"}]`).
 */
export type FieldType = 'num' | 'num?' | 'bool' | 'str' | 'chutes' | 'chutes?' | 'reads';

/** The value of a field of type `T` in a record. */
export type FieldValue<T extends FieldType> = T extends 'num'
  ? number
  : T extends 'num?'
    ? number | null
    : T extends 'bool'
      ? boolean
      : T extends 'str'
        ? string | null
        : T extends 'chutes'
          ? readonly number[]
          : T extends 'chutes?'
            ? readonly number[] | null
            : readonly Read[];

/** One field of a record: its name (also the SQL named parameter `@name`) and type. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
}

/** The record an operation's field list describes: field name → value. */
export type RecordOf<F extends readonly FieldSpec[]> = {
  [K in F[number] as K['name']]: FieldValue<K['type']>;
};

/**
 * One SQL statement an operation runs, with the columns it writes, each from a field of the
 * operation (`columns`: column → field name) or a constant (`fixed`: column → number).
 * - `insert` / `insertOrIgnore`: `INSERT [OR IGNORE] INTO table (columns) VALUES (…)`;
 * - `update`: `UPDATE table SET columns WHERE key.column = key.field`;
 * - `upsert`: an insert that, when a row with the same `conflict` column exists, sets only the
 *   columns of `set` from the new row;
 * - `deleteAll`: `DELETE FROM table` (no columns).
 */
export type StatementSpec<N extends string> = {
  readonly table: string;
  readonly columns: Readonly<Record<string, N>>;
  readonly fixed?: Readonly<Record<string, number>>;
} & (
  | { readonly mode: 'insert' | 'insertOrIgnore' | 'deleteAll' }
  | { readonly mode: 'update'; readonly key: { readonly column: string; readonly field: N } }
  | { readonly mode: 'upsert'; readonly conflict: string; readonly set: readonly string[] }
);

/** An operation of the journal: its code in the batch, name, field list and statements. */
export interface OpSpec<F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  readonly code: number;
  readonly name: string;
  readonly fields: F;
  readonly statements: ReadonlyArray<StatementSpec<F[number]['name']>>;
}

/** An {@link OpSpec}, with its field names checked against the statements that use them. */
function op<const F extends readonly FieldSpec[]>(
  code: number,
  name: string,
  fields: F,
  statements: ReadonlyArray<StatementSpec<F[number]['name']>>,
): OpSpec<F> {
  return { code, name, fields, statements };
}

/** A task's life began (`tasks` row); `orphan` when it began by a confirmation, without a reply. */
export const OPEN = op(
  1,
  'opened',
  [
    { name: 'task', type: 'num' },
    { name: 'gateway', type: 'num' },
    { name: 'taskId', type: 'num' },
    { name: 'atMs', type: 'num' },
    { name: 'orphan', type: 'bool' },
    { name: 'turn', type: 'num' },
    { name: 'status', type: 'num?' },
    { name: 'destination', type: 'str' },
    { name: 'chutes', type: 'chutes?' },
    { name: 'exceptionChute', type: 'num?' },
  ],
  [
    {
      table: 'tasks',
      mode: 'insert',
      columns: {
        id: 'task',
        gateway: 'gateway',
        task_id: 'taskId',
        opened_ms: 'atMs',
        orphan: 'orphan',
        turn: 'turn',
        status: 'status',
        destination: 'destination',
        chutes: 'chutes',
        exception_chute: 'exceptionChute',
      },
    },
  ],
);

/** The open task's current reply changed (`tasks` row). */
export const REPLIED = op(
  2,
  'replied',
  [
    { name: 'task', type: 'num' },
    { name: 'turn', type: 'num' },
    { name: 'status', type: 'num' },
    { name: 'destination', type: 'str' },
    { name: 'chutes', type: 'chutes' },
    { name: 'exceptionChute', type: 'num' },
  ],
  [
    {
      table: 'tasks',
      mode: 'update',
      key: { column: 'id', field: 'task' },
      columns: {
        turn: 'turn',
        status: 'status',
        destination: 'destination',
        chutes: 'chutes',
        exception_chute: 'exceptionChute',
      },
    },
  ],
);

/** A sort request and the reply it got (null status, chutes and exception chute: none, stale). */
export const REQUEST = op(
  3,
  'request',
  [
    { name: 'task', type: 'num' },
    { name: 'atMs', type: 'num' },
    { name: 'turn', type: 'num' },
    { name: 'induct', type: 'num' },
    { name: 'scanner', type: 'num' },
    { name: 'carrier', type: 'num' },
    { name: 'weightG', type: 'num' },
    { name: 'lengthMm', type: 'num' },
    { name: 'widthMm', type: 'num' },
    { name: 'heightMm', type: 'num' },
    { name: 'kind', type: 'num' },
    { name: 'status', type: 'num?' },
    { name: 'exceptionChute', type: 'num?' },
    { name: 'chutes', type: 'chutes?' },
    { name: 'sent', type: 'bool' },
    { name: 'latencyUs', type: 'num' },
    { name: 'late', type: 'bool' },
    { name: 'reads', type: 'reads' },
    { name: 'destination', type: 'str' },
  ],
  [
    {
      table: 'events',
      mode: 'insert',
      fixed: { kind: EventKind.REQUEST },
      columns: {
        ts_ms: 'atMs',
        task: 'task',
        turn: 'turn',
        code: 'status',
        detail: 'kind',
        chutes: 'chutes',
        exception_chute: 'exceptionChute',
        destination: 'destination',
        sent: 'sent',
        latency_us: 'latencyUs',
        late: 'late',
        induct: 'induct',
        scanner: 'scanner',
        carrier: 'carrier',
        weight_g: 'weightG',
        length_mm: 'lengthMm',
        width_mm: 'widthMm',
        height_mm: 'heightMm',
        reads: 'reads',
      },
    },
  ],
);

/** An unasked reply after a chute state change (`detail` 0). */
export const REROUTE = op(
  4,
  'reroute',
  [
    { name: 'task', type: 'num' },
    { name: 'atMs', type: 'num' },
    { name: 'turn', type: 'num' },
    { name: 'status', type: 'num' },
    { name: 'exceptionChute', type: 'num' },
    { name: 'chutes', type: 'chutes' },
    { name: 'sent', type: 'bool' },
    { name: 'destination', type: 'str' },
  ],
  [
    {
      table: 'events',
      mode: 'insert',
      fixed: { kind: EventKind.REROUTE, detail: 0 },
      columns: {
        ts_ms: 'atMs',
        task: 'task',
        turn: 'turn',
        code: 'status',
        chutes: 'chutes',
        exception_chute: 'exceptionChute',
        destination: 'destination',
        sent: 'sent',
      },
    },
  ],
);

/** A sort confirmation; a resent one is an ignored insert (the `events_confirmation` index). */
export const CONFIRMATION = op(
  5,
  'confirmation',
  [
    { name: 'task', type: 'num' },
    { name: 'atMs', type: 'num' },
    { name: 'turn', type: 'num' },
    { name: 'outcome', type: 'num' },
    { name: 'chute', type: 'num' },
    { name: 'kind', type: 'num' },
  ],
  [
    {
      table: 'events',
      mode: 'insertOrIgnore',
      fixed: { kind: EventKind.CONFIRMATION },
      columns: {
        ts_ms: 'atMs',
        task: 'task',
        turn: 'turn',
        code: 'outcome',
        detail: 'kind',
        chute: 'chute',
      },
    },
  ],
);

/** The task closed with its one terminal outcome (`stampMs` null: the PLC sent no clock stamp). */
export const CLOSE = op(
  6,
  'closed',
  [
    { name: 'task', type: 'num' },
    { name: 'atMs', type: 'num' },
    { name: 'outcome', type: 'num' },
    { name: 'chute', type: 'num' },
    { name: 'turn', type: 'num' },
    { name: 'stampMs', type: 'num?' },
  ],
  [
    {
      table: 'tasks',
      mode: 'update',
      key: { column: 'id', field: 'task' },
      columns: {
        closed_ms: 'atMs',
        outcome: 'outcome',
        outcome_chute: 'chute',
        outcome_turn: 'turn',
        closed_stamp_ms: 'stampMs',
      },
    },
  ],
);

/** A chute state change: an event, and the chute's last known state and fill. */
export const CHUTE = op(
  7,
  'chute',
  [
    { name: 'atMs', type: 'num' },
    { name: 'chute', type: 'num' },
    { name: 'state', type: 'num' },
    { name: 'fill', type: 'num' },
    { name: 'source', type: 'num' },
    { name: 'gateway', type: 'num?' },
  ],
  [
    {
      table: 'events',
      mode: 'insert',
      fixed: { kind: EventKind.CHUTE },
      columns: {
        ts_ms: 'atMs',
        chute: 'chute',
        code: 'state',
        fill: 'fill',
        detail: 'source',
        gateway: 'gateway',
      },
    },
    {
      table: 'chutes',
      mode: 'upsert',
      conflict: 'chute',
      set: ['state', 'fill', 'changed_ms'],
      columns: { chute: 'chute', state: 'state', fill: 'fill', changed_ms: 'atMs' },
    },
  ],
);

/** A new fill estimate of a chute (the state is written only for a chute not yet known). */
export const FILL = op(
  8,
  'fill',
  [
    { name: 'atMs', type: 'num' },
    { name: 'chute', type: 'num' },
    { name: 'state', type: 'num' },
    { name: 'fill', type: 'num' },
  ],
  [
    {
      table: 'chutes',
      mode: 'upsert',
      conflict: 'chute',
      set: ['fill'],
      columns: { chute: 'chute', state: 'state', fill: 'fill', changed_ms: 'atMs' },
    },
  ],
);

/** A gateway's stable id (written once per name). */
export const GATEWAY = op(
  9,
  'gateway',
  [
    { name: 'id', type: 'num' },
    { name: 'name', type: 'str' },
  ],
  [{ table: 'gateways', mode: 'insertOrIgnore', columns: { id: 'id', name: 'name' } }],
);

/** Start of a new chute numbering: forgets the one recorded before ({@link CHUTE_ID} follow). */
export const CHUTE_IDS = op(
  10,
  'chuteIds',
  [],
  [{ table: 'chute_ids', mode: 'deleteAll', columns: {} }],
);

/** The plan chute id of one chute number, after {@link CHUTE_IDS}. */
export const CHUTE_ID = op(
  11,
  'chuteId',
  [
    { name: 'chute', type: 'num' },
    { name: 'id', type: 'str' },
  ],
  [{ table: 'chute_ids', mode: 'insert', columns: { chute: 'chute', id: 'id' } }],
);

/** Every operation, each code once. */
export const OPS: readonly OpSpec[] = [
  OPEN,
  REPLIED,
  REQUEST,
  REROUTE,
  CONFIRMATION,
  CLOSE,
  CHUTE,
  FILL,
  GATEWAY,
  CHUTE_IDS,
  CHUTE_ID,
];

/** The empty list that list fields are reset to once encoded (no message kept alive). */
const NONE: readonly never[] = Object.freeze([]);

/**
 * A record of `op` with every field set (0, false, null or empty), to be reused for every record of
 * that operation: set its fields, then {@link encodeRecord}.
 */
export function newRecord<F extends readonly FieldSpec[]>(op: OpSpec<F>): RecordOf<F> {
  const rec: Record<string, unknown> = {};
  for (const f of op.fields) rec[f.name] = initial(f.type);
  return rec as RecordOf<F>;
}

function initial(type: FieldType): unknown {
  switch (type) {
    case 'num':
      return 0;
    case 'bool':
      return false;
    case 'chutes':
    case 'reads':
      return NONE;
    default:
      return null;
  }
}

/**
 * Writes `rec`'s fields into batch `b` in the order of `op.fields` (after the op code, which the
 * caller writes), and resets its list fields to an empty list so the record keeps no message's
 * arrays alive. Allocates nothing.
 */
export function encodeRecord<F extends readonly FieldSpec[]>(
  b: BatchWriter,
  op: OpSpec<F>,
  rec: RecordOf<F>,
): void {
  const r = rec as Record<string, unknown>;
  const fields = op.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = r[f.name];
    switch (f.type) {
      case 'num':
        b.num(v as number);
        break;
      case 'num?':
        b.num(v === null ? NaN : (v as number));
        break;
      case 'bool':
        b.num(v === true ? 1 : 0);
        break;
      case 'str':
        b.str(v as string | null);
        break;
      case 'chutes':
        b.list(v as readonly number[]);
        r[f.name] = NONE;
        break;
      case 'chutes?':
        if (v === null) b.num(-1);
        else {
          b.list(v as readonly number[]);
          r[f.name] = null;
        }
        break;
      case 'reads': {
        const reads = v as readonly Read[];
        b.num(reads.length);
        for (let k = 0; k < reads.length; k++) {
          const read = reads[k]!;
          b.num(read.source);
          b.num(read.scanner);
          b.str(read.data);
        }
        r[f.name] = NONE;
        break;
      }
    }
  }
}

/** SQL values of a record as the writer binds them: field name → value (`@name`). */
export type SqlRow = Record<string, number | string | null>;

/**
 * Reads the fields of `op` from `r` (positioned after the op code) into `row` as SQL values, in the
 * order {@link encodeRecord} wrote them.
 */
export function decodeRecord(r: BatchReader, op: OpSpec, row: SqlRow): void {
  const fields = op.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    switch (f.type) {
      case 'num':
      case 'bool':
        row[f.name] = r.num();
        break;
      case 'num?': {
        const v = r.num();
        row[f.name] = Number.isNaN(v) ? null : v;
        break;
      }
      case 'str':
        row[f.name] = r.str();
        break;
      case 'chutes':
      case 'chutes?':
        row[f.name] = r.spaced();
        break;
      case 'reads': {
        const count = r.num();
        const reads: Array<{ source: number; scanner: number; data: string | null }> = [];
        for (let k = 0; k < count; k++)
          reads.push({ source: r.num(), scanner: r.num(), data: r.str() });
        row[f.name] = JSON.stringify(reads);
        break;
      }
    }
  }
}

/** The SQL of statement `s`, its values as named parameters `@field` and fixed literals. */
export function statementSql(s: StatementSpec<string>): string {
  const cols = Object.keys(s.columns);
  const fixed = Object.entries(s.fixed ?? {});
  switch (s.mode) {
    case 'deleteAll':
      return `DELETE FROM ${s.table}`;
    case 'update': {
      const set = [
        ...cols.map((c) => `${c} = @${s.columns[c]!}`),
        ...fixed.map(([c, v]) => `${c} = ${v}`),
      ];
      return `UPDATE ${s.table} SET ${set.join(', ')} WHERE ${s.key.column} = @${s.key.field}`;
    }
    default: {
      const names = [...cols, ...fixed.map(([c]) => c)];
      const values = [...cols.map((c) => `@${s.columns[c]!}`), ...fixed.map(([, v]) => String(v))];
      const verb = s.mode === 'insertOrIgnore' ? 'INSERT OR IGNORE' : 'INSERT';
      const sql = `${verb} INTO ${s.table} (${names.join(', ')}) VALUES (${values.join(', ')})`;
      if (s.mode !== 'upsert') return sql;
      const set = s.set.map((c) => `${c} = excluded.${c}`).join(', ');
      return `${sql} ON CONFLICT (${s.conflict}) DO UPDATE SET ${set}`;
    }
  }
}
