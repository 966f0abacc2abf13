/** Helpers the session layer applies: sequence arithmetic, outcome table, business vs control. */
import { describe, expect, it } from 'vitest';
import {
  MESSAGE_TYPE_NAMES,
  OUTCOME_NAMES,
  Outcome,
  TelegramLimits,
  isBusinessMessage,
  isTerminalOutcome,
  nextSeq,
  seqAfter,
  seqDistance,
} from '../../core/protocol/index.js';

describe('sequence numbers', () => {
  it('run 1..maxSeq and wrap to 1, never 0', () => {
    expect(nextSeq(1, 999_999)).toBe(2);
    expect(nextSeq(999_998, 999_999)).toBe(999_999);
    expect(nextSeq(999_999, 999_999)).toBe(1);
    expect(nextSeq(0xffff_ffff, 0xffff_ffff)).toBe(1);
    expect(nextSeq(0, 10)).toBe(1);
  });

  it('compare across the wrap (serial-number arithmetic)', () => {
    const M = TelegramLimits.MAX_SEQ;
    expect(seqAfter(2, 1, M)).toBe(true);
    expect(seqAfter(1, 2, M)).toBe(false);
    expect(seqAfter(5, 5, M)).toBe(false);
    expect(seqAfter(1, M, M)).toBe(true); // 1 follows 999,999
    expect(seqAfter(M, 1, M)).toBe(false);
    expect(seqDistance(3, M - 1, M)).toBe(4); // 999,998 → 999,999 → 1 → 2 → 3
    expect(seqAfter(400_000, 1, M)).toBe(true);
    expect(seqAfter(600_000, 1, M)).toBe(false); // more than half ahead: behind
    expect(seqAfter(0x1_0000, 0xffff_fff0, 0xffff_ffff)).toBe(true);
  });
});

describe('outcomes', () => {
  it('discharged, loop limit, late reply and tracking lost close a task; the others do not', () => {
    const terminal = OUTCOME_NAMES.filter((_, code) => isTerminalOutcome(code));
    expect(terminal).toEqual(['discharged', 'loopLimit', 'lateReply', 'trackingLost']);
    expect(isTerminalOutcome(Outcome.CHUTE_FULL)).toBe(false);
    expect(isTerminalOutcome(99)).toBe(false);
  });
});

describe('business and control messages', () => {
  it('business messages are numbered and acknowledged; link-control messages are not', () => {
    const business = Object.values(MESSAGE_TYPE_NAMES).filter(isBusinessMessage);
    expect(business).toEqual(['sortRequest', 'destinationReply', 'sortConfirmation', 'chuteState']);
  });
});
