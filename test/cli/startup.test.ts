/**
 * Start-up wiring of the `sortline` command (bin/cli.ts, bin/commands/index.ts, the bundle that
 * scripts/bundle.mjs links into dist/bundle/): the version comes from package.json, every
 * sub-command's help works, the program's help lists each sub-command as its own registration
 * describes it, and the sub-commands are loaded lazily: `sortline --version` and `--help` load
 * neither the schema library (typebox) nor SQLite (better-sqlite3) nor any sub-command's module,
 * and each sub-command loads only its own. What a process loads is recorded by a loader hook
 * (fixtures/trace-imports.mjs); what a bundle file holds is read from esbuild's metafile.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { subCommandOf } from '../../bin/cli.js';
import { commands } from '../../bin/commands/index.js';
import { root, sortline } from './run.js';

const version = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
).version;
const tracer = path.join(root, 'test/cli/fixtures/trace-imports.mjs');

/** The metafile of the bundle: which source files each output file holds. */
interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}
const meta = JSON.parse(readFileSync(path.join(root, 'dist/bundle/meta.json'), 'utf8')) as Metafile;

/**
 * Runs `node [nodeArgs] args` with the loader hook and returns what the process loaded: the
 * files (as paths relative to the repository, `node:` builtins left out), and for each bundle
 * file among them the source files it holds (paths as esbuild names them: relative to the
 * repository).
 */
function loaded(nodeArgs: string[]): { files: string[]; sources: string[]; status: number | null } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sortline-startup-'));
  const out = path.join(dir, 'trace.txt');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(tracer).href, ...nodeArgs], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SORTLINE_TRACE_IMPORTS: out, FORCE_COLOR: '0' },
    timeout: 60_000,
  });
  let lines: string[] = [];
  try {
    lines = readFileSync(out, 'utf8').split('\n');
  } catch {
    // nothing recorded: the assertions below fail on the empty list
  }
  const files = [
    ...new Set(
      lines
        .filter((l) => l.startsWith('file:'))
        .map((l) => path.relative(root, fileURLToPath(l)).split(path.sep).join('/')),
    ),
  ];
  const sources = files.flatMap((f) => Object.keys(meta.outputs[f]?.inputs ?? {}));
  return { files, sources, status: r.status };
}

const cli = (args: string[]) => loaded([path.join(root, 'bin/sortline.js'), ...args]);
const has = (list: string[], part: string) => list.some((f) => f.includes(part));

