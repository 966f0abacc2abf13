/**
 * The label pool (sim/labels.ts) joins each label itself and parses back only the first label of
 * each shape: every label must still be exactly what encodeElementString (which parses back and
 * checks every field) makes of the same fields, and a field the encoder refuses still fails.
 */
import { describe, expect, it } from 'vitest';
import { isSortlineError } from '../../core/errors.js';
import { encodeElementString } from '../../core/labels/index.js';
import { LabelPool, printLabel } from '../../sim/labels.js';
import { randomStreams } from '../../sim/random.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { scenarioPath } from './helpers.js';

/** The fields of a pool label: AIM, (00), (3302), (421) up to GS or the end, then (403). */
function fieldsOf(label: string): { aim: string; fields: { ai: string; value: string }[] } {
  // eslint-disable-next-line no-control-regex -- GS (0x1D) is the FNC1 separator of the labels
  const m = /^(\][A-Za-z][0-9])00([0-9]{18})3302([0-9]{6})421([^\x1d]+)(?:\x1d403(.+))?$/.exec(
    label,
  );
  if (!m) throw new Error(`not a pool label: ${JSON.stringify(label)}`);
  const fields = [
    { ai: '00', value: m[2]! },
    { ai: '3302', value: m[3]! },
    { ai: '421', value: m[4]! },
  ];
  if (m[5] !== undefined) fields.push({ ai: '403', value: m[5] });
  return { aim: m[1]!, fields };
}

describe('LabelPool', () => {
  for (const name of ['reference-loop.json', 'jiangsu-outbound-hub.json']) {
    it(`${name}: every label is the encoder's string of its fields`, () => {
      const model = loadScenario(scenarioPath(name));
      const pool = new LabelPool(model, randomStreams(model.seed).labels);
      let routed = 0;
      for (const label of pool.labels) {
        if (label === undefined) continue;
        const { aim, fields } = fieldsOf(label);
        expect(aim).toBe(model.labels.aim);
        if (fields.length === 4) routed++;
        expect(encodeElementString(fields, { aim })).toBe(label);
      }
      expect(pool.labels.filter((l) => l !== undefined).length).toBeGreaterThan(0);
      // jiangsu prints routing codes on 30 % of its labels: the (403) shape is covered too
      if (model.labels.routingCodeShare > 0) expect(routed).toBeGreaterThan(0);
    });
  }

  it('the same seed prints the same pool', () => {
    const model = loadScenario(scenarioPath('jiangsu-outbound-hub.json'));
    const a = new LabelPool(model, randomStreams(7).labels);
    const b = new LabelPool(model, randomStreams(7).labels);
    expect(a.labels).toEqual(b.labels);
    expect([...a.weightGrams]).toEqual([...b.weightGrams]);
  });
});

describe('printLabel', () => {
  it('joins the fields as the encoder does, with GS only before (403)', () => {
    const sscc = '069012340000000016';
    expect(printLabel(']C1', sscc, '000250', '156210000', null, false)).toBe(
      encodeElementString(
        [
          { ai: '00', value: sscc },
          { ai: '3302', value: '000250' },
          { ai: '421', value: '156210000' },
        ],
        { aim: ']C1' },
      ),
    );
    expect(printLabel(']C1', sscc, '000250', '156210000', '101-K23-05', true)).toBe(
      `]C100${sscc}3302000250421156210000\x1d403101-K23-05`,
    );
  });

  it('a checked label with a field the dictionary refuses throws the encoder error', () => {
    // (421) is N3 + X..9: ten characters after the country are one too many
    const bad = () =>
      printLabel(']C1', '069012340000000016', '000250', '1562100000000', null, true);
    expect(bad).toThrow();
    try {
      bad();
    } catch (err) {
      expect(isSortlineError(err)).toBe(true);
      expect((err as Error).message).toContain('(421)');
    }
    // unchecked, the same fields are only joined (the pool checks one label of each shape)
    expect(() =>
      printLabel(']C1', '069012340000000016', '000250', '1562100000000', null, false),
    ).not.toThrow();
  });
});
