/**
 * Golden telegrams, written field by field from the layout tables of docs/protocol.md. The BCC
 * (XOR of the bytes between STX and the BCC, two uppercase hex digits) was worked out separately
 * and is re-checked here with a plain XOR.
 */
import { describe, expect, it } from 'vitest';
import {
  telegramCodec,
  telegramLength,
  MESSAGE_TYPE_CODES,
  type MessageTypeName,
} from '../../core/protocol/index.js';
import { GOLDEN_HEADERS, SAMPLES, TYPE_NAMES, latin1Bytes } from './samples.js';

const STX = '\x02';
const ETX = '\x03';
const TS = '1764420000000';
const FREE_SLOT = ' '.repeat(72);

// STX | type | seq (6) | ack (1) | timestamp (13) | body | BCC | ETX
const GOLDEN: Record<MessageTypeName, string> = {
  sortRequest:
    STX +
    'SR' +
    '000041' +
    '1' +
    TS +
    '0000070000' +
    '001' +
    '00002' +
    '00003' +
    '00417' + // task, turn, induct, scanner, carrier
    '001250' +
    '00300' +
    '00200' +
    '00100' + // weight g, length, width, height mm
    '1' + // read count
    'S' +
    '00001' +
    '16' +
    ']C1403771-K23-05'.padEnd(64, ' ') + // slot 1: source, scanner, length, data
    FREE_SLOT +
    FREE_SLOT +
    FREE_SLOT +
    '06' +
    ETX,
  destinationReply:
    STX +
    'DR' +
    '000007' +
    '1' +
    TS +
    '0000070000' +
    '001' +
    '00' +
    '00200' +
    '2' +
    '00017' +
    '00018' +
    '00000'.repeat(6) +
    '2B' +
    ETX,
  sortConfirmation:
    STX + 'SC' + '000042' + '1' + TS + '0000070000' + '001' + '00017' + '00' + '15' + ETX,
  chuteState: STX + 'CS' + '000043' + '1' + TS + '00017' + '1' + '00010' + '22' + ETX,
  heartbeat: STX + 'HB' + '000000' + '0' + TS + '08' + ETX,
  ack: STX + 'AK' + '000000' + '0' + TS + '000041' + '0D' + ETX,
  nak: STX + 'NK' + '000000' + '0' + TS + '000042' + '01' + '00' + ETX,
  linkSync: STX + 'LS' + '000000' + '0' + TS + '000040' + '000043' + '1E' + ETX,
};

describe('telegram dialect: golden telegrams', () => {
  it('covers every message type', () => {
    expect(Object.keys(GOLDEN).sort()).toEqual([...TYPE_NAMES].sort());
  });

  for (const name of TYPE_NAMES) {
    it(`${name}: documented length and a BCC equal to the XOR of the telegram`, () => {
      const t = GOLDEN[name];
      expect(t.length).toBe(telegramLength(MESSAGE_TYPE_CODES[name]));
      let x = 0;
      for (let i = 1; i < t.length - 3; i++) x ^= t.charCodeAt(i);
      expect(t.slice(-3, -1)).toBe(x.toString(16).toUpperCase().padStart(2, '0'));
    });

    it(`${name}: encode gives the golden telegram`, () => {
      const bytes = telegramCodec.encode(SAMPLES[name], GOLDEN_HEADERS[name]);
      expect(String.fromCharCode(...bytes)).toBe(GOLDEN[name]);
    });

    it(`${name}: the golden telegram decodes to the message and header`, () => {
      const d = telegramCodec.createDecoder();
      d.push(latin1Bytes(GOLDEN[name]));
      expect(d.next()).toMatchObject({
        kind: 'frame',
        ...GOLDEN_HEADERS[name],
        offset: 0,
        message: SAMPLES[name],
      });
      expect(d.next()).toBeNull();
    });
  }

  it('a chute state without fill leaves the fill field blank', () => {
    const t = telegramCodec.encode(
      { type: 'chuteState', chute: 5, state: 3 },
      { seq: 1, ackRequired: true, timestampMs: 0 },
    );
    const s = String.fromCharCode(...t);
    expect(s.slice(1, 3 + 6 + 1 + 13 + 11)).toBe(
      'CS' + '000001' + '1' + '0000000000000' + '00005' + '3' + '     ',
    );
    const d = telegramCodec.createDecoder();
    d.push(t);
    const r = d.next();
    expect(r).toMatchObject({ kind: 'frame', message: { type: 'chuteState', chute: 5, state: 3 } });
    expect(r !== null && r.kind === 'frame' && 'fill' in r.message).toBe(false);
  });
});
