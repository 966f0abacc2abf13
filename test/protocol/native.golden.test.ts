/**
 * Golden bytes of the native dialect, derived by hand from docs/protocol.md: header fields
 * big-endian, body written per the MessagePack specification (fixmap 0x8n, fixstr 0xa0|len,
 * positive fixint, uint8 0xcc, uint16 0xcd, uint32 0xce, fixarray 0x9n), and both CRCs taken from
 * an independent CRC-32/ISO-HDLC (node:zlib crc32) rather than from core/protocol/crc32.ts.
 */
import { describe, expect, it } from 'vitest';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, nativeCodec, type MessageTypeName } from '../../core/protocol/index.js';
import { GOLDEN_HEADERS, SAMPLES, TYPE_NAMES, hexBytes, toHex } from './samples.js';

// Header of every frame below: c153 | 01 version | type | flags | 00 | body length (2) |
// seq (4) | timestamp 0000019acfa09900 (8) | header CRC (4). Then the body and its CRC (4).
const GOLDEN: Record<MessageTypeName, string> = {
  sortRequest:
    'c153 01 01 01 00 0089 00000029 0000019acfa09900 01a99839' +
    '8a' + // map of 10
    'a6 7461736b4964 ce00011170' + // "taskId": uint32 70000
    'a4 7475726e 01' + // "turn": 1
    'a6 696e64756374 02' + // "induct": 2
    'a7 7363616e6e6572 03' + // "scanner": 3
    'a7 63617272696572 cd01a1' + // "carrier": uint16 417
    'a5 7265616473 91' + // "reads": array of 1
    '83 a6 736f75726365 00 a7 7363616e6e6572 01 a4 64617461' + // {source: 0, scanner: 1, data:
    'b0 5d43313430333737312d4b32332d3035' + // "]C1403771-K23-05"}
    'a7 77656967687447 cd04e2' + // "weightG": uint16 1250
    'a8 6c656e6774684d6d cd012c' + // "lengthMm": uint16 300
    'a7 77696474684d6d ccc8' + // "widthMm": uint8 200
    'a8 6865696768744d6d 64' + // "heightMm": 100
    'bc3a481f',
  destinationReply:
    'c153 01 02 01 00 0036 00000007 0000019acfa09900 98638781' +
    '85 a6 7461736b4964 ce00011170 a4 7475726e 01' +
    'a6 636875746573 92 11 12' + // "chutes": [17, 18]
    'ae 657863657074696f6e4368757465 ccc8' + // "exceptionChute": 200
    'a6 737461747573 00' + // "status": 0 (ok)
    '27da5b74',
  sortConfirmation:
    'c153 01 03 01 00 0023 0000002a 0000019acfa09900 c5533cff' +
    '84 a6 7461736b4964 ce00011170 a4 7475726e 01 a5 6368757465 11 a7 6f7574636f6d65 00' +
    'bf0fff68',
  chuteState:
    'c153 01 04 01 00 0015 0000002b 0000019acfa09900 55266605' +
    '83 a5 6368757465 11 a5 7374617465 01 a4 66696c6c 0a' + // chute 17, state 1 (full), fill 10
    '7fa4fa3c',
  heartbeat: 'c153 01 10 00 00 0001 00000000 0000019acfa09900 eb0d9914' + '80' + '3fba6cad',
  ack:
    'c153 01 11 00 00 0009 00000000 0000019acfa09900 36a8813a' +
    '81 a6 61636b536571 29' +
    '5574eb0c',
  nak:
    'c153 01 12 00 00 0011 00000000 0000019acfa09900 8b36af09' +
    '82 a6 6e616b536571 2a a6 726561736f6e 01' +
    'd15d4d1b',
  linkSync:
    'c153 01 13 00 00 001f 00000000 0000019acfa09900 f67668fa' +
    '82 af 6c617374526563656976656453657128 ab 6e65787453656e64536571 2b' +
    '0ada52f8',
};

function u32(b: Uint8Array, i: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(i);
}

describe('native dialect: golden frames', () => {
  it('covers every message type', () => {
    expect(Object.keys(GOLDEN).sort()).toEqual([...TYPE_NAMES].sort());
  });

  for (const name of TYPE_NAMES) {
    it(`${name}: the expected bytes carry correct CRC-32/ISO-HDLC values (independent zlib CRC)`, () => {
      const bytes = hexBytes(GOLDEN[name]);
      const n = (bytes[6]! << 8) | bytes[7]!;
      expect(bytes.length).toBe(24 + n + 4);
      expect(u32(bytes, 20)).toBe(zlibCrc32(bytes.subarray(0, 20)));
      expect(u32(bytes, 24 + n)).toBe(zlibCrc32(bytes.subarray(24, 24 + n)));
    });

    it(`${name}: encode gives the golden bytes`, () => {
      expect(toHex(nativeCodec.encode(SAMPLES[name], GOLDEN_HEADERS[name]))).toBe(
        toHex(hexBytes(GOLDEN[name])),
      );
    });

    it(`${name}: the golden bytes decode to the message and header`, () => {
      const d = nativeCodec.createDecoder();
      d.push(hexBytes(GOLDEN[name]));
      const r = d.next();
      expect(r).toMatchObject({
        kind: 'frame',
        ...GOLDEN_HEADERS[name],
        offset: 0,
        message: SAMPLES[name],
      });
      expect(d.next()).toBeNull();
    });
  }

  it('crc32 gives the catalogue check value of "123456789" and agrees with zlib', () => {
    const text = new TextEncoder().encode('123456789');
    expect(crc32(text, 0, text.length)).toBe(0xcbf43926);
    const bytes = hexBytes(GOLDEN.sortRequest);
    expect(crc32(bytes, 0, bytes.length)).toBe(zlibCrc32(bytes));
    expect(crc32(bytes, 0, 0)).toBe(0);
  });

  it('a frame written by another MessagePack writer (map16, uint32 for small values) is read the same', () => {
    // {ackSeq: 41} as map16 with the value as uint32: de 0001 a6 "ackSeq" ce 00000029
    const body = hexBytes('de0001 a6 61636b536571 ce00000029');
    const head = hexBytes('c153 01 11 00 00 000f 00000000 0000019acfa09900');
    const frame = new Uint8Array(24 + body.length + 4);
    frame.set(head, 0);
    new DataView(frame.buffer).setUint32(20, zlibCrc32(head));
    frame.set(body, 24);
    new DataView(frame.buffer).setUint32(24 + body.length, zlibCrc32(body));
    const d = nativeCodec.createDecoder();
    d.push(frame);
    expect(d.next()).toMatchObject({ kind: 'frame', message: { type: 'ack', ackSeq: 41 } });
  });
});
