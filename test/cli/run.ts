import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

/** Runs the compiled `sortline` command (npm test builds dist/ first) and returns its exit code and output. */
export function sortline(
  args: string[],
  options: { input?: string; cwd?: string; timeoutMs?: number } = {},
) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/sortline.js'), ...args], {
    cwd: options.cwd ?? root,
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
