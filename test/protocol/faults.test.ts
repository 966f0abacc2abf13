/**
 * Every malformed input gives a coded fault at the right stream offset, the decoder resynchronises,
 * and the next good frame decodes. Fault frames are built by hand (build.ts), not by the codecs.
 */
import { describe, expect, it } from 'vitest';
import {
  CODECS,
  MessageType,
  NakReason,
  nakReasonFor,
  type Codec,
  type DecodedFrame,
  type DecodeFault,
  type DecoderOptions,
} from '../../core/protocol/index.js';
import { nativeFrame, nativeFrameOf, telegram, utf8 } from './build.js';
import { SAMPLES } from './samples.js';

type Result = DecodedFrame | DecodeFault;

function decodeAll(
  codec: Codec,
  chunks: Uint8Array[],
  options?: DecoderOptions,
): { results: Result[]; dec: ReturnType<Codec['createDecoder']> } {
  const dec = codec.createDecoder(options);
  const results: Result[] = [];
  for (const c of chunks) {
    dec.push(c);
    for (let r = dec.next(); r !== null; r = dec.next()) {
      results.push(r);
      expect(dec.bufferedBytes).toBeLessThanOrEqual(dec.maxFrameBytes);
    }
  }
  return { results, dec };
}

function summary(results: Result[]): string[] {
  return results.map((r) =>
    r.kind === 'frame'
      ? `frame@${r.offset}:${r.message.type}`
      : `${r.code.replace('SORTLINE_ERR_PROTOCOL_', '')}@${r.offset}`,
  );
}

const GOOD = {
  native: () => CODECS.native.encode(SAMPLES.ack, { seq: 0, ackRequired: false, timestampMs: 0 }),
  telegram: () =>
    CODECS.telegram.encode(SAMPLES.ack, { seq: 0, ackRequired: false, timestampMs: 0 }),
  ndjson: () => CODECS.ndjson.encode(SAMPLES.ack, { seq: 0, ackRequired: false, timestampMs: 0 }),
};

