/**
 * Limits of gateway message fields, common to every dialect unless named otherwise
 * (docs/protocol.md "Fields and limits"). Decoders refuse values outside them
 * (`SORTLINE_ERR_PROTOCOL_BAD_FIELD`); encoders refuse to send them
 * (`SORTLINE_ERR_PROTOCOL_ENCODE_INVALID`).
 */
export const Limits = {
  /** Task ids and native/NDJSON sequence numbers are uint32. */
  U32_MAX: 0xffff_ffff,
  /** Induct, scanner and carrier numbers, chute numbers, dimensions (mm) and chute fill are uint16. */
  U16_MAX: 0xffff,
  /** Reads in one sort request. */
  MAX_READS: 8,
  /** UTF-8 bytes of one read's data. */
  MAX_READ_BYTES: 256,
  /** Chutes in one destination reply. */
  MAX_CHUTES: 8,
  /** Highest turn (lap) number; the first request of a task is turn 1. */
  MAX_TURN: 255,
  /** Heaviest weight in grams (just under one tonne; six telegram digits); 0 = not weighed. */
  MAX_WEIGHT_G: 999_999,
  /** Largest header timestamp: ms since the Unix epoch, a safe integer. */
  MAX_TIMESTAMP_MS: Number.MAX_SAFE_INTEGER,
} as const;

/**
 * UTF-8 byte length of `s` (RFC 3629) without encoding it, or -1 when `s` holds a lone UTF-16
 * surrogate (it has no UTF-8 form and would not survive a round trip).
 */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c < 0xd800 || c > 0xdfff) n += 3;
    else if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else return -1;
  }
  return n;
}
