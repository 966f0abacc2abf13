import { describe, expect, it } from 'vitest';
import { Outcome } from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import { eventsCsv, EVENT_COLUMNS, tasksCsv, TASK_COLUMNS } from '../../../controller/journal/index.js';
import { label, num, read as scan, request } from '../service/helpers.js';
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
  s.ask(request(101, [scan(label('210008')), scan('quote " and, comma', 2)]));
  s.deliver({ type: 'sortConfirmation', taskId: 101, turn: 1, chute: num('C53'), outcome: Outcome.DISCHARGED });
  clock.ms += 60_000;
  s.ask(request(102, []));
  s.deliver({ type: 'chuteState', chute: num('C05'), state: ChuteState.BLOCKED });
  await s.journal.close();
}

describe('journal: CSV export', () => {
  it('writes one row per task with its outcome', async () => {
    const dir = tempDir();
    await scenario(dir);
    const text = read(dir, (db) => [...tasksCsv(db)].join(''));
    expect(text.split('\r\n')[0]).toBe(TASK_COLUMNS.join(','));
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      gateway: 'plc1', task_id: '101', opened: '2026-11-20T08:00:00.000Z', closed: '2026-11-20T08:00:00.000Z', state: 'closed',
      turn: '1', status: 'ok', destination: 'nanjing', chutes: String(num('C53')), outcome: 'discharged', outcome_chute: String(num('C53')), orphan: '0',
    });
    expect(rows[1]).toMatchObject({ task_id: '102', state: 'open', status: 'noRead', destination: '', chutes: '', outcome: '', exception_chute: String(num('X1')) });
  });

  it('writes every event with names for its codes, reads quoted as needed', async () => {
    const dir = tempDir();
    await scenario(dir);
    const text = read(dir, (db) => [...eventsCsv(db)].join(''));
    expect(text.split('\r\n')[0]).toBe(EVENT_COLUMNS.join(','));
    const rows = parseCsv(text);
    expect(rows.map((r) => [r.kind, r.code, r.detail])).toEqual([
      ['request', 'ok', 'new'],
      ['confirmation', 'discharged', 'counted'],
      ['request', 'noRead', 'new'],
      ['chute', 'blocked', 'plc'],
    ]);
    expect(JSON.parse(rows[0]!.reads!)).toEqual([
      { source: 0, scanner: 1, data: label('210008') },
      { source: 0, scanner: 2, data: 'quote " and, comma' },
    ]);
    expect(rows[3]).toMatchObject({ gateway: 'plc1', chute: String(num('C05')), task: '' });
  });

  it('limits rows to a time window', async () => {
    const dir = tempDir();
    await scenario(dir);
    const from = Date.UTC(2026, 10, 20, 8, 0, 30);
    expect(parseCsv(read(dir, (db) => [...tasksCsv(db, { fromMs: from })].join(''))).map((r) => r.task_id)).toEqual(['102']);
    expect(parseCsv(read(dir, (db) => [...tasksCsv(db, { toMs: from })].join(''))).map((r) => r.task_id)).toEqual(['101']);
    expect(parseCsv(read(dir, (db) => [...eventsCsv(db, { fromMs: from })].join(''))).map((r) => r.kind)).toEqual(['request', 'chute']);
  });
});
