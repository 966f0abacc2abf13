/**
 * Loads a scenario file (docs/scenario.md): read, parse, apply `--set` overrides, validate the
 * whole document (schema, then the machine and plan checks), compile the sort plan against the
 * machine's chutes, and fill in defaults. Every fault is reported at once, each with its JSON
 * pointer; nothing is simulated from a scenario with a fault.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SortlineError, isSortlineError, type ErrorDetail } from '../../core/errors.js';
import { applySet, readJson } from '../../core/json.js';
import { compilePlan, type SortPlanDoc } from '../../core/plan/index.js';
import { schemaErrors } from '../../core/schema-errors.js';
import { UNLIMITED, type ChuteSpec, type InductSpec } from '../../core/sorter/index.js';
import { fitsScenarioSchema } from './check.js';
import type { SimModel } from './model.js';
import { scenarioSchemas, type ScenarioDoc } from './schema.js';

/** Options applied on top of the file, as the CLI passes them. */
export interface LoadOptions {
  /** `path=value` overrides applied before validation (dotted paths, JSON values). */
  sets?: readonly string[];
  seed?: number;
  hours?: number;
  warmupHours?: number;
}

/**
 * Reads a UTF-8 JSON file.
 * @throws SortlineError SORTLINE_ERR_FILE_READ (missing, unreadable, a directory) or SORTLINE_ERR_JSON_SYNTAX (line, column).
 */
export function readJsonFile(file: string): unknown {
  return readJson(file, { stat: statSync, read: readFileSync });
}

/** Loads, validates and resolves the scenario at `file`. @throws SortlineError (see module doc). */
export function loadScenario(file: string, options: LoadOptions = {}): SimModel {
  const doc = readJsonFile(file);
  for (const s of options.sets ?? []) applySet(doc, s);
  return resolveScenario(doc, { ...options, baseDir: path.dirname(file), path: file });
}

/**
 * Validates and resolves a scenario document already in memory. `baseDir` resolves a plan given
 * as a path; `path` names the document in errors.
 */
