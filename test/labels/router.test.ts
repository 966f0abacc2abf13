import { describe, expect, it } from 'vitest';
import { KeyKind } from '../../core/plan/types.js';
import { Fallback } from '../../core/plan/fallbacks.js';
import {
  MAX_READS,
  ParcelRouter,
  ReadSource,
  describeRead,
  encodeElementString,
  withCheckDigit,
} from '../../core/labels/index.js';
import { PlanDouble } from './plan-double.js';

const SSCC_A = withCheckDigit('10614141234567890'); // 106141412345678908, GS1 General Specifications example
const SSCC_B = withCheckDigit('00690123400000001');
const gs1 = (...fields: Array<[string, string]>) =>
  encodeElementString(
    fields.map(([ai, value]) => ({ ai, value })),
    { aim: ']C1' },
  );

const plan = () =>
  new PlanDouble({
    ids: { [SSCC_A]: 'by-id', [SSCC_B]: 'other-id' },
    routing: { '771': 'nanning', '771-K23': 'nanning-k23', '129': 'nanjing' },
    postal: [
      [156, '21', 'jiangsu'],
      [156, '2253', 'taizhou'],
      [528, '1012', 'amsterdam'],
      [840, '2965', 'sc'],
    ],
  });

function route(
  p: PlanDouble,
  reads: Array<[string, number?, number?]>,
  config?: ConstructorParameters<typeof ParcelRouter>[1],
) {
  const router = new ParcelRouter(p, config);
  router.begin();
  for (const [data, source = ReadSource.SCANNER, scanner = 0] of reads)
    router.addRead(data, source, scanner);
  const result = router.finish();
  return { router, result, name: result >= 0 ? p.destinationIds[result] : -result };
}

describe('ParcelRouter: key priority and conflicts', () => {
  it('a routing code decides before the postal code and the parcel id (default priority of the plan)', () => {
    const p = plan();
    const { router, name } = route(p, [
      [gs1(['00', SSCC_A], ['421', '156225300'], ['403', '771-K23-05'])],
    ]);
    expect(name).toBe('nanning-k23');
    expect(router.winningKind).toBe(KeyKind.ROUTING);
    // only the deciding kind was looked up to route the parcel
    expect(p.calls).toEqual(['routing:771-K23-05']);
    // postal (taizhou) and id (by-id) disagree: a conflict resolved by priority, looked up when asked
    expect(router.conflict).toBe(true);
    expect(p.calls).toEqual(['routing:771-K23-05', 'postal:225300:156', `id:${SSCC_A}`]);
  });

  it('without a routing rule the postal code decides, longest prefix in its country', () => {
    const p = plan();
    const { router, name } = route(p, [
      [gs1(['00', SSCC_B], ['421', '156225300'], ['403', '999-A1-01'])],
    ]);
    expect(name).toBe('taizhou');
    expect(router.winningKind).toBe(KeyKind.POSTAL);
    expect(router.conflict).toBe(true); // the id leads to other-id
  });

  it('reports no conflict when lower kinds agree or have no rule', () => {
    const p = new PlanDouble({ routing: { '129': 'nanjing' }, postal: [[156, '21', 'nanjing']] });
    const { router, name } = route(p, [
      [gs1(['00', SSCC_A], ['421', '156210000'], ['403', '129-A01-02'])],
    ]);
    expect(name).toBe('nanjing');
    expect(router.conflict).toBe(false);
  });

  it('AI (420) is looked up in the plan home country, AI (421) in its own', () => {
    const p = plan();
    route(p, [
      [gs1(['420', '225300'], ['00', SSCC_B])],
      [gs1(['421', '5281012AB'], ['00', SSCC_B])],
    ]);
    expect(p.calls).toContain('postal:225300:156');
    expect(p.calls).toContain('postal:1012AB:528');
  });

  it('the plan key priority is used when the configuration gives none, the configuration overrides it', () => {
    const label = gs1(['00', SSCC_A], ['421', '156225300'], ['403', '771-K23-05']);
    const idFirst = new PlanDouble({
      ids: { [SSCC_A]: 'by-id' },
      routing: { '771': 'nanning' },
      priority: ['id', 'routing', 'postal'],
    });
    expect(route(idFirst, [[label]]).name).toBe('by-id');
    expect(route(plan(), [[label]], { keyPriority: ['postal', 'id'] }).name).toBe('taizhou');
  });

  it('two labels of different parcels leading to different destinations are a multi-read', () => {
    const p = plan();
    const { router, result } = route(p, [
      [gs1(['00', SSCC_A], ['403', '771-K23-05'])],
      [gs1(['00', SSCC_B], ['403', '129-A01-02'])],
    ]);
    expect(result).toBe(-Fallback.MULTI_READ);
    expect(router.winningKind).toBe(KeyKind.ROUTING);
    expect(router.conflict).toBe(false);
  });

  it('a second label whose keys have no rule is no conflict', () => {
    const p = new PlanDouble({ routing: { '771-K23': 'nanning-k23' } });
    const { router, name } = route(p, [
      [gs1(['00', SSCC_A], ['403', '771-K23-05'])],
      [gs1(['00', SSCC_B], ['403', '555-X1-01'])],
    ]);
    expect(name).toBe('nanning-k23');
    expect(router.conflict).toBe(false);
  });
});

