import { describe, expect, it } from 'vitest';
import { FALLBACK_NAMES, Fallback } from '../core/plan/fallbacks.js';
import {
  REPLY_STATUS_NAMES,
  ReplyStatus,
  WIRE_CHUTE_STATE_NAMES,
  WireChuteState,
} from '../core/protocol/codes.js';
import { CHUTE_STATE_NAMES, ChuteState } from '../core/sorter/states.js';
import { fallbackOf, machineChuteState, replyStatusOf, wireChuteState } from '../core/wire-map.js';

describe('wire map: core tables ↔ protocol wire codes', () => {
  it('maps every fallback to the reply status of the same name, and back', () => {
    for (const f of Object.values(Fallback)) {
      const status = replyStatusOf(f);
      const expected = f === Fallback.NONE ? 'ok' : FALLBACK_NAMES[f];
      expect(REPLY_STATUS_NAMES[status]).toBe(expected);
      expect(fallbackOf(status)).toBe(f);
    }
    // every status but busy is a fallback's; busy (the controller shed the request) is none
    expect(Object.values(ReplyStatus)).toHaveLength(Object.values(Fallback).length + 1);
    expect(fallbackOf(ReplyStatus.BUSY)).toBeUndefined();
    expect(Object.values(Fallback).map(replyStatusOf)).not.toContain(ReplyStatus.BUSY);
  });

  it('maps every machine chute state to the wire state of the same name, and back', () => {
    for (const s of Object.values(ChuteState)) {
      const w = wireChuteState(s);
      expect(WIRE_CHUTE_STATE_NAMES[w]).toBe(CHUTE_STATE_NAMES[s]);
      expect(machineChuteState(w)).toBe(s);
    }
    expect(Object.values(WireChuteState)).toHaveLength(Object.values(ChuteState).length);
  });
});
