/**
 * EPC binary decoding for RFID reads (GS1 EPC Tag Data Standard 2.x §14 "EPC binary encoding",
 * tables for SGTIN-96 and SSCC-96 and their partition tables), to the same GS1 element string a
 * barcode on the parcel would give: SGTIN-96 → (01) GTIN + (21) serial, SSCC-96 → (00) SSCC.
 *
 * The 96 bits arrive as 24 hexadecimal digits. Fields are read straight from the hex digits (no
 * field is wider than 40 bits, so JavaScript numbers hold them exactly). The GS1 element string
 * is then built as a new string, which allocates a few small strings per RFID read (the sort plan
 * looks keys up in strings).
 */
import { hexValue } from './charsets.js';
import { gs1Mod10 } from './check-digits.js';
import { LabelFault } from './faults.js';

/** EPC header of SGTIN-96. */
export const EPC_SGTIN96 = 0x30;
/** EPC header of SSCC-96. */
export const EPC_SSCC96 = 0x31;

/** Company-prefix bits / digits per partition 0..6 (the same for SGTIN-96 and SSCC-96). */
const CP_BITS = [40, 37, 34, 30, 27, 24, 20];
const CP_DIGITS = [12, 11, 10, 9, 8, 7, 6];
/** SGTIN-96 indicator + item reference bits per partition (digits: 13 - company prefix digits). */
const SGTIN_IR_BITS = [4, 7, 10, 14, 17, 20, 24];
/** SSCC-96 extension + serial reference bits per partition (digits: 17 - company prefix digits). */
const SSCC_SR_BITS = [18, 21, 24, 28, 31, 34, 38];

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13];

/** What an EPC decoded to; `elementString` is set when `fault` is NONE. */
export interface EpcResult {
  fault: number;
  /** Offset in the read of the hex digit where the faulty field starts. */
  faultOffset: number;
  /** EPC header byte, filter and partition values (-1 until read). */
  header: number;
  filter: number;
  partition: number;
  /** The GS1 element string without separators needed: `00` + SSCC, or `01` + GTIN + `21` + serial. */
  elementString: string;
}

/** Reads `count` (<= 40) bits from bit offset `at` of the hex digits `s[start, ...)`. */
function bits(s: string, start: number, at: number, count: number): number {
  let v = 0;
  for (let b = at; b < at + count; b++) {
    const nibble = hexValue(s.charCodeAt(start + (b >> 2)));
    v = v * 2 + ((nibble >> (3 - (b & 3))) & 1);
  }
  return v;
}

function digits(v: number, n: number): string {
  return String(v).padStart(n, '0');
}

/**
 * Decodes the EPC `s[start, end)` (hexadecimal, either case) into `out`.
 * @param acceptedFilters bit f set when filter value f is accepted (0xff: all eight).
 * @returns a {@link LabelFault} id: EPC_FORMAT (not 24 hex digits), EPC_HEADER (not SGTIN-96 or
 *   SSCC-96), EPC_FILTER, EPC_PARTITION (7), EPC_VALUE (a field exceeds its digits),
 *   EPC_RESERVED (SSCC-96 reserved bits set), or NONE.
 */
export function decodeEpc(
  s: string,
  start: number,
  end: number,
  acceptedFilters: number,
  out: EpcResult,
): number {
  out.header = -1;
  out.filter = -1;
  out.partition = -1;
  out.elementString = '';
  for (let i = start; i < end; i++) {
    if (hexValue(s.charCodeAt(i)) < 0) return fail(out, LabelFault.EPC_FORMAT, i);
  }
  if (end - start < 2) return fail(out, LabelFault.EPC_FORMAT, start);
  const header = bits(s, start, 0, 8);
  out.header = header;
  if (header !== EPC_SGTIN96 && header !== EPC_SSCC96)
    return fail(out, LabelFault.EPC_HEADER, start);
  if (end - start !== 24) return fail(out, LabelFault.EPC_FORMAT, start);
  const filter = bits(s, start, 8, 3);
  const partition = bits(s, start, 11, 3);
  out.filter = filter;
  out.partition = partition;
  if (((acceptedFilters >> filter) & 1) === 0) return fail(out, LabelFault.EPC_FILTER, start + 2);
  if (partition === 7) return fail(out, LabelFault.EPC_PARTITION, start + 2);
  const cpBits = CP_BITS[partition]!;
  const cpDigits = CP_DIGITS[partition]!;
  const cp = bits(s, start, 14, cpBits);
  if (cp >= POW10[cpDigits]!) return fail(out, LabelFault.EPC_VALUE, start + 3);
  if (header === EPC_SGTIN96) {
    const irBits = SGTIN_IR_BITS[partition]!;
    const irDigits = 13 - cpDigits;
    const ir = bits(s, start, 14 + cpBits, irBits);
    if (ir >= POW10[irDigits]!)
      return fail(out, LabelFault.EPC_VALUE, start + ((14 + cpBits) >> 2));
    const serial = bits(s, start, 58, 38);
    const itemRef = digits(ir, irDigits);
    // GTIN-14 = indicator (first digit of the item reference field) + company prefix + rest + check digit
    const body = itemRef.charAt(0) + digits(cp, cpDigits) + itemRef.slice(1);
    out.elementString = `01${body}${gs1Mod10(body, 0, 13)}21${serial}`;
  } else {
    const srBits = SSCC_SR_BITS[partition]!;
    const srDigits = 17 - cpDigits;
    const sr = bits(s, start, 14 + cpBits, srBits);
    if (sr >= POW10[srDigits]!)
      return fail(out, LabelFault.EPC_VALUE, start + ((14 + cpBits) >> 2));
    if (bits(s, start, 72, 24) !== 0) return fail(out, LabelFault.EPC_RESERVED, start + 18);
    const serialRef = digits(sr, srDigits);
    // SSCC = extension digit (first digit of the serial reference field) + company prefix + rest + check digit
    const body = serialRef.charAt(0) + digits(cp, cpDigits) + serialRef.slice(1);
    out.elementString = `00${body}${gs1Mod10(body, 0, 17)}`;
  }
  return LabelFault.NONE;
}

function fail(out: EpcResult, fault: number, offset: number): number {
  out.faultOffset = offset;
  return fault;
}