describe('native dialect faults', () => {
  const codec = CODECS.native;
  const good = GOOD.native();
  const ackBody = { ackSeq: 5 };

  it('garbage before a frame: one GARBAGE fault at offset 0, then the frame', () => {
    const junk = Uint8Array.from({ length: 100 }, (_, i) => (i * 7 + 1) & 0x7f);
    const { results, dec } = decodeAll(codec, [junk, good]);
    expect(summary(results)).toEqual(['GARBAGE@0', 'frame@100:ack']);
    expect(dec.stats).toEqual({ frames: 1, faults: 1, bytesDiscarded: 100, resyncs: 1 });
  });

  it('garbage holding false magics and a header with a bad CRC still gives one fault', () => {
    const fake = nativeFrameOf(MessageType.ACK, ackBody, { badHeaderCrc: true });
    const junk = new Uint8Array([
      0x00,
      0xc1,
      0x00,
      0xc1,
      0x53,
      0x01,
      ...fake.subarray(0, 30),
      0x0a,
    ]);
    const { results } = decodeAll(codec, [junk, good]);
    expect(summary(results)).toEqual(['GARBAGE@0', `frame@${junk.length}:ack`]);
  });

  it('header CRC mismatch: HEADER_CHECKSUM, no sequence number, no NAK; the next frame decodes', () => {
    const bad = nativeFrameOf(MessageType.ACK, ackBody, { badHeaderCrc: true, seq: 9 });
    const { results } = decodeAll(codec, [bad, good]);
    expect(summary(results)).toEqual(['HEADER_CHECKSUM@0', `frame@${bad.length}:ack`]);
    const f = results[0] as DecodeFault;
    expect(f.seq).toBe(-1);
    expect(nakReasonFor(f)).toBe(0);
  });

  it('body CRC mismatch: CHECKSUM with the sequence number, NAK reason checksum', () => {
    const bad = nativeFrameOf(MessageType.ACK, ackBody, { badBodyCrc: true, seq: 9 });
    const { results } = decodeAll(codec, [bad, good]);
    expect(summary(results)).toEqual(['CHECKSUM@0', `frame@${bad.length}:ack`]);
    expect(results[0]).toMatchObject({ seq: 9, ackRequired: true });
    expect(nakReasonFor(results[0] as DecodeFault)).toBe(NakReason.CHECKSUM);
  });

  it('a body cut short (bytes lost inside a frame) costs that frame only', () => {
    const whole = nativeFrameOf(MessageType.ACK, ackBody, { seq: 9 });
    const cut = new Uint8Array([...whole.subarray(0, 26), ...whole.subarray(30)]);
    const { results } = decodeAll(codec, [cut, good, good]);
    expect(results[0]).toMatchObject({ code: 'SORTLINE_ERR_PROTOCOL_CHECKSUM', offset: 0 });
    expect(results.filter((r) => r.kind === 'frame').length).toBeGreaterThanOrEqual(1);
    expect(results.at(-1)).toMatchObject({ kind: 'frame', offset: cut.length + good.length });
  });

  // Refused before the body CRC confirms the length: resync from the next byte.
  const headerCases: [string, Uint8Array, string, number][] = [
    [
      'version 2',
      nativeFrameOf(MessageType.ACK, ackBody, { version: 2 }),
      'BAD_VERSION',
      NakReason.UNSUPPORTED,
    ],
    [
      'a reserved flag bit',
      nativeFrameOf(MessageType.ACK, ackBody, { flags: 0x03 }),
      'BAD_HEADER',
      NakReason.MALFORMED,
    ],
    [
      'a non-zero reserved byte',
      nativeFrameOf(MessageType.ACK, ackBody, { reserved: 1 }),
      'BAD_HEADER',
      NakReason.MALFORMED,
    ],
    [
      'a timestamp of 2^53 or more',
      nativeFrameOf(MessageType.ACK, ackBody, { tsHigh: 0x20_0000 }),
      'BAD_HEADER',
      NakReason.MALFORMED,
    ],
    ['message type 9', nativeFrameOf(9, ackBody), 'UNKNOWN_TYPE', NakReason.UNSUPPORTED],
  ];
  // Body CRC good: the frame is dropped exactly and the stream stays aligned.
  const bodyCases: [string, Uint8Array, string, number][] = [
    [
      'an empty body',
      nativeFrame(MessageType.HEARTBEAT, new Uint8Array(0)),
      'BAD_BODY',
      NakReason.MALFORMED,
    ],
    [
      'a body byte 0xC1 (never used in MessagePack)',
      nativeFrame(MessageType.HEARTBEAT, new Uint8Array([0xc1])),
      'BAD_BODY',
      NakReason.MALFORMED,
    ],
    [
      'two MessagePack values in the body',
      nativeFrame(MessageType.HEARTBEAT, new Uint8Array([0x80, 0x80])),
      'BAD_BODY',
      NakReason.MALFORMED,
    ],
    [
      'a body cut inside its map',
      nativeFrame(MessageType.ACK, new Uint8Array([0x81, 0xa6, 0x61])),
      'BAD_BODY',
      NakReason.MALFORMED,
    ],
    [
      'an array body',
      nativeFrameOf(MessageType.HEARTBEAT, [1, 2]),
      'BAD_BODY',
      NakReason.MALFORMED,
    ],
    [
      'a MessagePack timestamp body',
      nativeFrameOf(MessageType.HEARTBEAT, new Date(0)),
      'BAD_BODY',
      NakReason.MALFORMED,
    ],
    [
      'a bad field',
      nativeFrameOf(MessageType.ACK, { ackSeq: -1 }),
      'BAD_FIELD',
      NakReason.MALFORMED,
    ],
    [
      'a 64-bit ackSeq',
      nativeFrameOf(MessageType.ACK, { ackSeq: 2n ** 40n }),
      'BAD_FIELD',
      NakReason.MALFORMED,
    ],
  ];
  for (const [cases, aligned] of [
    [headerCases, false],
    [bodyCases, true],
  ] as const) {
    for (const [what, frame, code, reason] of cases) {
      it(`${what}: ${code} with the sequence number; ${aligned ? 'dropped exactly' : 'resync'}; the next frame decodes`, () => {
        const { results, dec } = decodeAll(codec, [frame, good]);
        expect(summary(results)).toEqual([`${code}@0`, `frame@${frame.length}:ack`]);
        expect(results[0]).toMatchObject({ seq: 77, ackRequired: true });
        expect(nakReasonFor(results[0] as DecodeFault)).toBe(reason);
        expect(dec.stats.resyncs).toBe(aligned ? 0 : 1);
        expect(dec.stats.bytesDiscarded).toBe(frame.length);
      });
    }
  }

  it('a header whose length field is wrong but CRC-valid (a sender bug) does not swallow the frames after it', () => {
    const liar = nativeFrameOf(MessageType.ACK, ackBody, { length: 60_000 });
    const { results } = decodeAll(codec, [liar, good, good]);
    expect(summary(results)).toEqual([
      'LENGTH_OVER_LIMIT@0',
      `frame@${liar.length}:ack`,
      `frame@${liar.length + good.length}:ack`,
    ]);
  });

  it('an oversized frame is dropped as it streams past, never buffered, and NAKed tooLarge', () => {
    const big = nativeFrameOf(MessageType.ACK, { ackSeq: 1, pad: 'x'.repeat(10_000) });
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < big.length; i += 97) chunks.push(big.subarray(i, i + 97));
    const { results, dec } = decodeAll(codec, [...chunks, good]);
    expect(summary(results)).toEqual(['LENGTH_OVER_LIMIT@0', `frame@${big.length}:ack`]);
    expect(nakReasonFor(results[0] as DecodeFault)).toBe(NakReason.TOO_LARGE);
    expect(dec.stats.bytesDiscarded).toBe(big.length);
  });

  it('honours a smaller maxFrameBytes', () => {
    const req = codec.encode(SAMPLES.sortRequest, { seq: 1, ackRequired: true, timestampMs: 0 });
    const { results } = decodeAll(codec, [req, good], { maxFrameBytes: 100 });
    expect(summary(results)).toEqual(['LENGTH_OVER_LIMIT@0', `frame@${req.length}:ack`]);
  });

  it('end(): a partial frame is TRUNCATED; nothing left or garbage gives null', () => {
    const { dec } = decodeAll(codec, [good.subarray(0, 30)]);
    expect(dec.end()).toMatchObject({ code: 'SORTLINE_ERR_PROTOCOL_TRUNCATED', offset: 0 });
    expect(dec.end()).toBeNull();
    dec.push(good);
    expect(dec.next()).toMatchObject({ kind: 'frame', offset: 30 });
    dec.push(new Uint8Array([1, 2, 3]));
    expect(dec.next()).toMatchObject({ code: 'SORTLINE_ERR_PROTOCOL_GARBAGE' });
    expect(dec.next()).toBeNull();
    expect(dec.end()).toBeNull();
  });
});

