/**
 * fast-check arbitraries for GS1 data: values built component by component from the AI table
 * (GS1 Barcode Syntax Dictionary) so that they satisfy its character sets and content rules, and
 * element-string field lists whose AIs respect the pairing rules by construction.
 */
import fc from 'fast-check';
import {
  AI_COMP_COUNT,
  AI_COMP_START,
  COMP_CSUM,
  COMP_LINT_COUNT,
  COMP_LINT_START,
  COMP_LINTS,
  COMP_MAX,
  COMP_MIN,
  COMP_OPTIONAL,
  COMP_TYPE,
  LINTER_NAMES,
  aiEntry,
} from '../../core/labels/ai-table.js';
import { ISO3166_NUMERIC, gs1CheckDigit } from '../../core/labels/index.js';

const DIGITS = '0123456789';
const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const CSET82_NO_PERCENT = CSET82.replace('%', '');
const CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CSET64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const chars = (set: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...set), { minLength: min, maxLength: max }).map((a) => a.join(''));
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const date6 = (allowZeroDay: boolean) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: allowZeroDay ? 0 : 1, max: 28 }),
    )
    .map(([y, m, d]) => pad(y, 2) + pad(m, 2) + pad(d, 2));

/** A component value that satisfies its type, length and linters (the linters the families below use). */
function component(c: number): fc.Arbitrary<string> {
  const lints = Array.from(
    { length: COMP_LINT_COUNT[c]! },
    (_, i) => LINTER_NAMES[COMP_LINTS[COMP_LINT_START[c]! + i]!]!,
  );
  const min = COMP_MIN[c]!;
  const max = COMP_MAX[c]!;
  const lint = lints[0];
  switch (lint) {
    case 'iso3166':
      return fc.constantFrom(...ISO3166_NUMERIC).map((n) => pad(n, 3));
    case 'iso3166999':
      return fc.constantFrom(999, ...ISO3166_NUMERIC).map((n) => pad(n, 3));
    case 'iso3166alpha2':
      return fc.constantFrom('CN', 'US', 'DE', 'NL', 'JP');
    case 'yymmd0':
      return date6(true);
    case 'yymmdd':
      return date6(false);
    case 'yyyymmdd':
      return fc
        .tuple(
          fc.integer({ min: 1900, max: 2099 }),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 1, max: 28 }),
        )
        .map(([y, m, d]) => pad(y, 4) + pad(m, 2) + pad(d, 2));
    case 'hhmi':
      return fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([h, m]) => pad(h, 2) + pad(m, 2));
    case 'hh':
      return fc.integer({ min: 0, max: 23 }).map((h) => pad(h, 2));
    case 'mi':
    case 'ss':
      return fc.integer({ min: 0, max: 59 }).map((m) => pad(m, 2));
    case 'yesno':
      return fc.constantFrom('0', '1');
    case 'zero':
      return fc.constant('0');
    case 'winding':
      return fc.constantFrom('0', '1', '9');
    case 'nonzero':
      return chars(DIGITS, max, max).filter((s) => /[1-9]/.test(s));
    case 'hyphen':
      return fc.constant('-');
    case 'latitude':
      return fc.integer({ min: 0, max: 1800000000 }).map((n) => pad(n, 10));
    case 'longitude':
      return fc.integer({ min: 0, max: 3600000000 }).map((n) => pad(n, 10));
    case 'pieceoftotal':
      return fc
        .integer({ min: 1, max: 99 })
        .chain((t) => fc.integer({ min: 1, max: t }).map((p) => pad(p, 2) + pad(t, 2)));
    case 'key':
      return fc
        .tuple(chars(DIGITS, 4, 4), chars(CSET82, Math.max(0, min - 4), max - 4))
        .map(([a, b]) => a + b);
    case 'pcenc':
      return chars(CSET82_NO_PERCENT, min, max);
    default:
      break;
  }
  if (lint !== undefined && lint !== 'csum') throw new Error(`no generator for linter ${lint}`);
  switch (COMP_TYPE[c]) {
    case 0:
      if (COMP_CSUM[c] === 1)
        return chars(DIGITS, max - 1, max - 1).map((d) => d + gs1CheckDigit(d));
      return chars(DIGITS, min, max);
    case 1:
      return chars(CSET82, min, max);
    case 2:
      return chars(CSET39, min, max);
    default:
      return chars(CSET64, min, max);
  }
}

