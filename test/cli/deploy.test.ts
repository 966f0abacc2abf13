/**
 * The operator files in deploy/ and the shell recipes in the docs (issue 9): the systemd unit and
 * the Containerfile run a real sub-command with flags `sortline serve --help` lists, their
 * command lines load with the example configuration (`--print-config`, no Docker or systemd
 * needed), the unit has the hardening and stop behaviour docs/operations.md describes, and no
 * doc backgrounds `npx sortline serve` or stops a job with `kill %1`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_BAD_INPUT } from '../../bin/cli.js';
import { loadServeConfig } from '../../controller/config/index.js';
import { root, sortline } from './run.js';

const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** A systemd unit file as section → key → values (a key may repeat; comments and blanks dropped). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    expect(eq, `not key=value: ${line}`).toBeGreaterThan(0);
    expect(current, `outside a section: ${line}`).toBeDefined();
    const key = line.slice(0, eq);
    current!.set(key, [...(current!.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

/** The flags (`--name`) a sub-command's help lists. */
function helpFlags(sub: string): Set<string> {
  const r = sortline([sub, '--help']);
  expect(r.status, r.stderr).toBe(0);
  return new Set([...r.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

/** The sub-commands `sortline --help` lists. */
function subCommands(): Set<string> {
  const r = sortline(['--help']);
  expect(r.status, r.stderr).toBe(0);
  const table = r.stdout.slice(r.stdout.indexOf('Commands:'));
  return new Set([...table.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!));
}

/**
 * Checks a `serve` command line (the arguments after the script): a sub-command the program has,
 * flags its help lists, and it loads: run with `--print-config`, the example configuration in
 * place of /etc/sortline/serve.json.
 */
function checkServeArgs(args: string[]): void {
  expect(subCommands()).toContain(args[0]);
  expect(args[0]).toBe('serve');
  const flags = helpFlags('serve');
  for (const a of args.slice(1).filter((x) => x.startsWith('--'))) expect(flags).toContain(a);
  const local = args.map((a) => (a === '/etc/sortline/serve.json' ? 'deploy/serve.json' : a));
  const r = sortline([...local, '--print-config']);
  expect(r.status, r.stderr).toBe(0);
  const printed = JSON.parse(r.stdout) as { data: string; gateway: { listen: string } };
  expect(printed.data).toBe('/var/lib/sortline');
  expect(printed.gateway.listen).toBe('tcp://0.0.0.0:7300');
}

describe('deploy/sortline.service', () => {
  const unit = parseUnit(read('deploy/sortline.service'));
  const service = unit.get('Service')!;
  const one = (key: string) => {
    const v = service.get(key);
    expect(v, key).toHaveLength(1);
    return v![0]!;
  };

  it('starts node on bin/sortline.js serve, no npm or npx in between, with real flags', () => {
    const argv = one('ExecStart').split(/\s+/);
    expect(argv[0]).toBe('/usr/bin/node');
    expect(argv[1]).toBe('/opt/sortline/bin/sortline.js');
    expect(read(argv[1]!.replace('/opt/sortline/', ''))).toMatch(/^#!\/usr\/bin\/env node/);
    expect(argv.join(' ')).not.toMatch(/\bnpx?\b/);
    checkServeArgs(argv.slice(2));
  });

  it('stops with SIGTERM (serve drains on it), restarts on failure but not after bad input', () => {
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(one('Restart')).toBe('on-failure');
    expect(one('RestartPreventExitStatus')).toBe(String(EXIT_BAD_INPUT));
    expect(Number.parseInt(one('TimeoutStopSec'), 10)).toBeGreaterThan(2); // closeTimeoutMs 2 s
  });

  it('runs unprivileged, writes only to the data directory it is given', () => {
    expect(one('User')).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(one('User')).not.toBe('root');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    const argv = one('ExecStart').split(/\s+/);
    const data = argv[argv.indexOf('--data') + 1];
    expect(one('ReadWritePaths').split(/\s+/)).toContain(data);
    expect(`/var/lib/${one('StateDirectory')}`).toBe(data);
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(service.has('MemoryDenyWriteExecute')).toBe(false); // V8 needs W+X pages
  });

  it('is enabled in the default target', () => {
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });
});

describe('deploy/Containerfile', () => {
  const text = read('deploy/Containerfile');
  /** The last value of an instruction (a JSON array for ENTRYPOINT and CMD). */
  const last = (instruction: string): string => {
    const all = [...text.matchAll(new RegExp(`^${instruction} (.+)$`, 'gm'))];
    expect(all.length, instruction).toBeGreaterThan(0);
    return all[all.length - 1]![1]!;
  };

  it('runs node on the packaged bin/sortline.js serve with real flags', () => {
    const entry = JSON.parse(last('ENTRYPOINT')) as string[];
    expect(entry[0]).toBe('node');
    expect(entry[1]).toMatch(/\/node_modules\/sortline\/bin\/sortline\.js$/);
    checkServeArgs(JSON.parse(last('CMD')) as string[]);
  });

  it('stops with SIGTERM, exposes the default port, runs as a user, on the Node.js major the package needs', () => {
    expect(last('STOPSIGNAL')).toBe('SIGTERM');
    const port = new URL(loadServeConfig(undefined, { data: '/nonexistent' }).gateway.listen).port;
    expect(last('EXPOSE')).toBe(`${port}/tcp`);
    expect(last('USER')).not.toMatch(/^(root|0)$/);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines;
    const major = /^>=(\d+)/.exec(engines.node)![1];
    for (const m of text.matchAll(/^FROM \S+\/node:(\d+)-/gm)) expect(m[1]).toBe(major);
    // it copies the example configuration, and packs what the "files" list ships
    expect(text).toContain('COPY deploy/serve.json /etc/sortline/serve.json');
    expect(text).toMatch(/npm pack/);
  });

  it('leaves the host build output out of the build context', () => {
    const ignore = read('deploy/Containerfile.dockerignore').split('\n');
    for (const entry of ['node_modules', 'dist', '.git']) expect(ignore).toContain(entry);
  });
});

describe('shell recipes in the docs', () => {
  const docs = ['README.md', ...readdirSync(path.join(root, 'docs')).map((f) => `docs/${f}`)];
  it('never put npx or npm in the background before the controller, nor stop a job by %N', () => {
    let blocks = 0;
    for (const file of docs.filter((f) => f.endsWith('.md'))) {
      let fenced = false;
      read(file)
        .split('\n')
        .forEach((line, i) => {
          if (line.trimStart().startsWith('```')) {
            fenced = !fenced;
            if (fenced) blocks++;
            return;
          }
          if (!fenced) return;
          const code = line.replace(/\s+#.*$/, '');
          expect(code, `${file}:${i + 1}`).not.toMatch(/\bnpx sortline serve\b.*&\s*$/);
          expect(code, `${file}:${i + 1}`).not.toMatch(/^\s*kill\s+(-\w+\s+)?%/);
        });
    }
    expect(blocks).toBeGreaterThan(10); // the docs were read
  });
});
