/** The router with a plan compiled by core/plan (compilePlan), as the simulator and the controller run it. */
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../core/plan/index.js';
import { Fallback } from '../../core/plan/fallbacks.js';
import {
  ParcelRouter,
  ReadSource,
  encodeElementString,
  withCheckDigit,
} from '../../core/labels/index.js';

const VIP = withCheckDigit('06901234000000077');
const doc = (version: string, yangzhouChute = 'C2') => ({
  version,
  homeCountry: '156',
  destinations: [
    { id: 'nanjing', chutes: ['C1'] },
    { id: 'yangzhou', chutes: [yangzhouChute] },
    { id: 'taizhou', chutes: ['C3'] },
    { id: 'nanning', chutes: ['C4'] },
    { id: 'vip', chutes: ['C5'] },
  ],
  rules: [
    { postal: '210', destination: 'nanjing' },
    { postal: '225', destination: 'yangzhou' },
    { postal: '2253', destination: 'taizhou' },
    { routing: '771', destination: 'nanning' },
    { id: VIP, destination: 'vip' },
  ],
  fallbacks: { noRead: 'X1', noRule: 'X2', multiRead: 'X3', recirculationLimit: 'X4' },
});

const label = (postal: string, routing?: string, sscc = withCheckDigit('06901234000000001')) =>
  encodeElementString(
    [
      { ai: '00', value: sscc },
      { ai: '3302', value: '001250' },
      { ai: '421', value: `156${postal}` },
      ...(routing ? [{ ai: '403', value: routing }] : []),
    ],
    { aim: ']C1' },
  );

describe('ParcelRouter with a compiled plan (core/plan compilePlan)', () => {
  const plan = compilePlan(doc('v1'));
  const router = new ParcelRouter(plan);
  const routeOf = (...reads: string[]) => {
    router.begin();
    for (const r of reads) router.addRead(r, ReadSource.SCANNER, 0);
    const d = router.finish();
    return d >= 0 ? plan.destinationIds[d] : -d;
  };

  it('routes by postal code, longest prefix first (Taizhou 2253 inside Yangzhou 225)', () => {
    expect(routeOf(label('225300'))).toBe('taizhou');
    expect(routeOf(label('225009'))).toBe('yangzhou');
    expect(routeOf(label('210000'))).toBe('nanjing');
  });

  it('a routing code outranks the postal code and the conflict is reported', () => {
    expect(routeOf(label('210000', '771-K23-05'))).toBe('nanning');
    expect(router.conflict).toBe(true);
    expect(routeOf(label('999999', '771-K23-05'))).toBe('nanning');
    expect(router.conflict).toBe(false);
  });

  it('falls back with the reason', () => {
    expect(routeOf(label('999999'))).toBe(Fallback.NO_RULE);
    expect(routeOf('NoRead')).toBe(Fallback.NO_READ);
    expect(
      routeOf(
        label('210000', undefined, withCheckDigit('06901234000000002')),
        label('225300', undefined, withCheckDigit('06901234000000003')),
      ),
    ).toBe(Fallback.MULTI_READ);
  });

  it('looks parcel ids up exactly (manifest), from barcodes and RFID alike', () => {
    const p = new ParcelRouter(
      compilePlan({ ...doc('ids'), keyPriority: ['id', 'routing', 'postal'] }),
    );
    p.begin();
    p.addRead(label('210000', '771-K23-05', VIP), ReadSource.SCANNER, 0);
    const d = p.finish();
    expect(p.activePlan.destinationIds[d]).toBe('vip');
  });

  it('maps destinations to their chutes and swaps plans by reference', () => {
    router.begin();
    router.addRead(label('225009'), ReadSource.SCANNER, 0);
    const d = router.finish();
    expect(plan.chuteIds[plan.destChuteList[plan.destChuteStart[d]!]!]).toBe('C2');
    const next = compilePlan(doc('v2', 'C9'));
    router.setPlan(next);
    router.begin();
    router.addRead(label('225009'), ReadSource.SCANNER, 0);
    const d2 = router.finish();
    expect(next.chuteIds[next.destChuteList[next.destChuteStart[d2]!]!]).toBe('C9');
    expect(router.explain()).toMatchObject({
      destination: 'yangzhou',
      fallback: 'none',
      winningKind: 'postal',
    });
    router.setPlan(plan);
  });
});
