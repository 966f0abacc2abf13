/** Golden NDJSON lines, written from the schema of docs/protocol.md (key order as documented). */
import { describe, expect, it } from 'vitest';
import { ndjsonCodec, type MessageTypeName } from '../../core/protocol/index.js';
import { GOLDEN_HEADERS, SAMPLES, TYPE_NAMES } from './samples.js';

const GOLDEN: Record<MessageTypeName, string> = {
  sortRequest:
    '{"type":"sortRequest","seq":41,"ack":true,"ts":1764420000000,"taskId":70000,"turn":1,"induct":2,"scanner":3,' +
    '"carrier":417,"reads":[{"source":"scanner","scanner":1,"data":"]C1403771-K23-05"}],"weightG":1250,' +
    '"lengthMm":300,"widthMm":200,"heightMm":100}\n',
  destinationReply:
    '{"type":"destinationReply","seq":7,"ack":true,"ts":1764420000000,"taskId":70000,"turn":1,"chutes":[17,18],' +
    '"exceptionChute":200,"status":"ok"}\n',
  sortConfirmation:
    '{"type":"sortConfirmation","seq":42,"ack":true,"ts":1764420000000,"taskId":70000,"turn":1,"chute":17,"outcome":"discharged"}\n',
  chuteState:
    '{"type":"chuteState","seq":43,"ack":true,"ts":1764420000000,"chute":17,"state":"full","fill":10}\n',
  heartbeat: '{"type":"heartbeat","seq":0,"ack":false,"ts":1764420000000}\n',
  ack: '{"type":"ack","seq":0,"ack":false,"ts":1764420000000,"ackSeq":41}\n',
  nak: '{"type":"nak","seq":0,"ack":false,"ts":1764420000000,"nakSeq":42,"reason":"checksum"}\n',
  linkSync:
    '{"type":"linkSync","seq":0,"ack":false,"ts":1764420000000,"lastReceivedSeq":40,"nextSendSeq":43}\n',
};

const utf8 = new TextEncoder();

describe('NDJSON dialect: golden lines', () => {
  it('covers every message type', () => {
    expect(Object.keys(GOLDEN).sort()).toEqual([...TYPE_NAMES].sort());
  });

  for (const name of TYPE_NAMES) {
    it(`${name}: encode gives the golden line`, () => {
      expect(
        new TextDecoder().decode(ndjsonCodec.encode(SAMPLES[name], GOLDEN_HEADERS[name])),
      ).toBe(GOLDEN[name]);
    });

    it(`${name}: the golden line decodes to the message and header`, () => {
      const d = ndjsonCodec.createDecoder();
      d.push(utf8.encode(GOLDEN[name]));
      expect(d.next()).toMatchObject({
        kind: 'frame',
        ...GOLDEN_HEADERS[name],
        offset: 0,
        message: SAMPLES[name],
      });
      expect(d.next()).toBeNull();
    });
  }

  it('reads a hand-typed line: CRLF, spaces, other key order, ack and ts left out', () => {
    const d = ndjsonCodec.createDecoder();
    d.push(utf8.encode('\n  { "ackSeq" : 9, "seq": 0, "type": "ack" }  \r\n'));
    expect(d.next()).toMatchObject({
      kind: 'frame',
      seq: 0,
      ackRequired: false,
      timestampMs: 0,
      offset: 1,
      message: { type: 'ack', ackSeq: 9 },
    });
    expect(d.next()).toBeNull();
  });

  it('writes FNC1 (0x1D) as \\u001d and non-ASCII data as UTF-8', () => {
    const line = ndjsonCodec.encode(
      {
        ...SAMPLES.sortRequest,
        reads: [{ source: 0, scanner: 1, data: ']C1\x1d420苏' }],
      } as typeof SAMPLES.sortRequest,
      GOLDEN_HEADERS.sortRequest,
    );
    const text = new TextDecoder().decode(line);
    expect(text).toContain('"data":"]C1\\u001d420苏"');
    expect(line.length).toBe(text.length + 2); // 苏 is 3 bytes of UTF-8, 1 UTF-16 unit
  });
});
