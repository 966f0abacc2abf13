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

function resolve(args: string[], input: string | Buffer) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/sortline.js'), 'resolve', ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    status: r.status,
    stderr: r.stderr,
    lines: r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Outcome & Record<string, unknown>),
  };
}

const vectors = loadVectors();

describe('sortline resolve', () => {
  it('resolves every shared vector (--jsonl, scanner and rfid)', () => {
    const input =
      vectors.map((v) => JSON.stringify({ source: v.source, data: v.data })).join('\n') + '\n';
    const r = resolve(['--jsonl'], input);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.lines).toHaveLength(vectors.length);
    const faults = vectors.flatMap((v, i) =>
      mismatches(v, r.lines[i]!, true).map((m) => `${v.id}: ${m}`),
    );
    expect(faults).toEqual([]);
  });

  it('reads raw scanner data, one read per line, with the same results', () => {
    const scanner = vectors.filter((v) => v.source === 'scanner');
    const r = resolve([], scanner.map((v) => v.data).join('\n') + '\n');
    expect(r.status).toBe(0);
    const faults = scanner.flatMap((v, i) =>
      mismatches(v, r.lines[i]!, true).map((m) => `${v.id}: ${m}`),
    );
    expect(faults).toEqual([]);
  });

  it('prints exactly the fields of the contract', () => {
    const r = resolve(
      [],
      ']C100106141412345678908\n]C100106141412345678909\n]C0EE123456785CN\n]d1HELLO\n]C10112312312312333\n',
    );
    expect(r.lines[0]).toEqual({
      ok: true,
      kind: 'gs1',
      hri: '(00)106141412345678908',
      id: '106141412345678908',
    });
    expect(Object.keys(r.lines[1]!)).toEqual(['ok', 'error']);
    expect(Object.keys(r.lines[1]!.error!)).toEqual(['code', 'message', 'offset']);
    expect(r.lines[2]).toEqual({ ok: true, kind: 's10', id: 'EE123456785CN' });
    // plain text carries no identifier; GS1 data without an SSCC has no id
    expect(r.lines[3]).toEqual({ ok: true, kind: 'text', text: 'HELLO' });
    expect(r.lines[4]).toEqual({ ok: true, kind: 'gs1', hri: '(01)12312312312333' });
  });

  it('with --plan adds the destination and its chute, or the fallback exception chute', () => {
    const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as {
      destinations: Array<{ id: string; chutes: string[] }>;
      fallbacks: Record<string, string>;
    };
    const nanjing = plan.destinations.find((d) => d.id === 'nanjing')!;
    const label = encodeElementString(
      [
        { ai: '00', value: withCheckDigit('06901234000000001') },
        { ai: '421', value: '156210000' },
      ],
      { aim: ']C1' },
    );
    const r = resolve(['--plan', PLAN], `${label}\nNoRead\n]C100106141412345678909\n]d1HELLO\n`);
    expect(r.status).toBe(0);
    expect(r.lines[0]).toMatchObject({
      ok: true,
      kind: 'gs1',
      destination: 'nanjing',
      chute: nanjing.chutes[0],
    });
    expect(r.lines[0]!.fallback).toBeUndefined();
    expect(r.lines[1]).toMatchObject({
      ok: true,
      kind: 'noread',
      destination: null,
      chute: plan.fallbacks.noRead,
      fallback: 'noRead',
    });
    expect(r.lines[2]).toMatchObject({
      ok: false,
      destination: null,
      chute: plan.fallbacks.noRead,
      fallback: 'noRead',
    });
    expect(r.lines[3]).toMatchObject({
      ok: true,
      kind: 'text',
      text: 'HELLO',
      destination: null,
      chute: plan.fallbacks.noRule,
      fallback: 'noRule',
    });
  });

  it('with --plan routes a manual read of a postal code to its destination', () => {
    const r = resolve(
      ['--plan', PLAN, '--jsonl'],
      '{"source":"manual","data":"225300"}\n{"source":"scanner","data":"225300"}\n',
    );
    expect(r.lines[0]).toMatchObject({ ok: true, kind: 'text', destination: 'taizhou' });
    expect(r.lines[0]!.fallback).toBeUndefined();
    expect(r.lines[1]).toMatchObject({
      ok: true,
      kind: 'text',
      destination: null,
      fallback: 'noRule',
    });
  });

  it('a malformed --jsonl line is an input error: no destination, chute or fallback', () => {
    const r = resolve(['--plan', PLAN, '--jsonl'], '{"data": \n{"data":"x","foo":1}\n');
    expect(r.lines).toHaveLength(2);
    for (const line of r.lines) expect(Object.keys(line)).toEqual(['ok', 'error']);
  });

  it('reports a malformed JSON line in its output line and goes on', () => {
    const r = resolve(
      ['--jsonl'],
      '{"data": \n{"source":"laser","data":"x"}\n{"data":"]C0EE123456785CN"}\n',
    );
    expect(r.status).toBe(0);
    expect(r.lines[0]).toMatchObject({ ok: false, error: { code: 'SORTLINE_ERR_JSON_SYNTAX' } });
    expect(r.lines[1]).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_READ_OBJECT', offset: '{"source":'.length },
    });
    expect(r.lines[1]!.error!.message).toContain('"source"');
    expect(r.lines[2]).toMatchObject({ ok: true, kind: 's10' });
  });

  it('a JSON syntax error gives the character offset in the line', () => {
    const lines = ['{"data": ', '{"data":"x",}', '{"data":"x" "scanner":1}', '{"dätä":"x",,}'];
    // where each line goes wrong, found by hand: the end of the line, the "}" after the comma, the second string, the second comma
    const at = [
      lines[0]!.length,
      lines[1]!.indexOf('}'),
      lines[2]!.indexOf('"scanner"'),
      lines[3]!.indexOf(',,') + 1,
    ];
    const r = resolve(['--jsonl'], lines.join('\n') + '\n');
    expect(r.lines.map((l) => l.error?.code)).toEqual(lines.map(() => 'SORTLINE_ERR_JSON_SYNTAX'));
    expect(r.lines.map((l) => l.error!.offset)).toEqual(at);
    expect(r.lines[1]!.error!.message).toContain(`offset ${at[1]}`);
  });

  it('refuses read objects that are not reads: the scanner range, unknown keys, missing data', () => {
    const cases: Array<[string, string, number]> = [
      ['{"data":"x","scanner":65536}', '"scanner"', '{"data":"x","scanner":'.length],
      ['{"data":"x","scanner":-1}', '"scanner"', '{"data":"x","scanner":'.length],
      ['{"data":"x","scanner":1.5}', '"scanner"', '{"data":"x","scanner":'.length],
      ['{"data":"x","Scanner":1}', 'unknown key "Scanner"', '{"data":"x",'.length],
      ['{"source":"rfid"}', '"data"', 0],
      ['{"data":5}', '"data"', '{"data":'.length],
      ['["x"]', 'a read object', 0],
    ];
    const r = resolve(
      ['--jsonl'],
      cases.map((c) => c[0]).join('\n') + '\n{"data":"x","scanner":65535}\n',
    );
    cases.forEach(([line, says, offset], i) => {
      expect(r.lines[i], line).toMatchObject({
        ok: false,
        error: { code: 'SORTLINE_ERR_LABEL_READ_OBJECT', offset },
      });
      expect(r.lines[i]!.error!.message, line).toContain(says);
    });
    expect(r.lines[cases.length]).toMatchObject({ ok: true, kind: 'text' });
  });

  it('a blank --jsonl line is a no-read, as in raw mode', () => {
    const raw = resolve([], '\n  \n');
    const jsonl = resolve(['--jsonl'], '\n  \n');
    expect(raw.lines).toEqual([
      { ok: true, kind: 'noread' },
      { ok: true, kind: 'noread' },
    ]);
    expect(jsonl.lines).toEqual(raw.lines);
  });

  it('refuses a bad plan file with a coded error on stderr and exit code 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sortline-resolve-'));
    const invalid = path.join(dir, 'invalid.json');
    writeFileSync(
      invalid,
      JSON.stringify({
        version: 'x',
        homeCountry: '156',
        destinations: [],
        rules: [],
        fallbacks: {},
      }),
    );
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"version": ');
    for (const [file, code] of [
      [invalid, 'SORTLINE_ERR_PLAN_INVALID'],
      [broken, 'SORTLINE_ERR_JSON_SYNTAX'],
      [path.join(dir, 'missing.json'), 'SORTLINE_ERR_FILE_READ'],
    ] as const) {
      const r = resolve(['--plan', file], ']C0EE123456785CN\n');
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(code);
      expect(r.lines).toEqual([]);
    }
  });

  it('refuses a bad resolver configuration with exit code 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sortline-resolve-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({ aim: 'sometimes', waybills: [{ carrier: 'sf', patterns: ['SF#{12,}'] }] }),
    );
    const r = resolve(['--config', file], 'x\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SORTLINE_ERR_LABEL_CONFIG');
    expect(r.stderr).toContain('/aim');
  });

  it('applies a resolver configuration (an e-waybill pattern)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sortline-resolve-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({ waybills: [{ carrier: 'sf-express', patterns: ['SF#{12}'] }] }),
    );
    const r = resolve(['--config', file], 'SF123456789012\n');
    expect(r.lines[0]).toEqual({ ok: true, kind: 'waybill', id: 'SF123456789012' });
  });
});

