/**
 * `sortline emulate` (compiled CLI): bad flags exit 2 with the flag named; no controller, or a
 * controller of another dialect, exits 1 with its code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, scenario, startServe, stopServe, tempDir } from '../../controller/e2e/helpers.js';

function run(args: string[]) {
  return spawnSync(process.execPath, [cli, 'emulate', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('sortline emulate flags', () => {
  it.each([
    [['--dialect', 'modbus'], '--dialect must be one of native, telegram, ndjson, got "modbus"'],
    [['--time-scale', '0'], '--time-scale must be a number > 0'],
    [['--parcels', '0'], '--parcels must be an integer ≥ 1'],
    [['--corrupt-rate', '1.5'], '--corrupt-rate must be a number ≥ 0 and ≤ 1, got "1.5"'],
    [['--duplicate-rate', '-0.1'], '--duplicate-rate must be a number ≥ 0'],
    [['--delay-ms', 'soon'], '--delay-ms must be a number'],
    [['--drop-every', '-1'], '--drop-every must be a number ≥ 0'],
    [['--connect', '127.0.0.1:7300'], 'did you mean tcp://127.0.0.1:7300'],
  ])('refuses %j with exit code 2', (flags, message) => {
    const r = run([scenario, ...flags]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('refuses an invalid scenario with exit code 2 and the pointer', () => {
    const r = run([scenario, '--set', 'sorter.speed=-1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SORTLINE_ERR_SCENARIO_INVALID');
    expect(r.stderr).toContain('/sorter/speed');
  });

  it('exits 1 with SORTLINE_ERR_EMULATOR_NO_CONTROLLER when nothing answers at the address', async () => {
    // a port that was free a moment ago: connections are refused, the client keeps dialling until the timeout
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = run([
      scenario,
      '--connect',
      `tcp://127.0.0.1:${port}`,
      '--connect-timeout-s',
      '0.5',
      '--log-level',
      'silent',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SORTLINE_ERR_EMULATOR_NO_CONTROLLER');
  });

  it('exits 1 with SORTLINE_ERR_EMULATOR_NO_CONTROLLER naming the dialect when a controller of another dialect answers, before any parcel', async () => {
    const data = tempDir();
    const serve = await startServe([
      '--gateway',
      'tcp://127.0.0.1:0',
      '--dialect',
      'native',
      '--data',
      data,
    ]);
    const dir = tempDir();
    const json = path.join(dir, 'summary.json');
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'emulate',
        scenario,
        '--connect',
        serve.address,
        '--dialect',
        'telegram',
        '--parcels',
        '1000',
        '--json',
        json,
        '--log-level',
        'silent',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(await stopServe(serve)).toBe(0);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SORTLINE_ERR_EMULATOR_NO_CONTROLLER');
    expect(r.stderr).toContain('nothing valid in the telegram dialect came back');
    expect(r.stderr).toContain('--dialect');
    expect(existsSync(json)).toBe(false); // no scenario was run
  }, 60_000);
});