describe('telegram dialect faults', () => {
  const codec = CODECS.telegram;
  const good = GOOD.telegram();
  const H = '000077' + '1' + '0000000001000'; // seq 77, ACK required, timestamp 1000
  const ack = (body: string, type = 'AK') => telegram(type + H + body);

  it('garbage before a telegram: GARBAGE at 0, then the telegram', () => {
    const { results, dec } = decodeAll(codec, [utf8('hello\r\n'), good]);
    expect(summary(results)).toEqual(['GARBAGE@0', 'frame@7:ack']);
    expect(dec.stats).toMatchObject({ bytesDiscarded: 7, resyncs: 1 });
  });

  const cases: [string, Uint8Array, string, number][] = [
    ['a wrong BCC', telegram('AK' + H + '000041', '00'), 'CHECKSUM', -1],
    ['a BCC that is not hex', telegram('AK' + H + '000041', 'zz'), 'CHECKSUM', -1],
    ['STX ETX alone', Uint8Array.of(2, 3), 'BAD_LENGTH', -1],
    [
      'a sequence number with a letter',
      telegram('AK' + '00007x1' + '0000000001000' + '000041'),
      'BAD_HEADER',
      -1,
    ],
    [
      'an ACK flag of 2',
      telegram('AK' + '000077' + '2' + '0000000001000' + '000041'),
      'BAD_HEADER',
      77,
    ],
    [
      'a timestamp with a space',
      telegram('AK' + '000077' + '1' + '000000000100 ' + '000041'),
      'BAD_HEADER',
      77,
    ],
    ['type ZZ', ack('000041', 'ZZ'), 'UNKNOWN_TYPE', 77],
    ['an ACK one byte too long', ack('0000410'), 'BAD_LENGTH', 77],
    ['an ACK sequence with a space', ack('00 041'), 'BAD_FIELD', 77],
    ['turn 000', telegram('SC' + H + '0000000001' + '000' + '00017' + '00'), 'BAD_FIELD', 77],
    ['outcome 08', telegram('SC' + H + '0000000001' + '001' + '00017' + '08'), 'BAD_FIELD', 77],
    [
      'task id above uint32',
      telegram('SC' + H + '4294967296' + '001' + '00017' + '00'),
      'BAD_FIELD',
      77,
    ],
    ['chute state 5', telegram('CS' + H + '00017' + '5' + '     '), 'BAD_FIELD', 77],
    ['chute 0 in a chute state', telegram('CS' + H + '00000' + '1' + '     '), 'BAD_FIELD', 77],
    ['a fill half blank', telegram('CS' + H + '00017' + '1' + '  010'), 'BAD_FIELD', 77],
    ['NAK reason 00', telegram('NK' + H + '000041' + '00'), 'BAD_FIELD', 77],
    [
      'reply with 9 chutes',
      telegram('DR' + H + '0000000001' + '001' + '00' + '00200' + '9' + '00001'.repeat(8)),
      'BAD_FIELD',
      77,
    ],
    [
      'reply with a used slot beyond the count',
      telegram(
        'DR' +
          H +
          '0000000001' +
          '001' +
          '00' +
          '00200' +
          '1' +
          '00001' +
          '00002' +
          '00000'.repeat(6),
      ),
      'BAD_FIELD',
      77,
    ],
    [
      'reply ok without chutes',
      telegram('DR' + H + '0000000001' + '001' + '00' + '00200' + '0' + '00000'.repeat(8)),
      'BAD_FIELD',
      77,
    ],
    [
      'reply status 08',
      telegram(
        'DR' + H + '0000000001' + '001' + '08' + '00200' + '1' + '00001' + '00000'.repeat(7),
      ),
      'BAD_FIELD',
      77,
    ],
  ];
  const srHead =
    '0000000001' + '001' + '00001' + '00001' + '00001' + '000100' + '00100' + '00100' + '00100';
  const slot = (src: string, len: string, data: string) =>
    src + '00001' + len + data.padEnd(64, ' ');
  const free = ' '.repeat(72);
  cases.push(
    ['read count 5', telegram('SR' + H + srHead + '5' + free.repeat(4)), 'BAD_FIELD', 77],
    [
      'read source X',
      telegram('SR' + H + srHead + '1' + slot('X', '03', 'abc') + free.repeat(3)),
      'BAD_FIELD',
      77,
    ],
    [
      'read length 65',
      telegram('SR' + H + srHead + '1' + slot('S', '65', 'abc') + free.repeat(3)),
      'BAD_FIELD',
      77,
    ],
    [
      'data padding not blank',
      telegram('SR' + H + srHead + '1' + slot('S', '02', 'abc') + free.repeat(3)),
      'BAD_FIELD',
      77,
    ],
    [
      'a tab in read data',
      telegram('SR' + H + srHead + '1' + slot('S', '03', 'a\tc') + free.repeat(3)),
      'BAD_FIELD',
      77,
    ],
    [
      'an unused slot not blank',
      telegram(
        'SR' + H + srHead + '1' + slot('S', '03', 'abc') + slot('S', '03', 'abc') + free.repeat(2),
      ),
      'BAD_FIELD',
      77,
    ],
  );
  for (const [what, frame, code, seq] of cases) {
    it(`${what}: ${code}${seq >= 0 ? ' with the sequence number' : ''}; the next telegram decodes`, () => {
      const { results, dec } = decodeAll(codec, [frame, good]);
      expect(summary(results)).toEqual([`${code}@0`, `frame@${frame.length}:ack`]);
      expect((results[0] as DecodeFault).seq).toBe(seq);
      expect(dec.stats.resyncs).toBe(0);
    });
  }

  it('a good sort request built by hand decodes (the fault cases above differ from it in one field)', () => {
    const { results } = decodeAll(codec, [
      telegram(
        'SR' + H + srHead + '2' + slot('S', '03', 'abc') + slot('R', '00', '') + free.repeat(2),
      ),
    ]);
    expect(results).toMatchObject([
      {
        kind: 'frame',
        message: {
          reads: [
            { source: 0, data: 'abc' },
            { source: 1, data: '' },
          ],
        },
      },
    ]);
  });

  it('an STX before the ETX: the cut telegram is TRUNCATED and the new one decodes', () => {
    const cut = good.subarray(0, 20);
    const { results } = decodeAll(codec, [cut, good]);
    expect(summary(results)).toEqual(['TRUNCATED@0', 'frame@20:ack']);
  });

  it('no ETX within maxFrameBytes: LENGTH_OVER_LIMIT, skipped without buffering up to the next STX', () => {
    const long = Uint8Array.from({ length: 2000 }, (_, i) => (i === 0 ? 2 : 0x41));
    const { results, dec } = decodeAll(codec, [long.subarray(0, 700), long.subarray(700), good]);
    expect(summary(results)).toEqual(['LENGTH_OVER_LIMIT@0', 'frame@2000:ack']);
    expect(dec.stats.bytesDiscarded).toBe(2000);
  });

  it('end(): a partial telegram is TRUNCATED', () => {
    const { dec } = decodeAll(codec, [good.subarray(0, 10)]);
    expect(dec.end()).toMatchObject({ code: 'SORTLINE_ERR_PROTOCOL_TRUNCATED', offset: 0 });
  });
});

