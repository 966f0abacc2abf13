/**
 * The precompiled TypeBox checks (sim/scenario/check.ts, core/plan/check.ts, and their stand-ins
 * that scripts/schema-checks.mjs generates for the bundle) agree with `schemaErrors` on valid
 * documents and on documents with a fault of each kind the schemas know: a check that said yes to
 * a faulty document would let it through unreported, one that said no to a valid one would only
 * cost time, but both are held here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sortPlanSchema } from '../core/plan/index.js';
import { fitsSortPlanSchema } from '../core/plan/check.js';
import { schemaErrors } from '../core/schema-errors.js';
import { fitsScenarioSchema } from '../sim/scenario/check.js';
import { scenarioSchemas } from '../sim/scenario/index.js';
import { SCHEMA_CHECK_MODULES, schemaCheckSource } from '../scripts/schema-checks.mjs';

const root = path.resolve(import.meta.dirname, '..');
const read = (name: string) =>
  JSON.parse(readFileSync(path.join(root, 'scenarios', name), 'utf8')) as Record<string, any>;

/** A copy of `doc` changed by `edit`. */
function edited(doc: Record<string, any>, edit: (d: Record<string, any>) => void) {
  const copy = structuredClone(doc);
  edit(copy);
  return copy;
}

const reference = read('reference-loop.json');
const jiangsu = read('jiangsu-outbound-hub.json');
const scenarios: [string, unknown][] = [
  ['reference-loop', reference],
  ['jiangsu', jiangsu],
  ['not an object', []],
  ['missing key', edited(reference, (d) => delete d.sorter)],
  ['unknown key', edited(reference, (d) => (d.extra = 1))],
  ['wrong type', edited(reference, (d) => (d.hours = '8'))],
  ['out of range', edited(reference, (d) => (d.hours = 0))],
  ['NaN-like', edited(reference, (d) => (d.scanner.readRate = 1.5))],
  ['not in the list', edited(reference, (d) => (d.labels.aim = ']c1'))],
  ['pattern', edited(reference, (d) => (d.startTime = '24:00'))],
  ['union variant', edited(reference, (d) => (d.operators.handlingSeconds.distribution = 'x'))],
  ['nested item', edited(reference, (d) => (d.mix[0].weight = -1))],
  ['empty mix', edited(reference, (d) => (d.mix = []))],
];
const plan = reference.plan as Record<string, any>;
const plans: [string, unknown][] = [
  ['reference plan', plan],
  ['jiangsu plan', JSON.parse(readFileSync(path.join(root, 'scenarios', jiangsu.plan), 'utf8'))],
  ['null', null],
  ['missing fallbacks', edited(plan, (d) => delete d.fallbacks)],
  ['bad country', edited(plan, (d) => (d.homeCountry = '15'))],
  ['keyPriority repeated', edited(plan, (d) => (d.keyPriority = ['postal', 'postal']))],
  ['keyPriority unique', edited(plan, (d) => (d.keyPriority = ['postal', 'routing']))],
  ['rule key type', edited(plan, (d) => (d.rules[0].postal = 21))],
  ['assignment', edited(plan, (d) => (d.assignment = 'random'))],
  ['unknown rule key', edited(plan, (d) => (d.rules[0].weight = 1))],
];

describe('the checks from the sources agree with schemaErrors', () => {
  for (const [name, doc] of scenarios) {
    it(`scenario: ${name}`, () => {
      expect(fitsScenarioSchema(doc)).toBe(
        schemaErrors(scenarioSchemas().Scenario, doc).length === 0,
      );
    });
  }
  for (const [name, doc] of plans) {
    it(`plan: ${name}`, () => {
      expect(fitsSortPlanSchema(doc)).toBe(schemaErrors(sortPlanSchema(), doc).length === 0);
    });
  }
  it('both valid and faulty documents are among the cases', () => {
    const verdicts = [
      ...scenarios.map(([, d]) => fitsScenarioSchema(d)),
      ...plans.map(([, d]) => fitsSortPlanSchema(d)),
    ];
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });
});

describe('the stand-ins generated for the bundle (scripts/schema-checks.mjs)', () => {
  // generated modules import TypeBox by name: written where node_modules resolves
  const dir = mkdtempSync(path.join(root, 'node_modules', '.sortline-schema-checks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = async (module: string): Promise<Record<string, (v: unknown) => boolean>> => {
    const file = path.join(dir, `${path.basename(path.dirname(module))}-check.mjs`);
    writeFileSync(file, await schemaCheckSource(path.join(root, module)));
    return (await import(pathToFileURL(file).href)) as Record<string, (v: unknown) => boolean>;
  };

  it('cover the scenario and the plan checks', () => {
    expect(SCHEMA_CHECK_MODULES).toEqual(['dist/sim/scenario/check.js', 'dist/core/plan/check.js']);
  });

  it('the scenario stand-in gives every verdict the sources give', async () => {
    const m = await load('dist/sim/scenario/check.js');
    expect(Object.keys(m)).toEqual(['fitsScenarioSchema']);
    for (const [name, doc] of scenarios)
      expect(m.fitsScenarioSchema!(doc), name).toBe(fitsScenarioSchema(doc));
  });

  it('the plan stand-in gives every verdict the sources give', async () => {
    const m = await load('dist/core/plan/check.js');
    expect(Object.keys(m)).toEqual(['fitsSortPlanSchema']);
    for (const [name, doc] of plans)
      expect(m.fitsSortPlanSchema!(doc), name).toBe(fitsSortPlanSchema(doc));
  });
});
