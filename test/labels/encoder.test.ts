import { describe, expect, it } from 'vitest';
import {
  encodeElementString,
  gs1CheckDigit,
  s10CheckDigit,
  s10WithCheckDigit,
  withCheckDigit,
} from '../../core/labels/index.js';

const GS = '\x1d';

describe('check digits (published examples)', () => {
  it('GS1 modulo 10', () => {
    expect(gs1CheckDigit('590123412345')).toBe(7); // EAN-13 5901234123457
    expect(gs1CheckDigit('400638133393')).toBe(1); // EAN-13 4006381333931
    expect(gs1CheckDigit('9501234567890')).toBe(3); // GTIN-14 95012345678903
    expect(gs1CheckDigit('10614141234567890')).toBe(8); // SSCC 106141412345678908
    expect(gs1CheckDigit('4012345222333444')).toBe(2); // GSIN 40123452223334442
    expect(withCheckDigit('10614141234567890')).toBe('106141412345678908');
  });

  it('UPU S10', () => {
    expect(s10CheckDigit('47312482')).toBe(9); // UPU S10 worked example
    expect(s10CheckDigit('12345678')).toBe(5);
    expect(s10WithCheckDigit('RR', '28704377', 'IN')).toBe('RR287043775IN');
  });

  it('refuse what is not digits', () => {
    expect(() => gs1CheckDigit('12A4')).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_CHARACTER', offset: 2 }),
    );
    expect(() => gs1CheckDigit('')).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_EMPTY' }),
    );
    expect(() => s10CheckDigit('1234567')).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_TOO_SHORT' }),
    );
    expect(() => s10WithCheckDigit('E1', '12345678', 'CN')).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_CHARACTER' }),
    );
    expect(() => s10WithCheckDigit('EE', '12345678', 'XX')).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_COUNTRY' }),
    );
  });
});

describe('encodeElementString', () => {
  it('puts FNC1 (GS) after each value not of pre-defined length, except the last', () => {
    const f = (ai: string, value: string) => ({ ai, value });
    expect(
      encodeElementString([f('01', '12312312312333'), f('10', 'ABC123'), f('99', 'TESTING')], {
        aim: ']C1',
      }),
    ).toBe(`]C1011231231231233310ABC123${GS}99TESTING`);
    // the sort label of the shared vectors (label-full)
    expect(
      encodeElementString(
        [
          f('00', '106141412345678908'),
          f('3302', '001250'),
          f('421', '5281012AB'),
          f('403', '771-K23-05'),
        ],
        { aim: ']C1' },
      ),
    ).toBe(`]C10010614141234567890833020012504215281012AB${GS}403771-K23-05`);
    // (402) has a fixed length that is not pre-defined: it needs its separator
    expect(
      encodeElementString([f('402', '40123452223334442'), f('00', '106141412345678908')]),
    ).toBe(`40240123452223334442${GS}00106141412345678908`);
  });

  it('refuses invalid input with the resolver codes', () => {
    const f = (ai: string, value: string) => ({ ai, value });
    expect(() => encodeElementString([f('89', '1234')])).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_UNKNOWN_AI' }),
    );
    expect(() => encodeElementString([f('00', '106141412345678909')], { aim: ']C1' })).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_CHECK_DIGIT', offset: 22 }),
    );
    expect(() => encodeElementString([f('00', '106141412345678909')])).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_CHECK_DIGIT', offset: 19 }),
    );
    expect(() => encodeElementString([f('420', '10115'), f('421', '5281012AB')])).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_EXCLUSIVE' }),
    );
    expect(() =>
      encodeElementString([f('10', 'A'.repeat(21)), f('01', '12312312312333')]),
    ).toThrowError(expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_TOO_LONG' }));
    expect(() => encodeElementString([f('10', `A${GS}B`)])).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_CHARACTER' }),
    );
    expect(() => encodeElementString([f('00', '106141412345678908')], { aim: ']C0' })).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_SYMBOLOGY' }),
    );
    expect(() => encodeElementString([])).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_LABEL_EMPTY' }),
    );
  });
});
