import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../core/errors.js';
import {
  ParcelRouter,
  ReadSource,
  compileResolverConfig,
  describeRead,
  encodeElementString,
  withCheckDigit,
} from '../../core/labels/index.js';
import { CHECKED_KEYS, aiValue, elementFields } from './arbitraries.js';
import { PlanDouble } from './plan-double.js';

const GS1_AIMS = [']C1', ']d2', ']Q3', ']e0', ']J1', ''];
const bare = compileResolverConfig({ assumeGs1: true });

describe('properties (fast-check)', () => {
  it('random valid element strings round-trip through the encoder and the parser', () => {
    fc.assert(
      fc.property(elementFields, fc.constantFrom(...GS1_AIMS), (fields, aim) => {
        const data = encodeElementString(fields, { aim });
        const d = describeRead(data, ReadSource.SCANNER, aim === '' ? bare : undefined);
        expect(d.ok, JSON.stringify(d)).toBe(true);
        if (!d.ok) return;
        expect(d.kind).toBe('gs1');
        expect(d.elements!.map(({ ai, value }) => ({ ai, value }))).toEqual(fields);
        expect(d.hri).toBe(fields.map((f) => `(${f.ai})${f.value}`).join(''));
      }),
      { numRuns: 2000, seed: 20261129 },
    );
  });

  it('any single-digit change to a GS1 checked field is a CHECK_DIGIT error', () => {
    const keyed = fc
      .constantFrom(...CHECKED_KEYS)
      .chain((k) =>
        fc.tuple(
          fc.constant(k),
          aiValue(k.ai),
          fc.integer({ min: k.from, max: k.to - 1 }),
          fc.integer({ min: 1, max: 9 }),
        ),
      );
    fc.assert(
      fc.property(keyed, ([k, value, at, delta]) => {
        const changed =
          value.slice(0, at) + String((Number(value[at]) + delta) % 10) + value.slice(at + 1);
        const d = describeRead(`]C1${k.ai}${changed}`);
        expect(d.ok).toBe(false);
        if (!d.ok) expect(d.error.code).toBe('SORTLINE_ERR_LABEL_CHECK_DIGIT');
      }),
      { numRuns: 3000, seed: 7 },
    );
    // the same for EAN-13 and ITF-14 symbols
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 }),
        fc.nat(12),
        fc.integer({ min: 1, max: 9 }),
        (digits, at, delta) => {
          const gtin = withCheckDigit(digits.slice(0, 12).join(''));
          const changed =
            gtin.slice(0, at) + String((Number(gtin[at]) + delta) % 10) + gtin.slice(at + 1);
          const d = describeRead(`]E0${changed}`);
          expect(d.ok ? d.kind : d.error.code).toBe('SORTLINE_ERR_LABEL_CHECK_DIGIT');
        },
      ),
      { numRuns: 500, seed: 8 },
    );
  });

  it('one million random bytes give a result or a coded error, never an exception', () => {
    const prefixes = [
      '',
      ']C1',
      ']C0',
      ']d2',
      ']Q1',
      ']Q1https://id.example/01/',
      ']E0',
      ']I1',
      '\x1d',
      ']C100',
      ']C1421',
      'http://x/00/',
    ];
    const plan = new PlanDouble({
      ids: { '106141412345678908': 'a' },
      routing: { '771': 'b' },
      postal: [[156, '2', 'c']],
    });
    const router = new ParcelRouter(plan);
    let bytes = 0;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 100, maxLength: 100 }),
        fc.constantFrom(...prefixes),
        fc.constantFrom(0, 1, 2),
        (raw, prefix, source) => {
          bytes += raw.length;
          const data = prefix + String.fromCharCode(...raw);
          const d = describeRead(data, source);
          if (d.ok) {
            expect(typeof d.kind).toBe('string');
          } else {
            expect(d.error.code in ERRORS).toBe(true);
            expect(d.error.offset).toBeGreaterThanOrEqual(0);
            expect(d.error.offset).toBeLessThanOrEqual(data.length);
            expect(d.error.message.length).toBeGreaterThan(0);
          }
          router.begin();
          router.addRead(data, source, 0);
          router.addRead(prefix + String.fromCharCode(...raw.subarray(0, 50)), source, 1);
          const r = router.finish();
          expect(Number.isInteger(r)).toBe(true);
          expect(r).toBeGreaterThanOrEqual(-3);
        },
      ),
      { numRuns: 10_000, seed: 42 },
    );
    expect(bytes).toBe(1_000_000);
  });
});
