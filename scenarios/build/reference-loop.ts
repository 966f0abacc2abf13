/**
 * The reference model of DESIGN.md, exactly, as a scenario (scenarios/reference-loop.json):
 * N = 400 carriers, pitch 1.2 m, speed 2.5 m/s; K = 8 inducts at i·N/K with a 1.5 s cycle; C = 100
 * chutes at 1 + 4j, capacity 10, one operator each with exponential handling time, mean 20 s;
 * exception chute at N − 1, unlimited; Poisson arrivals 10,000 /h to uniformly random inducts;
 * 2 % no-reads; uniform random destination chutes; recirculation limit 3 (the 4th failed attempt
 * rides on to the exception chute); 8 h.
 *
 * Each of the 100 destinations has one chute and one postal prefix (156 100..199, 3 digits), so a
 * uniform destination mix is a uniform chute mix; labels are GS1-128 with (00), (3302) and (421)
 * and go through the label resolver and the compiled plan like every other scenario.
 */
export function referenceLoop(): Record<string, unknown> {
  const chutes = Array.from({ length: 100 }, (_, j) => ({
    id: `C${String(j + 1).padStart(3, '0')}`,
    position: 1 + 4 * j,
  }));
  const destinations = chutes.map((c, j) => ({
    id: `D${String(j + 1).padStart(3, '0')}`,
    chutes: [c.id],
  }));
  return {
    name: 'reference-loop',
    description: [
      'The reference loop sorter of the Sortline design (docs/scenario.md, "The reference model"), exactly: 400 carriers at 1.2 m pitch and 2.5 m/s (tick 0.48 s);',
      '8 inducts at i*400/8 with a 1.5 s cycle checked at whole ticks (4 ticks, 1,875 /h each);',
      '100 chutes at 1 + 4j with capacity 10 (not counting the parcel the operator holds), one operator each with',
      'exponential handling time of mean 20 s; exception chute X1 at 399, unlimited; Poisson arrivals of 10,000 /h,',
      'each to a uniformly random induct (FIFO, unbounded); 2 % no-reads; a uniformly random destination chute;',
      'a parcel meeting a full chute recirculates a full lap and retries, and after its 4th failed attempt rides on',
      'to the exception chute (recirculation limit 3); 8 h, no warm-up. Each destination Dnnn has one chute Cnnn and',
      'one 3-digit postal prefix 100..199 (country 156); labels are GS1-128 (00)(3302)(421) resolved through the',
      'plan. SimPy 3 (bench/peers/reference_loop_simpy.py) gives 9,717 sorted /h, 0.00044 recirculations per',
      'inducted parcel and 11.5 s mean induct wait for seed 1.',
    ].join(' '),
    seed: 1,
    hours: 8,
    warmupHours: 0,
    sorter: {
      type: 'loop',
      carriers: 400,
      pitch: 1.2,
      speed: 2.5,
      recirculationLimit: 3,
      slotPolicy: { name: 'first-empty' },
      inducts: { count: 8, cycleSeconds: 1.5, positions: 'even' },
      chuteCapacity: 10,
      chutes,
      exceptionChutes: [{ id: 'X1', position: 399 }],
    },
    operators: { perChute: 1, handlingSeconds: { distribution: 'exponential', mean: 20 } },
    arrivals: { ratePerHour: [10000] },
    scanner: { readRate: 0.98, noReadToken: 'NoRead' },
    labels: {
      aim: ']C1',
      postalCodeLength: 6,
      routingCodeShare: 0,
      weightKg: { distribution: 'lognormal', mean: 2, sd: 2 },
      poolPerDestination: 16,
    },
    mix: destinations.map((d) => ({ destination: d.id, weight: 1 })),
    plan: {
      version: 'reference-loop-1',
      homeCountry: '156',
      destinations,
      rules: destinations.map((d, j) => ({ postal: String(100 + j), destination: d.id })),
      fallbacks: { noRead: 'X1', noRule: 'X1', multiRead: 'X1', recirculationLimit: 'X1' },
    },
  };
}
