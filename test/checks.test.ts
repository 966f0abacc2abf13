/**
 * The static checks are part of the test suite, so `npm test` (and CI's closing line) fails on a
 * type error in any file (source, tests, benches), a lint finding (typescript-eslint's type-aware
 * rules, such as no-floating-promises) or a file prettier would format differently.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

/** Runs a tool from node_modules/.bin in the project root; resolves with its exit code and output. */
async function tool(bin: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(path.join(root, 'node_modules/.bin', bin), args, {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      output: `${e.stdout ?? ''}${e.stderr ?? ''}`,
    };
  }
}

describe('static checks', () => {
  it('type-checks source, tests and benches with the strict flags (tsc -p tsconfig.json)', async () => {
    const r = await tool('tsc', ['-p', 'tsconfig.json']);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 240_000);

  it('core/ type-checks without Node.js types, as browser code (core/tsconfig.browser.json)', async () => {
    const r = await tool('tsc', ['-p', 'core/tsconfig.browser.json']);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 240_000);

  it('lints every TypeScript file (eslint, type-aware rules)', async () => {
    const r = await tool('eslint', ['--max-warnings', '0', '.']);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 240_000);

  it('every file is formatted (prettier --check)', async () => {
    const r = await tool('prettier', ['--check', '--log-level', 'warn', '.']);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  it('the checks can fail: a type error and a floating promise in a test file are refused', async () => {
    const types = await tool('tsc', ['-p', 'test/fixtures/checks/tsconfig.json']);
    expect(types.code).not.toBe(0);
    expect(types.output).toContain('type-error.ts');
    expect(types.output).toContain('TS2322');
    const lint = await tool('eslint', ['--no-ignore', 'test/fixtures/checks/floating.ts']);
    expect(lint.code).not.toBe(0);
    expect(lint.output).toContain('@typescript-eslint/no-floating-promises');
  }, 240_000);
});
