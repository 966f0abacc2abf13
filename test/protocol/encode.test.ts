/** Encoders refuse what their dialect cannot carry, with a coded error naming the field. */
import { describe, expect, it } from 'vitest';
import { isSortlineError } from '../../core/errors.js';
import { CODECS, DIALECT_NAMES, type Message } from '../../core/protocol/index.js';
import { SAMPLES } from './samples.js';

const H = { seq: 1, ackRequired: true, timestampMs: 0 };
const req = SAMPLES.sortRequest as Extract<Message, { type: 'sortRequest' }>;

function encodeError(f: () => unknown): { code: string; message: string; pointer?: string } {
  try {
    f();
  } catch (e) {
    if (isSortlineError(e))
      return {
        code: e.code,
        message: e.message,
        ...(e.pointer !== undefined ? { pointer: e.pointer } : {}),
      };
    throw e;
  }
  throw new Error('encode did not throw');
}

const BAD: [string, unknown, RegExp, string][] = [
  ['an unknown type', { type: 'ping' }, /type: unknown message type "ping"/, '/type'],
  ['a missing task id', { ...req, taskId: undefined }, /taskId: missing/, '/taskId'],
  [
    'a negative induct',
    { ...req, induct: -1 },
    /induct: expected an integer 0–65535, got -1/,
    '/induct',
  ],
  ['turn 0', { ...req, turn: 0 }, /turn: expected an integer 1–255/, '/turn'],
  [
    'a fractional weight',
    { ...req, weightG: 1.5 },
    /weightG: expected an integer 0–999999, got 1.5/,
    '/weightG',
  ],
  ['a weight given as a string', { ...req, weightG: '12' }, /weightG: .*got "12"/, '/weightG'],
  [
    'an unknown read source',
    { ...req, reads: [{ source: 7, scanner: 1, data: 'x' }] },
    /reads\[0\]\.source: expected one of 0 \(scanner\), 1 \(rfid\), 2 \(manual\)/,
    '/reads/0/source',
  ],
  [
    'a read without data',
    { ...req, reads: [{ source: 0, scanner: 1 }] },
    /reads\[0\]\.data: expected a string/,
    '/reads/0/data',
  ],
  [
    'read data over 256 bytes',
    { ...req, reads: [{ source: 0, scanner: 1, data: 'é'.repeat(129) }] },
    /reads\[0\]\.data: .*258 bytes/,
    '/reads/0/data',
  ],
  [
    'nine reads',
    { ...req, reads: Array(9).fill({ source: 0, scanner: 1, data: 'x' }) },
    /reads: expected an array of 0–8 reads/,
    '/reads',
  ],
  ['an extra key', { ...SAMPLES.ack, note: 'x' }, /note: unknown key/, '/note'],
  [
    'a reply with status ok and no chutes',
    { ...SAMPLES.destinationReply, chutes: [] },
    /chutes: expected at least one chute when status is ok/,
    '/chutes',
  ],
  [
    'a reply with chute 70000',
    { ...SAMPLES.destinationReply, chutes: [70_000] },
    /chutes\[0\]: expected a chute number 1–65535/,
    '/chutes/0',
  ],
  [
    'exception chute 0',
    { ...SAMPLES.destinationReply, exceptionChute: 0 },
    /exceptionChute: expected an integer 1–65535/,
    '/exceptionChute',
  ],
  [
    'an outcome of 8',
    { ...SAMPLES.sortConfirmation, outcome: 8 },
    /outcome: expected one of 0 \(discharged\)/,
    '/outcome',
  ],
  [
    'a chute state of 5',
    { ...SAMPLES.chuteState, state: 5 },
    /state: expected one of 0 \(open\)/,
    '/state',
  ],
  [
    'NAK reason 0',
    { ...SAMPLES.nak, reason: 0 },
    /reason: expected one of 1 \(checksum\)/,
    '/reason',
  ],
];

describe('encode refuses invalid messages (every dialect)', () => {
  for (const name of DIALECT_NAMES) {
    for (const [what, msg, pattern, pointer] of BAD) {
      it(`${name}: ${what}`, () => {
        const e = encodeError(() => CODECS[name].encode(msg as Message, H));
        expect(e.code).toBe('SORTLINE_ERR_PROTOCOL_ENCODE_INVALID');
        expect(e.message).toMatch(pattern);
        expect(e.pointer).toBe(pointer);
      });
    }

    it(`${name}: header out of range`, () => {
      const c = CODECS[name];
      for (const h of [
        { seq: c.maxSeq + 1, ackRequired: true, timestampMs: 0 },
        { seq: -1, ackRequired: true, timestampMs: 0 },
        { seq: 1, ackRequired: 1 as unknown as boolean, timestampMs: 0 },
        { seq: 1, ackRequired: true, timestampMs: c.maxTimestampMs + 1 },
      ]) {
        expect(encodeError(() => c.encode(SAMPLES.heartbeat, h)).code).toBe(
          'SORTLINE_ERR_PROTOCOL_ENCODE_INVALID',
        );
      }
    });
  }

  it('telegram: more than 4 reads, data over 64 characters, non-ASCII data, seq over 999999', () => {
    const t = CODECS.telegram;
    const read = { source: 0 as const, scanner: 1, data: 'x' };
    expect(encodeError(() => t.encode({ ...req, reads: Array(5).fill(read) }, H)).message).toMatch(
      /reads: 5 reads, a telegram has 4 read slots/,
    );
    expect(
      encodeError(() => t.encode({ ...req, reads: [{ ...read, data: 'x'.repeat(65) }] }, H))
        .message,
    ).toMatch(/reads\[0\]\.data: 65 characters/);
    expect(
      encodeError(() => t.encode({ ...req, reads: [{ ...read, data: 'ab苏' }] }, H)).message,
    ).toMatch(/reads\[0\]\.data: character 2 is U\+82CF/);
    expect(
      encodeError(() => t.encode({ ...req, reads: [{ ...read, data: 'a\nb' }] }, H)).message,
    ).toMatch(/character 1 is U\+000A/);
    expect(
      encodeError(() => t.encode(SAMPLES.heartbeat, { ...H, seq: 1_000_000 })).message,
    ).toMatch(/seq: expected an integer 0–999999/);
    expect(encodeError(() => t.encode({ type: 'ack', ackSeq: 1_000_000 }, H)).message).toMatch(
      /ackSeq: expected an integer 0–999999/,
    );
  });
});
