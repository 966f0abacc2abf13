/** Every message type survives encode → decode in every dialect, at the edges of its limits. */
import { describe, expect, it } from 'vitest';
import { ChuteState } from '../../core/sorter/states.js';
import {
  CODECS,
  DIALECT_NAMES,
  Limits,
  NakReason,
  Outcome,
  ReadSource,
  ReplyStatus,
  TelegramLimits,
  codecByName,
  type Codec,
  type FrameHeader,
  type Message,
} from '../../core/protocol/index.js';
import { isSortlineError } from '../../core/errors.js';
import { SAMPLES, TYPE_NAMES } from './samples.js';

function roundTrip(codec: Codec, message: Message, header: FrameHeader): unknown {
  const d = codec.createDecoder();
  const bytes = codec.encode(message, header);
  d.push(bytes);
  const r = d.next();
  expect(d.next()).toBeNull();
  if (r === null || r.kind !== 'fault') return r;
  throw new Error(`${r.code}: ${r.message}`);
}

/** Messages at the upper limits every dialect carries. */
function edgeMessages(maxSeq: number, maxReads: number, maxDataChars: number): Message[] {
  const gs1 = ']C1' + '00106141412345678908' + '\x1d' + '4037';
  const data = (gs1 + 'X'.repeat(maxDataChars)).slice(0, maxDataChars);
  return [
    {
      type: 'sortRequest',
      taskId: Limits.U32_MAX,
      turn: Limits.MAX_TURN,
      induct: Limits.U16_MAX,
      scanner: Limits.U16_MAX,
      carrier: Limits.U16_MAX,
      weightG: Limits.MAX_WEIGHT_G,
      lengthMm: Limits.U16_MAX,
      widthMm: Limits.U16_MAX,
      heightMm: Limits.U16_MAX,
      reads: Array.from({ length: maxReads }, (_, i) => ({
        source: (i % 3) as 0,
        scanner: Limits.U16_MAX - i,
        data,
      })),
    },
    {
      type: 'sortRequest',
      taskId: 0,
      turn: 1,
      induct: 0,
      scanner: 0,
      carrier: 0,
      weightG: 0,
      lengthMm: 0,
      widthMm: 0,
      heightMm: 0,
      reads: [{ source: ReadSource.MANUAL, scanner: 0, data: '' }],
    },
    {
      type: 'sortRequest',
      taskId: 1,
      turn: 2,
      induct: 1,
      scanner: 1,
      carrier: 1,
      weightG: 1,
      lengthMm: 1,
      widthMm: 1,
      heightMm: 1,
      reads: [],
    },
    {
      type: 'destinationReply',
      taskId: Limits.U32_MAX,
      turn: Limits.MAX_TURN,
      chutes: Array.from({ length: Limits.MAX_CHUTES }, (_, i) => Limits.U16_MAX - i),
      exceptionChute: Limits.U16_MAX,
      status: ReplyStatus.NO_CHUTE,
    },
    {
      type: 'destinationReply',
      taskId: 0,
      turn: 1,
      chutes: [],
      exceptionChute: 1,
      status: ReplyStatus.NO_READ,
    },
    {
      type: 'sortConfirmation',
      taskId: Limits.U32_MAX,
      turn: Limits.MAX_TURN,
      chute: Limits.U16_MAX,
      outcome: Outcome.TRACKING_LOST,
    },
    { type: 'sortConfirmation', taskId: 0, turn: 1, chute: 0, outcome: Outcome.TRACKING_LOST },
    { type: 'chuteState', chute: Limits.U16_MAX, state: ChuteState.BAGGING, fill: Limits.U16_MAX },
    { type: 'chuteState', chute: 1, state: ChuteState.OPEN, fill: 0 },
    { type: 'chuteState', chute: 1, state: ChuteState.BLOCKED },
    { type: 'ack', ackSeq: maxSeq },
    { type: 'nak', nakSeq: maxSeq, reason: NakReason.BUSY },
    { type: 'linkSync', lastReceivedSeq: maxSeq, nextSendSeq: 1 },
  ];
}

