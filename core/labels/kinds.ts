/**
 * Small numeric vocabularies of core/labels, stored in typed arrays on the hot path and turned
 * into names only at the API edge (DESIGN.md "Labels").
 */

/** Where a read came from. */
export const ReadSource = {
  /** A barcode scanner (scan tunnel, hand scanner): decoded text, usually led by an AIM identifier. */
  SCANNER: 0,
  /** An RFID reader: the EPC as hexadecimal text (GS1 EPC Tag Data Standard). */
  RFID: 1,
  /** Manual coding: an operator keyed the label text at a no-read station. */
  MANUAL: 2,
} as const;
export type ReadSourceCode = (typeof ReadSource)[keyof typeof ReadSource];
/** Names of {@link ReadSource} codes, indexed by code (as in `sortline resolve --jsonl`). */
export const READ_SOURCE_NAMES = ['scanner', 'rfid', 'manual'] as const;
export type ReadSourceName = (typeof READ_SOURCE_NAMES)[number];

/** What a read turned out to be. */
export const LabelKind = {
  /** GS1 element strings (GS1-128, GS1 DataMatrix/QR/DotCode, DataBar, Digital Link, EPC). */
  GS1: 0,
  /** A bare GTIN from an EAN/UPC or ITF-14 symbol. */
  GTIN: 1,
  /** A UPU S10 postal item identifier. */
  S10: 2,
  /** A UPS 1Z tracking number. */
  UPS: 3,
  /** A USPS Intelligent Mail package barcode (IMpb) or 20-digit USPS tracking number. */
  USPS: 4,
  /** A FedEx tracking number (12, 15, 20, 22 or 34 digits). */
  FEDEX: 5,
  /** A DHL Express waybill number. */
  DHL: 6,
  /** An electronic waybill number matched by a configured pattern (the carrier comes from the configuration). */
  WAYBILL: 7,
  /** Any other text (a three-segment routing code is text with a routing key). */
  TEXT: 8,
  /** A configured no-read token, or empty or blank data. */
  NOREAD: 9,
} as const;
export type LabelKindCode = (typeof LabelKind)[keyof typeof LabelKind];
/** Names of {@link LabelKind} codes, indexed by code (the `kind` field of `sortline resolve`). */
export const LABEL_KIND_NAMES = [
  'gs1',
  'gtin',
  's10',
  'ups',
  'usps',
  'fedex',
  'dhl',
  'waybill',
  'text',
  'noread',
] as const;
export type LabelKindName = (typeof LABEL_KIND_NAMES)[number];

/**
 * Postal keys carry an ISO 3166-1 numeric country; AI (420) carries none, which means "the sort
 * plan's home country". Stored as this sentinel in the key arrays.
 */
export const HOME_COUNTRY = -1;