describe('NDJSON dialect faults', () => {
  const codec = CODECS.ndjson;
  const good = GOOD.ndjson();
  const line = (s: string) => utf8(s + '\n');

  const cases: [string, Uint8Array, string, number][] = [
    ['not JSON', line('hello'), 'BAD_BODY', -1],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d, 0x0a]), 'BAD_BODY', -1],
    ['a JSON array', line('[1,2]'), 'BAD_BODY', -1],
    ['JSON null', line('null'), 'BAD_BODY', -1],
    ['no seq', line('{"type":"heartbeat"}'), 'BAD_HEADER', -1],
    ['seq as a string', line('{"type":"heartbeat","seq":"1"}'), 'BAD_HEADER', -1],
    ['seq above uint32', line('{"type":"heartbeat","seq":4294967296}'), 'BAD_HEADER', -1],
    ['ack as a string', line('{"type":"heartbeat","seq":5,"ack":"yes"}'), 'BAD_HEADER', 5],
    ['a negative ts', line('{"type":"heartbeat","seq":5,"ts":-1}'), 'BAD_HEADER', 5],
    ['no type', line('{"seq":5}'), 'BAD_HEADER', 5],
    ['type "ping"', line('{"type":"ping","seq":5}'), 'UNKNOWN_TYPE', 5],
    ['type "toString"', line('{"type":"toString","seq":5}'), 'UNKNOWN_TYPE', 5],
    ['an unknown key', line('{"type":"heartbeat","seq":5,"note":1}'), 'BAD_FIELD', 5],
    ['a __proto__ key', line('{"type":"heartbeat","seq":5,"__proto__":{}}'), 'BAD_FIELD', 5],
    ['ackSeq missing', line('{"type":"ack","seq":5}'), 'BAD_FIELD', 5],
    ['ackSeq 1.5', line('{"type":"ack","seq":5,"ackSeq":1.5}'), 'BAD_FIELD', 5],
    [
      'outcome as a code',
      line('{"type":"sortConfirmation","seq":5,"taskId":1,"turn":1,"chute":3,"outcome":0}'),
      'BAD_FIELD',
      5,
    ],
    [
      'outcome unknown',
      line('{"type":"sortConfirmation","seq":5,"taskId":1,"turn":1,"chute":3,"outcome":"lost"}'),
      'BAD_FIELD',
      5,
    ],
    ['reason ""', line('{"type":"nak","seq":5,"nakSeq":1,"reason":""}'), 'BAD_FIELD', 5],
    [
      'reads not an array',
      line(
        '{"type":"sortRequest","seq":5,"taskId":1,"induct":1,"scanner":1,"carrier":1,"reads":{}}',
      ),
      'BAD_FIELD',
      5,
    ],
    [
      'a read with an extra key',
      line(
        '{"type":"sortRequest","seq":5,"taskId":1,"induct":1,"scanner":1,"carrier":1,"reads":[{"source":"rfid","scanner":1,"data":"x","q":1}]}',
      ),
      'BAD_FIELD',
      5,
    ],
    [
      'read data of 257 bytes',
      line(
        `{"type":"sortRequest","seq":5,"taskId":1,"induct":1,"scanner":1,"carrier":1,"reads":[{"source":"rfid","scanner":1,"data":"${'x'.repeat(257)}"}]}`,
      ),
      'BAD_FIELD',
      5,
    ],
    [
      'read data with a lone surrogate',
      line(
        '{"type":"sortRequest","seq":5,"taskId":1,"induct":1,"scanner":1,"carrier":1,"reads":[{"source":"rfid","scanner":1,"data":"\\ud800"}]}',
      ),
      'BAD_FIELD',
      5,
    ],
    [
      '9 reads',
      line(
        `{"type":"sortRequest","seq":5,"taskId":1,"induct":1,"scanner":1,"carrier":1,"reads":[${Array(9).fill('{"source":"rfid","scanner":1,"data":"x"}').join(',')}]}`,
      ),
      'BAD_FIELD',
      5,
    ],
    [
      'weight of a tonne',
      line(
        '{"type":"sortRequest","seq":5,"taskId":1,"induct":1,"scanner":1,"carrier":1,"reads":[],"weightG":1000000}',
      ),
      'BAD_FIELD',
      5,
    ],
    [
      'chute 0 in a reply',
      line(
        '{"type":"destinationReply","seq":5,"taskId":1,"chutes":[0],"exceptionChute":9,"status":"ok"}',
      ),
      'BAD_FIELD',
      5,
    ],
    [
      'fill null',
      line('{"type":"chuteState","seq":5,"chute":1,"state":"open","fill":null}'),
      'BAD_FIELD',
      5,
    ],
  ];
  for (const [what, frame, code, seq] of cases) {
    it(`${what}: ${code}; the next line decodes`, () => {
      const { results } = decodeAll(codec, [frame, good]);
      expect(summary(results)).toEqual([`${code}@0`, `frame@${frame.length}:ack`]);
      expect((results[0] as DecodeFault).seq).toBe(seq);
    });
  }

  it('optional fields may be left out: turn 1, no weight or size, no fill', () => {
    const { results } = decodeAll(codec, [
      line(
        '{"type":"sortRequest","seq":5,"taskId":1,"induct":1,"scanner":1,"carrier":1,"reads":[]}',
      ),
      line('{"type":"chuteState","seq":6,"chute":1,"state":"bagging"}'),
    ]);
    expect(results).toMatchObject([
      {
        kind: 'frame',
        message: { turn: 1, weightG: 0, lengthMm: 0, widthMm: 0, heightMm: 0, reads: [] },
      },
      { kind: 'frame', message: { type: 'chuteState', chute: 1, state: 4 } },
    ]);
  });

  it('blank lines are skipped', () => {
    const { results } = decodeAll(codec, [utf8('\n\r\n  \t\n'), good]);
    expect(summary(results)).toEqual(['frame@7:ack']);
  });

  it('a line over maxFrameBytes: LENGTH_OVER_LIMIT, skipped to its LF without buffering', () => {
    const long = utf8('{"type":"heartbeat","seq":1,"x":"' + 'y'.repeat(40_000) + '"}\n');
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < long.length; i += 1000) chunks.push(long.subarray(i, i + 1000));
    const { results, dec } = decodeAll(codec, [...chunks, good]);
    expect(summary(results)).toEqual(['LENGTH_OVER_LIMIT@0', `frame@${long.length}:ack`]);
    expect(dec.stats).toMatchObject({ bytesDiscarded: long.length, resyncs: 1 });
  });

  it('end(): a last line without LF is TRUNCATED', () => {
    const { dec } = decodeAll(codec, [good.subarray(0, good.length - 1)]);
    expect(dec.end()).toMatchObject({ code: 'SORTLINE_ERR_PROTOCOL_TRUNCATED', offset: 0 });
  });
});
