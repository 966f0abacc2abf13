/**
 * runEmulator in-process against an in-process controller: a run aborted from its progress
 * callback (an event, never a wall-clock delay) stops creating parcels at once and ends complete
 * (every parcel terminal, every confirmation acknowledged); its wire recording and its counts are
 * consistent with the ledger.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isTerminalOutcome, nativeCodec, type Message } from '../../../core/protocol/index.js';
import { loadScenario } from '../../../sim/scenario/load.js';
import { loadServeConfig } from '../../../controller/config/index.js';
import { openJournalReadOnly } from '../../../controller/journal/index.js';
import { startServer } from '../../../controller/server.js';
import { runEmulator } from '../../../sim/emulator/index.js';
import type { EmulatorProgress } from '../../../sim/emulator/run.js';
import { dialer } from '../../../controller/transport/index.js';
import { FAST_HUB, scenario, tempDir } from '../../controller/e2e/helpers.js';

const silent = pino({ level: 'silent' });

describe('runEmulator', () => {
  it('stops creating parcels on abort (from onProgress) and ends with every parcel terminal and every confirmation acknowledged', async () => {
    const server = await startServer(
      loadServeConfig(undefined, { gateway: 'tcp://127.0.0.1:0', data: tempDir() }),
      { logger: silent },
    );
    const out: Uint8Array[] = [];
    // abort on an event, not after a wall-clock delay: once this many parcels were created
    const ABORT_AFTER = 40;
    const abort = new AbortController();
    let createdAtAbort = -1;
    const seen: EmulatorProgress[] = [];
    try {
      const { summary, plc } = await runEmulator(
        loadScenario(scenario, { sets: FAST_HUB.filter((_, i) => i % 2 === 1) }),
        {
          connect: server.address,
          dial: dialer(server.address),
          timeScale: 50,
          signal: abort.signal,
          logger: silent,
          wire: (direction, bytes) => {
            if (direction === 'out') out.push(bytes.slice());
          },
          onProgress: (p) => {
            seen.push(p);
            if (!abort.signal.aborted && p.parcels >= ABORT_AFTER) {
              createdAtAbort = p.parcels;
              abort.abort();
            }
          },
        },
      );
      // no parcel was created after the abort
      expect(createdAtAbort).toBeGreaterThanOrEqual(ABORT_AFTER);
      expect(summary.parcels).toBe(createdAtAbort);
      // progress counts only grow, and never exceed what the summary ends with
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]!.parcels).toBeGreaterThanOrEqual(seen[i - 1]!.parcels);
        expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
      }
      for (const p of seen) {
        expect(p.done).toBeLessThanOrEqual(p.parcels);
        expect(p.late).toBeLessThanOrEqual(summary.counts.late);
      }
      expect(summary.complete).toBe(true);
      expect(summary.counts).toMatchObject({ lost: 0, open: 0 });
      expect(plc.ledger.size).toBe(summary.parcels);
      expect(summary.counts.sorted + summary.counts.exception).toBe(summary.parcels);
      // the terminal confirmations on the wire are the ledger's, one per task
      const d = nativeCodec.createDecoder();
      for (const b of out) d.push(b);
      const terminal = new Map<number, Message>();
      for (let f = d.next(); f !== null; f = d.next()) {
        if (
          f.kind === 'frame' &&
          f.message.type === 'sortConfirmation' &&
          isTerminalOutcome(f.message.outcome)
        )
          terminal.set(f.message.taskId, f.message);
      }
      expect(terminal.size).toBe(summary.parcels);
      for (const [taskId, m] of terminal) {
        const e = plc.ledger.get(taskId)!;
        expect(m).toMatchObject({ outcome: e.outcome, chute: e.chute, turn: e.turns });
      }
      // the controller closed every task the PLC reported
      expect(server.service.openTasks).toBe(0);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('after a controller restart on the same data directory, serves a PLC whose task ids start again at 1 as new parcels', async () => {
    const data = tempDir();
    const model = () => loadScenario(scenario, { sets: FAST_HUB.filter((_, i) => i % 2 === 1) });
    const PARCELS = 150;
    const first = await startServer(
      loadServeConfig(undefined, { gateway: 'tcp://127.0.0.1:0', data }),
      { logger: silent },
    );
    const one = await runEmulator(model(), {
      connect: first.address,
      dial: dialer(first.address),
      timeScale: 50,
      parcels: PARCELS,
      logger: silent,
    });
    await first.close();
    expect(one.summary.complete).toBe(true);

    const second = await startServer(
      loadServeConfig(undefined, { gateway: 'tcp://127.0.0.1:0', data }),
      { logger: silent },
    );
    const two = await runEmulator(model(), {
      connect: second.address,
      dial: dialer(second.address),
      timeScale: 50,
      parcels: PARCELS,
      logger: silent,
    });
    await second.close();
    expect(two.summary.complete).toBe(true);
    // every request was answered: none taken for a late request of the first run's closed tasks
    expect(second.service.stats).toMatchObject({
      staleRequests: 0,
      staleAfterClose: 0,
      requests: two.summary.counts.requested,
    });
    expect(second.service.stats.unknownTaskConfirmations).toBe(0);
    // each task id has two lives in the journal, each closed with its run's terminal outcome
    const db = openJournalReadOnly(second.journalPath);
    const rows = db
      .prepare('SELECT id, task_id, outcome, outcome_chute FROM tasks ORDER BY id')
      .all() as Array<{
      id: number;
      task_id: number;
      outcome: number | null;
      outcome_chute: number | null;
    }>;
    db.close();
    expect(rows).toHaveLength(2 * PARCELS);
    for (const [k, run] of [one, two].entries()) {
      for (const r of rows.slice(k * PARCELS, (k + 1) * PARCELS)) {
        const e = run.plc.ledger.get(r.task_id)!;
        expect([r.outcome, r.outcome_chute]).toEqual([e.outcome, e.chute]);
      }
    }
  }, 120_000);
});
