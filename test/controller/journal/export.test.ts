import { describe, expect, it } from 'vitest';
import { Outcome, ReadSource } from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import {
  eventsCsv,
  EVENT_COLUMNS,
  tasksCsv,
  TASK_COLUMNS,
} from '../../../controller/journal/index.js';
import { PLAN_DOC, label, num, read as scan, request } from '../service/helpers.js';
import { journaled, read, settableClock, tempDir } from './helpers.js';

/** RFC 4180 records of `text` (quoted fields, doubled quotes, CRLF), each as column → value. */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
      i++;
    } else field += c;
  }
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, k) => [h, r[k]!])));
}

async function scenario(dir: string) {
  const clock = settableClock(Date.UTC(2026, 10, 20, 8, 0, 0));
  const s = journaled(dir, {}, clock);
  s.journal.chuteIds(s.machine.numbering);
  s.ask(request(101, [scan(label('210008')), scan('quote " and, comma', 2)]));
  s.deliver({
    type: 'sortConfirmation',
    taskId: 101,
    turn: 1,
    chute: num('C53'),
    outcome: Outcome.DISCHARGED,
  });
  clock.ms += 60_000;
  s.ask(
    request(102, [
      { source: ReadSource.RFID, scanner: 7, data: '' },
      { source: ReadSource.MANUAL, scanner: 8, data: '' },
    ]),
  );
  s.ask(request(103, [scan(label('250001'))])); // shandong: C05 C06 C07
  s.deliver({ type: 'chuteState', chute: num('C05'), state: ChuteState.BLOCKED }); // reroutes 103
  await s.journal.close();
}

describe('journal: CSV export', () => {
  it('writes one row per task with its outcome', async () => {
    const dir = tempDir();
    await scenario(dir);
    const text = read(dir, (db) => [...tasksCsv(db)].join(''));
    expect(text.split('\r\n')[0]).toBe(TASK_COLUMNS.join(','));
    const rows = parseCsv(text);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      gateway: 'plc1',
      task_id: '101',
      opened: '2026-11-20T08:00:00.000Z',
      closed: '2026-11-20T08:00:00.000Z',
      state: 'closed',
      turn: '1',
      status: 'ok',
      destination: 'nanjing',
      chutes: String(num('C53')),
      chute_ids: 'C53',
      outcome: 'discharged',
      outcome_chute: String(num('C53')),
      outcome_chute_id: 'C53',
      orphan: '0',
    });
    expect(rows[1]).toMatchObject({
      task_id: '102',
      state: 'open',
      status: 'noRead',
      destination: '',
      chutes: '',
      chute_ids: '',
      outcome: '',
      outcome_chute_id: '',
      exception_chute: String(num('X1')),
      exception_chute_id: 'X1',
    });
    // the rerouted reply, the chute ids in the order of the numbers
    expect(rows[2]).toMatchObject({
      task_id: '103',
      chutes: `${num('C06')} ${num('C07')}`,
      chute_ids: 'C06 C07',
    });
  });

  it('names chutes "?" whose number the journal has no id for, and leaves the id columns empty without a numbering', async () => {
    const dir = tempDir();
    const s = journaled(dir);
    s.ask(request(1, [scan(label('210008'))]));
    s.deliver({ type: 'chuteState', chute: 4000, state: ChuteState.FULL });
    await s.journal.close();
    const [task] = parseCsv(read(dir, (db) => [...tasksCsv(db)].join('')));
    expect(task).toMatchObject({ chutes: String(num('C53')), chute_ids: '?' });
    const events = parseCsv(read(dir, (db) => [...eventsCsv(db)].join('')));
    expect(events.at(-1)).toMatchObject({ kind: 'chute', chute: '4000', chute_id: '?' });
  });

  it('writes every event with names for its codes, reads quoted as needed', async () => {
    const dir = tempDir();
    await scenario(dir);
    const text = read(dir, (db) => [...eventsCsv(db)].join(''));
    expect(text.split('\r\n')[0]).toBe(EVENT_COLUMNS.join(','));
    const rows = parseCsv(text);
    // docs/operations.md "Export": detail names per kind, empty for a reroute
    expect(rows.map((r) => [r.kind, r.code, r.detail])).toEqual([
      ['request', 'ok', 'new'],
      ['confirmation', 'discharged', 'counted'],
      ['request', 'noRead', 'new'],
      ['request', 'ok', 'new'],
      ['chute', 'blocked', 'plc'],
      ['reroute', 'ok', ''],
    ]);
    // read sources by name, like every other code (docs/protocol.md "Read sources")
    expect(JSON.parse(rows[0]!.reads!)).toEqual([
      { source: 'scanner', scanner: 1, data: label('210008') },
      { source: 'scanner', scanner: 2, data: 'quote " and, comma' },
    ]);
    expect(JSON.parse(rows[2]!.reads!)).toEqual([
      { source: 'rfid', scanner: 7, data: '' },
      { source: 'manual', scanner: 8, data: '' },
    ]);
    expect(rows[1]).toMatchObject({ chute: String(num('C53')), chute_id: 'C53' });
    expect(rows[4]).toMatchObject({
      gateway: 'plc1',
      chute: String(num('C05')),
      chute_id: 'C05',
      task: '',
    });
    expect(rows[5]).toMatchObject({
      task_id: '103',
      chutes: `${num('C06')} ${num('C07')}`,
      chute_ids: 'C06 C07',
      exception_chute_id: PLAN_DOC.fallbacks.recirculationLimit,
    });
  });

  it('limits rows to a time window', async () => {
    const dir = tempDir();
    await scenario(dir);
    const from = Date.UTC(2026, 10, 20, 8, 0, 30);
    expect(
      parseCsv(read(dir, (db) => [...tasksCsv(db, { fromMs: from })].join(''))).map(
        (r) => r.task_id,
      ),
    ).toEqual(['102', '103']);
    expect(
      parseCsv(read(dir, (db) => [...tasksCsv(db, { toMs: from })].join(''))).map((r) => r.task_id),
    ).toEqual(['101']);
    expect(
      parseCsv(read(dir, (db) => [...eventsCsv(db, { fromMs: from })].join(''))).map((r) => r.kind),
    ).toEqual(['request', 'request', 'chute', 'reroute']);
  });
});
