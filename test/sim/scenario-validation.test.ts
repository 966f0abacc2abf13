import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SortlineError } from '../../core/errors.js';
import { loadScenario, resolveScenario } from '../../sim/scenario/load.js';

const root = path.resolve(import.meta.dirname, '../..');
const referencePath = path.join(root, 'scenarios/reference-loop.json');
const reference = () => JSON.parse(readFileSync(referencePath, 'utf8')) as Record<string, any>;

/** The SortlineError thrown by `fn`, or fails the test. */
function caught(fn: () => unknown): SortlineError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SortlineError);
    return err as SortlineError;
  }
  throw new Error('expected an error, none thrown');
}

const pointers = (e: SortlineError) => e.details.map((d) => d.pointer);

describe('scenario validation', () => {
  it('the bundled reference scenario is valid and resolves to the DESIGN.md reference model', () => {
    const m = loadScenario(referencePath);
    expect(m.loop).toEqual({ carriers: 400, pitch: 1.2, speed: 2.5 });
    expect(m.inducts.map((i) => i.position)).toEqual([0, 50, 100, 150, 200, 250, 300, 350]);
    expect(m.chutes.filter((c) => !c.exception).map((c) => c.position)).toEqual(
      Array.from({ length: 100 }, (_, j) => 1 + 4 * j),
    );
    expect(m.chutes.find((c) => c.exception)?.position).toBe(399);
    expect(m.plan.destinationCount).toBe(100);
  });

  it('an unknown key is reported with its pointer', () => {
    const doc = reference();
    doc.sorter.speedd = 2.5;
    const e = caught(() => resolveScenario(doc));
    expect(e.code).toBe('SORTLINE_ERR_SCENARIO_INVALID');
    expect(pointers(e)).toContain('/sorter/speedd');
    expect(e.details.find((d) => d.pointer === '/sorter/speedd')!.message).toMatch(
      /unknown key "speedd"/,
    );
  });

  it('a wrong type is reported with its pointer and what was expected', () => {
    const doc = reference();
    doc.sorter.carriers = 'four hundred';
    const e = caught(() => resolveScenario(doc));
    expect(pointers(e)).toEqual(['/sorter/carriers']);
    expect(e.details[0]!.message).toMatch(/"four hundred".*expected .*carriers/);
  });

  it.each([
    ['speed', 0],
    ['speed', -2.5],
    ['pitch', 0],
    ['pitch', -1.2],
  ])('sorter.%s = %d is refused', (key, value) => {
    const doc = reference();
    doc.sorter[key] = value;
    const e = caught(() => resolveScenario(doc));
    expect(pointers(e)).toEqual([`/sorter/${key}`]);
    expect(e.details[0]!.message).toMatch(/> 0/);
  });

  it('an induct and a chute at the same position are refused', () => {
    const doc = reference();
    doc.sorter.chutes[12].position = 50; // induct I2 is at 50
    const e = caught(() => resolveScenario(doc));
    expect(pointers(e)).toEqual(['/sorter/chutes/12/position']);
    expect(e.details[0]!.message).toMatch(/where induct I2 is/);
  });

  it('a plan naming a chute that does not exist is refused with the pointer into the plan', () => {
    const doc = reference();
    doc.plan.destinations[7].chutes = ['C999'];
    const e = caught(() => resolveScenario(doc));
    expect(pointers(e)).toContain('/plan/destinations/7/chutes/0');
    expect(e.details.find((d) => d.pointer === '/plan/destinations/7/chutes/0')!.message).toMatch(
      /C999/,
    );
  });

  it('every fault is listed at once', () => {
    const doc = reference();
    doc.sorter.chutes[0].position = 0; // induct I1
    doc.plan.fallbacks.noRead = 'X9';
    doc.mix[3].destination = 'nowhere';
    const e = caught(() => resolveScenario(doc));
    expect(pointers(e)).toEqual(
      expect.arrayContaining([
        '/sorter/chutes/0/position',
        '/plan/fallbacks/noRead',
        '/mix/3/destination',
      ]),
    );
  });

  it('an unreadable file names the path', () => {
    const missing = path.join(tmpdir(), 'sortline-no-such-scenario.json');
    const e = caught(() => loadScenario(missing));
    expect(e.code).toBe('SORTLINE_ERR_FILE_READ');
    expect(e.path).toBe(missing);
    expect(e.message).toContain(missing);
  });

  it('a file that is not JSON gives line and column', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sortline-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{\n  "name": "x",\n  "hours": 8,,\n}\n');
    const e = caught(() => loadScenario(file));
    expect(e.code).toBe('SORTLINE_ERR_JSON_SYNTAX');
    expect(e.line).toBe(3);
    expect(e.column).toBeGreaterThan(1);
  });

  it('a plan file that is missing is reported at /plan', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sortline-'));
    const doc = reference();
    doc.plan = 'no-such-plan.json';
    const file = path.join(dir, 's.json');
    writeFileSync(file, JSON.stringify(doc));
    const e = caught(() => loadScenario(file));
    expect(pointers(e)).toEqual(['/plan']);
    expect(e.details[0]!.message).toMatch(/no-such-plan\.json/);
  });

  it('--set overrides a value by path before validation', () => {
    const m = loadScenario(referencePath, {
      sets: ['sorter.inducts.count=4', 'scanner.readRate=0.5'],
    });
    expect(m.inducts.map((i) => i.position)).toEqual([0, 100, 200, 300]);
    expect(m.scanner.readRate).toBe(0.5);
  });

  it('--set with a path that does not exist is refused', () => {
    const e = caught(() => loadScenario(referencePath, { sets: ['sorter.nothing.here=1'] }));
    expect(e.code).toBe('SORTLINE_ERR_SET_PATH');
    expect(e.pointer).toBe('/sorter/nothing');
  });

  it('--set that makes the scenario invalid is caught by validation', () => {
    const e = caught(() => loadScenario(referencePath, { sets: ['sorter.speed=-1'] }));
    expect(pointers(e)).toEqual(['/sorter/speed']);
  });

  // limits found by the bad-input review: each once hung, ran out of memory or gave a wrong result
  it.each([
    ['arrivals.ratePerHour=[1e308]', '/arrivals/ratePerHour/0'],
    [
      'arrivals.waves=[{"startHour":0,"durationHours":0.05,"parcels":1000000000}]',
      '/arrivals/waves/0/parcels',
    ],
    ['sorter.pitch=1e-9', '/sorter/speed'],
    ['sorter.speed=1e300', '/sorter/speed'],
    ['sorter.chuteCapacity=2147483648', '/sorter/chuteCapacity'],
    ['sorter.inducts.cycleSeconds=1e10', '/sorter/inducts/cycleSeconds'],
    ['sorter.inducts.first=1000', '/sorter/inducts/first'],
    ['hours=8760', '/arrivals'], // 87.6 million parcels expected
  ])('--set %s is refused at %s', (set, pointer) => {
    const e = caught(() => loadScenario(referencePath, { sets: [set] }));
    expect(e.code).toBe('SORTLINE_ERR_SCENARIO_INVALID');
    expect(pointers(e)).toContain(pointer);
  });

  it('--hours beyond 8,760 is refused like hours in the file', () => {
    const e = caught(() => loadScenario(referencePath, { hours: 9000 }));
    expect(pointers(e)).toContain('/hours');
  });

  it('--set cannot reach the object prototype', () => {
    for (const key of [
      '__proto__.seed=7',
      'constructor.prototype.x=1',
      'sorter.__proto__.pitch=1',
    ]) {
      const e = caught(() => loadScenario(referencePath, { sets: [key] }));
      expect(e.code).toBe('SORTLINE_ERR_SET_PATH');
    }
    expect(({} as Record<string, unknown>).seed).toBeUndefined();
  });

  it('a device or a directory is not read as a scenario', () => {
    for (const file of ['/dev/zero', tmpdir()]) {
      const e = caught(() => loadScenario(file));
      expect(e.code).toBe('SORTLINE_ERR_FILE_READ');
      expect(e.message).toMatch(/not a regular file/);
    }
  });

  it('a JSON fault is located even where JSON.parse gives no position', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sortline-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{\n "hours": 8,\n "x": [1, 2,]\n}\n');
    const e = caught(() => loadScenario(file));
    expect(e.code).toBe('SORTLINE_ERR_JSON_SYNTAX');
    expect([e.line, e.column]).toEqual([3, 13]);
  });

  it('a plan country that is not an assigned ISO 3166-1 code is refused at its pointer', () => {
    const doc = reference();
    doc.plan.rules[0].country = '999';
    doc.plan.homeCountry = '000';
    const e = caught(() => resolveScenario(doc));
    expect(pointers(e)).toEqual(
      expect.arrayContaining(['/plan/rules/0/country', '/plan/homeCountry']),
    );
  });

  it('a fault inside a distribution points inside it', () => {
    const doc = reference();
    doc.operators.handlingSeconds = { distribution: 'lognormal', mean: 0, sd: 1 };
    const e = caught(() => resolveScenario(doc));
    expect(pointers(e)).toEqual(['/operators/handlingSeconds/mean']);
  });
});
