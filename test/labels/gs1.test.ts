/**
 * GS1 element strings, AIM identifiers and Digital Link URIs against the rules of the GS1
 * General Specifications and the GS1 Barcode Syntax Dictionary (expectations from the standards,
 * not from this implementation's output).
 */
import { describe, expect, it } from 'vitest';
import {
  AI_COUNT,
  AI_DICTIONARY,
  ReadSource,
  aiEntry,
  describeRead,
  withCheckDigit,
} from '../../core/labels/index.js';
import {
  AI_FLAGS,
  AI_LENGTH_BY_PREFIX,
  AI_MAX_LENGTH,
  AI_MIN_LENGTH,
  AI_PREDEFINED,
} from '../../core/labels/ai-table.js';

const GS = '\x1d';
/** A GSRN (8018) value: 17 digits and their GS1 check digit. */
const GSRN = withCheckDigit('12345678901234567');
const SSCC2 = withCheckDigit('00690123400000000');
const code = (data: string) => {
  const d = describeRead(data);
  return d.ok ? `ok ${d.kind}` : d.error.code.replace('SORTLINE_ERR_LABEL_', '');
};
const hri = (data: string) => {
  const d = describeRead(data);
  return d.ok ? d.hri : d.error.code;
};

describe('the AI table (GS1 Barcode Syntax Dictionary)', () => {
  it('holds every AI of the dictionary, ranges expanded', () => {
    const expanded = AI_DICTIONARY.reduce((n, [ai]) => {
      const [a, b = a] = ai.split('-');
      return n + Number(b) - Number(a) + 1;
    }, 0);
    expect(AI_COUNT).toBe(expanded);
    expect(AI_COUNT).toBeGreaterThan(500);
  });

  it('knows the AI length by its first two digits (GS1 General Specifications figure 7.8.5-1)', () => {
    expect(AI_LENGTH_BY_PREFIX[0]).toBe(2);
    expect(AI_LENGTH_BY_PREFIX[23]).toBe(3);
    expect(AI_LENGTH_BY_PREFIX[31]).toBe(4);
    expect(AI_LENGTH_BY_PREFIX[42]).toBe(3);
    expect(AI_LENGTH_BY_PREFIX[43]).toBe(4);
    expect(AI_LENGTH_BY_PREFIX[71]).toBe(3);
    expect(AI_LENGTH_BY_PREFIX[90]).toBe(2);
    expect(AI_LENGTH_BY_PREFIX[89]).toBe(0);
    expect(AI_LENGTH_BY_PREFIX[14]).toBe(0);
  });

  it('has the formats and pre-defined lengths of the standard', () => {
    const e = (ai: string) => aiEntry(ai);
    expect([
      AI_MIN_LENGTH[e('00')],
      AI_MAX_LENGTH[e('00')],
      AI_FLAGS[e('00')]! & AI_PREDEFINED,
    ]).toEqual([18, 18, AI_PREDEFINED]);
    expect([
      AI_MIN_LENGTH[e('402')],
      AI_MAX_LENGTH[e('402')],
      AI_FLAGS[e('402')]! & AI_PREDEFINED,
    ]).toEqual([17, 17, 0]);
    expect([AI_MIN_LENGTH[e('421')], AI_MAX_LENGTH[e('421')]]).toEqual([4, 12]);
    expect([AI_MIN_LENGTH[e('8030')], AI_MAX_LENGTH[e('8030')]]).toEqual([1, 90]);
    expect([AI_MIN_LENGTH[e('253')], AI_MAX_LENGTH[e('253')]]).toEqual([13, 30]);
    expect(aiEntry('236')).toBe(-1);
    expect(aiEntry('3106')).toBe(-1);
  });
});

