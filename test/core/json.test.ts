/**
 * `--set path=value` (core/json.ts applySet): array items by bracketed index (issue 9) as well as
 * by numeric segment, out-of-range indexes refused with SORTLINE_ERR_SET_PATH and the JSON pointer
 * of the faulty step, and no way onto the object prototype.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SortlineError } from '../../core/errors.js';
import { applySet } from '../../core/json.js';
import { loadScenario } from '../../sim/scenario/load.js';

const reference = path.resolve(import.meta.dirname, '../../scenarios/reference-loop.json');

function caught(fn: () => unknown): SortlineError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SortlineError);
    return err as SortlineError;
  }
  throw new Error('expected an error, none thrown');
}

const doc = () => ({
  sorter: {
    chutes: [
      { id: 'a', position: 1 },
      { id: 'b', position: 2 },
    ],
  },
  grid: [
    [1, 2],
    [3, 4],
  ],
});

describe('applySet', () => {
  it('sets an array item by bracketed index, like a numeric segment', () => {
    const d = doc();
    applySet(d, 'sorter.chutes[0].position=5');
    applySet(d, 'sorter.chutes.1.position=7');
    applySet(d, 'grid[1][0]=9');
    expect(d.sorter.chutes.map((c) => c.position)).toEqual([5, 7]);
    expect(d.grid).toEqual([
      [1, 2],
      [9, 4],
    ]);
  });

  it('the last index may append one item right after the end', () => {
    const d = doc();
    applySet(d, 'sorter.chutes[2]={"id":"c","position":3}');
    expect(d.sorter.chutes).toHaveLength(3);
    expect(caught(() => applySet(d, 'sorter.chutes[4]=1')).pointer).toBe('/sorter/chutes/4');
  });

  it.each([
    ['sorter.chutes[2].position=1', '/sorter/chutes/2', /array of 2.*expected 0–1/],
    ['sorter.chutes[9]=1', '/sorter/chutes/9', /array of 2.*expected 0–2/],
    ['sorter[0]=1', '/sorter/0', /is an object, not an array/],
    ['sorter.chutes[0].position[0]=1', '/sorter/chutes/0/position', /is a number/],
    ['grid[0][5]=1', '/grid/0/5', /array of 2/],
  ])('%s is refused at %s', (set, pointer, message) => {
    const e = caught(() => applySet(doc(), set));
    expect(e.code).toBe('SORTLINE_ERR_SET_PATH');
    expect(e.pointer).toBe(pointer);
    expect(e.message).toMatch(message);
  });

  it.each([
    'sorter.chutes[x]=1',
    'sorter.chutes[-1]=1',
    'sorter.chutes[01]=1',
    'sorter.chutes[0=1',
    'a..b=1',
    'nonsense',
  ])('a malformed path %s is refused', (set) => {
    expect(caught(() => applySet(doc(), set)).code).toBe('SORTLINE_ERR_SET_PATH');
  });

  it('cannot reach the prototype through an index', () => {
    for (const set of [
      'sorter.chutes[0].__proto__.x=1',
      'sorter.chutes[0].constructor.prototype.x=1',
      '__proto__[0]=1',
    ]) {
      const e = caught(() => applySet(doc(), set));
      expect(e.code).toBe('SORTLINE_ERR_SET_PATH');
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a scenario takes sorter.chutes[0].position from --set', () => {
    const m = loadScenario(reference, { sets: ['sorter.chutes[0].position=2'] });
    expect(m.chutes[0]!.position).toBe(2);
    const e = caught(() => loadScenario(reference, { sets: ['sorter.chutes[1000].position=2'] }));
    expect([e.code, e.pointer]).toEqual(['SORTLINE_ERR_SET_PATH', '/sorter/chutes/1000']);
  });
});
