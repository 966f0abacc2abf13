/**
 * `sortline emulate` progress line (issue 9): on a terminal it shows parcels done, late replies
 * and confirmations awaiting their ACK while the run goes on; nothing with --quiet or when stderr
 * is not a terminal. The line itself is checked on a stand-in terminal stream, the wiring in a
 * real pseudo-terminal (util-linux `script`) against an in-process controller.
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { emulateProgress } from '../../bin/commands/emulate.js';
import { loadServeConfig } from '../../controller/config/index.js';
import { startServer } from '../../controller/server.js';
import { FAST_HUB, scenario, tempDir } from '../controller/e2e/helpers.js';
import { root } from './run.js';

/** A writable that says it is a terminal and keeps what was written. */
function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  Object.assign(w, { isTTY, columns: 160, rows: 40 });
  return { stream: w as unknown as NodeJS.WriteStream, text: () => text };
}

const counts = (done: number, draining = false) => ({
  parcels: 20,
  done,
  late: 2,
  unacknowledged: 3,
  simulatedSeconds: 41.6,
  draining,
});

describe('emulateProgress', () => {
  it('draws parcels done out of the total, late replies and confirmations awaiting ACK', () => {
    const t = terminal(true);
    const p = emulateProgress({ quiet: false, total: 100, stream: t.stream });
    p.update(counts(12));
    p.stop();
    expect(t.text()).toContain('emulating [');
    expect(t.text()).toContain('12/100 parcels done | late 2 | awaiting ACK 3 | 42 simulated s');
  });

  it('without a parcel total: done of created; "draining" once the machine has stopped', () => {
    const t = terminal(true);
    const p = emulateProgress({ quiet: false, stream: t.stream });
    p.update(counts(7, true));
    p.stop();
    expect(t.text()).toContain('draining  7 parcels done of 20 created | late 2 | awaiting ACK 3');
  });

  it('writes nothing with quiet, or when the stream is not a terminal', () => {
    for (const [quiet, tty] of [
      [true, true],
      [false, false],
    ] as const) {
      const t = terminal(tty);
      const p = emulateProgress({ quiet, total: 100, stream: t.stream });
      p.update(counts(12));
      p.stop();
      expect(t.text()).toBe('');
    }
  });
});

/** Runs `command` (a shell line) to its end; resolves with its exit code and output. */
function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, out, err }));
  });
}

const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

describe('sortline emulate progress line (compiled CLI)', () => {
  it('shows on a terminal, not with --quiet, not when stderr is a pipe', async () => {
    const server = await startServer(
      loadServeConfig(undefined, { gateway: 'tcp://127.0.0.1:0', data: tempDir() }),
      { logger: pino({ level: 'silent' }) },
    );
    try {
      const args = [
        'bin/sortline.js',
        'emulate',
        scenario,
        '--connect',
        server.address,
        '--parcels',
        '60',
        '--time-scale',
        '50',
        ...FAST_HUB,
      ];
      const line = [process.execPath, ...args].map(quote).join(' ');
      // script(1) runs the line on a pseudo-terminal and copies what it shows to our stdout
      const tty = await run('script', ['-qec', line, '/dev/null']);
      expect(tty.code, tty.out).toBe(0);
      expect(tty.out).toMatch(/emulating \[.*\] \d+\/60 parcels done \| late \d+ \| awaiting ACK/);
      expect(tty.out).toContain('sortline emulate: '); // the summary still follows

      const quiet = await run('script', ['-qec', `${line} --quiet`, '/dev/null']);
      expect(quiet.code, quiet.out).toBe(0);
      expect(quiet.out).toContain('sortline emulate: ');
      expect(quiet.out).not.toContain('parcels done');

      const piped = await run(process.execPath, args);
      expect(piped.code, piped.err).toBe(0);
      expect(piped.out).toContain('sortline emulate: ');
      expect(piped.err).not.toContain('parcels done');
    } finally {
      await server.close();
    }
  }, 120_000);
});