describe('GS1 element strings', () => {
  it('never cuts a variable-length value: running into the next AI is TOO_LONG', () => {
    expect(code(`]C1011231231231233310${'A'.repeat(20)}`)).toBe('ok gs1');
    expect(code(`]C1011231231231233310${'A'.repeat(21)}`)).toBe('TOO_LONG');
    expect(code(']C1011231231231233310ABC21XYZ')).toBe('ok gs1'); // (10) is "ABC21XYZ": no separator, one value
    expect(hri(']C1011231231231233310ABC21XYZ')).toBe('(01)12312312312333(10)ABC21XYZ');
  });

  it('reads pre-defined length AIs without separators and tolerates separators after them', () => {
    expect(hri(`]C1${GS}01123123123123331723123110ABC`)).toBe(
      '(01)12312312312333(17)231231(10)ABC',
    );
    expect(hri(`]C1011231231231233317231231${GS}${GS}10ABC${GS}`)).toBe(
      '(01)12312312312333(17)231231(10)ABC',
    );
  });

  it('a separator inside a pre-defined length value cuts it short', () => {
    expect(describeRead(`]C10012345678${GS}90123456789`)).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_TOO_SHORT', offset: 13 },
    });
  });

  it('reports the decimals of decimal-point AIs', () => {
    const d = describeRead(']C10010614141234567890833020012504215281012AB');
    expect(d.ok && d.elements!.find((x) => x.ai === '3302')).toEqual({
      ai: '3302',
      title: 'GROSS WEIGHT (kg)',
      value: '001250',
      decimals: 2,
    });
  });

  it('applies the invalid pairs (ex=)', () => {
    expect(code(`]C1420101150${GS}4215281012AB${GS}00106141412345678908`)).toBe('EXCLUSIVE');
    expect(code(']C1011231231231233331020012343103001234')).toBe('EXCLUSIVE'); // (3102) with (3103)
    expect(code(']C1011231231231233321ABC' + GS + '235XYZ')).toBe('EXCLUSIVE');
    expect(code(']C1011231231231233331020012343112001234')).toBe('ok gs1'); // (3102) net weight with (3112) length
  });

  it('applies the mandatory associations (req=), with alternatives and + groups', () => {
    expect(code(']C1403771-K23-05')).toBe('REQUIRED');
    expect(code(']C100106141412345678908403771-K23-05')).toBe('ok gs1');
    expect(code(']C110ABC')).toBe('REQUIRED'); // (10) needs (01), (02), (03), (8006) or (8026)
    expect(code(']C1011231231231233321S1' + GS + '250XYZ')).toBe('ok gs1'); // (250) needs (01) and (21)
    expect(code(']C101123123123123332500XYZ')).toBe('REQUIRED');
    // (7258) requires (8018) together with (7259)
    expect(code(`]C18018${GSRN}${GS}72581/2`)).toBe('REQUIRED');
    expect(code(`]C18018${GSRN}${GS}72581/2${GS}7259BABY`)).toBe('ok gs1');
  });

  it('takes an AI repeated with the same value, refuses it with another value', () => {
    expect(code(']C1001061414123456789080010614141234567890800106141412345678908')).toBe('ok gs1');
    expect(code(`]C100106141412345678908${'00' + SSCC2}`)).toBe('DUPLICATE_AI');
  });

  it('checks dates (YYMMDD; day 00 only where the AI allows it) and times', () => {
    expect(code(']C10112312312312333172402 29'.replace(' ', ''))).toBe('ok gs1'); // 2024-02-29
    expect(code(']C101123123123123331723022 9'.replace(' ', ''))).toBe('DATE'); // 2023-02-29
    expect(code(']C1011231231231233315231301')).toBe('DATE');
    expect(code(']C1011231231231233311231200')).toBe('ok gs1'); // (11) allows day 00
    expect(code(']C101123123123123337006231200')).toBe('DATE'); // (7006) does not
    expect(code(']C10010614141234567890843242312312400')).toBe('DATE'); // hour 24
    expect(code(`]C18018${GSRN}${GS}725019000229`)).toBe('DATE'); // 1900 was no leap year
    expect(code(`]C18018${GSRN}${GS}725020000229`)).toBe('ok gs1'); // 2000 was
  });

  it('checks ISO 3166 and ISO 4217 codes', () => {
    expect(code(']C101123123123123334221 56'.replace(' ', ''))).toBe('ok gs1');
    expect(code(']C10112312312312333422999')).toBe('COUNTRY');
    expect(code(']C10112312312312333703099 9ABC'.replace(' ', ''))).toBe('ok gs1'); // (7030) allows 999
    expect(code(']C10010614141234567890843 07CN'.replace(' ', ''))).toBe('ok gs1');
    expect(code(']C10010614141234567890843 07XX'.replace(' ', ''))).toBe('COUNTRY');
    const pay = ']C141512345678901288020REF1' + GS;
    expect(code(`${pay}3912978000123`)).toBe('ok gs1');
    expect(code(`${pay}3912000000123`)).toBe('VALUE');
  });

  it('checks the GS1 Company Prefix of alphanumeric keys and percent escapes', () => {
    expect(code(']C14011234ABC')).toBe('ok gs1');
    expect(code(']C1401AB12')).toBe('VALUE');
    expect(code(']C1001061414123456789084300ABC%20D')).toBe('ok gs1');
    expect(code(']C1001061414123456789084300ABC%2')).toBe('VALUE');
  });

  it('checks the alphanumeric check character pair (GMN, GS1 General Specifications §7.9.5)', () => {
    expect(code(']C180131987654Ad4X4bL5ttr2310c2K')).toBe('ok gs1');
    expect(code(']C180131987654Ad4X4bL5ttr2310c2L')).toBe('CHECK_DIGIT');
    expect(code(']C180131987654Ad4X4bL5ttr2311c2K')).toBe('CHECK_DIGIT');
  });

  it('reads unknown AIs and truncated data as coded faults', () => {
    expect(describeRead(']C1011231231231233314')).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_UNKNOWN_AI', offset: 19 },
    });
    expect(describeRead(']C101123123123123339')).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_UNKNOWN_AI', offset: 19 },
    });
    expect(describeRead(`]C1${GS}${GS}`)).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_EMPTY' },
    });
    expect(describeRead(`]C1${'9'.repeat(5000)}`)).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_READ_TOO_LONG' },
    });
  });
});

