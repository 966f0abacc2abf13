/**
 * `npm run bench -- labels [--rounds N] [--json]`: full sort-label resolution per second on one
 * core: a GS1-128 sort label (AIM `]C1`, (00) SSCC, (3302) gross weight, (421) country + postal
 * code, (403) three-segment routing code) resolved and looked up in a compiled sort plan (the
 * Jiangsu outbound hub's, plus a manifest of parcel ids), in Sortline's ParcelRouter and, in the
 * same run on the same inputs, through the npm GS1 parsers `gs1-barcode-parser-mod` and `bark-js`
 * followed by the same plan lookups. Prints resolutions per second, nanoseconds per resolution,
 * the ratio to the fastest peer, and a table of inputs where the peers are wrong.
 *
 * The labels are real strings from the label encoder, copied into flat strings as a network
 * decoder would hand them over. Measured with plain loops in interleaved rounds (every pipeline
 * once per round, after a warm-up round), reporting the median round of each: the machine's load
 * changes during a run, and interleaving exposes all pipelines to the same load. Each pipeline
 * has a loop function of its own, so that none pays a megamorphic call per label. A reference
 * row times one bare pass over the same labels' characters (charCodeAt and a table load each):
 * the cost any one-pass validator has before it checks or looks up anything.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ParcelRouter,
  ReadSource,
  describeRead,
  encodeElementString,
  withCheckDigit,
} from '../core/labels/index.js';
import { compilePlan, type SortPlan, type SortPlanDoc } from '../core/plan/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const require = createRequire(import.meta.url);

/** gs1-barcode-parser-mod's result, as far as used here. */
interface ParsedBarcode {
  parsedCodeItems: Array<{ ai: string; data: unknown; unit: string; raw: string }>;
}
/** bark-js's result, as far as used here. */
interface BarkResult {
  elements: Array<{ ai: string; value: string; isoCountryCode?: string; raw: string }>;
}
const gs1Parser = require('gs1-barcode-parser-mod') as { parseBarcode(s: string): ParsedBarcode };
const bark = require('bark-js') as (s: string) => BarkResult;

const LABELS = 4096;
/** Labels per pipeline per round, so that a round of each takes roughly 0.1-0.3 s. */
const PER_ROUND = {
  sortline: 600_000,
  conflict: 400_000,
  gs1: 20_000,
  bark: 150_000,
  onePass: 600_000,
} as const;

/** `--name N` from the arguments, else `fallback`. */
function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

/** A flat (non-rope) copy of `s`, as decoded from a network buffer. */
const flat = (s: string) => Buffer.from(s, 'latin1').toString('latin1');

/** The Jiangsu plan plus a manifest: a quarter of the labels' SSCCs as parcel-id rules. */
function buildInputs(): { plan: SortPlan; labels: string[] } {
  const doc = JSON.parse(
    readFileSync(path.join(repo, 'scenarios/jiangsu-outbound-hub.plan.json'), 'utf8'),
  ) as SortPlanDoc;
  const postal = doc.rules.flatMap((r) => ('postal' in r ? [r] : []));
  const routing = doc.rules.flatMap((r) => ('routing' in r ? [r] : []));
  const labels: string[] = [];
  const manifest: SortPlanDoc['rules'] = [];
  for (let i = 0; i < LABELS; i++) {
    const p = postal[i % postal.length]!;
    let code = p.postal;
    while (code.length < 6) code += String((i * 7 + code.length) % 10);
    const sscc = withCheckDigit(`0690123${String(i).padStart(10, '0')}`);
    const route = `${routing[(i * 5) % routing.length]!.routing}-K${String(i % 100).padStart(2, '0')}-${String(i % 37).padStart(2, '0')}`;
    if (i % 4 === 0) manifest.push({ id: sscc, destination: p.destination });
    const grams = String(100 + ((i * 37) % 3000)).padStart(6, '0');
    labels.push(
      flat(
        encodeElementString(
          [
            { ai: '00', value: sscc },
            { ai: '3302', value: grams },
            { ai: '421', value: `${p.country ?? doc.homeCountry}${code}` },
            { ai: '403', value: route },
          ],
          { aim: ']C1' },
        ),
      ),
    );
  }
  return { plan: compilePlan({ ...doc, rules: [...doc.rules, ...manifest] }), labels };
}

/** The peers' keys, looked up in the same plan in the same priority (routing > postal > id). */
function route(
  plan: SortPlan,
  routingCode: string | undefined,
  country: string | undefined,
  postalCode: string | undefined,
  sscc: string | undefined,
): number {
  if (routingCode !== undefined) {
    const d = plan.lookupRouting(routingCode, 0, routingCode.length);
    if (d >= 0) return d;
  }
  if (postalCode !== undefined) {
    const d = plan.lookupPostal(
      postalCode,
      0,
      postalCode.length,
      Number(country ?? plan.homeCountry),
    );
    if (d >= 0) return d;
  }
  if (sscc !== undefined) return plan.lookupId(sscc, 0, sscc.length);
  return -1;
}

