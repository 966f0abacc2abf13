/**
 * Messages for a value from a fixed list (issue 9): every allowed value named, once, and
 * "expected" said once. The four reported examples run through the loaders that users hit (serve
 * configuration, scenario with --set), the general rules on small schemas.
 */
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { SortlineError } from '../../core/errors.js';
import { describeChoices, schemaErrors } from '../../core/schema-errors.js';
import { loadServeConfig } from '../../controller/config/index.js';
import { loadScenario } from '../../sim/scenario/load.js';
import { sortline } from '../cli/run.js';

const root = path.resolve(import.meta.dirname, '../..');
const reference = path.join(root, 'scenarios/reference-loop.json');

function caught(fn: () => unknown): SortlineError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SortlineError);
    return err as SortlineError;
  }
  throw new Error('expected an error, none thrown');
}

/** How often `needle` occurs in `text`. */
const count = (text: string, needle: string) => text.split(needle).length - 1;

/** Asserts that `message` names each of `values` (JSON-quoted) exactly once, and says "expected" once. */
function namesEachOnce(message: string, values: readonly string[]): void {
  for (const v of values) expect(count(message, JSON.stringify(v)), message).toBe(1);
  expect(count(message.toLowerCase(), 'expected'), message).toBe(1);
}

describe('a value outside a fixed list', () => {
  it('serve --dialect modbus names native, telegram and ndjson', () => {
    const e = caught(() => loadServeConfig(undefined, { dialect: 'modbus', data: '/nonexistent' }));
    expect(e.code).toBe('SORTLINE_ERR_CONFIG_INVALID');
    expect(e.details).toEqual([
      {
        pointer: '/gateway/dialect',
        message: 'found "modbus"; expected "native", "telegram" or "ndjson"',
      },
    ]);
  });

  it('sortline serve --dialect modbus prints every dialect once (compiled CLI, exit 2)', () => {
    const r = sortline(['serve', '--dialect', 'modbus', '--data', '/nonexistent/sortline']);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/expected expected/);
    const line = r.stderr.split('\n').find((l) => l.trim().startsWith('/gateway/dialect'))!;
    namesEachOnce(line, ['native', 'telegram', 'ndjson']);
  });

  it('--set labels.aim="]c1" names "]C1", "]d2" and "]Q3"', () => {
    const e = caught(() => loadScenario(reference, { sets: ['labels.aim="]c1"'] }));
    expect(e.details).toHaveLength(1);
    expect(e.details[0]!.pointer).toBe('/labels/aim');
    expect(e.details[0]!.message).toMatch(/^found "\]c1"; expected /);
    namesEachOnce(e.details[0]!.message, [']C1', ']d2', ']Q3']);
  });

  it('an unknown handling time distribution names constant, exponential and lognormal at /distribution', () => {
    const e = caught(() =>
      loadScenario(reference, {
        sets: ['operators.handlingSeconds={"distribution":"gamma","mean":20}'],
      }),
    );
    expect(e.details).toEqual([
      {
        pointer: '/operators/handlingSeconds/distribution',
        message: 'found "gamma"; expected "constant", "exponential" or "lognormal"',
      },
    ]);
  });

  it('an unknown slot policy names first-empty and reserve at /name', () => {
    const e = caught(() =>
      loadScenario(reference, { sets: ['sorter.slotPolicy={"name":"random"}'] }),
    );
    expect(e.details).toEqual([
      {
        pointer: '/sorter/slotPolicy/name',
        message: 'found "random"; expected "first-empty" or "reserve"',
      },
    ]);
  });

  it('a known distribution is checked as that variant: the fault inside it, not its name', () => {
    const e = caught(() =>
      loadScenario(reference, {
        sets: ['operators.handlingSeconds={"distribution":"lognormal","mean":20}'],
      }),
    );
    expect(e.details.map((d) => d.pointer)).toEqual(['/operators/handlingSeconds/sd']);
  });
});

describe('schemaErrors: unions', () => {
  const Words = Type.Union([Type.Literal('a'), Type.Literal('Bc'), Type.Literal(3)]);
  const Tagged = Type.Union([
    Type.Object({ kind: Type.Literal('x'), n: Type.Number() }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('y'), s: Type.String() }, { additionalProperties: false }),
  ]);

  it('a literal union without a description lists its values, case kept', () => {
    expect(schemaErrors(Type.Object({ w: Words }), { w: 'bc' })).toEqual([
      { pointer: '/w', message: 'found "bc"; expected "a", "Bc" or 3' },
    ]);
  });

  it('a description is used only when it names every value', () => {
    const partial = Type.Union([Type.Literal('one'), Type.Literal('two')], {
      description: '"one" (the usual)',
    });
    const full = Type.Union([Type.Literal('one'), Type.Literal('two')], {
      description: '"one" (the usual) or "two"',
    });
    expect(schemaErrors(partial, 'three')[0]!.message).toBe(
      'found "three"; expected "one" or "two"',
    );
    expect(schemaErrors(full, 'three')[0]!.message).toBe(
      'found "three"; expected "one" (the usual) or "two"',
    );
  });

  it('a tagged union: a missing or unknown tag names every tag; a known one gets its variant', () => {
    expect(schemaErrors(Tagged, { n: 1 })).toEqual([
      { pointer: '/kind', message: 'missing required key "kind"; expected "x" or "y"' },
    ]);
    expect(schemaErrors(Tagged, { kind: 'z' })).toEqual([
      { pointer: '/kind', message: 'found "z"; expected "x" or "y"' },
    ]);
    // the "y" variant, although the "x" variant has fewer faults (only its tag)
    expect(
      schemaErrors(Tagged, { kind: 'y', n: 1 })
        .map((d) => d.pointer)
        .sort(),
    ).toEqual(['/n', '/s']);
  });

  it('a single literal says "expected" once and keeps its case', () => {
    const [d] = schemaErrors(Type.Literal(']C1'), ']c1');
    expect(d!.message).toBe('found "]c1"; expected "]C1"');
  });

  it('a mixed union prefers the variant whose type the value has', () => {
    const U = Type.Union([Type.Literal('even'), Type.Array(Type.Integer({ minimum: 0 }))]);
    expect(schemaErrors(U, [-1]).map((d) => d.pointer)).toEqual(['/0']);
  });

  it('describeChoices names each value once', () => {
    expect(describeChoices(['a', 'a', 'b', 'c'])).toBe('"a", "b" or "c"');
    expect(describeChoices(['a'])).toBe('"a"');
  });
});
