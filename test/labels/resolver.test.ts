import { describe, expect, it } from 'vitest';
import { KeyKind } from '../../core/plan/types.js';
import {
  LabelResolver,
  MAX_KEYS,
  ReadSource,
  describeResolved,
  encodeElementString,
  withCheckDigit,
} from '../../core/labels/index.js';

const SSCC = withCheckDigit('10614141234567890'); // 106141412345678908, GS1 General Specifications example
const label = encodeElementString(
  [
    { ai: '00', value: SSCC },
    { ai: '421', value: '156225300' },
    { ai: '403', value: '771-K23-05' },
  ],
  { aim: ']C1' },
);

describe('LabelResolver key arrays', () => {
  it('writes the keys of a read from keyBase on, and describes them from there', () => {
    const res = new LabelResolver(undefined, 4 * MAX_KEYS);
    expect(res.keyKind.length).toBe(4 * MAX_KEYS);
    res.keyBase = 2 * MAX_KEYS;
    expect(res.resolve(label, ReadSource.SCANNER, 0)).toBe(0);
    expect(res.keyCount).toBe(3);
    const at = (k: number) => [
      res.keyKind[k],
      label.slice(res.keyStart[k], res.keyEnd[k]),
      res.keyCountry[k],
    ];
    expect([0, 1, 2].map((k) => at(2 * MAX_KEYS + k))).toEqual([
      [KeyKind.ID, SSCC, 0],
      [KeyKind.POSTAL, '225300', 156],
      [KeyKind.ROUTING, '771-K23-05', 0],
    ]);
    // nothing written below keyBase
    expect([...res.keyKind.subarray(0, 2 * MAX_KEYS)].every((k) => k === 0)).toBe(true);
    const d = describeResolved(res);
    expect(d.ok && d.keys).toEqual([
      { kind: 'id', value: SSCC },
      { kind: 'postal', value: '225300', country: 156 },
      { kind: 'routing', value: '771-K23-05' },
    ]);
  });

  it('has room for MAX_KEYS keys by default, whatever capacity is asked for', () => {
    expect(new LabelResolver().keyStart.length).toBe(MAX_KEYS);
    expect(new LabelResolver(undefined, 1).keyStart.length).toBe(MAX_KEYS);
  });
});

describe('LabelResolver pairing rules on repeated sequences', () => {
  it('remembers only the AI sequences that passed: each sequence keeps its own verdict', () => {
    const res = new LabelResolver();
    const gs1 = (...f: Array<[string, string]>) => ']C1' + f.map(([ai, v]) => ai + v).join('\x1d');
    const ok = gs1(['00', SSCC], ['403', '771-K23-05']);
    const required = gs1(['403', '771-K23-05']); // (403) needs (00)
    const exclusive = gs1(['421', '156225300'], ['420', '225300']); // (420) excludes (421)
    for (let round = 0; round < 3; round++) {
      expect(res.resolve(ok, ReadSource.SCANNER, 0)).toBe(0);
      expect(describeResolved(res).ok).toBe(true);
      expect(res.resolve(required, ReadSource.SCANNER, 0)).not.toBe(0);
      expect(describeResolved(res)).toMatchObject({
        ok: false,
        error: { code: 'SORTLINE_ERR_LABEL_REQUIRED' },
      });
      expect(res.resolve(exclusive, ReadSource.SCANNER, 0)).not.toBe(0);
      expect(describeResolved(res)).toMatchObject({
        ok: false,
        error: { code: 'SORTLINE_ERR_LABEL_EXCLUSIVE' },
      });
    }
  });
});
