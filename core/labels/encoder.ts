/**
 * The label printer's side: check digits and GS1 element strings built to the standard, for the
 * simulator (which prints real label strings and routes them through the resolver) and for
 * tests. API edge: validates its input and throws SortlineError with the same codes the
 * resolver reports.
 */
import { SortlineError } from '../errors.js';
import { AI_FLAGS, AI_PREDEFINED, AI_STRINGS, aiEntry } from './ai-table.js';
import { AIM_GS1, aimInfo } from './aim.js';
import { gs1Mod10, s10CheckDigitAt } from './check-digits.js';
import { describeResolved } from './describe.js';
import { labelFaultCode } from './faults.js';
import { LabelResolver } from './resolver.js';
import { ReadSource } from './kinds.js';

function digitsOnly(s: string, what: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57)
      throw new SortlineError(
        'SORTLINE_ERR_LABEL_CHARACTER',
        `${what} ${JSON.stringify(s)} has ${JSON.stringify(s[i])} at offset ${i}; expected digits only`,
        { offset: i },
      );
  }
}

/**
 * GS1 modulo-10 check digit of `digits` (GS1 General Specifications §7.9.1), e.g. the 17 data
 * digits of an SSCC or the 13 of a GTIN-14.
 * @throws SortlineError SORTLINE_ERR_LABEL_CHARACTER on a non-digit, SORTLINE_ERR_LABEL_EMPTY on "".
 */
export function gs1CheckDigit(digits: string): number {
  if (digits.length === 0)
    throw new SortlineError(
      'SORTLINE_ERR_LABEL_EMPTY',
      'no digits to compute a GS1 check digit of; expected at least one digit',
    );
  digitsOnly(digits, 'GS1 key');
  return gs1Mod10(digits, 0, digits.length);
}

/** `digitsWithoutCheck` followed by its GS1 modulo-10 check digit (errors as {@link gs1CheckDigit}). */
export function withCheckDigit(digitsWithoutCheck: string): string {
  return digitsWithoutCheck + gs1CheckDigit(digitsWithoutCheck);
}

/**
 * UPU S10 check digit of an 8-digit serial number (UPU S10 §5.3: weights 8 6 4 2 3 5 9 7).
 * @throws SortlineError SORTLINE_ERR_LABEL_CHARACTER / _TOO_SHORT / _TOO_LONG.
 */
export function s10CheckDigit(serial: string): number {
  if (serial.length !== 8) {
    throw new SortlineError(
      serial.length < 8 ? 'SORTLINE_ERR_LABEL_TOO_SHORT' : 'SORTLINE_ERR_LABEL_TOO_LONG',
      `S10 serial number ${JSON.stringify(serial)} has ${serial.length} digits; expected 8`,
    );
  }
  digitsOnly(serial, 'S10 serial number');
  return s10CheckDigitAt(serial, 0);
}

/**
 * A complete UPU S10 identifier: service indicator (2 letters A-Z) + 8-digit serial + check
 * digit + ISO 3166-1 alpha-2 country, e.g. `s10WithCheckDigit('EE', '12345678', 'CN')` →
 * `EE123456785CN`. Validated by resolving the result.
 * @throws SortlineError with the resolver's code (CHARACTER, COUNTRY, ...) when a part is malformed.
 */
export function s10WithCheckDigit(
  serviceIndicator: string,
  serial: string,
  country: string,
): string {
  const id = `${serviceIndicator}${serial}${s10CheckDigit(serial)}${country}`;
  const d = describeResolved(resolveOnce(`]C0${id}`));
  if (!d.ok || d.kind !== 's10') {
    const code = d.ok ? 'SORTLINE_ERR_LABEL_CHARACTER' : d.error.code;
    throw new SortlineError(
      code,
      `S10 identifier ${JSON.stringify(id)}: ${d.ok ? 'service indicator and country must be two letters A-Z each' : d.error.message}`,
    );
  }
  return id;
}

let shared: LabelResolver | undefined;
/** Resolves `data` with a shared default resolver (API edge checks of what was encoded). */
function resolveOnce(data: string): LabelResolver {
  const r = (shared ??= new LabelResolver());
  r.resolve(data, ReadSource.SCANNER, 0);
  return r;
}

/**
 * Concatenates GS1 element strings as a GS1 symbol carries them (GS1 General Specifications
 * §7.8.5): AI + value, with the FNC1 separator (GS, 0x1D) after every value that is not of
 * pre-defined length, except after the last. The result is parsed back and checked against the
 * AI table (lengths, character sets, check digits, countries, dates, pairing rules).
 * @param fields AIs (digits, e.g. `"00"`, `"3302"`) and their values, in symbol order.
 * @param opts.aim symbology identifier to lead with, e.g. `"]C1"` (none by default: a bare
 *   element string, as `assumeGs1` scanners send it).
 * @returns the data string a scanner would transmit.
 * @throws SortlineError `SORTLINE_ERR_LABEL_UNKNOWN_AI` for an unknown AI, otherwise the code of
 *   the first fault the resolver finds (with `offset` into the returned string).
 */
export function encodeElementString(
  fields: ReadonlyArray<{ ai: string; value: string }>,
  opts?: { aim?: string },
): string {
  const aim = opts?.aim ?? '';
  if (
    aim !== '' &&
    (aim.length !== 3 ||
      aim[0] !== ']' ||
      (aimInfo(aim.charCodeAt(1), aim.charCodeAt(2)) & AIM_GS1) === 0)
  ) {
    throw new SortlineError(
      'SORTLINE_ERR_LABEL_SYMBOLOGY',
      `symbology identifier ${JSON.stringify(aim)} does not carry GS1 data; expected one such as "]C1", "]d2", "]Q3", "]e0", "]J1"`,
    );
  }
  if (fields.length === 0)
    throw new SortlineError(
      'SORTLINE_ERR_LABEL_EMPTY',
      'no element strings to encode; expected at least one { ai, value }',
    );
  let out = aim;
  fields.forEach(({ ai, value }, i) => {
    const e = aiEntry(ai);
    if (e < 0)
      throw new SortlineError(
        'SORTLINE_ERR_LABEL_UNKNOWN_AI',
        `field ${i}: ${JSON.stringify(ai)} is not a GS1 Application Identifier; expected one of the GS1 Barcode Syntax Dictionary, such as "00" or "3302"`,
      );
    if (value.includes('\x1d'))
      throw new SortlineError(
        'SORTLINE_ERR_LABEL_CHARACTER',
        `field ${i} (${AI_STRINGS[e]}): the value contains the FNC1 separator (GS); expected characters of the AI's set`,
      );
    out += AI_STRINGS[e]! + value;
    if (i < fields.length - 1 && (AI_FLAGS[e]! & AI_PREDEFINED) === 0) out += '\x1d';
  });
  // Parse back with GS1 framing (a leading FNC1 when there is no identifier) and check everything.
  const r = resolveOnce(aim === '' ? `\x1d${out}` : out);
  const d = describeResolved(r);
  if (!d.ok) {
    const offset = aim === '' ? r.faultOffset - 1 : r.faultOffset;
    throw new SortlineError(
      labelFaultCode(r.status),
      `encoded element string is invalid: ${d.error.message}`,
      { offset },
    );
  }
  return out;
}
