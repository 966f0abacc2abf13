/**
 * Rebuilds the bundled scenarios from their generators and the data copies in scenarios/data/:
 * `npm run scenarios`. The output is committed; test/scenarios.test.ts checks it is up to date.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jiangsuOutboundHub } from './jiangsu-outbound-hub.js';
import { referenceLoop } from './reference-loop.js';

/** Every bundled file and its JSON text, keyed by its name in scenarios/. */
export function bundledScenarios(scenariosDir: string): Map<string, string> {
  const json = (x: unknown) => JSON.stringify(x, null, 2) + '\n';
  const jiangsu = jiangsuOutboundHub(path.join(scenariosDir, 'data'));
  return new Map([
    ['reference-loop.json', json(referenceLoop())],
    ['jiangsu-outbound-hub.json', json(jiangsu.scenario)],
    ['jiangsu-outbound-hub.plan.json', json(jiangsu.plan)],
  ]);
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  // dist/scenarios/build/index.js -> <repo>/scenarios
  const dir = path.resolve(path.dirname(self), '../../../scenarios');
  for (const [name, text] of bundledScenarios(dir)) {
    writeFileSync(path.join(dir, name), text);
    process.stdout.write(`wrote scenarios/${name}\n`);
  }
}
