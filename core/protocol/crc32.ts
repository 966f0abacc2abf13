/**
 * CRC-32/ISO-HDLC (the CRC of Ethernet, zlib and PNG): polynomial 0x04C11DB7 reflected
 * (0xEDB88320), initial value 0xFFFFFFFF, input and output reflected, final XOR 0xFFFFFFFF.
 * Check value: crc32 of ASCII "123456789" = 0xCBF43926 (the "Catalogue of parametrised CRC
 * algorithms", CRC-32/ISO-HDLC). Table-driven, one byte per step.
 */

const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c >>> 0;
}

/** CRC-32/ISO-HDLC of `bytes[start..end)`, as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
