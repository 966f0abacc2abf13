/**
 * CSV text (RFC 4180): comma-separated fields, CRLF line ends, fields holding a comma, a double
 * quote, CR or LF quoted with inner quotes doubled. Other characters (including the FNC1 byte
 * 0x1D inside label reads) pass unchanged.
 */

/** One field: empty for null and undefined, quoted only when needed. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2c || c === 0x22 || c === 0x0d || c === 0x0a) return `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}

/** One record, with its CRLF. */
export function csvLine(fields: ReadonlyArray<string | number | null | undefined>): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) out += (i === 0 ? '' : ',') + csvField(fields[i]);
  return out + '\r\n';
}
