/**
 * `sortline resolve` as users run it: the compiled command (`npx tsc -p .` first; `npm test`
 * builds before testing), fed on stdin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeElementString, withCheckDigit } from '../../core/labels/index.js';
import { loadVectors, mismatches, type Outcome } from './vectors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PLAN = path.join(root, 'scenarios/jiangsu-outbound-hub.plan.json');

function resolve(args: string[], input: string) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/sortline.js'), 'resolve', ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, lines: r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Outcome & Record<string, unknown>) };
}

const vectors = loadVectors();

describe('sortline resolve', () => {
  it('resolves every shared vector (--jsonl, scanner and rfid)', () => {
    const input = vectors.map((v) => JSON.stringify({ source: v.source, data: v.data })).join('\n') + '\n';
    const r = resolve(['--jsonl'], input);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.lines).toHaveLength(vectors.length);
    const faults = vectors.flatMap((v, i) => mismatches(v, r.lines[i]!, true).map((m) => `${v.id}: ${m}`));
    expect(faults).toEqual([]);
  });

  it('reads raw scanner data, one read per line, with the same results', () => {
    const scanner = vectors.filter((v) => v.source === 'scanner');
    const r = resolve([], scanner.map((v) => v.data).join('\n') + '\n');
    expect(r.status).toBe(0);
    const faults = scanner.flatMap((v, i) => mismatches(v, r.lines[i]!, true).map((m) => `${v.id}: ${m}`));
    expect(faults).toEqual([]);
  });

  it('prints exactly the fields of the contract', () => {
    const r = resolve([], ']C100106141412345678908\n]C100106141412345678909\n]C0EE123456785CN\n');
    expect(Object.keys(r.lines[0]!)).toEqual(['ok', 'kind', 'hri']);
    expect(Object.keys(r.lines[1]!)).toEqual(['ok', 'error']);
    expect(Object.keys(r.lines[1]!.error!)).toEqual(['code', 'message', 'offset']);
    expect(Object.keys(r.lines[2]!)).toEqual(['ok', 'kind', 'id']);
  });

  it('with --plan adds the destination and its chute, or the fallback exception chute', () => {
    const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as { destinations: Array<{ id: string; chutes: string[] }>; fallbacks: Record<string, string> };
    const nanjing = plan.destinations.find((d) => d.id === 'nanjing')!;
    const label = encodeElementString([{ ai: '00', value: withCheckDigit('06901234000000001') }, { ai: '421', value: '156210000' }], { aim: ']C1' });
    const r = resolve(['--plan', PLAN], `${label}\nNoRead\n]C100106141412345678909\n]d1HELLO\n`);
    expect(r.status).toBe(0);
    expect(r.lines[0]).toMatchObject({ ok: true, kind: 'gs1', destination: 'nanjing', chute: nanjing.chutes[0] });
    expect(r.lines[1]).toMatchObject({ ok: true, kind: 'noread', destination: null, chute: plan.fallbacks.noRead });
    expect(r.lines[2]).toMatchObject({ ok: false, destination: null, chute: plan.fallbacks.noRead });
    expect(r.lines[3]).toMatchObject({ ok: true, kind: 'text', id: 'HELLO', destination: null, chute: plan.fallbacks.noRule });
  });

  it('reports a malformed JSON line in its output line and goes on', () => {
    const r = resolve(['--jsonl'], '{"data": \n{"source":"laser","data":"x"}\n{"data":"]C0EE123456785CN"}\n');
    expect(r.status).toBe(0);
    expect(r.lines[0]).toMatchObject({ ok: false, error: { code: 'SORTLINE_ERR_JSON_SYNTAX' } });
    expect(r.lines[1]).toMatchObject({ ok: false, error: { code: 'SORTLINE_ERR_USAGE' } });
    expect(r.lines[2]).toMatchObject({ ok: true, kind: 's10' });
  });

  it('refuses a bad plan file with a coded error on stderr and exit code 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sortline-resolve-'));
    const invalid = path.join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ version: 'x', homeCountry: '156', destinations: [], rules: [], fallbacks: {} }));
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"version": ');
    for (const [file, code] of [[invalid, 'SORTLINE_ERR_PLAN_INVALID'], [broken, 'SORTLINE_ERR_JSON_SYNTAX'], [path.join(dir, 'missing.json'), 'SORTLINE_ERR_FILE_READ']] as const) {
      const r = resolve(['--plan', file], ']C0EE123456785CN\n');
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(code);
      expect(r.lines).toEqual([]);
    }
  });

  it('refuses a bad resolver configuration with exit code 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sortline-resolve-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ aim: 'sometimes', waybills: [{ carrier: 'sf', patterns: ['SF#{12,}'] }] }));
    const r = resolve(['--config', file], 'x\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SORTLINE_ERR_LABEL_CONFIG');
    expect(r.stderr).toContain('/aim');
  });

  it('applies a resolver configuration (an e-waybill pattern)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sortline-resolve-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ waybills: [{ carrier: 'sf-express', patterns: ['SF#{12}'] }] }));
    const r = resolve(['--config', file], 'SF123456789012\n');
    expect(r.lines[0]).toEqual({ ok: true, kind: 'waybill', id: 'SF123456789012' });
  });
});
