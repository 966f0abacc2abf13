/**
 * Builders of deliberately odd frames for the fault and fuzz tests, written from docs/protocol.md
 * (CRCs from node:zlib, BCC by plain XOR) rather than with the codecs under test.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import { pack } from 'msgpackr';

export interface NativeFrameOptions {
  version?: number;
  flags?: number;
  reserved?: number;
  seq?: number;
  /** High and low words of the timestamp. */
  tsHigh?: number;
  tsLow?: number;
  /** Override the body length field. */
  length?: number;
  /** Corrupt the header or body CRC. */
  badHeaderCrc?: boolean;
  badBodyCrc?: boolean;
}

/** A native frame of message type `type` around `body` bytes. */
export function nativeFrame(
  type: number,
  body: Uint8Array,
  o: NativeFrameOptions = {},
): Uint8Array {
  const f = new Uint8Array(24 + body.length + 4);
  const v = new DataView(f.buffer);
  f[0] = 0xc1;
  f[1] = 0x53;
  f[2] = o.version ?? 1;
  f[3] = type;
  f[4] = o.flags ?? 1;
  f[5] = o.reserved ?? 0;
  v.setUint16(6, o.length ?? body.length);
  v.setUint32(8, o.seq ?? 77);
  v.setUint32(12, o.tsHigh ?? 0);
  v.setUint32(16, o.tsLow ?? 1000);
  v.setUint32(20, (zlibCrc32(f.subarray(0, 20)) ^ (o.badHeaderCrc ? 1 : 0)) >>> 0);
  f.set(body, 24);
  v.setUint32(24 + body.length, (zlibCrc32(body) ^ (o.badBodyCrc ? 1 : 0)) >>> 0);
  return f;
}

/** A native frame whose body is `value` packed as MessagePack (records off). */
export function nativeFrameOf(
  type: number,
  value: unknown,
  o: NativeFrameOptions = {},
): Uint8Array {
  return nativeFrame(type, Uint8Array.from(pack(value)), o);
}

/** Recomputes both CRCs of a native frame in place (after a mutation), when it is long enough. */
export function fixNativeCrcs(f: Uint8Array): void {
  if (f.length < 24) return;
  const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
  v.setUint32(20, zlibCrc32(f.subarray(0, 20)));
  const n = v.getUint16(6);
  if (f.length >= 24 + n + 4) v.setUint32(24 + n, zlibCrc32(f.subarray(24, 24 + n)));
}

/** STX + inner + BCC + ETX, with the BCC computed (or `bcc` as given). */
export function telegram(inner: string, bcc?: string): Uint8Array {
  let x = 0;
  for (let i = 0; i < inner.length; i++) x ^= inner.charCodeAt(i);
  const s = '\x02' + inner + (bcc ?? x.toString(16).toUpperCase().padStart(2, '0')) + '\x03';
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Recomputes the BCC of an STX…ETX telegram in place (after a mutation), when it has the shape. */
export function fixTelegramBcc(t: Uint8Array): void {
  if (t.length < 4 || t[0] !== 0x02 || t[t.length - 1] !== 0x03) return;
  let x = 0;
  for (let i = 1; i < t.length - 3; i++) x ^= t[i]!;
  const h = x.toString(16).toUpperCase().padStart(2, '0');
  t[t.length - 3] = h.charCodeAt(0);
  t[t.length - 2] = h.charCodeAt(1);
}

/** UTF-8 bytes of `s`. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