describe('AIM symbology identifiers (ISO/IEC 15424)', () => {
  it('GS1 modifiers carry element strings, the others plain data', () => {
    const data = '0112312312312333';
    for (const aim of [']C1', ']e0', ']e1', ']d2', ']d5', ']Q3', ']Q4', ']J1', ']z1', ']K1'])
      expect(code(aim + data)).toBe('ok gs1');
    for (const aim of [']C0', ']d1', ']Q1', ']A0', ']z0', ']L0', ']X0'])
      expect(code(aim + data)).toBe('ok text');
  });

  it('refuses unknown letters and modifiers', () => {
    for (const aim of [']C3', ']XX', ']?0', ']E9', ']'])
      expect(code(`${aim}0112312312312333`)).toBe('SYMBOLOGY');
  });

  it('reads EAN/UPC and ITF-14 as GTINs with their check digit', () => {
    expect(describeRead(']E05901234123457')).toMatchObject({
      ok: true,
      kind: 'gtin',
      id: '5901234123457',
    });
    expect(describeRead(']E0036000291452')).toMatchObject({
      ok: true,
      kind: 'gtin',
      id: '036000291452',
    }); // UPC-A
    expect(describeRead(']E496385074')).toMatchObject({ ok: true, kind: 'gtin', id: '96385074' }); // EAN-8
    expect(describeRead(']E3590123412345712')).toMatchObject({
      ok: true,
      kind: 'gtin',
      id: '5901234123457',
    }); // + 2-digit add-on
    expect(describeRead(']I115901234123454')).toMatchObject({
      ok: true,
      kind: 'gtin',
      id: '15901234123454',
    });
    expect(code(']E059012341234')).toBe('TOO_SHORT');
    expect(code(']E0590123412345')).toBe('CHECK_DIGIT'); // 12 digits: a UPC-A
    expect(code(']E05901234123458')).toBe('CHECK_DIGIT');
    expect(code(']E0590123412345A')).toBe('CHARACTER');
  });
});

describe('GS1 Digital Link URIs in plain QR codes', () => {
  it('reads the primary key, qualifiers and data attributes, after a custom path prefix', () => {
    expect(
      hri(']Q1https://id.example.com/shop/01/95012345678903/10/ABC/21/42?17=261231&linkType=all'),
    ).toBe('(01)95012345678903(10)ABC(21)42(17)261231');
    expect(hri(']Q1HTTP://x.example/00/106141412345678908')).toBe('(00)106141412345678908');
  });

  it('pads a GTIN-13 to 14 digits and decodes percent escapes', () => {
    expect(hri('https://id.example/01/5901234123457/10/A%2FB%25')).toBe(
      '(01)05901234123457(10)A/B%',
    );
    const bad = 'https://id.example/01/5901234123457/10/A%2';
    expect(describeRead(bad)).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_DIGITAL_LINK', offset: bad.indexOf('%') },
    });
  });

  it('maps fault offsets back into the URI on the percent-escaped path', () => {
    const uri = 'https://id.example/01/9501234567890%30'; // 95012345678900: the check digit is 3
    expect(describeRead(uri)).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_CHECK_DIGIT', offset: uri.indexOf('%') },
    });
  });

  it('checks qualifier order, key-value pairs and attribute AIs', () => {
    expect(code('https://id.example/01/95012345678903/21/42/10/ABC')).toBe('DIGITAL_LINK');
    expect(code('https://id.example/01/95012345678903/10')).toBe('DIGITAL_LINK');
    expect(code('https://id.example/01/95012345678903?21=42')).toBe('DIGITAL_LINK');
    expect(code('https://id.example/01/95012345678903?3103=000123')).toBe('ok gs1');
    expect(code('https://id.example/01/95012345678903?8999=1')).toBe('UNKNOWN_AI');
  });

  it('leaves ordinary URLs as text', () => {
    expect(describeRead(']Q1https://www.example.com/track/12345')).toMatchObject({
      ok: true,
      kind: 'text',
      text: 'https://www.example.com/track/12345',
    });
  });
});

