/** Shared test inputs for core/plan: a small valid plan and the real postal data in test/fixtures/. */
import { readFileSync } from 'node:fs';
import type { SortPlanDoc } from '../../core/plan/index.js';

/** A small valid plan: three destinations, one rule of each key kind, all fallbacks named. */
export function basePlan(): SortPlanDoc {
  return {
    version: 'test-1',
    homeCountry: '156',
    destinations: [
      { id: 'nanjing', name: 'Nanjing', chutes: ['C01', 'C02'] },
      { id: 'hub-771', chutes: ['C03'] },
      { id: 'vip', chutes: ['C04'] },
    ],
    rules: [
      { postal: '210', destination: 'nanjing' },
      { routing: '771', destination: 'hub-771' },
      { id: '00312345678901234568', destination: 'vip' },
    ],
    fallbacks: { noRead: 'X1', noRule: 'X2', multiRead: 'X1', recirculationLimit: 'X3' },
  };
}

/** Rows of a CSV file in test/fixtures/ (lines starting with `#` are source notes), as header → value records. */
export function readFixtureCsv(name: string): Record<string, string>[] {
  const text = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const header = lines[0]!.split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i]!]));
  });
}
