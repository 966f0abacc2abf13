import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Outcome, ReplyStatus, type DialectName } from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import { loadServeConfig } from '../../../controller/config/index.js';
import { openJournalReadOnly } from '../../../controller/journal/index.js';
import { startServer } from '../../../controller/server.js';
import { label, num, read, request } from '../service/helpers.js';
import { plc, tempDir, until } from './helpers.js';

const silent = pino({ level: 'silent' });
const config = (data: string, more: Record<string, string> = {}) => loadServeConfig(undefined, { gateway: 'tcp://127.0.0.1:0', data, ...more });

describe('startServer: gateway → session → service → journal', () => {
  it.each(['native', 'telegram', 'ndjson'] as DialectName[])('answers a sort request and journals its confirmation before the ACK (%s)', async (dialect) => {
    const data = tempDir();
    const server = await startServer(config(data, { dialect }), { logger: silent });
    expect(server.banner).toBe(`sortline serve: listening on ${server.address} (dialect ${dialect}, plan jiangsu-outbound-2026-11, journal ${server.journalPath})`);
    const p = plc(server.address, dialect);
    p.client.session.send(request(7, [read(label('210008'))]));
    await until(() => p.replies().length === 1);
    expect(p.replies()[0]).toMatchObject({ taskId: 7, turn: 1, chutes: [num('C53')], status: ReplyStatus.OK });
    p.client.session.send({ type: 'sortConfirmation', taskId: 7, turn: 1, chute: num('C53'), outcome: Outcome.DISCHARGED });
    await until(() => p.client.session.stats.acksIn === 2);
    // the ACK came after the commit: the task is closed in the journal now
    const db = openJournalReadOnly(server.journalPath);
    expect(db.prepare('SELECT outcome, outcome_chute FROM tasks WHERE task_id = 7').get()).toEqual({ outcome: Outcome.DISCHARGED, outcome_chute: num('C53') });
    db.close();
    await p.client.close();
    await server.close();
    expect(await server.stopped).toBeNull();
  });

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
    expect(second.service.task('plc1', 1)).toMatchObject({ open: true, chutes: [num('C06'), num('C07')] });
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

  it('refuses a second controller on the same data directory', async () => {
    const data = tempDir();
    const server = await startServer(config(data), { logger: silent });
    await expect(startServer(config(data), { logger: silent })).rejects.toMatchObject({ code: 'SORTLINE_ERR_JOURNAL_LOCKED' });
    await server.close();
  });
});