describe('ParcelRouter: several labels on one parcel', () => {
  // the parcel's own label: (421) to Taizhou; a stale label of another parcel (another SSCC) on the reused box: (403) to Nanning
  const own = gs1(['00', SSCC_A], ['421', '156225300']);
  const stale = gs1(['00', SSCC_B], ['403', '771-K23-05']);

  it('a stale label with a routing code does not override the real label: different SSCCs, different destinations are a multi-read', () => {
    for (const reads of [
      [[own], [stale]],
      [[stale], [own]],
    ] as Array<Array<[string]>>) {
      const { router, result } = route(plan(), reads);
      expect(result).toBe(-Fallback.MULTI_READ);
      expect(router.winningKind).toBe(KeyKind.ROUTING);
      expect(router.explain().fallback).toBe('multiRead');
    }
  });

  it('the same SSCC on two symbols is one parcel: key priority across them decides and the conflict is reported', () => {
    const p = plan();
    const { router, name } = route(p, [
      [gs1(['00', SSCC_A], ['421', '156225300'])],
      [gs1(['00', SSCC_A], ['403', '771-K23-05'])],
    ]);
    expect(name).toBe('nanning-k23');
    expect(router.winningKind).toBe(KeyKind.ROUTING);
    expect(router.conflict).toBe(true);
  });

  it('an RFID SSCC-96 and a barcode of the same SSCC are one parcel', () => {
    // the SSCC-96 of (00) SSCC_A: the RFID test below routes it by SSCC_A's id rule
    const { router, name } = route(plan(), [
      ['3154257BF4499602D2000000', ReadSource.RFID],
      [gs1(['00', SSCC_A], ['403', '771-K23-05'])],
    ]);
    expect(name).toBe('nanning-k23');
    expect(router.conflict).toBe(true); // the id leads to by-id
  });

  it('the same SSCC with two routing codes leading to different destinations is a multi-read (no priority between them)', () => {
    const { result } = route(plan(), [
      [gs1(['00', SSCC_A], ['403', '771-K23-05'])],
      [gs1(['00', SSCC_A], ['403', '129-A01-02'])],
    ]);
    expect(result).toBe(-Fallback.MULTI_READ);
  });

  it('labels of different parcels that agree on the destination route it', () => {
    const p = new PlanDouble({ routing: { '225': 'taizhou' }, postal: [[156, '2253', 'taizhou']] });
    const { router, name } = route(p, [[own], [']C0225-A1-01']]);
    expect(name).toBe('taizhou');
    expect(router.conflict).toBe(false);
  });

  it('a read that leads nowhere causes no conflict', () => {
    const p = new PlanDouble({ postal: [[156, '2253', 'taizhou']] });
    for (const other of [']d1HELLO', gs1(['00', SSCC_B], ['403', '555-X1-01']), 'EE123456785CN']) {
      const { router, name } = route(p, [[own], [other]]);
      expect(name).toBe('taizhou');
      expect(router.conflict).toBe(false);
    }
  });

  it('a (403) symbol valid only through the (00) symbol of the parcel belongs to that SSCC: priority decides', () => {
    const routeOnly = ']C1403771-K23-05'; // (403) requires (00)
    const { router, name } = route(plan(), [[routeOnly], [gs1(['00', SSCC_B])]]);
    expect(name).toBe('nanning-k23');
    expect(router.conflict).toBe(true); // SSCC_B leads to other-id
  });

  it('a single read with a postal code and no id routes as before (no arbitration needed)', () => {
    const p = plan();
    const { router, name } = route(p, [[own], [own, 0, 1]]);
    expect(name).toBe('taizhou');
    expect(router.duplicateReads).toBe(1);
    expect(p.calls).toEqual(['postal:225300:156']);
  });
});