export function resolveScenario(
  doc: unknown,
  options: Omit<LoadOptions, 'sets'> & { baseDir?: string; path?: string } = {},
): SimModel {
  const where = options.path !== undefined ? { path: options.path } : {};
  // the precompiled check first: the schema is built and walked only to report the faults
  if (!fitsScenarioSchema(doc)) {
    const schemaFaults = schemaErrors(scenarioSchemas().Scenario, doc);
    if (schemaFaults.length > 0) invalid(schemaFaults, where);
  }
  const s = doc as ScenarioDoc;
  const faults: ErrorDetail[] = [];
  const fault = (pointer: string, message: string) => faults.push({ pointer, message });

  const hours = options.hours ?? s.hours;
  const warmupHours = options.warmupHours ?? s.warmupHours ?? 0;
  if (!(hours > 0 && hours <= 8760))
    fault('/hours', `found ${hours}; expected simulated hours > 0 and ≤ 8760`);
  if (warmupHours >= hours)
    fault('/warmupHours', `found ${warmupHours}; expected fewer hours than the run (${hours})`);

  const sorter = s.sorter;
  const n = sorter.carriers;
  const inducts = inductSpecs(s, fault);
  const chutes: ChuteSpec[] = [
    ...sorter.chutes.map((c) => ({
      id: c.id,
      position: c.position,
      capacity: c.capacity ?? sorter.chuteCapacity,
    })),
    ...sorter.exceptionChutes.map((c) => ({
      id: c.id,
      position: c.position,
      capacity: c.capacity ?? UNLIMITED,
      exception: true,
    })),
  ];
  checkMachine(s, inducts, fault);
  checkEffort(s, hours, fault);

  const weights = sorter.inducts.weights ?? inducts.map(() => 1);
  if (weights.length !== inducts.length) {
    fault(
      '/sorter/inducts/weights',
      `found ${weights.length} weights; expected one per induct (${inducts.length})`,
    );
  } else if (!weights.some((w) => w > 0)) {
    fault('/sorter/inducts/weights', 'expected at least one weight > 0');
  }

  const { planDoc, planPointer, planFile } = readPlan(s, options.baseDir, fault);
  let plan: SimModel['plan'] | undefined;
  if (planDoc !== undefined) {
    try {
      plan = compilePlan(
        planDoc,
        chutes.map((c) => c.id),
      );
    } catch (err) {
      if (!isSortlineError(err)) throw err;
      const prefix = planFile ? `in ${planFile}: ` : '';
      for (const d of err.details.length > 0
        ? err.details
        : [{ pointer: '', message: err.message }]) {
        fault(planFile ? d.pointer : planPointer + d.pointer, prefix + d.message);
      }
    }
  }

  // destination ids from the compiled plan, or from the document when the plan has faults of its own
  const destinationIds: readonly string[] =
    plan?.destinationIds ??
    (Array.isArray(planDoc?.destinations) ? planDoc.destinations.map((d) => d?.id) : []);
  const mix = new Float64Array(destinationIds.length);
  const seen = new Set<string>();
  s.mix.forEach((m, i) => {
    if (seen.has(m.destination))
      fault(
        `/mix/${i}/destination`,
        `"${m.destination}" appears twice; expected each destination once`,
      );
    seen.add(m.destination);
    const d = destinationIds.indexOf(m.destination);
    if (d < 0) {
      if (planDoc !== undefined)
        fault(`/mix/${i}/destination`, `"${m.destination}" is not a destination of the sort plan`);
    } else mix[d] = m.weight;
  });
  if (s.mix.every((m) => m.weight === 0)) fault('/mix', 'expected at least one weight > 0');
  if (s.arrivals.ratePerHour.every((r) => r === 0) && (s.arrivals.waves ?? []).length === 0) {
    fault('/arrivals', 'expected a rate > 0 or a wave: no parcel would arrive');
  }

  if (faults.length > 0 || !plan || !planDoc) invalid(faults, where);
  const labels = s.labels;
  return {
    name: s.name,
    description: s.description,
    seed: options.seed ?? s.seed ?? 1,
    hours,
    warmupHours,
    startTime: s.startTime ?? '00:00',
    startClockSeconds: clockSeconds(s.startTime ?? '00:00'),
    loop: { carriers: n, pitch: sorter.pitch, speed: sorter.speed },
    inducts,
    inductWeights: weights,
    chutes,
    recirculationLimit: sorter.recirculationLimit,
    slotPolicy: sorter.slotPolicy ?? { name: 'first-empty' },
    operators: { perChute: s.operators.perChute, handlingSeconds: s.operators.handlingSeconds },
    arrivals: { ratePerHour: s.arrivals.ratePerHour, waves: s.arrivals.waves ?? [] },
    scanner: {
      readRate: s.scanner.readRate,
      duplicateReadRate: s.scanner.duplicateReadRate ?? 0,
      secondLabelRate: s.scanner.secondLabelRate ?? 0,
      noReadToken: s.scanner.noReadToken ?? 'NoRead',
    },
    labels: {
      aim: labels.aim ?? ']C1',
      postalCodeLength: labels.postalCodeLength,
      routingCodeShare: labels.routingCodeShare ?? 0,
      weightKg: labels.weightKg ?? { distribution: 'lognormal', mean: 2, sd: 2 },
      poolPerDestination: labels.poolPerDestination ?? 64,
      companyPrefix: labels.companyPrefix ?? '6901234',
    },
    plan,
    planDoc,
    mix,
  };
}

/** Seconds after midnight of an "HH:MM" clock time (checked by the schema). */
function clockSeconds(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3, 5)) * 60;
}

function invalid(details: ErrorDetail[], where: { path?: string }): never {
  const n = details.length;
  throw new SortlineError(
    'SORTLINE_ERR_SCENARIO_INVALID',
    `the scenario has ${n} fault${n === 1 ? '' : 's'}${where.path ? ` in ${where.path}` : ''}; nothing was simulated`,
    { ...where, details },
  );
}

/** Most ticks and expected arrivals a run may have: beyond any sensible study, and what fits in memory and time. */
export const MAX_TICKS = 1e9;
export const MAX_EXPECTED_ARRIVALS = 50e6;

