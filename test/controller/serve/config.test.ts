import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { SortlineError } from '../../../core/errors.js';
import { loadServeConfig, resolveServeConfig } from '../../../controller/config/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sortline-config-'));
  dirs.push(d);
  return d;
}
function write(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}
function faultsOf(f: () => unknown): { code: string; pointers: string[]; messages: string[] } {
  try {
    f();
  } catch (err) {
    const e = err as SortlineError;
    return {
      code: e.code,
      pointers: e.details.map((d) => d.pointer),
      messages: e.details.map((d) => d.message),
    };
  }
  throw new Error('expected an error');
}

const tinyPlan = {
  version: 'tiny-1',
  homeCountry: '156',
  destinations: [{ id: 'nanjing', chutes: ['C01', 'C02'] }],
  rules: [{ postal: '210', destination: 'nanjing' }],
  fallbacks: { noRead: 'X1', noRule: 'X2', multiRead: 'X2', recirculationLimit: 'X2' },
};

describe('serve configuration', () => {
  it('needs no file: listens on tcp://127.0.0.1:7300, native dialect, the bundled Jiangsu plan, ./sortline-data', () => {
    const cwd = temp();
    const c = loadServeConfig(undefined, {}, cwd);
    expect(c.gateway).toMatchObject({
      listen: 'tcp://127.0.0.1:7300',
      dialect: 'native',
      connections: 'one',
    });
    expect(c.plan.source).toBe(path.join(root, 'scenarios/jiangsu-outbound-hub.plan.json'));
    expect(c.plan.doc.version).toBe('jiangsu-outbound-2026-11');
    expect(c.data).toBe(path.join(cwd, 'sortline-data'));
    expect(c.journal.synchronous).toBe('full');
  });

  it('resolves paths in a file against the file, flags against the working directory, and lets flags win', () => {
    const dir = temp();
    write(dir, 'plan.json', tinyPlan);
    const file = write(dir, 'serve.json', {
      plan: 'plan.json',
      data: 'journal-here',
      gateway: { dialect: 'telegram', name: 'sorter-a' },
    });
    const cwd = temp();
    const c = loadServeConfig(file, {}, cwd);
    expect(c.plan.source).toBe(path.join(dir, 'plan.json'));
    expect(c.data).toBe(path.join(dir, 'journal-here'));
    expect(c.gateway).toMatchObject({
      dialect: 'telegram',
      name: 'sorter-a',
      listen: 'tcp://127.0.0.1:7300',
    });
    const o = loadServeConfig(
      file,
      {
        gateway: 'ws://127.0.0.1:0/plc',
        dialect: 'ndjson',
        data: 'd2',
        connections: 'many',
        logLevel: 'warn',
      },
      cwd,
    );
    expect(o.gateway).toMatchObject({
      listen: 'ws://127.0.0.1:0/plc',
      dialect: 'ndjson',
      connections: 'many',
      name: 'sorter-a',
    });
    expect(o.data).toBe(path.join(cwd, 'd2'));
    expect(o.log.level).toBe('warn');
    expect(o.plan.source).toBe(path.join(dir, 'plan.json'));
  });

  it('keeps an inline plan and merges sections key by key', () => {
    const c = resolveServeConfig(
      { plan: tinyPlan, service: { limits: { maxWeightG: 30_000 } } },
      { baseDir: temp() },
    );
    expect(c.plan.source).toBe('inline');
    expect(c.service.limits).toEqual({
      maxWeightG: 30_000,
      maxLengthMm: 0,
      maxWidthMm: 0,
      maxHeightMm: 0,
    });
    expect(c.service.replyBudgetMs).toBe(150);
  });

  it('reports every schema fault at once with its JSON pointer', () => {
    const f = faultsOf(() =>
      resolveServeConfig(
        {
          gateway: { dialect: 'modbus', port: 7300, session: { resendAfterMs: 0 } },
          journal: { synchronous: 'off' },
          chutes: { capacity: 'fifteen' },
          extra: true,
        },
        { baseDir: temp() },
      ),
    );
    expect(f.code).toBe('SORTLINE_ERR_CONFIG_INVALID');
    expect(f.pointers).toEqual(
      expect.arrayContaining([
        '/gateway/dialect',
        '/gateway/port',
        '/gateway/session/resendAfterMs',
        '/journal/synchronous',
        '/chutes/capacity',
        '/extra',
      ]),
    );
  });

  it('checks the gateway address, the chute numbering, the capacities and the label configuration', () => {
    const f = faultsOf(() =>
      resolveServeConfig(
        {
          gateway: { listen: 'udp://127.0.0.1:7300' },
          plan: tinyPlan,
          chutes: { capacity: 15, numbers: { C01: 1, C02: 1, X1: 9 }, capacities: { C99: 3 } },
          labels: { aim: 'sometimes' },
        },
        { baseDir: temp() },
      ),
    );
    expect(f.code).toBe('SORTLINE_ERR_CONFIG_INVALID');
    expect(f.pointers).toEqual([
      '/gateway/listen',
      '/chutes/numbers/C02',
      '/chutes/numbers',
      '/chutes/capacities/C99',
      '/labels/aim',
    ]);
    expect(f.messages[2]).toContain('"X2"');
  });

  it('prefixes the faults of an inline plan with /plan', () => {
    const f = faultsOf(() =>
      resolveServeConfig(
        { plan: { ...tinyPlan, rules: [{ postal: '21-0', destination: 'nanjing' }] } },
        { baseDir: temp() },
      ),
    );
    expect(f).toMatchObject({
      code: 'SORTLINE_ERR_CONFIG_INVALID',
      pointers: ['/plan/rules/0/postal'],
    });
  });

  it('accepts the example configuration of docs/operations.md', () => {
    const text = readFileSync(path.join(root, 'docs/operations.md'), 'utf8');
    const at = text.indexOf('A configuration for a small sorter');
    const block = text.slice(
      text.indexOf('```json', at) + 7,
      text.indexOf('```', text.indexOf('```json', at) + 7),
    );
    const dir = temp();
    mkdirSync(path.join(dir, 'plans'));
    for (const d of ['secrets', 'tls']) mkdirSync(path.join(dir, d));
    writeFileSync(path.join(dir, 'secrets/sorter-a.secret'), 'a-shared-secret-of-32-characters\n');
    writeFileSync(path.join(dir, 'tls/sorter-a.crt'), '-----BEGIN CERTIFICATE-----\n');
    writeFileSync(path.join(dir, 'tls/sorter-a.key'), '-----BEGIN PRIVATE KEY-----\n');
    write(dir, 'plans/sorter-a.plan.json', {
      ...tinyPlan,
      destinations: [{ id: 'nanjing', chutes: ['C01', 'C02', 'C03'] }],
    });
    const c = loadServeConfig(write(dir, 'serve.json', block));
    expect(c.chutes.numbers).toEqual({ C01: 1, C02: 2, C03: 3, X1: 901, X2: 902 });
    expect(c.gateway.dialect).toBe('telegram');
    expect(c.gateway.allow).toEqual(['10.20.0.0/24']);
    expect(c.gateway.secret).toBe('a-shared-secret-of-32-characters');
    expect(c.gateway.tls?.cert).toContain('BEGIN CERTIFICATE');
    expect(c.warnings).toEqual([]);
  });

  it('refuses a plan file that fails validation with its own pointers, and unreadable files', () => {
    const dir = temp();
    write(dir, 'plan.json', { ...tinyPlan, fallbacks: { noRead: 'X1' } });
    const file = write(dir, 'serve.json', { plan: 'plan.json' });
    expect(faultsOf(() => loadServeConfig(file))).toMatchObject({
      code: 'SORTLINE_ERR_PLAN_INVALID',
      pointers: ['/fallbacks/noRule', '/fallbacks/multiRead', '/fallbacks/recirculationLimit'],
    });
    expect(faultsOf(() => loadServeConfig(path.join(dir, 'missing.json'))).code).toBe(
      'SORTLINE_ERR_FILE_READ',
    );
    expect(
      faultsOf(() => loadServeConfig(write(dir, 'broken.json', '{"gateway": '))),
    ).toMatchObject({ code: 'SORTLINE_ERR_JSON_SYNTAX' });
  });
});
