/**
 * Plain text: what a read may contain (docs/labels.md "What a read may contain"), manual reads of
 * a postal code (docs/labels.md "Manual coding"), and the `id` / `text` fields of a description.
 */
import { describe, expect, it } from 'vitest';
import { Fallback } from '../../core/plan/fallbacks.js';
import {
  ParcelRouter,
  ReadSource,
  compileResolverConfig,
  describeRead,
  encodeElementString,
  withCheckDigit,
} from '../../core/labels/index.js';
import { PlanDouble } from './plan-double.js';

const SSCC = withCheckDigit('10614141234567890'); // 106141412345678908, GS1 General Specifications example

describe('characters a read cannot contain', () => {
  it('NUL, U+FFFD and unpaired surrogates are CHARACTER faults at their offset', () => {
    const cases: Array<[string, number]> = [
      ['AB\u0000C', 2],
      ['\u0000', 0],
      ['X\ufffdY', 1],
      ['ab\ud800', 2],
      ['\udc00ab', 0],
      ['a\ud800b', 1],
    ];
    for (const [data, offset] of cases) {
      expect(describeRead(data), JSON.stringify(data)).toMatchObject({
        ok: false,
        error: { code: 'SORTLINE_ERR_LABEL_CHARACTER', offset },
      });
    }
  });

  it('other characters are data: a surrogate pair, control characters of ISO/IEC 15434 envelopes, a CR inside', () => {
    for (const data of ['box 📦 7', '[)>\u001e06\u001d12345\u001e\u0004', 'a\rb', 'Zürich 8001']) {
      expect(describeRead(data), JSON.stringify(data)).toEqual({
        ok: true,
        kind: 'text',
        text: data,
        keys: [],
      });
    }
  });

  it('the message names the character and why it cannot be in a read', () => {
    const d = describeRead('AB\u0000C');
    expect(!d.ok && d.error.message).toContain('U+0000 at offset 2');
    expect(!d.ok && d.error.message).toContain('NUL');
  });
});

describe('manual reads', () => {
  const plan = new PlanDouble({
    postal: [
      [156, '2253', 'taizhou'],
      [156, '21', 'nanjing'],
    ],
    routing: { '771': 'nanning' },
    ids: { EE123456785CN: 'ems' },
  });
  const route = (data: string, source: number, config?: object) => {
    const router = new ParcelRouter(plan, config);
    router.begin();
    router.addRead(data, source, 0);
    return router.finish();
  };

  it('digits only, 3 to 9 of them, are a postal code of the plan home country', () => {
    expect(describeRead('225300', ReadSource.MANUAL)).toEqual({
      ok: true,
      kind: 'text',
      text: '225300',
      keys: [{ kind: 'postal', value: '225300' }],
    });
    expect(route('225300', ReadSource.MANUAL)).toBe(plan.destinationIndex('taizhou'));
    expect(plan.calls).toContain('postal:225300:156');
    expect(route('210', ReadSource.MANUAL)).toBe(plan.destinationIndex('nanjing'));
    expect(route('210000000', ReadSource.MANUAL)).toBe(plan.destinationIndex('nanjing'));
  });

  it('the same digits from a scanner are text without a key (no-rule), and so are other lengths and non-digits', () => {
    expect(describeRead('225300', ReadSource.SCANNER)).toMatchObject({ kind: 'text', keys: [] });
    expect(route('225300', ReadSource.SCANNER)).toBe(-Fallback.NO_RULE);
    for (const data of ['21', '2253 00', '22530O'])
      expect(describeRead(data, ReadSource.MANUAL), data).toMatchObject({ kind: 'text', keys: [] });
  });

  it('identifiers and routing codes keyed or scanned at the station resolve as from a scanner', () => {
    expect(route('EE123456785CN', ReadSource.MANUAL)).toBe(plan.destinationIndex('ems'));
    expect(route('771-K23-05', ReadSource.MANUAL)).toBe(plan.destinationIndex('nanning'));
    expect(describeRead('1234567890', ReadSource.MANUAL)).toMatchObject({ kind: 'dhl' }); // 10 digits: a DHL Express waybill shape
  });

  it('manualPostal sets the digit counts, false turns it off', () => {
    const five = compileResolverConfig({ manualPostal: { minDigits: 5, maxDigits: 5 } });
    expect(describeRead('22530', ReadSource.MANUAL, five)).toMatchObject({
      keys: [{ kind: 'postal', value: '22530' }],
    });
    expect(describeRead('225300', ReadSource.MANUAL, five)).toMatchObject({ keys: [] });
    expect(route('225300', ReadSource.MANUAL, { manualPostal: false })).toBe(-Fallback.NO_RULE);
  });
});

describe('id and text of a description', () => {
  it('GS1 data gives the SSCC as id; without an SSCC it has none', () => {
    const withSscc = encodeElementString(
      [
        { ai: '00', value: SSCC },
        { ai: '421', value: '156225300' },
      ],
      { aim: ']C1' },
    );
    expect(describeRead(withSscc)).toMatchObject({ ok: true, kind: 'gs1', id: SSCC });
    const gtinOnly = describeRead(']C10112312312312333');
    expect(gtinOnly.ok && gtinOnly.id).toBeUndefined();
    // an RFID SSCC-96 is the same parcel identifier
    expect(describeRead('3154257BF4499602D2000000', ReadSource.RFID)).toMatchObject({
      kind: 'gs1',
      id: SSCC,
    });
  });

  it('plain text gives its data as text, never as id', () => {
    const d = describeRead(']d1HELLO');
    expect(d).toMatchObject({ ok: true, kind: 'text', text: 'HELLO' });
    expect(d.ok && d.id).toBeUndefined();
  });
});