describe('sortline resolve: lines and bytes', () => {
  it('splits lines at LF only: CR LF is one line end, a lone CR is data, one output line per input line', () => {
    const r = resolve([], 'a\rb\r\n]C0EE123456785CN\r\n\rx\nlast');
    expect(r.lines).toEqual([
      { ok: true, kind: 'text', text: 'a\rb' },
      { ok: true, kind: 's10', id: 'EE123456785CN' },
      { ok: true, kind: 'text', text: '\rx' },
      { ok: true, kind: 'text', text: 'last' },
    ]);
  });

  it('bytes that are not UTF-8 are a CHARACTER error at their character offset, and the next line goes on', () => {
    const input = Buffer.concat([
      Buffer.from('\xff\xfeA\x00B\x00\n', 'latin1'), // UTF-16 LE with its byte order mark
      Buffer.from('Zü', 'utf8'),
      Buffer.from([0xc3, 0x28, 0x0a]), // "Zü" then a broken two-byte sequence
      Buffer.from([0xed, 0xa0, 0x80, 0x0a]), // an encoded surrogate (not UTF-8)
      Buffer.from(']C0EE123456785CN\n'),
    ]);
    const r = resolve([], input);
    expect(r.lines).toHaveLength(4);
    expect(r.lines[0]).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_CHARACTER', offset: 0 },
    });
    expect(r.lines[0]!.error!.message).toContain('0xFF');
    expect(r.lines[1]).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_CHARACTER', offset: 2 },
    });
    expect(r.lines[1]!.error!.message).toContain('byte 3');
    expect(r.lines[2]).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_CHARACTER', offset: 0 },
    });
    expect(r.lines[3]).toMatchObject({ ok: true, kind: 's10' });
  });

  it('NUL in a read is a CHARACTER error; with --plan a read that is no read goes to the no-read chute', () => {
    const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as { fallbacks: Record<string, string> };
    const r = resolve(
      ['--plan', PLAN],
      Buffer.concat([Buffer.from('AB\x00C\n', 'latin1'), Buffer.from([0xff, 0x0a])]),
    );
    expect(r.lines[0]).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_CHARACTER', offset: 2 },
      fallback: 'noRead',
      chute: plan.fallbacks.noRead,
    });
    expect(r.lines[1]).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_CHARACTER' },
      fallback: 'noRead',
    });
  });

  it('skips a UTF-8 byte order mark at the start of the input only', () => {
    const r = resolve([], '\ufeff]C0EE123456785CN\n\ufeffx\n');
    expect(r.lines[0]).toMatchObject({ ok: true, kind: 's10' });
    expect(r.lines[1]).toEqual({ ok: true, kind: 'text', text: '\ufeffx' });
  });

  it('a line too long for any read is READ_TOO_LONG, and the lines after it still match', () => {
    const r = resolve([], `${'x'.repeat(200_000)}\n${'y'.repeat(5000)}\n]C0EE123456785CN\n`);
    expect(r.lines.map((l) => l.error?.code ?? l.kind)).toEqual([
      'SORTLINE_ERR_LABEL_READ_TOO_LONG',
      'SORTLINE_ERR_LABEL_READ_TOO_LONG',
      's10',
    ]);
  });
});
