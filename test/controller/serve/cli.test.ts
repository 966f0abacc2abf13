import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ReplyStatus } from '../../../core/protocol/index.js';
import { loadServeConfig } from '../../../controller/config/index.js';
import { startServer } from '../../../controller/server.js';
import { label, num, read, request } from '../service/helpers.js';
import { plc, tempDir, until } from './helpers.js';

const cli = fileURLToPath(new URL('../../../bin/sortline.js', import.meta.url));
const LISTENING =
  /^sortline serve: listening on (\S+) \(dialect (\w+), plan (\S+), journal (.+)\)$/;

describe('sortline serve (compiled CLI)', () => {
  it('prints where it listens, answers a sort request, and drains on SIGTERM with exit code 0', async () => {
    const data = tempDir();
    const proc = spawn(
      process.execPath,
      [cli, 'serve', '--gateway', 'tcp://127.0.0.1:0', '--data', data, '--log-level', 'silent'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) =>
      proc.on('exit', (code) => resolve(code)),
    );
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await until(() => stdout.includes('\n') || proc.exitCode !== null, 30_000);
      const m = LISTENING.exec(stdout.split('\n')[0]!);
      expect(m, `stdout: ${stdout} stderr: ${stderr}`).not.toBeNull();
      const [, address, dialect, version, journal] = m!;
      expect([dialect, version, journal]).toEqual([
        'native',
        'jiangsu-outbound-2026-11',
        path.join(data, 'journal.sqlite'),
      ]);
      const p = plc(address!);
      p.client.session.send(request(31, [read(label('210008'))]));
      await until(() => p.replies().length === 1);
      expect(p.replies()[0]).toMatchObject({
        taskId: 31,
        chutes: [num('C53')],
        status: ReplyStatus.OK,
      });
      await p.client.close();
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });

  it('refuses a bad configuration file with every fault and its pointer, exit code 2', () => {
    const dir = tempDir();
    const file = path.join(dir, 'serve.json');
    writeFileSync(
      file,
      JSON.stringify({ gateway: { dialect: 'modbus' }, journal: { flushMs: -1 } }),
    );
    const r = spawnSync(process.execPath, [cli, 'serve', '--config', file, '--data', dir], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SORTLINE_ERR_CONFIG_INVALID');
    expect(r.stderr).toContain('/gateway/dialect: found "modbus"');
    expect(r.stderr).toContain('/journal/flushMs: found number -1');
  });

  it('journal: no sub-command, an unknown one, or an empty time window are usage errors (exit 2)', () => {
    const none = spawnSync(process.execPath, [cli, 'journal'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Usage: sortline journal <command> [options]');
    expect(none.stderr).toContain('SORTLINE_ERR_USAGE: journal: expected a sub-command: export');
    const unknown = spawnSync(process.execPath, [cli, 'journal', 'exprot'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown sub-command "exprot"');
    const data = tempDir();
    const backwards = spawnSync(
      process.execPath,
      [cli, 'journal', 'export', '--data', data, '--from', '2030-01-01', '--to', '2020-01-01'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(backwards.status).toBe(2);
    expect(backwards.stderr).toContain(
      'SORTLINE_ERR_USAGE: --from 2030-01-01 is not before --to 2020-01-01',
    );
  });

  it('exports the journal as CSV', async () => {
    const data = tempDir();
    const server = await startServer(
      loadServeConfig(undefined, { gateway: 'tcp://127.0.0.1:0', data }),
      { logger: pino({ level: 'silent' }) },
    );
    const p = plc(server.address);
    p.client.session.send(request(41, [read(label('210008'))]));
    await until(() => p.replies().length === 1);
    await p.client.close();
    await server.close();
    const out = path.join(data, 'tasks.csv');
    const r = spawnSync(
      process.execPath,
      [cli, 'journal', 'export', '--data', data, '--out', out],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).toBe(0);
    const events = spawnSync(
      process.execPath,
      [cli, 'journal', 'export', '--data', data, '--events'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(events.stdout.split('\r\n')[1]).toMatch(/^1,[^,]+,request,plc1,1,41,1,ok,new,/);
    expect(readFileSync(out, 'utf8').split('\r\n')[1]).toMatch(/^1,plc1,41,/);
  });
});