describe('sortline --version', () => {
  it("prints package.json's version, with -V as with --version", () => {
    for (const flag of ['--version', '-V']) {
      const r = sortline([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
      expect(r.stderr).toBe('');
    }
  });
});

describe('sortline --help and each sub-command --help', () => {
  it('lists every sub-command with its term and description', () => {
    const r = sortline(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: sortline \[options\] \[command\]\n/);
    const listing = r.stdout.replace(/\s+/g, ' ');
    for (const c of commands) expect(listing).toContain(`${c.term} ${c.description}`);
  });

  for (const c of commands) {
    it(`sortline ${c.name} --help and sortline help ${c.name} print its usage`, () => {
      const r = sortline([c.name, '--help']);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^Usage: sortline ${c.name} `));
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(c.description);
      const viaHelp = sortline(['help', c.name]);
      expect(viaHelp.status).toBe(0);
      expect(viaHelp.stdout).toBe(r.stdout);
    });
  }

  it('sortline journal export --help works (a sub-command of a sub-command)', () => {
    const r = sortline(['journal', 'export', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: sortline journal export \[options\]/);
    expect(r.stdout).toContain('--events');
  });

  it('an unknown sub-command is a usage error (exit 2)', () => {
    const r = sortline(['simulat']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("SORTLINE_ERR_USAGE: unknown command 'simulat'");
  });

  it("the table's term and description are those of each sub-command's registration", async () => {
    const help = new Help();
    for (const c of commands) {
      const program = new Command('sortline');
      (await c.load())(program);
      const registered = program.commands.find((cmd) => cmd.name() === c.name);
      expect(registered, c.name).toBeDefined();
      expect(help.subcommandTerm(registered!)).toBe(c.term);
      expect(registered!.description()).toBe(c.description);
    }
  });
});

describe('subCommandOf', () => {
  it('names the first operand, or the one after help', () => {
    expect(subCommandOf(['simulate', 'x.json', '--seed', '2'])).toBe('simulate');
    expect(subCommandOf(['--help'])).toBeUndefined();
    expect(subCommandOf(['-V'])).toBeUndefined();
    expect(subCommandOf(['help', 'journal'])).toBe('journal');
    expect(subCommandOf(['help'])).toBeUndefined();
    expect(subCommandOf(['journal', 'export', '--data', 'd'])).toBe('journal');
    expect(subCommandOf([])).toBeUndefined();
  });
});

describe('lazy loading (loader hook)', () => {
  it('sortline --version loads no schema library, no SQLite and no sub-command', () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.files).toContain('dist/bundle/cli.js');
    for (const part of ['@sinclair/typebox', 'better-sqlite3', 'pino', 'ws/', 'serialport']) {
      expect(has(r.files, part), `${part} in ${r.files.join(' ')}`).toBe(false);
      expect(has(r.sources, part), `${part} bundled in a loaded chunk`).toBe(false);
    }
    for (const part of ['dist/bin/commands/simulate', 'dist/sim/', 'dist/controller/'])
      expect(has(r.sources, part), part).toBe(false);
  });

  it('sortline --help loads no sub-command either', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const c of commands) expect(has(r.sources, `dist/bin/commands/${c.name}.js`)).toBe(false);
    expect(has(r.sources, '@sinclair/typebox')).toBe(false);
  });

  it('sortline simulate runs dist/bundle/simulate.cjs: the simulator and the schema library, not the controller', () => {
    const r = cli(['simulate', '--help']);
    expect(r.status).toBe(0);
    // bin/sortline.js compiles simulate.cjs itself (node:vm, with its code cache): no ES module
    // bundle file is loaded, and what runs is what simulate.cjs holds
    expect(r.files.filter((f) => f.startsWith('dist/'))).toEqual([]);
    const sim = JSON.parse(
      readFileSync(path.join(root, 'dist/bundle/simulate-meta.json'), 'utf8'),
    ) as Metafile;
    const held = Object.keys(sim.outputs['dist/bundle/simulate.cjs']?.inputs ?? {});
    // the positive control: the metafile names what the file holds
    expect(has(held, 'dist/bin/commands/simulate.js')).toBe(true);
    expect(has(held, '@sinclair/typebox')).toBe(true);
    expect(has(held, 'dist/sim/engine.js')).toBe(true);
    for (const part of ['dist/controller/', 'dist/bin/commands/serve.js', 'dist/sim/emulator'])
      expect(has(held, part), part).toBe(false);
    for (const part of ['better-sqlite3', 'pino', 'serialport'])
      expect(has(r.files, part), part).toBe(false);
  });

  it('simulate.cjs leaves a V8 code cache named by a hash of its text', () => {
    const r = sortline(['simulate', '--help']);
    expect(r.status).toBe(0);
    const text = readFileSync(path.join(root, 'dist/bundle/simulate.cjs'), 'utf8');
    const hash = createHash('sha1').update(text).digest('hex').slice(0, 16);
    expect(readdirSync(path.join(root, 'dist/bundle'))).toContain(`simulate.${hash}.v8cache`);
  });

  it('sortline resolve loads the label resolver, not the simulator or the controller', () => {
    const r = cli(['resolve', '--help']);
    expect(r.status).toBe(0);
    expect(has(r.sources, 'dist/core/labels/')).toBe(true);
    for (const part of ['dist/sim/engine.js', 'dist/controller/'])
      expect(has(r.sources, part), part).toBe(false);
    expect(has(r.files, 'better-sqlite3')).toBe(false);
  });

  it('sortline journal loads SQLite (better-sqlite3), not the simulator', () => {
    const data = mkdtempSync(path.join(tmpdir(), 'sortline-startup-'));
    const r = cli(['journal', 'export', '--data', data]);
    // no journal in an empty directory: a coded error, after the module was loaded
    expect(r.status).not.toBe(0);
    expect(has(r.files, 'node_modules/better-sqlite3/')).toBe(true);
    expect(has(r.sources, 'dist/sim/engine.js')).toBe(false);
  });

  it('the tsc output (dist/bin/cli.js) is as lazy: --version loads no typebox file', () => {
    const run = (args: string[]) =>
      loaded([
        '--input-type=module',
        '-e',
        `const { main } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist/bin/cli.js')).href)});` +
          `process.exitCode = await main(['node', 'sortline', ...${JSON.stringify(args)}]);`,
      ]);
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.files).toContain('dist/bin/cli.js');
    expect(has(version.files, 'node_modules/@sinclair/typebox')).toBe(false);
    expect(has(version.files, 'dist/bin/commands/simulate.js')).toBe(false);
    const simulate = run(['simulate', '--help']);
    expect(simulate.status).toBe(0);
    expect(has(simulate.files, 'node_modules/@sinclair/typebox')).toBe(true);
    expect(has(simulate.files, 'dist/controller/')).toBe(false);
  });
});
