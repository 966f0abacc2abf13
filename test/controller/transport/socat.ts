/**
 * A pty pair made by socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`): two connected serial
 * devices for tests and commissioning (docs/transports.md "Serial lines").
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface PtyPair {
  /** The two device paths, e.g. /dev/pts/3 and /dev/pts/4. */
  readonly paths: [string, string];
  /** Kills socat and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts socat and resolves with the two pty paths it reports on stderr. */
export function ptyPair(): Promise<PtyPair> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const paths: string[] = [];
    let text = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`socat reported no pty pair: ${text}`));
    }, 10_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run socat (install it: apt-get install socat): ${err.message}`));
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      for (const m of text.matchAll(/PTY is (\/dev\/\S+)/g))
        if (!paths.includes(m[1]!)) paths.push(m[1]!);
      if (paths.length === 2 && /starting data transfer loop/.test(text)) {
        clearTimeout(timer);
        resolve({
          paths: [paths[0]!, paths[1]!],
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
  });
}
