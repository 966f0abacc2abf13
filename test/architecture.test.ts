import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const config = require(path.join(root, '.dependency-cruiser.cjs'));

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
  it('the project keeps them', async () => {
    const dirs = ['core', 'sim', 'controller', 'viewer', 'bench', 'bin'].filter((d) =>
      existsSync(path.join(root, d)),
    );
    expect(dirs).toEqual(expect.arrayContaining(['core', 'sim', 'controller', 'bench', 'bin']));
    const found = await violations(root, dirs);
    expect(found).toEqual([]);
  });

  it('a core file importing node: and sim/ is caught', async () => {
    const found = await violations(path.join(root, 'test/fixtures/layers-bad'), ['core', 'sim']);
    expect(found.some((v) => v.startsWith('core-no-node:'))).toBe(true);
    expect(found.some((v) => v.startsWith('core-is-pure:') && v.includes('sim/helper'))).toBe(true);
  });
});