/** A valid value of the AI `ai` (mandatory components, and optional ones at random). */
export function aiValue(ai: string): fc.Arbitrary<string> {
  const e = aiEntry(ai);
  if (e < 0) throw new Error(`not an AI: ${ai}`);
  const c0 = AI_COMP_START[e]!;
  const parts: fc.Arbitrary<string>[] = [];
  for (let c = c0; c < c0 + AI_COMP_COUNT[e]!; c++) parts.push(component(c));
  const optionalFrom = parts.findIndex((_, i) => COMP_OPTIONAL[c0 + i] === 1);
  if (optionalFrom < 0) return fc.tuple(...parts).map((p) => p.join(''));
  return fc
    .tuple(fc.tuple(...parts), fc.integer({ min: optionalFrom, max: parts.length }))
    .map(([p, n]) => p.slice(0, n).join(''));
}

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/**
 * Families of AIs that may appear together: a key AI first, then slots of which any subset
 * appears (one AI per slot; a slot groups AIs that exclude each other).
 */
const FAMILIES: ReadonlyArray<{ key: string; slots: string[][] }> = [
  {
    key: '00',
    slots: [
      range('330', 0, 5),
      range('340', 0, 5),
      ['420', '421', '4307'],
      ['403'],
      ['400'],
      ['401'],
      ['402'],
      ['410'],
      ['413'],
      ['4300'],
      ['4301'],
      ['4302'],
      ['4305'],
      ['4308'],
      ['4309'],
      ['4321'],
      ['4324'],
      ['4326'],
      ['4330', '4331'],
      ['8009'],
      ['90'],
      ['98', '99'],
    ],
  },
  {
    key: '01',
    slots: [
      ['10'],
      ['11'],
      ['13'],
      ['15'],
      ['17'],
      ['20'],
      ['21', '235'],
      ['22'],
      ['240'],
      ['241'],
      ['242'],
      ['30'],
      range('310', 0, 5),
      range('312', 0, 5),
      range('320', 0, 5),
      ['422'],
      ['424'],
      ['7002'],
      ['7003'],
      ['7006'],
      ['8001'],
      ['8005'],
      ['8008'],
      ['97'],
    ],
  },
];

/** Fields `{ ai, value }` of a valid GS1 element string, in random order after the key. */
export const elementFields: fc.Arbitrary<Array<{ ai: string; value: string }>> = fc
  .constantFrom(...FAMILIES)
  .chain((f) => fc.tuple(fc.constant(f.key), fc.shuffledSubarray(f.slots)))
  .chain(([key, slots]) =>
    fc.tuple(
      aiValue(key).map((value) => ({ ai: key, value })),
      ...slots.map((slot) =>
        fc.constantFrom(...slot).chain((ai) => aiValue(ai).map((value) => ({ ai, value }))),
      ),
    ),
  );

/** GS1 keys whose digits `[from, to)` of the value are covered by the GS1 modulo-10 check digit. */
export const CHECKED_KEYS: ReadonlyArray<{ ai: string; from: number; to: number }> = [
  { ai: '00', from: 0, to: 18 },
  { ai: '01', from: 0, to: 14 },
  { ai: '03', from: 0, to: 14 },
  { ai: '253', from: 0, to: 13 },
  { ai: '255', from: 0, to: 13 },
  { ai: '402', from: 0, to: 17 },
  { ai: '410', from: 0, to: 13 },
  { ai: '414', from: 0, to: 13 },
  { ai: '417', from: 0, to: 13 },
  { ai: '8003', from: 1, to: 14 },
  { ai: '8006', from: 0, to: 14 },
  { ai: '8017', from: 0, to: 18 },
  { ai: '8018', from: 0, to: 18 },
];