function routeWithGs1Parser(plan: SortPlan, label: string): number {
  let r: string | undefined;
  let c: string | undefined;
  let p: string | undefined;
  let id: string | undefined;
  for (const item of gs1Parser.parseBarcode(label).parsedCodeItems) {
    if (item.ai === '403') r = String(item.data);
    else if (item.ai === '421') {
      c = item.unit;
      p = String(item.data);
    } else if (item.ai === '00') id = String(item.data);
  }
  return route(plan, r, c, p, id);
}

function routeWithBark(plan: SortPlan, label: string): number {
  let r: string | undefined;
  let c: string | undefined;
  let p: string | undefined;
  let id: string | undefined;
  for (const e of bark(label).elements) {
    if (e.ai === '403') r = e.value;
    else if (e.ai === '421') {
      c = e.isoCountryCode;
      p = e.value;
    } else if (e.ai === '00') id = e.value;
  }
  return route(plan, r, c, p, id);
}

/** Printable ASCII, for {@link onePass}. */
const PRINTABLE = (() => {
  const t = new Uint8Array(65536);
  for (let c = 32; c < 127; c++) t[c] = 1;
  return t;
})();

/**
 * Reference, not a resolver: every character of the label read once with `charCodeAt` and looked
 * up in a table, with no check acted on and no plan lookup. What any one-pass validator pays
 * before it does anything else; printed beside the pipelines to show how much of Sortline's time
 * is that pass.
 */
function onePass(label: string): number {
  let printable = 0;
  for (let i = 0; i < label.length; i++) printable += PRINTABLE[label.charCodeAt(i)]!;
  return printable;
}

/** Inputs on which the peers are wrong (expected outcome from the GS1 General Specifications / shared vectors). */
const CORRECTNESS: ReadonlyArray<{ input: string; expected: string }> = [
  { input: ']C100106141412345678909', expected: 'error CHECK_DIGIT (SSCC check digit is 8)' },
  { input: ']C10010614141234567890', expected: 'error TOO_SHORT (SSCC of 17 digits)' },
  {
    input: ']C10010614141234567890833020012504215281012AB403771-K23-05',
    expected: 'error TOO_LONG ((421) runs into (403) without FNC1)',
  },
  {
    input: ']C14024012345222333444200106141412345678908',
    expected: 'error TOO_LONG ((402) needs FNC1 though of fixed length)',
  },
  { input: ']C14218401234567890', expected: 'error TOO_LONG ((421) max 3 + 9)' },
  { input: ']C12421234567', expected: 'error TOO_LONG ((242) max 6 digits)' },
  { input: ']C14219991234', expected: 'error COUNTRY (999 is not ISO 3166)' },
  { input: ']C1401ABC 123', expected: 'error CHARACTER (space not in CSET 82)' },
  { input: ']C101950123456789023103000123', expected: 'error CHECK_DIGIT (GTIN check digit is 3)' },
  { input: ']J10112312312312333', expected: 'gs1 (01)12312312312333 (]J1 is GS1 DotCode)' },
  {
    input: '\x1d0105000456013482172012001000001\x1d210000000003',
    expected: 'gs1 (01)05000456013482(17)201200(10)00001(21)0000000003 (leading FNC1)',
  },
  {
    input: ']C10107032069804988100329\x1d\x1d15210526',
    expected: 'gs1 (01)07032069804988(10)0329(15)210526 (doubled FNC1 tolerated)',
  },
  { input: ']C1011231231231233317230229', expected: 'error DATE (2023-02-29)' },
];

type Outcome = string;
function peerOutcome(parse: () => Array<{ ai: string; raw: string }>): Outcome {
  try {
    const items = parse();
    return items.length === 0
      ? 'nothing'
      : items.map((i) => `(${i.ai})${i.raw.replaceAll('\u001d', '')}`).join('');
  } catch (err) {
    return `throws "${String((err as Error).message ?? err).slice(0, 40)}"`;
  }
}
function sortlineOutcome(input: string): Outcome {
  const d = describeRead(input);
  return d.ok
    ? `${d.kind} ${d.hri ?? d.id ?? ''}`.trim()
    : `error ${d.error.code.replace('SORTLINE_ERR_LABEL_', '')}`;
}

