/** docs/protocol.md stays true to the code: examples decode, tables match the code's tables. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ERRORS } from '../../core/errors.js';
import { CHUTE_STATE_NAMES } from '../../core/sorter/states.js';
import {
  BODY_KEYS,
  CODECS,
  MESSAGE_TYPE_NAMES,
  NAK_REASON_NAMES,
  NDJSON_HEADER_KEYS,
  OUTCOME_NAMES,
  OUTCOME_TERMINAL,
  READ_KEYS,
  READ_SOURCE_NAMES,
  REPLY_STATUS_NAMES,
  TELEGRAM_BODY_BYTES,
  TELEGRAM_TYPES,
  telegramLength,
  type MessageTypeCode,
} from '../../core/protocol/index.js';
import { SAMPLES, TS, hexBytes, toHex } from './samples.js';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

/** Rows `| a | b | ... |` of the table that follows `heading`. */
function tableAfter(heading: string): string[][] {
  const at = doc.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const lines = doc.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push(
      lines[i]!.split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe('docs/protocol.md', () => {
  it('the native worked example is what the encoder writes', () => {
    const block = /```hex\n([\s\S]*?)```/.exec(doc)![1]!;
    const hex = block
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.slice(6, 54))
      .join(' ');
    const frame = CODECS.native.encode(SAMPLES.sortConfirmation, {
      seq: 42,
      ackRequired: true,
      timestampMs: TS,
    });
    expect(toHex(hexBytes(hex))).toBe(toHex(frame));
    expect(doc).toContain(`${frame.length} bytes:`);
  });

  it('the telegram example is what the encoder writes', () => {
    const line = /<STX>(SC\d+)<ETX>/.exec(doc)![1]!;
    const t = CODECS.telegram.encode(SAMPLES.sortConfirmation, {
      seq: 42,
      ackRequired: true,
      timestampMs: TS,
    });
    expect('\x02' + line + '\x03').toBe(String.fromCharCode(...t));
  });

  it('the NDJSON examples decode without a fault, the first as the sample sort request', () => {
    const block = doc.slice(doc.indexOf('## NDJSON dialect'));
    const lines = /```\n(\{[\s\S]*?)```/.exec(block)![1]!;
    const d = CODECS.ndjson.createDecoder();
    d.push(new TextEncoder().encode(lines));
    const got = [];
    for (let r = d.next(); r !== null; r = d.next()) got.push(r);
    expect(got.every((r) => r.kind === 'frame')).toBe(true);
    expect(got.length).toBe(lines.trim().split('\n').length);
    expect(got[0]).toMatchObject({ message: SAMPLES.sortRequest });
  });

  it('names every body key, read key, NDJSON header key and protocol error code', () => {
    for (const keys of [...Object.values(BODY_KEYS), READ_KEYS, NDJSON_HEADER_KEYS]) {
      for (const k of keys) expect(doc, k).toContain(`\`${k}\``);
    }
    for (const code of Object.keys(ERRORS).filter(
      (c) => c.startsWith('SORTLINE_ERR_PROTOCOL_') && !/ENCODE|DIALECT|OPTION/.test(c),
    )) {
      expect(doc, code).toContain(code);
    }
  });

  it('code tables match the code: message types, sources, statuses, outcomes (with terminal flags), chute states, NAK reasons', () => {
    const types = tableAfter('#### Message types').map((r) => [Number(r[0]), r[1], r[2]]);
    expect(types).toEqual(
      Object.entries(MESSAGE_TYPE_NAMES).map(([c, n]) => [
        Number(c),
        `\`${n}\``,
        `\`${TELEGRAM_TYPES[Number(c) as MessageTypeCode]}\``,
      ]),
    );
    const named = (heading: string) => tableAfter(heading).map((r) => `${r[0]}:${r[1]}`);
    const expected = (names: readonly string[]) =>
      names.flatMap((n, i) => (n === '' ? [] : [`${i}:\`${n}\``]));
    expect(named('#### Read sources')).toEqual(expected(READ_SOURCE_NAMES));
    expect(named('#### Reply status')).toEqual(expected(REPLY_STATUS_NAMES));
    expect(named('#### Outcomes')).toEqual(expected(OUTCOME_NAMES));
    expect(named('#### Chute states')).toEqual(expected(CHUTE_STATE_NAMES));
    expect(named('#### NAK reasons')).toEqual(expected(NAK_REASON_NAMES));
    const terminal = tableAfter('#### Outcomes').map((r) => (r[2] === '**yes**' ? 1 : 0));
    expect(terminal).toEqual([...OUTCOME_TERMINAL]);
  });

  it('gives the body and telegram length of every telegram type', () => {
    for (const [code, t] of Object.entries(TELEGRAM_TYPES)) {
      const c = Number(code) as MessageTypeCode;
      expect(doc, t).toMatch(
        new RegExp(
          `\\*\\*${t} [^*]+\\*\\* — body ${TELEGRAM_BODY_BYTES[c]} bytes[^\\n]*telegram ${telegramLength(c)} bytes`,
        ),
      );
    }
  });
});
