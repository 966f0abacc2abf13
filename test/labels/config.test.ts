/**
 * compileResolverConfig: every fault of a configuration, each with the JSON pointer of the field
 * and what was expected (docs/labels.md "Configuration").
 */
import { describe, expect, it } from 'vitest';
import { compileResolverConfig, describeRead } from '../../core/labels/index.js';

/** The details of the SORTLINE_ERR_LABEL_CONFIG that `config` raises ([] when it compiles). */
function faults(config: unknown): Array<{ pointer: string; message: string }> {
  try {
    compileResolverConfig(config);
    return [];
  } catch (err) {
    const e = err as { code: string; details: Array<{ pointer: string; message: string }> };
    expect(e.code).toBe('SORTLINE_ERR_LABEL_CONFIG');
    return e.details;
  }
}
const pointers = (config: unknown) => faults(config).map((f) => f.pointer);

describe('codeIds', () => {
  it('values must be ISO/IEC 15424 identifiers: "]" + a symbology letter + a modifier that symbology defines', () => {
    for (const aim of [']C0', ']C1', ']d2', ']e0', ']z4', ']XF'])
      expect(faults({ codeIds: { u: aim } })).toEqual([]);
    const cases: Array<[string, string]> = [
      [']C9', 'modifier "9" is not defined for "C"'], // Code 128 modifiers are 0 1 2 4
      [']c1', '"c" is not a symbology letter'],
      ['C1', '2 characters'],
      [']C1x', '4 characters'],
      ['xC1', 'no leading "]"'],
    ];
    for (const [aim, why] of cases) {
      const f = faults({ codeIds: { u: aim } });
      expect(f).toHaveLength(1);
      expect(f[0]!.pointer).toBe('/codeIds/u');
      expect(f[0]!.message).toContain('ISO/IEC 15424');
      expect(f[0]!.message).toContain(why);
    }
  });

  it('keys are code ids of 1 to 8 printable characters, checked in scanner profiles too', () => {
    expect(pointers({ codeIds: { '': ']C1', abcdefghi: ']C1', 'a b': ']C1', ok: ']C1' } })).toEqual(
      ['/codeIds/', '/codeIds/abcdefghi', '/codeIds/a b'],
    );
    expect(pointers({ scanners: { '2': { codeIds: { u: ']Q9' } } } })).toEqual([
      '/scanners/2/codeIds/u',
    ]);
  });

  it('are checked even when other fields fail the schema: one pass lists every fault', () => {
    expect(pointers({ aim: 'never', codeIds: { u: ']C9' } })).toEqual(['/aim', '/codeIds/u']);
  });
});

describe('scanners', () => {
  it('keys are decimal scanner numbers 0-65535', () => {
    expect(pointers({ scanners: { '0': {}, '7': {}, '65535': {} } })).toEqual([]);
    for (const id of ['65536', '70000', '-1', '007', 'x', '1.5', '']) {
      const f = faults({ scanners: { [id]: {} } });
      expect(f.map((d) => d.pointer)).toEqual([`/scanners/${id}`]);
      expect(f[0]!.message).toContain('0-65535');
    }
  });

  it('a profile of the highest scanner number applies to that scanner', () => {
    const config = compileResolverConfig({ scanners: { '65535': { codeIds: { u: ']C1' } } } });
    expect(describeRead('u00106141412345678908', 0, config, 65535)).toMatchObject({
      ok: true,
      kind: 'gs1',
    });
    expect(describeRead('u00106141412345678908', 0, config, 65534)).toMatchObject({
      ok: true,
      kind: 'text',
    });
  });
});

describe('routingCode and manualPostal', () => {
  it('faults inside routingCode name the field', () => {
    expect(pointers({ routingCode: { minSegments: 0 } })).toEqual(['/routingCode/minSegments']);
    expect(pointers({ routingCode: { maxSegmentLength: 31 } })).toEqual([
      '/routingCode/maxSegmentLength',
    ]);
    expect(pointers({ routingCode: { segments: 3 } })).toEqual(['/routingCode/segments']);
    expect(pointers({ routingCode: { minSegments: 3, maxSegments: 2 } })).toEqual([
      '/routingCode/minSegments',
    ]);
    // the default minimum (3) above a given maximum: the field given is named
    const f = faults({ routingCode: { maxSegments: 2 } });
    expect(f.map((d) => d.pointer)).toEqual(['/routingCode/maxSegments']);
    expect(f[0]!.message).toContain('minSegments 3 (the default) exceeds maxSegments 2');
    expect(faults({ routingCode: true })[0]!.message).toContain('false or an object');
  });

  it('faults inside manualPostal name the field', () => {
    expect(pointers({ manualPostal: { minDigits: 0 } })).toEqual(['/manualPostal/minDigits']);
    expect(pointers({ manualPostal: { minDigits: 6, maxDigits: 5 } })).toEqual([
      '/manualPostal/minDigits',
    ]);
    expect(pointers({ manualPostal: 'yes' })).toEqual(['/manualPostal']);
    expect(pointers({ manualPostal: false })).toEqual([]);
  });
});

describe('waybills', () => {
  const carrier = (n: number) => ({
    carrier: 'x',
    patterns: Array.from({ length: n }, () => 'X#{10}'),
  });
  it('pattern counts: each fault says the limit', () => {
    const perCarrier = faults({ waybills: [carrier(65)] });
    expect(perCarrier.map((d) => d.pointer)).toEqual(['/waybills/0/patterns']);
    expect(perCarrier[0]!.message).toContain('1 to 64 patterns');
    const carriers = faults({ waybills: Array.from({ length: 65 }, () => carrier(1)) });
    expect(carriers.map((d) => d.pointer)).toEqual(['/waybills']);
    expect(carriers[0]!.message).toContain('at most 64 carriers');
    const inAll = faults({ waybills: Array.from({ length: 5 }, () => carrier(60)) });
    expect(inAll).toEqual([
      { pointer: '/waybills', message: '300 waybill patterns in all; expected at most 256' },
    ]);
    expect(faults({ waybills: Array.from({ length: 4 }, () => carrier(64)) })).toEqual([]);
  });
});

describe('messages', () => {
  it('say what was expected once ("expected expected …" nowhere), for every field', () => {
    const bad = [
      { aim: 'x' },
      { codeIds: 5 },
      { codeIds: { u: 5 } },
      { noReadTokens: 'x' },
      { noReadTokens: [''] },
      { assumeGs1: 'yes' },
      { scanners: [] },
      { scanners: { '1': { aim: 'x', colour: 1 } } },
      { waybills: {} },
      { waybills: [{}] },
      { waybills: [{ carrier: '', patterns: [] }] },
      { routingCode: 'x' },
      { routingCode: { minSegments: 'x' } },
      { manualPostal: { maxDigits: 1.5 } },
      { carriers: { ups: 'no' } },
      { carriers: 5 },
      { carriers: { dpd: true } },
      { epcFilters: 3 },
      { epcFilters: [8] },
      { keyPriority: ['zip'] },
      { keyPriority: [] },
      { keyPriority: ['id', 'id'] },
      [],
      'x',
    ];
    for (const config of bad) {
      const f = faults(config);
      expect(f.length, JSON.stringify(config)).toBeGreaterThan(0);
      for (const d of f) {
        expect(d.message, JSON.stringify(config)).not.toMatch(/expected expected/i);
        expect(d.message, JSON.stringify(config)).toMatch(/expected|exceeds/);
      }
    }
  });
});
