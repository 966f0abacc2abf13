import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Outcome, ReplyStatus, type DialectName } from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import { loadServeConfig } from '../../../controller/config/index.js';
import { openJournalReadOnly } from '../../../controller/journal/index.js';
import { startServer } from '../../../controller/server.js';
import { BUNDLED_PLAN_DOC, defaultNumbers, label, num, read, request } from '../service/helpers.js';
import { plc, tempDir, until } from './helpers.js';

const silent = pino({ level: 'silent' });
const config = (data: string, more: Record<string, string> = {}) =>
  loadServeConfig(undefined, { gateway: 'tcp://127.0.0.1:0', data, ...more });

describe('startServer: gateway → session → service → journal', () => {
  it.each(['native', 'telegram', 'ndjson'] as DialectName[])(
    'answers a sort request and journals its confirmation before the ACK (%s)',
    async (dialect) => {
      const data = tempDir();
      const server = await startServer(config(data, { dialect }), { logger: silent });
      expect(server.banner).toBe(
        `sortline serve: listening on ${server.address} (dialect ${dialect}, plan jiangsu-outbound-2026-11, journal ${server.journalPath})`,
      );
      const p = plc(server.address, dialect);
      p.client.session.send(request(7, [read(label('210008'))]));
      await until(() => p.replies().length === 1);
      expect(p.replies()[0]).toMatchObject({
        taskId: 7,
        turn: 1,
        chutes: [num('C53')],
        status: ReplyStatus.OK,
      });
      p.client.session.send({
        type: 'sortConfirmation',
        taskId: 7,
        turn: 1,
        chute: num('C53'),
        outcome: Outcome.DISCHARGED,
      });
      await until(() => p.client.session.stats.acksIn === 2);
      // the ACK came after the commit: the task is closed in the journal now
      const db = openJournalReadOnly(server.journalPath);
      expect(
        db.prepare('SELECT outcome, outcome_chute FROM tasks WHERE task_id = 7').get(),
      ).toEqual({ outcome: Outcome.DISCHARGED, outcome_chute: num('C53') });
      db.close();
      await p.client.close();
      await server.close();
      expect(await server.stopped).toBeNull();
    },
  );

  it('rebuilds open tasks and chute states when restarted on the same journal', async () => {
    const data = tempDir();
    const first = await startServer(config(data), { logger: silent });
    const p = plc(first.address);
    p.client.session.send(request(1, [read(label('250001'))]));
    p.client.session.send({ type: 'chuteState', chute: num('C05'), state: ChuteState.DISABLED });
    await until(() => p.replies().length === 2); // the reply, then its reroute
    expect(p.replies()[1]!.chutes).toEqual([num('C06'), num('C07')]);
    await p.client.close();
    await first.close();

    const second = await startServer(config(data), { logger: silent });
    expect(second.service.task('plc1', 1)).toMatchObject({
      open: true,
      chutes: [num('C06'), num('C07')],
    });
    const q = plc(second.address);
    q.client.session.send(request(2, [read(label('250001'))]));
    await until(() => q.replies().length === 1);
    expect(q.replies()[0]!.chutes).toEqual([num('C06'), num('C07')]);
    await q.client.close();
    await second.close();
  });

  it('keeps the tasks of each connection apart in many-connections mode', async () => {
    const data = tempDir();
    const server = await startServer(config(data, { connections: 'many' }), { logger: silent });
    const a = plc(server.address);
    const b = plc(server.address);
    a.client.session.send(request(1, [read(label('210008'))]));
    await until(() => a.replies().length === 1);
    b.client.session.send(request(1, [read(label('250001'))]));
    await until(() => b.replies().length === 1);
    expect(a.replies()[0]!.chutes).toEqual([num('C53')]);
    expect(b.replies()[0]!.chutes[0]).toBe(num('C05'));
    await a.client.close();
    await b.client.close();
    await server.close();
    expect(server.journal.gatewayNames().sort()).toEqual(['plc1#1', 'plc1#2']);
  });

  it('leaves no data directory behind when the gateway address is in use, and keeps an existing journal', async () => {
    const data = tempDir();
    const first = await startServer(config(data), { logger: silent });
    const fresh = path.join(tempDir(), 'a', 'b');
    await expect(
      startServer(config(fresh, { gateway: first.address }), { logger: silent }),
    ).rejects.toMatchObject({ code: 'SORTLINE_ERR_TRANSPORT_LISTEN' });
    expect(existsSync(path.join(fresh, '..'))).toBe(false);
    // an existing journal stays when the address is in use
    const other = tempDir();
    const second = await startServer(config(other), { logger: silent });
    await second.close();
    await expect(
      startServer(config(other, { gateway: first.address }), { logger: silent }),
    ).rejects.toMatchObject({ code: 'SORTLINE_ERR_TRANSPORT_LISTEN' });
    expect(readdirSync(other)).toContain('journal.sqlite');
    expect(readdirSync(other)).not.toContain('journal.lock');
    await first.close();
  });

  it('logs the chute numbering in one line at start-up and records it in the journal for the export', async () => {
    const data = tempDir();
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const server = await startServer(config(data), { logger });
    await server.close();
    const numbering = lines
      .map((l) => JSON.parse(l) as { msg: string; chuteNumbers?: string })
      .filter((l) => l.chuteNumbers !== undefined);
    expect(numbering).toHaveLength(1);
    // docs/operations.md "Chute numbers": the plan's chute ids in plan order get 1, 2, 3, ...
    const expected = [...defaultNumbers(BUNDLED_PLAN_DOC)].map(([id, n]) => `${n}=${id}`).join(' ');
    expect(numbering[0]!.chuteNumbers).toBe(expected);
    expect(numbering[0]!.chuteNumbers!.startsWith('1=C53 2=C56 3=C54 ')).toBe(true);
    const db = openJournalReadOnly(server.journalPath);
    expect(db.prepare('SELECT id FROM chute_ids WHERE chute = ?').pluck().get(num('C56'))).toBe(
      'C56',
    );
    db.close();
  });

  it('refuses a second controller on the same data directory', async () => {
    const data = tempDir();
    const server = await startServer(config(data), { logger: silent });
    await expect(startServer(config(data), { logger: silent })).rejects.toMatchObject({
      code: 'SORTLINE_ERR_JOURNAL_LOCKED',
    });
    await server.close();
  });
});