describe('scanner profiles', () => {
  const cfg = (c: object) => c as Parameters<typeof describeRead>[2];
  it('aim "expected" refuses data without an identifier, "absent" reads a leading ] as data', () => {
    expect(
      describeRead('0112312312312333', ReadSource.SCANNER, cfg({ aim: 'expected' })),
    ).toMatchObject({ ok: false, error: { code: 'SORTLINE_ERR_LABEL_SYMBOLOGY' } });
    expect(
      describeRead(']C10112312312312333', ReadSource.SCANNER, cfg({ aim: 'absent' })),
    ).toMatchObject({ ok: true, kind: 'text', text: ']C10112312312312333' });
  });

  it('maps proprietary code ids to AIM identifiers, per scanner', () => {
    const c = cfg({ scanners: { '3': { codeIds: { u: ']C1', j: ']C0' } } } });
    expect(describeRead('u0112312312312333', ReadSource.SCANNER, c, 3)).toMatchObject({
      ok: true,
      kind: 'gs1',
      symbology: ']C1',
    });
    expect(describeRead('jEE123456785CN', ReadSource.SCANNER, c, 3)).toMatchObject({
      ok: true,
      kind: 's10',
    });
    expect(describeRead('u0112312312312333', ReadSource.SCANNER, c, 0)).toMatchObject({
      ok: true,
      kind: 'text',
    });
  });

  it('treats configured tokens (any case) and blank data as no-reads', () => {
    const c = cfg({ noReadTokens: ['NR', 'ERROR'] });
    expect(describeRead('nr', ReadSource.SCANNER, c)).toMatchObject({ ok: true, kind: 'noread' });
    expect(describeRead('Error', ReadSource.SCANNER, c)).toMatchObject({
      ok: true,
      kind: 'noread',
    });
    expect(describeRead('noread', ReadSource.SCANNER, c)).toMatchObject({ ok: true, kind: 'text' });
    expect(describeRead(' \t\r\n', ReadSource.SCANNER, c)).toMatchObject({
      ok: true,
      kind: 'noread',
    });
  });

  it('"assume GS1" reads data without an identifier as element strings', () => {
    expect(
      describeRead('0195012345678903', ReadSource.SCANNER, cfg({ assumeGs1: true })),
    ).toMatchObject({ ok: true, kind: 'gs1' });
    expect(describeRead('0195012345678903')).toMatchObject({ ok: true, kind: 'text' });
  });

  it('refuses a malformed configuration with every fault and its pointer', () => {
    expect(() =>
      describeRead(
        'x',
        0,
        cfg({ aim: 'never', colour: 'red', codeIds: { u: ']C9' }, scanners: { one: {} } }),
      ),
    ).toThrowError(
      expect.objectContaining({
        code: 'SORTLINE_ERR_LABEL_CONFIG',
        details: expect.arrayContaining([
          expect.objectContaining({ pointer: '/aim' }),
          expect.objectContaining({ pointer: '/colour' }),
        ]),
      }),
    );
    expect(() => describeRead('x', 0, cfg({ codeIds: { u: ']C9' } }))).toThrowError(
      expect.objectContaining({ details: [expect.objectContaining({ pointer: '/codeIds/u' })] }),
    );
    expect(() =>
      describeRead('x', 0, cfg({ routingCode: { minSegments: 3, maxSegments: 2 } })),
    ).toThrowError(expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_CONFIG' }));
  });
});
