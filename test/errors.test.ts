import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ERRORS, SortlineError, isSortlineError, renderErrorsMarkdown } from '../core/errors.js';

describe('error table', () => {
  it('every code is SORTLINE_ERR_ and documented', () => {
    for (const [code, row] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^SORTLINE_ERR_[A-Z0-9_]+$/);
      expect(row.doc.length).toBeGreaterThan(20);
      expect(row.area.length).toBeGreaterThan(1);
    }
  });

  it('docs/errors.md is generated from the table (run `npm run docs:errors` if this fails)', () => {
    const onDisk = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderErrorsMarkdown());
  });

  it('SortlineError carries code and location', () => {
    const e = new SortlineError('SORTLINE_ERR_SCENARIO_INVALID', 'bad', {
      path: 'x.json',
      details: [{ pointer: '/sorter/speed', message: 'must be > 0' }],
    });
    expect(isSortlineError(e)).toBe(true);
    expect(e.code).toBe('SORTLINE_ERR_SCENARIO_INVALID');
    expect(e.details[0]!.pointer).toBe('/sorter/speed');
    expect(isSortlineError(new Error('plain'))).toBe(false);
  });
});
