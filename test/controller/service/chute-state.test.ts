import { describe, expect, it } from 'vitest';
import {
  ReplyStatus,
  type ChuteStateMessage,
  type DestinationReply,
} from '../../../core/protocol/index.js';
import { ChuteState } from '../../../core/sorter/states.js';
import { ChuteSource } from '../../../controller/service/index.js';
import {
  BUNDLED_PLAN_DOC,
  label,
  makeService,
  num,
  read,
  request,
  spyRecorder,
} from './helpers.js';

describe('sort service: chute states and rerouting', () => {
  it('reroutes open tasks whose first chute a PLC reports blocked: same task and turn, next chute first', () => {
    const spy = spyRecorder();
    const { ask, deliver, sent, service } = makeService({ recorder: spy.recorder });
    ask(request(1, [read(label('250001'))]));
    ask(request(2, [read(label('250001'))], { turn: 3 }));
    ask(request(3, [read(label('210008'))]));
    const before = sent.length;
    deliver({ type: 'chuteState', chute: num('C05'), state: ChuteState.BLOCKED });
    const rerouted = sent.slice(before) as DestinationReply[];
    expect(rerouted.map((r) => [r.taskId, r.turn]).sort()).toEqual([
      [1, 1],
      [2, 3],
    ]);
    for (const r of rerouted)
      expect(r).toMatchObject({ status: ReplyStatus.OK, chutes: [num('C06'), num('C07')] });
    expect(service.stats.rerouteReplies).toBe(2);
    expect(spy.of('rerouted')).toHaveLength(2);
    expect(spy.of('chute')[0]!.slice(2)).toEqual([
      num('C05'),
      ChuteState.BLOCKED,
      0,
      ChuteSource.PLC,
      1,
    ]);
  });

  it('reroutes again when the new first chute goes out too, and falls back to no-chute when none is left', () => {
    const { ask, service, sent } = makeService();
    ask(request(1, [read(label('250001'))]));
    service.setChuteState(num('C05'), ChuteState.DISABLED);
    service.setChuteState(num('C06'), ChuteState.BAGGING);
    const afterTwo = sent
      .filter((m): m is DestinationReply => m.type === 'destinationReply')
      .at(-1)!;
    expect(afterTwo.chutes).toEqual([num('C07')]);
    service.setChuteState(num('C07'), ChuteState.DISABLED);
    const last = sent.filter((m): m is DestinationReply => m.type === 'destinationReply').at(-1)!;
    expect(last).toMatchObject({
      taskId: 1,
      status: ReplyStatus.NO_CHUTE,
      chutes: [],
      exceptionChute: num('X2'),
    });
  });

  it('puts a full chute after the accepting ones, and sends nothing when the answer does not change', () => {
    const { ask, deliver, sent } = makeService();
    ask(request(1, [read(label('210008'))]));
    ask(request(2, [read(label('250001'))]));
    const before = sent.length;
    // nanjing has one chute: full or not, the reply stays [C53]
    deliver({ type: 'chuteState', chute: num('C53'), state: ChuteState.FULL, fill: 15 });
    expect(sent.length).toBe(before);
    deliver({ type: 'chuteState', chute: num('C05'), state: ChuteState.OPEN, fill: 15 });
    expect((sent.at(-1) as DestinationReply).chutes).toEqual([num('C06'), num('C07'), num('C05')]);
  });

  it('does not reroute closed tasks, nor tasks sent to an exception chute', () => {
    const { ask, deliver, sent } = makeService();
    ask(request(1, [read(label('250001'))]));
    deliver({ type: 'sortConfirmation', taskId: 1, turn: 1, chute: num('C05'), outcome: 0 });
    ask(request(2, []));
    const before = sent.length;
    deliver({ type: 'chuteState', chute: num('C05'), state: ChuteState.DISABLED });
    deliver({ type: 'chuteState', chute: num('X1'), state: ChuteState.BLOCKED });
    expect(sent.length).toBe(before);
  });

  it('uses the new states for later requests and sends operator commands to the PLC', () => {
    const spy = spyRecorder();
    const { ask, service, sent } = makeService({ recorder: spy.recorder });
    service.setChuteState(num('C05'), ChuteState.DISABLED, 0);
    expect(sent.at(-1)).toEqual({
      type: 'chuteState',
      chute: num('C05'),
      state: ChuteState.DISABLED,
      fill: 0,
    } satisfies ChuteStateMessage);
    expect(spy.of('chute')[0]![5]).toBe(ChuteSource.OPERATOR);
    expect(ask(request(1, [read(label('250001'))])).chutes).toEqual([num('C06'), num('C07')]);
    service.setChuteState(num('C05'), ChuteState.OPEN);
    expect(ask(request(2, [read(label('250001'))])).chutes).toEqual([
      num('C05'),
      num('C06'),
      num('C07'),
    ]);
  });

  it('refuses operator commands for unknown chutes and states with coded errors', () => {
    const { service } = makeService();
    expect(() => service.setChuteState(9999, ChuteState.OPEN)).toThrow(
      expect.objectContaining({ code: 'SORTLINE_ERR_SERVICE_UNKNOWN_CHUTE' }),
    );
    expect(() => service.setChuteState(num('C05'), 9 as never)).toThrow(
      expect.objectContaining({ code: 'SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE' }),
    );
    expect(() => service.setChuteState(num('C05'), ChuteState.OPEN, -1)).toThrow(
      expect.objectContaining({ code: 'SORTLINE_ERR_SERVICE_BAD_CHUTE_STATE' }),
    );
  });

  it('with the bundled plan (round robin) starts each reply after the chute the previous one started with', () => {
    // docs/sort-plan.md: round robin looks at the destination's chutes in plan order rotated to
    // start after the chute it chose last; shandong's chutes are C05, C06, C07
    const { ask } = makeService({ planDoc: BUNDLED_PLAN_DOC });
    expect(ask(request(1, [read(label('250001'))])).chutes).toEqual([
      num('C05'),
      num('C06'),
      num('C07'),
    ]);
    expect(ask(request(2, [read(label('250001'))])).chutes).toEqual([
      num('C06'),
      num('C07'),
      num('C05'),
    ]);
    expect(ask(request(3, [read(label('250001'))])).chutes).toEqual([
      num('C07'),
      num('C05'),
      num('C06'),
    ]);
  });

  it('counts a PLC report for a chute number no chute has', () => {
    const { deliver, service } = makeService();
    deliver({ type: 'chuteState', chute: 4000, state: ChuteState.FULL });
    expect(service.stats.unknownChutes).toBe(1);
  });
});
