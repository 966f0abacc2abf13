/**
 * The Jiangsu outbound hub (scenarios/jiangsu-outbound-hub.json and its plan,
 * jiangsu-outbound-hub.plan.json), built from real public data in scenarios/data/ (China Post postal
 * prefixes, 2020 census populations; see scenarios/data/README.md).
 *
 * An outbound express hub in Nanjing sorts the evening's parcels to the 13 prefecture-level cities
 * of Jiangsu by postal prefix (Taizhou 2253 inside Yangzhou 225 and Suqian 2238 inside Huai'an 223
 * are matched longest-prefix-first), the rest of Jiangsu by 21 / 22, and the other province-level
 * regions by their 2-digit prefixes (Alxa 7503, Inner Mongolia, inside Ningxia's 75). Every
 * modelling assumption is written into the scenario's description (and docs/scenario.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Row {
  [column: string]: string;
}

/** Reads a simple CSV (a header row, comma-separated fields without quotes or embedded commas). */
export function readCsv(file: string): Row[] {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const head = lines[0]!.split(',');
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== head.length)
      throw new Error(`${file}:${i + 2}: expected ${head.length} fields, found ${cells.length}`);
    return Object.fromEntries(head.map((h, j) => [h, cells[j]!]));
  });
}

const kebab = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Peak rate the chutes are sized for (/h) and the mean operator handling time (s). */
const PLAN_PEAK_PER_HOUR = 10_000;
const HANDLING_MEAN_S = 10;
const TARGET_OPERATOR_LOAD = 0.75;
const LARGE_SHARE = 0.02;