/** The run stays within {@link MAX_TICKS} ticks and {@link MAX_EXPECTED_ARRIVALS} expected parcels. */
function checkEffort(s: ScenarioDoc, hours: number, fault: (p: string, m: string) => void): void {
  const tick = s.sorter.pitch / s.sorter.speed;
  const ticks = (hours * 3600) / tick;
  if (!(ticks <= MAX_TICKS)) {
    fault(
      '/sorter/speed',
      `a tick (pitch / speed) of ${tick.toPrecision(3)} s makes ${hours} h ${ticks.toPrecision(3)} ticks; expected at most ${MAX_TICKS.toExponential()} (a realistic pitch and speed, or a shorter run)`,
    );
  }
  let expected = 0;
  const rates = s.arrivals.ratePerHour;
  for (let h = 0; h < Math.ceil(hours); h++)
    expected += rates[Math.min(h, rates.length - 1)]! * Math.min(1, hours - h);
  for (const w of s.arrivals.waves ?? []) if (w.startHour < hours) expected += w.parcels;
  if (!(expected <= MAX_EXPECTED_ARRIVALS)) {
    fault(
      '/arrivals',
      `${expected.toPrecision(3)} parcels would arrive in ${hours} h; expected at most ${MAX_EXPECTED_ARRIVALS.toExponential()} in one run`,
    );
  }
}

/** Induct specs from `sorter.inducts` ("even" spacing or explicit positions). */
function inductSpecs(s: ScenarioDoc, fault: (p: string, m: string) => void): InductSpec[] {
  const { count, cycleSeconds, positions = 'even', first = 0 } = s.sorter.inducts;
  const n = s.sorter.carriers;
  const out: InductSpec[] = [];
  if (first >= n)
    fault('/sorter/inducts/first', `found ${first}; expected a position below carriers (${n})`);
  if (positions === 'even') {
    for (let i = 0; i < count; i++)
      out.push({
        id: `I${i + 1}`,
        position: (first + Math.floor((i * n) / count)) % n,
        cycleSeconds,
      });
  } else {
    if (positions.length !== count) {
      fault(
        '/sorter/inducts/positions',
        `found ${positions.length} positions; expected one per induct (count ${count})`,
      );
    }
    positions.forEach((p, i) => out.push({ id: `I${i + 1}`, position: p, cycleSeconds }));
  }
  return out;
}

/** Positions inside the loop, no induct where a chute or another induct is, unique chute ids. */
function checkMachine(
  s: ScenarioDoc,
  inducts: InductSpec[],
  fault: (p: string, m: string) => void,
): void {
  const n = s.sorter.carriers;
  const inductAt = new Map<number, number>();
  const explicit = Array.isArray(s.sorter.inducts.positions);
  inducts.forEach((ind, i) => {
    const ptr = explicit ? `/sorter/inducts/positions/${i}` : '/sorter/inducts';
    if (ind.position >= n)
      fault(
        ptr,
        `induct ${ind.id} is at position ${ind.position}; expected a position below carriers (${n})`,
      );
    const other = inductAt.get(ind.position);
    if (other !== undefined)
      fault(
        ptr,
        `induct ${ind.id} is at position ${ind.position}, where induct I${other + 1} is; expected distinct positions`,
      );
    else inductAt.set(ind.position, i);
  });
  const ids = new Map<string, string>();
  const check = (list: ScenarioDoc['sorter']['chutes'], key: 'chutes' | 'exceptionChutes') => {
    list.forEach((c, i) => {
      const ptr = `/sorter/${key}/${i}`;
      if (c.position >= n)
        fault(
          `${ptr}/position`,
          `chute ${c.id} is at position ${c.position}; expected a position below carriers (${n})`,
        );
      const induct = inductAt.get(c.position);
      if (induct !== undefined) {
        fault(
          `${ptr}/position`,
          `chute ${c.id} is at position ${c.position}, where induct I${induct + 1} is; expected an induct and a chute at different positions`,
        );
      }
      const dup = ids.get(c.id);
      if (dup !== undefined)
        fault(
          `${ptr}/id`,
          `chute id "${c.id}" is used again (first at ${dup}); expected unique chute ids`,
        );
      else ids.set(c.id, ptr);
    });
  };
  check(s.sorter.chutes, 'chutes');
  check(s.sorter.exceptionChutes, 'exceptionChutes');
}

/** The plan document: inline, or read from a path relative to the scenario. */
function readPlan(
  s: ScenarioDoc,
  baseDir: string | undefined,
  fault: (p: string, m: string) => void,
): { planDoc?: SortPlanDoc; planPointer: string; planFile?: string } {
  if (typeof s.plan !== 'string')
    return { planDoc: s.plan as unknown as SortPlanDoc, planPointer: '/plan' };
  const file = path.resolve(baseDir ?? '.', s.plan);
  try {
    return { planDoc: readJsonFile(file) as SortPlanDoc, planPointer: '', planFile: file };
  } catch (err) {
    if (!isSortlineError(err)) throw err;
    fault('/plan', err.message);
    return { planPointer: '/plan' };
  }
}
