import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Outcome } from '../../../core/protocol/index.js';
import { EventKind, Journal } from '../../../controller/journal/index.js';
import { makeService, num } from '../service/helpers.js';
import { read, tempDir } from './helpers.js';

const child = fileURLToPath(new URL('./fixtures/confirming-child.mjs', import.meta.url));

/** Runs the child on `dir` until it has acknowledged `acks` confirmations, kills it with SIGKILL, and returns the acknowledged task ids. */
function runAndKill(dir: string, firstTaskId: number, acks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, String(firstTaskId)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: number[] = [];
    let rest = '';
    let errors = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(
        new Error(
          `the child acknowledged only ${acked.length} confirmations in time; stderr: ${errors}`,
        ),
      );
    }, 30_000);
    proc.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop()!;
      for (const l of lines) if (l !== 'ready') acked.push(Number(l));
      if (acked.length >= acks && !proc.killed) proc.kill('SIGKILL');
    });
    proc.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`the child exited on its own (${signal ?? _code}): ${errors}`));
    });
  });
}

describe('journal: crash safety', () => {
  it('a controller killed with SIGKILL mid-stream loses no acknowledged confirmation, three times over', async () => {
    const dir = tempDir();
    const acked = new Set<number>();
    for (let run = 0; run < 3; run++)
      for (const id of await runAndKill(dir, 1 + run * 1_000_000, 2000 + run * 500)) acked.add(id);

    // every acknowledged confirmation is in the journal, closing its task, once
    const confirmed = read(
      dir,
      (db) =>
        db
          .prepare(
            `SELECT t.task_id FROM events e JOIN tasks t ON t.id = e.task WHERE e.kind = ${EventKind.CONFIRMATION} AND t.outcome = ${Outcome.DISCHARGED}`,
          )
          .pluck()
          .all() as number[],
    );
    const inJournal = new Set(confirmed);
    const lost = [...acked].filter((id) => !inJournal.has(id));
    expect(lost).toEqual([]);
    expect(acked.size).toBeGreaterThanOrEqual(2000 + 2500 + 3000);
    expect(inJournal.size).toBe(confirmed.length);

    // a restarted service counts the PLC's resends of those confirmations as duplicates
    const journal = Journal.open({ dir, flushMs: 60_000 });
    const s = makeService({ recorder: journal });
    s.service.restore(journal.recover(1_000_000));
    const c53 = s.machine.numbering.indexOf(num('C53'));
    const fill = s.machine.chutes.fill[c53];
    expect(fill).toBe(confirmed.length);
    const runs = read(dir, (db) => db.prepare('SELECT DISTINCT gateway FROM tasks').pluck().all());
    expect(runs).toEqual([1]);
    let n = 0;
    for (const id of acked) {
      if (n++ >= 500) break;
      s.deliver({
        type: 'sortConfirmation',
        taskId: id,
        turn: 1,
        chute: num('C53'),
        outcome: Outcome.DISCHARGED,
      });
    }
    expect(s.service.stats.duplicateConfirmations).toBe(500);
    expect(s.machine.chutes.fill[c53]).toBe(fill);
    await journal.close();
  });
});