describe('round trip', () => {
  for (const name of DIALECT_NAMES) {
    const codec = CODECS[name];
    const telegram = name === 'telegram';

    it(`${name}: every sample message and header`, () => {
      for (const t of TYPE_NAMES) {
        for (const header of [
          { seq: 0, ackRequired: false, timestampMs: 0 },
          { seq: codec.maxSeq, ackRequired: true, timestampMs: codec.maxTimestampMs },
        ]) {
          expect(roundTrip(codec, SAMPLES[t], header)).toEqual({
            kind: 'frame',
            ...header,
            message: SAMPLES[t],
            offset: 0,
            length: expect.any(Number),
          });
        }
      }
    });

    it(`${name}: messages at the edges of the limits`, () => {
      const msgs = edgeMessages(
        codec.maxSeq,
        telegram ? TelegramLimits.MAX_READS : Limits.MAX_READS,
        telegram ? TelegramLimits.READ_DATA_CHARS : Limits.MAX_READ_BYTES,
      );
      for (const m of msgs) {
        expect(roundTrip(codec, m, { seq: 1, ackRequired: true, timestampMs: 1 })).toMatchObject({
          message: m,
        });
      }
    });

    it(`${name}: the largest valid message fits the default maxFrameBytes`, () => {
      const biggest = edgeMessages(codec.maxSeq, telegram ? 4 : 8, telegram ? 64 : 256)[0]!;
      // Worst case for NDJSON: every data byte a control character escaped as \\u001d.
      if (!telegram)
        (biggest as { reads: { data: string }[] }).reads.forEach(
          (r) => (r.data = '\x1d'.repeat(Limits.MAX_READ_BYTES)),
        );
      const bytes = codec.encode(biggest, {
        seq: codec.maxSeq,
        ackRequired: true,
        timestampMs: codec.maxTimestampMs,
      });
      expect(bytes.length).toBeLessThanOrEqual(codec.defaultMaxFrameBytes);
      expect(
        roundTrip(codec, biggest, { seq: 1, ackRequired: false, timestampMs: 0 }),
      ).toMatchObject({ message: biggest });
    });

    it(`${name}: several frames in one chunk`, () => {
      const frames = TYPE_NAMES.map((t, i) =>
        codec.encode(SAMPLES[t], { seq: i + 1, ackRequired: true, timestampMs: 5 }),
      );
      const chunk = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
      let o = 0;
      for (const f of frames) {
        chunk.set(f, o);
        o += f.length;
      }
      const d = codec.createDecoder();
      d.push(chunk);
      const got = [];
      for (let r = d.next(); r !== null; r = d.next()) got.push(r);
      expect(got.map((r) => (r.kind === 'frame' ? r.message : r.code))).toEqual(
        TYPE_NAMES.map((t) => SAMPLES[t]),
      );
      expect(got.map((r) => (r.kind === 'frame' ? r.seq : -1))).toEqual(
        TYPE_NAMES.map((_, i) => i + 1),
      );
    });
  }

  it('native and NDJSON carry any Unicode read data up to 256 UTF-8 bytes', () => {
    const m: Message = {
      ...(SAMPLES.sortRequest as Extract<Message, { type: 'sortRequest' }>),
      reads: [{ source: ReadSource.MANUAL, scanner: 4, data: '苏州市工业园区 215000 📦' }],
    };
    for (const c of [CODECS.native, CODECS.ndjson])
      expect(roundTrip(c, m, { seq: 3, ackRequired: true, timestampMs: 9 })).toMatchObject({
        message: m,
      });
    const full: Message = {
      ...m,
      reads: [{ source: ReadSource.MANUAL, scanner: 4, data: '苏'.repeat(85) + 'x' }],
    }; // 256 bytes
    expect(
      roundTrip(CODECS.native, full, { seq: 3, ackRequired: true, timestampMs: 9 }),
    ).toMatchObject({ message: full });
  });

  it('codecByName finds each dialect and refuses others with a coded error', () => {
    for (const n of DIALECT_NAMES) expect(codecByName(n).name).toBe(n);
    expect(() => codecByName('modbus')).toThrow(/native, telegram, ndjson/);
    try {
      codecByName('toString');
      expect.fail('no error');
    } catch (e) {
      expect(isSortlineError(e) && e.code).toBe('SORTLINE_ERR_PROTOCOL_UNKNOWN_DIALECT');
    }
  });

  it('createDecoder refuses an out-of-range maxFrameBytes', () => {
    for (const c of Object.values(CODECS)) {
      for (const bad of [c.minMaxFrameBytes - 1, 0, 1.5, 2 ** 21, Number.NaN]) {
        expect(() => c.createDecoder({ maxFrameBytes: bad })).toThrow(
          expect.objectContaining({ code: 'SORTLINE_ERR_PROTOCOL_BAD_OPTION' }),
        );
      }
      expect(c.createDecoder({ maxFrameBytes: c.minMaxFrameBytes }).maxFrameBytes).toBe(
        c.minMaxFrameBytes,
      );
    }
  });
});
