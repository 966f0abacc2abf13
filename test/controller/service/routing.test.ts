import { describe, expect, it } from 'vitest';
import { ReadSource, ReplyStatus } from '../../../core/protocol/index.js';
import { label, makeService, num, read, request } from './helpers.js';

// Expected chutes come from the plan document (scenarios/jiangsu-outbound-hub.plan.json):
// postal 210 → nanjing [C53]; 25 → shandong [C05, C06, C07]; fallbacks noRead X1, every other X2.

describe('sort service: routing through labels, plan and chute assignment', () => {
  it('answers a GS1-128 label with the destination chute and the recirculation-limit exception chute', () => {
    const { ask } = makeService();
    const reply = ask(request(11, [read(label('210008'))]));
    expect(reply).toEqual({
      type: 'destinationReply',
      taskId: 11,
      turn: 1,
      chutes: [num('C53')],
      exceptionChute: num('X2'),
      status: ReplyStatus.OK,
    });
  });

  it('lists every chute of a destination in plan priority order', () => {
    const { ask } = makeService();
    expect(ask(request(12, [read(label('250001'))])).chutes).toEqual([
      num('C05'),
      num('C06'),
      num('C07'),
    ]);
  });

  it('routes a parcel read by two cameras (a duplicate read) normally', () => {
    const { ask } = makeService();
    const reply = ask(request(13, [read(label('210008'), 1), read(label('210008'), 2)]));
    expect(reply.status).toBe(ReplyStatus.OK);
    expect(reply.chutes).toEqual([num('C53')]);
  });

  it.each([
    ['no reads at all', []],
    ['the no-read token', [read('NoRead')]],
    ['only a read with a bad SSCC check digit', [read(']C100106141411234567890421156210008')]],
  ])('sends %s to the no-read chute', (_name, reads) => {
    const { ask } = makeService();
    const reply = ask(request(14, reads));
    expect(reply.status).toBe(ReplyStatus.NO_READ);
    expect(reply.chutes).toEqual([]);
    expect(reply.exceptionChute).toBe(num('X1'));
  });

  it('sends a valid label the plan has no rule for to the no-rule chute', () => {
    const { ask } = makeService();
    const reply = ask(request(15, [read(label('10115', '276'))]));
    expect(reply).toMatchObject({
      status: ReplyStatus.NO_RULE,
      chutes: [],
      exceptionChute: num('X2'),
    });
  });

  it('sends two labels for different destinations to the multi-read chute', () => {
    const { ask } = makeService();
    const reply = ask(request(16, [read(label('210008'), 1), read(label('250001'), 2)]));
    expect(reply).toMatchObject({
      status: ReplyStatus.MULTI_READ,
      chutes: [],
      exceptionChute: num('X2'),
    });
  });

  it('takes a manual-coding read like a scanner read', () => {
    const { ask } = makeService();
    const reply = ask(
      request(17, [{ source: ReadSource.MANUAL, scanner: 30, data: label('210008') }]),
    );
    expect(reply.chutes).toEqual([num('C53')]);
  });

  it.each([
    ['weight', { weightG: 30_001 }],
    ['length', { lengthMm: 1_201 }],
    ['width', { widthMm: 801 }],
    ['height', { heightMm: 601 }],
  ])(
    'sends a parcel over the %s limit to the oversize chute, whatever its label',
    (_what, over) => {
      const limits = { maxWeightG: 30_000, maxLengthMm: 1_200, maxWidthMm: 800, maxHeightMm: 600 };
      const { ask } = makeService({ limits });
      expect(ask(request(18, [read(label('210008'))], over))).toMatchObject({
        status: ReplyStatus.OVERSIZE,
        chutes: [],
        exceptionChute: num('X2'),
      });
      expect(
        ask(
          request(19, [read(label('210008'))], {
            weightG: 30_000,
            lengthMm: 1_200,
            widthMm: 800,
            heightMm: 600,
          }),
        ).status,
      ).toBe(ReplyStatus.OK);
    },
  );

  it('applies no size limit when none is configured', () => {
    const { ask } = makeService();
    expect(
      ask(request(20, [read(label('210008'))], { weightG: 999_999, lengthMm: 65_535 })).status,
    ).toBe(ReplyStatus.OK);
  });

  it('answers a turn past the recirculation limit with the recirculation-limit chute', () => {
    const { ask } = makeService({ recirculationLimit: 2 });
    expect(ask(request(21, [read(label('210008'))], { turn: 3 })).status).toBe(ReplyStatus.OK);
    expect(ask(request(21, [read(label('210008'))], { turn: 4 })).status).toBe(
      ReplyStatus.RECIRCULATION_LIMIT,
    );
  });

  it('uses an explicit chute numbering', () => {
    const numbers: Record<string, number> = { X1: 901, X2: 902 };
    for (let i = 1; i <= 68; i++) numbers[`C${String(i).padStart(2, '0')}`] = 100 + i;
    const { ask } = makeService({ machine: { numbers } });
    expect(ask(request(22, [read(label('250001'))]))).toMatchObject({
      chutes: [105, 106, 107],
      exceptionChute: 902,
    });
    expect(ask(request(23, []))).toMatchObject({ chutes: [], exceptionChute: 901 });
  });
});
