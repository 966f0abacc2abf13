/**
 * ISO/IEC 15424 (AIM) symbology identifiers: `]` + a symbology letter + a modifier character,
 * prefixed by the scanner to the decoded data. The modifier says, among other things, whether
 * the symbol carried FNC1 in first position, i.e. GS1 data (GS1 General Specifications §5.4.x
 * tables "Symbology identifiers"; ISO/IEC 15424:2008 and the AIM symbology specifications).
 *
 * Looked up with one load from a table indexed by the two characters' codes.
 */

/** Bits of the table below: the identifier is known. */
const AIM_KNOWN = 1;
/** The identifier implies GS1 element strings (FNC1 in first position). */
export const AIM_GS1 = 2;
/** EAN/UPC family (`]E`): the data is a GTIN-8/12/13 (with optional add-on). */
export const AIM_EAN = 4;
/** ITF (`]I`): with modifier 1 the reader checked the mod-10 digit; 14 digits are a GTIN-14. */
export const AIM_ITF = 8;

/** `[letter, modifiers, GS1 modifiers]` rows, with the symbology's name in a comment. */
const ROWS: ReadonlyArray<readonly [string, string, string]> = [
  ['A', '01234567', ''], // Code 39
  ['B', '0123', ''], // Telepen
  ['C', '0124', '1'], // Code 128 (GS1-128 with modifier 1)
  ['D', '0123456789', ''], // Code One
  ['E', '01234', ''], // EAN/UPC
  ['F', '0124', ''], // Codabar
  ['G', '0', ''], // Code 93
  ['H', '013', ''], // Code 11
  ['I', '013', ''], // Interleaved 2 of 5
  ['K', '0124', '1'], // Code 16K
  ['L', '012345', ''], // PDF417 / MicroPDF417
  ['M', '01', ''], // MSI
  ['N', '0', ''], // Anker
  ['O', '0123456', ''], // Codablock
  ['P', '0', ''], // Plessey
  ['Q', '0123456', '34'], // QR Code (GS1 QR with modifier 3 or 4)
  ['R', '013', ''], // Straight 2 of 5 (two-bar start/stop)
  ['S', '013', ''], // Straight 2 of 5 (three-bar start/stop)
  ['U', '0123', ''], // MaxiCode
  ['X', '0123456789ABCDEF', ''], // other bar code
  ['Z', '0123456789ABCDEF', ''], // non-bar-code (keyboard, OCR, ...)
  ['d', '0123456', '25'], // Data Matrix (GS1 DataMatrix with modifier 2 or 5)
  ['e', '0123', '0123'], // GS1 DataBar / GS1 Composite
  ['g', '0123', ''], // Grid Matrix
  ['h', '012', ''], // Han Xin Code
  ['J', '0123', '1'], // DotCode (GS1 DotCode with modifier 1)
  ['z', '0123456789ABC', '14'], // Aztec Code (GS1 with modifier 1 or 4)
];

/** Flags per `letter * 128 + modifier` (char codes < 128); 0 for unknown identifiers. */
const AIM_INFO: Uint8Array = (() => {
  const t = new Uint8Array(128 * 128);
  for (const [letter, modifiers, gs1] of ROWS) {
    const l = letter.charCodeAt(0);
    const family = letter === 'E' ? AIM_EAN : letter === 'I' ? AIM_ITF : 0;
    for (const m of modifiers)
      t[l * 128 + m.charCodeAt(0)] = AIM_KNOWN | family | (gs1.includes(m) ? AIM_GS1 : 0);
  }
  return t;
})();

/** Flags of the identifier whose letter and modifier are char codes `letter`, `modifier`; 0 when unknown. */
export function aimInfo(letter: number, modifier: number): number {
  return letter < 128 && modifier < 128 ? AIM_INFO[letter * 128 + modifier]! : 0;
}

/**
 * The modifier characters ISO/IEC 15424 defines for symbology letter `letter` (e.g. `"0124"` for
 * `C`, Code 128), or `""` when `letter` is not a symbology letter. For messages (API edge).
 */
export function aimModifiers(letter: string): string {
  for (const [l, modifiers] of ROWS) if (l === letter) return modifiers;
  return '';
}

/** The symbology letters of ISO/IEC 15424 this table knows, in code order: `"A B C … Z d e g h z"` (messages). */
export const AIM_LETTERS: string = ROWS.map((r) => r[0])
  .sort()
  .join(' ');