describe('ParcelRouter: reads', () => {
  it('drops invalid reads and routes by the valid one', () => {
    const bad = ']C100106141412345678909'; // wrong SSCC check digit
    const { router, name } = route(plan(), [[bad], [gs1(['00', SSCC_A])]]);
    expect(name).toBe('by-id');
    expect(router.validReads).toBe(1);
  });

  it('only invalid reads, no-read tokens or no reads at all are a no-read', () => {
    expect(route(plan(), [[']C100106141412345678909'], [']C1']]).result).toBe(-Fallback.NO_READ);
    expect(route(plan(), [['NoRead'], ['   ']]).result).toBe(-Fallback.NO_READ);
    expect(route(plan(), []).result).toBe(-Fallback.NO_READ);
  });

  it('valid reads without a rule are a no-rule', () => {
    expect(route(plan(), [[']d1HELLO']]).result).toBe(-Fallback.NO_RULE);
    expect(route(plan(), [[']E02112345678900']]).result).toBe(-Fallback.NO_RULE);
    expect(route(plan(), [[gs1(['00', withCheckDigit('99999999999999999')])]]).result).toBe(
      -Fallback.NO_RULE,
    );
  });

  it('resolves identical payloads once', () => {
    const label = gs1(['00', SSCC_A], ['403', '771-K23-05']);
    const p = plan();
    const { router, name } = route(p, [
      [label, 0, 0],
      [label, 0, 1],
      [label, 0, 2],
    ]);
    expect(name).toBe('nanning-k23');
    expect(router.readCount).toBe(3);
    expect(router.duplicateReads).toBe(2);
    expect(p.calls).toEqual(['routing:771-K23-05']);
  });

  it(`keeps at most ${MAX_READS} reads and counts the rest`, () => {
    const reads: Array<[string]> = Array.from({ length: MAX_READS + 4 }, (_, i) => [`]C0TEXT${i}`]);
    const { router, result } = route(plan(), reads);
    expect(router.readCount).toBe(MAX_READS);
    expect(router.ignoredReads).toBe(4);
    expect(result).toBe(-Fallback.NO_RULE);
  });

  it('evaluates GS1 mandatory associations over all GS1 reads of the parcel', () => {
    const routeOnly = ']C1403771-K23-05'; // (403) requires (00)
    const d = describeRead(routeOnly);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.error.code).toBe('SORTLINE_ERR_LABEL_REQUIRED');
    expect(route(plan(), [[routeOnly]]).result).toBe(-Fallback.NO_READ);
    const both = route(plan(), [[routeOnly], [gs1(['00', SSCC_B])]]);
    expect(both.name).toBe('nanning-k23');
    expect(both.router.validReads).toBe(2);
  });

  it('routes RFID reads: an SSCC-96 EPC gives the (00) key a barcode gives', () => {
    const { name } = route(plan(), [['3154257BF4499602D2000000', ReadSource.RFID]]);
    expect(name).toBe('by-id');
  });

  it('routes plain-text identifiers and three-segment codes', () => {
    const p = new PlanDouble({ ids: { EE123456785CN: 'ems' }, routing: { '771-K23': 'k23' } });
    expect(route(p, [[']C0EE123456785CN']]).name).toBe('ems');
    expect(route(p, [[']C0771-K23-05']]).name).toBe('k23');
  });

  it('begin() forgets the previous parcel', () => {
    const p = plan();
    const router = new ParcelRouter(p);
    router.begin();
    router.addRead(gs1(['00', SSCC_A]), 0, 0);
    expect(router.finish()).toBe(p.destinationIndex('by-id'));
    router.begin();
    expect(router.readCount).toBe(0);
    expect(router.finish()).toBe(-Fallback.NO_READ);
  });

  it('setPlan swaps the plan for the next parcel', () => {
    const a = plan();
    const b = new PlanDouble({ ids: { [SSCC_A]: 'moved' } });
    const router = new ParcelRouter(a);
    router.begin();
    router.addRead(gs1(['00', SSCC_A]), 0, 0);
    expect(a.destinationIds[router.finish()]).toBe('by-id');
    router.setPlan(b);
    router.begin();
    router.addRead(gs1(['00', SSCC_A]), 0, 0);
    expect(b.destinationIds[router.finish()]).toBe('moved');
    expect(router.activePlan).toBe(b);
  });
});

