/**
 * The layer rules of DESIGN.md (.dependency-cruiser.cjs) hold for the project, through the API and
 * the command line, and every rule can fail: the fixture tree test/fixtures/layers-bad/ breaks
 * each of them at least once.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const config = require(path.join(root, '.dependency-cruiser.cjs')) as Required<
  Pick<IConfiguration, 'forbidden' | 'options'>
>;
const LAYERS = ['core', 'sim', 'controller', 'viewer', 'bench', 'bin'];

async function violations(baseDir: string, dirs: string[]): Promise<string[]> {
  const result = await cruise(dirs, {
    ruleSet: { forbidden: config.forbidden },
    ...config.options,
    baseDir,
    validate: true,
  });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('layer rules of DESIGN.md (dependency-cruiser)', () => {
  it('the project keeps them, with no exception', async () => {
    const dirs = LAYERS.filter((d) => existsSync(path.join(root, d)));
    expect(dirs).toEqual(expect.arrayContaining(['core', 'sim', 'controller', 'bench', 'bin']));
    expect(await violations(root, dirs)).toEqual([]);
    expect(JSON.stringify(config.forbidden)).not.toMatch(/pathNot":"\^controller\/emulator/);
  });

  it('the command line runs them (npm run layers)', async () => {
    const dirs = LAYERS.filter((d) => existsSync(path.join(root, d)));
    const bin = path.join(root, 'node_modules/.bin/depcruise');
    const { stdout } = await promisify(execFile)(
      bin,
      ['--config', '.dependency-cruiser.cjs', ...dirs],
      {
        cwd: root,
      },
    );
    expect(stdout).toContain('no dependency violations found');
  }, 60_000);

  it('every rule can fail: the fixture tree breaks each one', async () => {
    const base = path.join(root, 'test/fixtures/layers-bad');
    const found = await violations(
      base,
      LAYERS.filter((d) => existsSync(path.join(base, d))),
    );
    const broken = new Set(found.map((v) => v.slice(0, v.indexOf(':'))));
    expect([...broken].sort()).toEqual(config.forbidden.map((r) => r.name).sort());
    expect(found).toContain('core-is-pure: core/impure.ts -> sim/helper.ts');
    expect(found).toContain('folder-through-index: core/plan/deep.ts -> core/labels/inner.ts');
    expect(found).toContain(
      'service-through-session: controller/service/index.ts -> controller/transport/index.ts',
    );
  });
});
