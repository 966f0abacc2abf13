/**
 * `sortline serve` started as `node bin/sortline.js serve` (the compiled CLI, no npm in between)
 * stops cleanly on SIGTERM and on SIGINT (issue 9): it drains with a PLC still connected, exits 0,
 * releases its port and its journal lock — a second controller then starts on the same address
 * and data directory. And the shell recipe of docs/operations.md (a script, so no job control:
 * `&`, `$!`, `kill`, `wait`) stops the controller itself, not a wrapper.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplyStatus } from '../../../core/protocol/index.js';
import { label, num, read, request } from '../service/helpers.js';
import { plc, tempDir, until } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = path.join(root, 'bin/sortline.js');
const LISTENING = /^sortline serve: listening on (\S+) \(/m;

interface Serve {
  proc: ChildProcessByStdio<null, Readable, Readable>;
  address: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

const running: Serve['proc'][] = [];
afterEach(() => {
  for (const p of running.splice(0))
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

/** Starts `node bin/sortline.js serve ARGS` and resolves once it printed where it listens. */
async function startServe(args: string[]): Promise<Serve> {
  const proc = spawn(process.execPath, [cli, 'serve', '--log-level', 'silent', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(proc);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => LISTENING.test(out) || proc.exitCode !== null, 30_000);
  const m = LISTENING.exec(out);
  if (!m) throw new Error(`serve did not start: ${out}`);
  return { proc, address: m[1]!, exited, output: () => out };
}

/** Resolves true when a new listener can bind `port` on 127.0.0.1 (and closes it again). */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe.each(['SIGTERM', 'SIGINT'] as const)('sortline serve on %s', (signal) => {
  it('drains with a PLC connected, exits 0, and releases its port and its journal lock', async () => {
    const data = tempDir();
    const serve = await startServe(['--gateway', 'tcp://127.0.0.1:0', '--data', data]);
    const port = Number(new URL(serve.address).port);
    expect(existsSync(path.join(data, 'journal.lock'))).toBe(true);
    const p = plc(serve.address);
    try {
      p.client.session.send(request(7, [read(label('210008'))]));
      await until(() => p.replies().length === 1);
      expect(p.replies()[0]).toMatchObject({
        taskId: 7,
        status: ReplyStatus.OK,
        chutes: [num('C53')],
      });
      serve.proc.kill(signal); // the PLC is still connected
      expect(await serve.exited, serve.output()).toEqual({ code: 0, signal: null });
    } finally {
      await p.client.close();
    }
    expect(existsSync(path.join(data, 'journal.lock'))).toBe(false);
    expect(await canBind(port)).toBe(true);
    // a second controller takes the same address and data directory at once
    const again = await startServe(['--gateway', serve.address, '--data', data]);
    expect(again.address).toBe(serve.address);
    again.proc.kill(signal);
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });
});

describe('stopping sortline serve from a script', () => {
  // a script's background job starts with SIGINT ignored (no job control): serve still handles it
  it.each(['TERM', 'INT'])(
    'the recipe of docs/operations.md: `kill -%s $!` on node bin/sortline.js drains the controller itself',
    async (signal) => {
      const data = tempDir();
      const script = path.join(data, 'run.sh');
      // as in docs/operations.md "From a script"; bash without -i has no job control
      writeFileSync(
        script,
        [
          'set -eu',
          `cd ${JSON.stringify(root)}`,
          `node bin/sortline.js serve --gateway tcp://127.0.0.1:0 --data "$1" --log-level silent > "$1/serve.out" &`,
          'serve=$!',
          'until grep -qs "^sortline serve: listening" "$1/serve.out"; do sleep 0.1; done',
          'test -f "$1/journal.lock"',
          `kill -${signal} "$serve"`,
          'wait "$serve"',
          'echo "exit $?"',
          'test ! -e "$1/journal.lock"',
          'echo released',
        ].join('\n') + '\n',
      );
      const proc = spawn('bash', [script, data], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
      expect({ code, out }).toEqual({ code: 0, out: 'exit 0\nreleased\n' });
    },
  );
});