describe('ParcelRouter.explain', () => {
  it('gives every read its outcome, keys and where each key leads', () => {
    const p = plan();
    const label = gs1(['00', SSCC_A], ['421', '156225300'], ['403', '771-K23-05']);
    const { router } = route(p, [
      [label, 0, 0],
      [']C100106141412345678909', 0, 1],
      [label, 0, 2],
    ]);
    const x = router.explain();
    expect(x.destination).toBe('nanning-k23');
    expect(x.fallback).toBe('none');
    expect(x.winningKind).toBe('routing');
    expect(x.conflict).toBe(true);
    expect(x.reads).toHaveLength(3);
    const [first, bad, dup] = x.reads;
    expect(first).toMatchObject({
      ok: true,
      kind: 'gs1',
      scanner: 0,
      source: 'scanner',
      duplicateOf: null,
    });
    expect(first!.ok && first!.keys.map((k) => k.kind)).toEqual(['id', 'postal', 'routing']);
    expect(first!.keyDestinations).toEqual(['by-id', 'taizhou', 'nanning-k23']);
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'SORTLINE_ERR_LABEL_CHECK_DIGIT', offset: 22 },
    });
    expect(dup!.duplicateOf).toBe(0);
  });

  it('keys of kinds never looked up (not in the key priority, or below a multi-read) have no destination', () => {
    const label = gs1(['00', SSCC_A], ['421', '156225300'], ['403', '771-K23-05']);
    const only = route(plan(), [[label]], { keyPriority: ['routing'] }).router.explain();
    expect(only.destination).toBe('nanning-k23');
    expect(only.reads[0]!.keyDestinations).toEqual([null, null, 'nanning-k23']);
    const multi = route(plan(), [
      [gs1(['00', SSCC_A], ['403', '771-K23-05'])],
      [gs1(['00', SSCC_B], ['403', '129-A01-02'])],
    ]).router.explain();
    expect(multi.fallback).toBe('multiRead');
    expect(multi.reads.map((r) => r.keyDestinations)).toEqual([
      [null, 'nanning-k23'],
      [null, 'nanjing'],
    ]);
  });

  it('keeps the keys of every read apart: the destinations of each read follow its own keys', () => {
    const p = plan();
    const reads: Array<[string]> = [
      [gs1(['00', SSCC_A], ['421', '156225300'])],
      [']C1bad'],
      [gs1(['00', SSCC_A], ['403', '771-K23-05'])],
    ];
    const x = route(p, reads).router.explain();
    expect(x.destination).toBe('nanning-k23');
    expect(x.conflict).toBe(true);
    expect(x.reads.map((r) => r.keyDestinations)).toEqual([
      ['by-id', 'taizhou'],
      [],
      ['by-id', 'nanning-k23'],
    ]);
    // different SSCCs: a multi-read; each read looked up down to its own deciding kind only
    const multi = route(p, [
      [gs1(['00', SSCC_B], ['421', '156225300'])],
      [gs1(['00', SSCC_A], ['403', '771-K23-05'])],
    ]).router.explain();
    expect(multi.fallback).toBe('multiRead');
    expect(multi.reads.map((r) => r.keyDestinations)).toEqual([
      [null, 'taizhou'],
      [null, 'nanning-k23'],
    ]);
  });

  it('names the fallback', () => {
    const { router } = route(plan(), [['noread']]);
    expect(router.explain()).toMatchObject({
      destination: null,
      fallback: 'noRead',
      winningKind: null,
      conflict: false,
    });
  });
});
