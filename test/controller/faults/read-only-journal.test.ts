/**
 * A journal the controller may not write is refused at start-up with a coded error (exit 1,
 * SORTLINE_ERR_JOURNAL_OPEN), never an uncaught EACCES later: a read-only data directory, and a
 * journal file left read-only by another user. The controller runs as an unprivileged user
 * (uid 65534) when the tests run as root, since root may write anything.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../../controller/journal/index.js';
import { root } from '../../cli/run.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** Runs `sortline serve` on `data` as an unprivileged user; it must stop on its own. */
function serve(data: string): { status: number | null; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'bin/sortline.js'), 'serve', '--data', data, '--gateway', 'tcp://127.0.0.1:0'],
    {
      encoding: 'utf8',
      timeout: 30_000,
      cwd: tmpdir(),
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    },
  );
  return { status: r.status, stderr: r.stderr };
}

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sortline-ro-'));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

describe('a journal the controller may not write', () => {
  it('a read-only data directory: SORTLINE_ERR_JOURNAL_OPEN at start-up, exit 1', () => {
    const data = path.join(tempDir(), 'data');
    mkdirSync(data);
    chmodSync(data, 0o555);
    const r = serve(data);
    expect(r.stderr).toMatch(/^sortline: SORTLINE_ERR_JOURNAL_OPEN: .*journal\.lock.*EACCES/m);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(r.status).toBe(1);
  });

  it('a journal file read-only for this user: refused at start-up, the file left as found', async () => {
    const data = path.join(tempDir(), 'data');
    const j = Journal.open({ dir: data });
    await j.close();
    chmodSync(data, 0o777);
    for (const f of readdirSync(data)) chmodSync(path.join(data, f), 0o444);
    const before = readdirSync(data).sort();
    const r = serve(data);
    expect(r.stderr).toMatch(
      /^sortline: SORTLINE_ERR_JOURNAL_OPEN: cannot open the journal .*journal\.sqlite: attempt to write a readonly database/m,
    );
    expect(r.stderr).not.toMatch(/TypeError|at .*\.js:\d+/);
    expect(r.status).toBe(1);
    expect(readdirSync(data).sort()).toEqual(before);
    expect(existsSync(path.join(data, 'journal.lock'))).toBe(false);
    writeFileSync(path.join(data, 'probe'), ''); // the directory itself stayed writable
  });
});