export function jiangsuOutboundHub(dataDir: string): {
  scenario: Record<string, unknown>;
  plan: Record<string, unknown>;
} {
  const cities = readCsv(path.join(dataDir, 'jiangsu-cities.csv'));
  const regions = readCsv(path.join(dataDir, 'cn-postal-regions.csv'));

  interface Dest {
    id: string;
    name: string;
    prefixes: string[];
    population: number;
  }
  const dests: Dest[] = cities.map((c) => ({
    id: kebab(c.city_en!),
    name: `${c.city_en} ${c.city_zh}`,
    prefixes: [c.prefix!],
    population: Number(c.population_2020),
  }));
  const byRegion = new Map<string, Dest>();
  for (const r of regions) {
    if (r.region_en === 'Jiangsu') continue;
    let d = byRegion.get(r.region_en!);
    if (!d) {
      // a region spanning several prefixes repeats its population on each row: count it once
      d = {
        id: kebab(r.region_en!),
        name: `${r.region_en} ${r.region_zh}`,
        prefixes: [],
        population: Number(r.population_2020),
      };
      byRegion.set(r.region_en!, d);
      dests.push(d);
    }
    d.prefixes.push(r.prefix!);
  }
  const jiangsuRest = regions.filter((r) => r.region_en === 'Jiangsu');
  dests.push({
    id: 'jiangsu-other',
    name: 'Rest of Jiangsu 江苏省',
    prefixes: jiangsuRest.map((r) => r.prefix!),
    population: 0,
  });
  const total = dests.reduce((s, d) => s + d.population, 0);

  // chutes: enough operators for the planned peak at 75 % load, at least two for a large destination
  const perChutePerHour = 3600 / HANDLING_MEAN_S;
  const order = [...dests].sort((a, b) => b.population - a.population || a.id.localeCompare(b.id));
  const chuteCount = new Map(
    order.map((d) => {
      const share = d.population / total;
      let n = Math.max(
        1,
        Math.ceil((PLAN_PEAK_PER_HOUR * share) / (TARGET_OPERATOR_LOAD * perChutePerHour)),
      );
      if (share >= LARGE_SHARE) n = Math.max(2, n);
      return [d.id, n] as const;
    }),
  );

  // machine: 400 carriers; inducts in two clusters of four; chutes every 4 positions on the two
  // straights between them; the two exception chutes just before each induct cluster
  const carriers = 400;
  const inductPositions = [0, 6, 12, 18, 200, 206, 212, 218];
  const zoneA: number[] = [];
  const zoneB: number[] = [];
  for (let p = 24; p <= 192; p += 4) zoneA.push(p);
  for (let p = 224; p <= 392; p += 4) zoneB.push(p);
  // a destination's chutes alternate between the two straights, the first on the straight with
  // less first-choice volume so far, so that both straights empty carriers at the same rate and
  // both induct groups get their share of them (the chutes take parcels in turn)
  const chuteOf = new Map<string, string[]>();
  const chutes: { id: string; position: number }[] = [];
  const zones = [zoneA, zoneB];
  const firstVolume = [0, 0];
  for (const d of order) {
    const ids: string[] = [];
    let z = firstVolume[0]! <= firstVolume[1]! ? 0 : 1;
    firstVolume[z]! += d.population;
    for (let k = 0; k < chuteCount.get(d.id)!; k++, z = 1 - z) {
      const position = zones[z]!.shift() ?? zones[1 - z]!.shift();
      if (position === undefined) throw new Error('not enough chute positions');
      const id = `C${String(chutes.length + 1).padStart(2, '0')}`;
      chutes.push({ id, position });
      ids.push(id);
    }
    chuteOf.set(d.id, ids);
  }
  chutes.sort((a, b) => a.position - b.position);

  const hubCode = new Map(order.map((d, i) => [d.id, String(101 + i)]));
  const plan = {
    version: 'jiangsu-outbound-2026-11',
    homeCountry: '156',
    assignment: 'round-robin',
    keyPriority: ['routing', 'postal', 'id'],
    destinations: dests.map((d) => ({ id: d.id, name: d.name, chutes: chuteOf.get(d.id)! })),
    rules: [
      ...dests.flatMap((d) => d.prefixes.map((p) => ({ postal: p, destination: d.id }))),
      ...dests.map((d) => ({ routing: hubCode.get(d.id)!, destination: d.id })),
    ],
    fallbacks: {
      noRead: 'X1',
      noRule: 'X2',
      multiRead: 'X2',
      recirculationLimit: 'X2',
      noChute: 'X2',
      oversize: 'X2',
    },
  };

  const scenario = {
    name: 'jiangsu-outbound-hub',
    description: [
      'An outbound express hub in Nanjing on a winter weekday evening, 16:00 to 02:00 (hour 0 is 16:00).',
      `Destinations: the 13 prefecture-level cities of Jiangsu by postal prefix (Taizhou 2253 inside Yangzhou 225,`,
      `Suqian 2238 inside Huai'an 223), the rest of Jiangsu by 21/22, and ${byRegion.size} other province-level regions by`,
      'their 2-digit postal prefixes (Alxa 7503, Inner Mongolia, inside Ningxia 75).',
      'Assumptions: the destination mix is proportional to the 2020 census population (China NBS 2021 bulletin;',
      'Jiangsu Provincial Bureau of Statistics 2021) - a modelling assumption, real outbound flows follow e-commerce',
      'demand; the city populations add up to the provincial total, so the rest-of-Jiangsu destination gets no',
      'parcels and exists for codes outside the city prefixes. The data gives each city only the prefix that',
      "identifies its seat, so county codes outside it (Nanjing's Jiangning district, 2111xx, for one) would go to",
      'the rest of Jiangsu: a production plan needs the county-level code table.',
      'Machine: a cross-belt loop of 400 carriers at 1.2 m pitch and 2.5 m/s (480 m, 7,500 carrier passes per hour),',
      'recirculation limit 3; 8 inducts in two groups of four (positions 0-18 and 200-218) with a 1.5 s cycle; slot',
      'reservation lets an induct pass an empty carrier to a longer queue further down its group (no chute between).',
      `Chutes: every 4th position on the two straights; each destination gets enough chutes for a planned peak of`,
      `${PLAN_PEAK_PER_HOUR.toLocaleString('en-US')} /h at ${TARGET_OPERATOR_LOAD * 100} % operator load, and at least two when it takes`,
      `${LARGE_SHARE * 100} % or more of the mix, alternating between the two straights; a destination's chutes take its`,
      `parcels in turn (round-robin assignment), so its operators share the load; capacity 15 parcels; one operator`,
      `per chute with lognormal handling time (mean ${HANDLING_MEAN_S} s, sd 4 s: take, scan, put in the line-haul bag).`,
      'Exception chutes: X1 (no-reads, to manual coding) at 198 and X2 (no rule, multi-read conflict, recirculation',
      'limit) at 398.',
      'Flow: Poisson arrivals rising from 2,500 /h at 16:00 to 7,500 /h at 20:00-22:00 and falling to 2,000 /h by 01:00,',
      'plus three collection trucks of 1,000 parcels each unloaded over 30 minutes at 18:30, 20:00 and 21:30.',
      'Scanner: a 5-side scan tunnel reads 98.5 % of labels; 25 % of reads are reported by a second camera too; 0.3 %',
      'of parcels carry a stale second label (a reused box) for another destination.',
      'Labels: GS1-128 (]C1) with (00) SSCC under GS1 China company prefix 6901234, (3302) gross weight (lognormal,',
      "mean 1.8 kg, sd 2.4 kg), (421) 156 + a 6-digit postal code inside the destination's prefix, and for 30 % of",
      "labels (403) a three-segment routing code whose first segment is the destination's hub code (synthetic codes",
      '101..; real codes are carrier-internal). The plan trusts routing codes first, then postal codes.',
    ].join(' '),
    seed: 1,
    startTime: '16:00',
    hours: 10,
    warmupHours: 0.5,
    sorter: {
      type: 'loop',
      carriers,
      pitch: 1.2,
      speed: 2.5,
      recirculationLimit: 3,
      slotPolicy: { name: 'reserve', share: 1 },
      inducts: { count: 8, cycleSeconds: 1.5, positions: inductPositions },
      chuteCapacity: 15,
      chutes,
      exceptionChutes: [
        { id: 'X1', position: 198 },
        { id: 'X2', position: 398 },
      ],
    },
    operators: {
      perChute: 1,
      handlingSeconds: { distribution: 'lognormal', mean: HANDLING_MEAN_S, sd: 4 },
    },
    arrivals: {
      ratePerHour: [2500, 4000, 5500, 6500, 7500, 7500, 7000, 6000, 4000, 2000],
      waves: [
        { name: 'truck 18:30', startHour: 2.5, durationHours: 0.5, parcels: 1000 },
        { name: 'truck 20:00', startHour: 4, durationHours: 0.5, parcels: 1000 },
        { name: 'truck 21:30', startHour: 5.5, durationHours: 0.5, parcels: 1000 },
      ],
    },
    scanner: {
      readRate: 0.985,
      duplicateReadRate: 0.25,
      secondLabelRate: 0.003,
      noReadToken: 'NoRead',
    },
    labels: {
      aim: ']C1',
      postalCodeLength: 6,
      routingCodeShare: 0.3,
      weightKg: { distribution: 'lognormal', mean: 1.8, sd: 2.4 },
      poolPerDestination: 64,
      companyPrefix: '6901234',
    },
    mix: dests.map((d) => ({ destination: d.id, weight: d.population })),
    plan: 'jiangsu-outbound-hub.plan.json',
  };
  return { scenario, plan };
}