export function run(args: string[]): void {
  const { plan, labels } = buildInputs();
  const router = new ParcelRouter(plan);
  const sortline = (label: string): number => {
    router.begin();
    router.addRead(label, ReadSource.SCANNER, 0);
    return router.finish();
  };

  // the three pipelines must agree on every label before their speed means anything
  let disagree = 0;
  let routed = 0;
  for (const label of labels) {
    const a = sortline(label);
    if (a >= 0) routed++;
    if (a !== routeWithGs1Parser(plan, label) || a !== routeWithBark(plan, label)) disagree++;
  }

  // One loop per pipeline, each its own function: every call site in a loop sees a single
  // function, which the compiler may inline (a shared loop calling all four through one variable
  // would add a megamorphic call to every label of every pipeline).
  const mask = LABELS - 1;
  const loops: Record<keyof typeof PER_ROUND, (n: number) => number> = {
    sortline: (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += sortline(labels[i & mask]!);
      return s;
    },
    conflict: (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const d = sortline(labels[i & mask]!);
        s += router.conflict ? d + 1 : d;
      }
      return s;
    },
    gs1: (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += routeWithGs1Parser(plan, labels[i & mask]!);
      return s;
    },
    bark: (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += routeWithBark(plan, labels[i & mask]!);
      return s;
    },
    onePass: (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += onePass(labels[i & mask]!);
      return s;
    },
  };
  let sink = 0;
  const rounds = arg(args, '--rounds', 9);
  const rates: Record<keyof typeof PER_ROUND, number[]> = {
    sortline: [],
    conflict: [],
    gs1: [],
    bark: [],
    onePass: [],
  };
  for (let round = -1; round < rounds; round++) {
    for (const name of Object.keys(loops) as Array<keyof typeof PER_ROUND>) {
      const n = round < 0 ? Math.min(PER_ROUND[name], 20_000) : PER_ROUND[name];
      const t0 = process.hrtime.bigint();
      sink += loops[name](n);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (round >= 0) rates[name].push(n / seconds);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const ours = median(rates.sortline);
  const oursConflict = median(rates.conflict);
  const gs1 = median(rates.gs1);
  const barkRate = median(rates.bark);
  const onePassRate = median(rates.onePass);
  const fastestPeer = Math.max(gs1, barkRate);
  const correctness = CORRECTNESS.map(({ input, expected }) => ({
    input,
    expected,
    sortline: sortlineOutcome(input),
    gs1BarcodeParserMod: peerOutcome(() => gs1Parser.parseBarcode(input).parsedCodeItems),
    barkJs: peerOutcome(() => bark(input).elements),
  }));
  const result = {
    suite: 'labels',
    labels: LABELS,
    rounds,
    spread: Object.fromEntries(
      Object.entries(rates).map(([k, v]) => [
        k,
        { min: Math.round(Math.min(...v)), max: Math.round(Math.max(...v)) },
      ]),
    ),
    routedLabels: routed,
    pipelinesDisagreeOn: disagree,
    resolutionsPerSecond: {
      sortline: Math.round(ours),
      sortlineWithConflictFlag: Math.round(oursConflict),
      gs1BarcodeParserMod: Math.round(gs1),
      barkJs: Math.round(barkRate),
    },
    referenceOnePassPerSecond: Math.round(onePassRate),
    ratioToFastestPeer: ours / fastestPeer,
    ratioWithConflictFlag: oursConflict / fastestPeer,
    ratioToBarkJs: ours / barkRate,
    targets: {
      perSecond: 3_000_000,
      ratio: 10,
      met: ours >= 3_000_000 && ours / fastestPeer >= 10,
      perSecondMet: ours >= 3_000_000,
      ratioMet: ours / fastestPeer >= 10,
    },
    correctness,
    sink,
  };
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const f = (x: number) => Math.round(x).toLocaleString('en-US').padStart(12);
  const ns = (x: number) => (1e9 / x).toFixed(0).padStart(8);
  const lines = [
    `labels: ${LABELS} GS1-128 sort labels (]C1 (00)(3302)(421)(403)), Jiangsu plan + manifest, one core; ${routed} routed, the pipelines disagree on ${disagree}`,
    `  median of ${rounds} interleaved rounds`,
    '  pipeline                                  resolutions/s    ns each   vs fastest peer',
    `  sortline ParcelRouter                     ${f(ours)} ${ns(ours)}   ${(ours / fastestPeer).toFixed(1)}x`,
    `  sortline ParcelRouter + conflict flag     ${f(oursConflict)} ${ns(oursConflict)}   ${(oursConflict / fastestPeer).toFixed(1)}x`,
    `  gs1-barcode-parser-mod + plan lookup      ${f(gs1)} ${ns(gs1)}   ${(gs1 / fastestPeer).toFixed(1)}x`,
    `  bark-js + plan lookup                     ${f(barkRate)} ${ns(barkRate)}   ${(barkRate / fastestPeer).toFixed(1)}x`,
    `  reference: one pass over the characters  ${f(onePassRate)} ${ns(onePassRate)}   (charCodeAt + a table load each, no checks, no lookup)`,
    `  target sortline >= 3,000,000 resolutions/s: ${ours >= 3e6 ? 'met' : 'NOT met'} (${f(ours).trim()} /s)`,
    `  target sortline >= 10x the fastest peer (${gs1 > barkRate ? 'gs1-barcode-parser-mod' : 'bark-js'}): ${ours / fastestPeer >= 10 ? 'met' : 'NOT met'} (${(ours / fastestPeer).toFixed(1)}x; ratio to bark-js ${(ours / barkRate).toFixed(1)}x)`,
    '',
    '  inputs where the peers are wrong (expected per the GS1 General Specifications):',
    ...correctness.flatMap((c) => [
      `  ${JSON.stringify(c.input).replace(/\\u001d/g, '<GS>')}`,
      `      expected                ${c.expected}`,
      `      sortline                ${c.sortline}`,
      `      gs1-barcode-parser-mod  ${c.gs1BarcodeParserMod}`,
      `      bark-js                 ${c.barkJs}`,
    ]),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
