import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, simulateFile } from '../helpers.js';

const doc = readFileSync(path.join(root, 'docs/scenario.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Report (`--json'), doc.indexOf('## The Jiangsu'));
/** Every name inside a code span of the section: `key`, `[{id, sorted}]`, `share[j][h]`. */
const named = new Set(
  [...section.matchAll(/`([^`]+)`/g)].flatMap((m) => m[1]!.split(/[^A-Za-z0-9_]+/)),
);

describe('docs/scenario.md "Report"', () => {
  it('names every key of the JSON report, of its counts, series, rows and heat map', () => {
    const r = simulateFile('reference-loop.json', { hours: 1 });
    const objects: Record<string, object> = {
      report: r,
      counts: r.counts,
      series: r.series,
      perInduct: r.perInduct[0]!,
      perChute: r.perChute[0]!,
      perDestination: r.perDestination[0]!,
      chuteFill: r.chuteFill,
      peakHour: r.peakHour ?? {},
    };
    const missing: string[] = [];
    for (const [where, o] of Object.entries(objects))
      for (const k of Object.keys(o))
        if (!(where === 'series' && k === 'intervalSeconds') && !named.has(k))
          missing.push(`${where}.${k}`);
    expect(missing).toEqual([]);
  });
});
