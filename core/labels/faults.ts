/**
 * Fault ids of label resolution. The hot path returns these small integers (never throws, never
 * builds an error object); the API edge maps them to the stable codes of core/errors.ts with
 * {@link LABEL_FAULT_CODES} and to a message naming the offset, the AI and what was expected.
 */
import type { ErrorCode } from '../errors.js';

export const LabelFault = {
  /** No fault. */
  NONE: 0,
  /** Nothing after the symbology identifier, or GS1 data without a single element. */
  EMPTY: 1,
  /** Unknown or malformed AIM symbology identifier, or one was expected and is missing. */
  SYMBOLOGY: 2,
  /** A character outside the field's character set (digits, CSET 82, CSET 39, CSET 64). */
  CHARACTER: 3,
  /** Digits that are not a GS1 Application Identifier, or an AI cut off at the end of the data. */
  UNKNOWN_AI: 4,
  /** A value (or identifier) shorter than its definition. */
  TOO_SHORT: 5,
  /** A value (or identifier) longer than its definition; never cut to fit. */
  TOO_LONG: 6,
  /** A check digit or check character pair does not match. */
  CHECK_DIGIT: 7,
  /** Not an ISO 3166-1 country code (numeric or alpha-2). */
  COUNTRY: 8,
  /** Not a valid calendar date or time of day. */
  DATE: 9,
  /** A value fails another rule of its AI (see the linter named in the message). */
  VALUE: 10,
  /** Two AIs that must not appear together (GS1 invalid pairs, e.g. (420) with (421)). */
  EXCLUSIVE: 11,
  /** An AI whose mandatory companion is missing (e.g. (403) without (00)). */
  REQUIRED: 12,
  /** The same AI twice with different values. */
  DUPLICATE_AI: 13,
  /** RFID data that is not 96 bits of hexadecimal. */
  EPC_FORMAT: 14,
  /** An EPC header other than SGTIN-96 (0x30) and SSCC-96 (0x31). */
  EPC_HEADER: 15,
  /** EPC partition value 7 (undefined in the GS1 EPC Tag Data Standard). */
  EPC_PARTITION: 16,
  /** EPC filter value not accepted by the configuration. */
  EPC_FILTER: 17,
  /** EPC SSCC-96 reserved bits not zero. */
  EPC_RESERVED: 18,
  /** An EPC field larger than its partition's digits allow. */
  EPC_VALUE: 19,
  /** A GS1 Digital Link URI that breaks the URI syntax rules (path pairs, qualifier order, escapes). */
  DIGITAL_LINK: 20,
  /** A read longer than {@link MAX_READ_LENGTH} characters. */
  READ_TOO_LONG: 21,
} as const;
export type LabelFaultCode = (typeof LabelFault)[keyof typeof LabelFault];

/** Longest read accepted, in UTF-16 code units; longer reads are {@link LabelFault.READ_TOO_LONG}. */
export const MAX_READ_LENGTH = 4096;

/** Stable error code per fault id (index = fault id; index 0, NONE, has no code). */
export const LABEL_FAULT_CODES: readonly (ErrorCode | null)[] = [
  null,
  'SORTLINE_ERR_LABEL_EMPTY',
  'SORTLINE_ERR_LABEL_SYMBOLOGY',
  'SORTLINE_ERR_LABEL_CHARACTER',
  'SORTLINE_ERR_LABEL_UNKNOWN_AI',
  'SORTLINE_ERR_LABEL_TOO_SHORT',
  'SORTLINE_ERR_LABEL_TOO_LONG',
  'SORTLINE_ERR_LABEL_CHECK_DIGIT',
  'SORTLINE_ERR_LABEL_COUNTRY',
  'SORTLINE_ERR_LABEL_DATE',
  'SORTLINE_ERR_LABEL_VALUE',
  'SORTLINE_ERR_LABEL_EXCLUSIVE',
  'SORTLINE_ERR_LABEL_REQUIRED',
  'SORTLINE_ERR_LABEL_DUPLICATE_AI',
  'SORTLINE_ERR_LABEL_EPC_FORMAT',
  'SORTLINE_ERR_LABEL_EPC_HEADER',
  'SORTLINE_ERR_LABEL_EPC_PARTITION',
  'SORTLINE_ERR_LABEL_EPC_FILTER',
  'SORTLINE_ERR_LABEL_EPC_RESERVED',
  'SORTLINE_ERR_LABEL_EPC_VALUE',
  'SORTLINE_ERR_LABEL_DIGITAL_LINK',
  'SORTLINE_ERR_LABEL_READ_TOO_LONG',
];

/** The stable error code of fault id `fault` (API edge). */
export function labelFaultCode(fault: number): ErrorCode {
  const code = LABEL_FAULT_CODES[fault];
  if (code === undefined || code === null) throw new RangeError(`not a label fault id: ${fault}`);
  return code;
}
