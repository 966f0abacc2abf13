import epcTdsModule from 'epc-tds';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReadSource, compileResolverConfig, describeRead } from '../../core/labels/index.js';

/** The part of epc-tds used here (its bundled typings do not declare the classes it exports). */
interface EpcTdsEpc {
  setFilter(v: number): this;
  setPartition(v: number): this;
  setCompanyPrefix(v: number): this;
  setItemReference(v: number): this;
  setSerialReference(v: number): this;
  setSerial(v: number): this;
  toHexString(): string;
  toBarcode(): string;
  getGtin(): string;
  getSerial(): string;
}
const epcTds = epcTdsModule as unknown as {
  Sgtin96: new () => EpcTdsEpc;
  Sscc96: new () => EpcTdsEpc;
  valueOf(hex: string): EpcTdsEpc;
};

const rfid = (hex: string, config?: Parameters<typeof describeRead>[2]) =>
  describeRead(hex, ReadSource.RFID, config);
/** Company prefix digits per partition 0-6 (GS1 EPC Tag Data Standard partition tables). */
const CP_DIGITS = [12, 11, 10, 9, 8, 7, 6];

const partitioned = (otherDigits: (p: number) => number) =>
  fc.integer({ min: 0, max: 6 }).chain((p) =>
    fc.record({
      filter: fc.integer({ min: 0, max: 7 }),
      partition: fc.constant(p),
      company: fc.integer({ min: 0, max: 10 ** CP_DIGITS[p]! - 1 }),
      other: fc.integer({ min: 0, max: 10 ** otherDigits(p) - 1 }),
    }),
  );

describe('EPC (RFID) reads cross-checked with epc-tds', () => {
  it('SGTIN-96: the same GTIN and serial', () => {
    fc.assert(
      fc.property(
        partitioned((p) => 1 + p),
        fc.integer({ min: 0, max: 2 ** 38 - 1 }),
        ({ filter, partition, company, other }, serial) => {
          const epc = new epcTds.Sgtin96()
            .setFilter(filter)
            .setPartition(partition)
            .setCompanyPrefix(company)
            .setItemReference(other)
            .setSerial(serial);
          const d = rfid(epc.toHexString());
          expect(d).toMatchObject({
            ok: true,
            kind: 'gs1',
            hri: `(01)${epc.getGtin()}(21)${epc.getSerial()}`,
          });
        },
      ),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('SSCC-96: the same SSCC, as the (00) parcel id key', () => {
    fc.assert(
      fc.property(
        partitioned((p) => 5 + p),
        ({ filter, partition, company, other }) => {
          const epc = new epcTds.Sscc96()
            .setFilter(filter)
            .setPartition(partition)
            .setCompanyPrefix(company)
            .setSerialReference(other);
          const d = rfid(epc.toHexString().toLowerCase());
          expect(d).toMatchObject({
            ok: true,
            kind: 'gs1',
            hri: `(00)${epc.toBarcode()}`,
            keys: [{ kind: 'id', value: epc.toBarcode() }],
          });
        },
      ),
      { numRuns: 2000, seed: 4 },
    );
  });

  it('random SGTIN-96 and SSCC-96 bits: where both decode they agree; Sortline refuses what the standard forbids', () => {
    const hex = fc
      .tuple(
        fc.constantFrom('30', '31'),
        fc.array(fc.constantFrom(...'0123456789ABCDEF'), { minLength: 22, maxLength: 22 }),
      )
      .map(([h, t]) => h + t.join(''));
    const refused: Record<string, number> = {};
    fc.assert(
      fc.property(hex, (h) => {
        const d = rfid(h);
        if (!d.ok) {
          refused[d.error.code] = (refused[d.error.code] ?? 0) + 1;
          expect(d.error.code).toMatch(/^SORTLINE_ERR_LABEL_EPC_(PARTITION|VALUE|RESERVED)$/);
          return;
        }
        const epc = epcTds.valueOf(h);
        expect(d.hri).toBe(
          h.startsWith('30')
            ? `(01)${epc.getGtin()}(21)${epc.getSerial()}`
            : `(00)${epc.toBarcode()}`,
        );
      }),
      { numRuns: 3000, seed: 5 },
    );
    // random bits hit every refusal: partition 7, fields beyond their digits, SSCC reserved bits
    expect(Object.keys(refused).sort()).toEqual([
      'SORTLINE_ERR_LABEL_EPC_PARTITION',
      'SORTLINE_ERR_LABEL_EPC_RESERVED',
      'SORTLINE_ERR_LABEL_EPC_VALUE',
    ]);
  });

  it('where epc-tds is wrong: it accepts SSCC-96 reserved bits and crashes on partition 7', () => {
    expect(epcTds.valueOf('3154257BF4499602D2000001').toBarcode()).toBe('106141412345678908');
    expect(rfid('3154257BF4499602D2000001')).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_EPC_RESERVED' },
    });
    expect(() => epcTds.valueOf('30FC257BF7194E4000001A85').toBarcode()).toThrow(TypeError);
    expect(rfid('30FC257BF7194E4000001A85')).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_EPC_PARTITION' },
    });
  });
});

describe('EPC faults', () => {
  it('refuses other headers, other lengths and non-hex data with EPC codes', () => {
    expect(rfid('350000000000000000000000')).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_EPC_HEADER', offset: 0 },
    });
    expect(rfid('3600000000000000000000000000000000000000000000000000')).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_EPC_HEADER' },
    });
    expect(rfid('3074257BF7194E4000001A')).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_EPC_FORMAT' },
    });
    expect(rfid('3074257BF7194E4000001AXY')).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_EPC_FORMAT', offset: 22 },
    });
  });

  it('accepts only the configured filter values', () => {
    const only2 = compileResolverConfig({ epcFilters: [2] });
    expect(rfid('3154257BF4499602D2000000', only2)).toMatchObject({ ok: true }); // filter 2
    expect(rfid('3074257BF7194E4000001A85', only2)).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_EPC_FILTER' },
    }); // filter 3
  });

  it('reads an RFID no-read token or blank data as a no-read', () => {
    expect(rfid('')).toEqual({ ok: true, kind: 'noread', keys: [] });
    expect(rfid('NOREAD')).toEqual({ ok: true, kind: 'noread', keys: [] });
  });
});
