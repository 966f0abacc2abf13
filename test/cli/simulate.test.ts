import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectConservation } from '../sim/helpers.js';
import { root, sortline } from './run.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'sortline-cli-'));
const CONTRACT = [
  'scenario',
  'seed',
  'simulatedSeconds',
  'wallSeconds',
  'counts',
  'sortedPerHour',
  'recirculationsPerInducted',
  'meanInductWaitSeconds',
  'perInduct',
  'perChute',
  'perDestination',
  'series',
];
const COUNTS = [
  'arrived',
  'inducted',
  'sorted',
  'exception',
  'noRead',
  'noRule',
  'recirculations',
  'onLoopAtEnd',
  'queuedAtEnd',
];

describe('sortline simulate', () => {
  it('runs the Jiangsu hub, prints the summary and exits 0', () => {
    const r = sortline(['simulate', 'scenarios/jiangsu-outbound-hub.json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /Sortline simulate: jiangsu-outbound-hub \(seed 1, 10\.0 h simulated from 16:00, 0\.5 h warm-up\)/,
    );
    expect(r.stdout).toMatch(/conservation\s+holds/);
    expect(r.stdout).toMatch(/sorted \/h/);
  });

  it('--json - prints the report contract on stdout and the summary on stderr', () => {
    const r = sortline([
      'simulate',
      'scenarios/reference-loop.json',
      '--hours',
      '1',
      '--seed',
      '2',
      '--json',
      '-',
    ]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    for (const key of CONTRACT) expect(report).toHaveProperty(key);
    for (const key of COUNTS) expect(typeof report.counts[key]).toBe('number');
    expect(report.seed).toBe(2);
    expect(report.simulatedSeconds).toBe(3600);
    expect(report.perInduct[0]).toEqual(
      expect.objectContaining({
        id: 'I1',
        inducted: expect.any(Number),
        meanWaitSeconds: expect.any(Number),
      }),
    );
    expect(report.perChute[0]).toEqual(
      expect.objectContaining({
        id: 'C001',
        destination: 'D001',
        received: expect.any(Number),
        fullSeconds: expect.any(Number),
      }),
    );
    expect(report.perDestination[0]).toMatchObject({ id: 'D001', sorted: expect.any(Number) });
    expectConservation(report);
    expect(r.stderr).toMatch(/Sortline simulate: reference-loop/);
  });

  it('--set overrides scenario values, --json FILE and --report FILE.html write files, --quiet prints nothing', () => {
    const dir = tmp();
    const json = path.join(dir, 'r.json');
    const html = path.join(dir, 'r.html');
    const r = sortline([
      'simulate',
      'scenarios/reference-loop.json',
      '--hours',
      '1',
      '--set',
      'sorter.inducts.count=4',
      '--json',
      json,
      '--report',
      html,
      '--quiet',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expectConservation(report);
    expect(report.perInduct.map((i: { position: number }) => i.position)).toEqual([
      0, 100, 200, 300,
    ]);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('uPlot'); // the chart library is inlined: no network needed
    expect(page).not.toMatch(/<script src=/);
    expect(page).toContain('Throughput over time');
  });

  it.each([
    ['an unknown key', (d: any) => void (d.sorter.speedd = 1), '/sorter/speedd'],
    ['a wrong type', (d: any) => void (d.hours = 'eight'), '/hours'],
    ['a zero speed', (d: any) => void (d.sorter.speed = 0), '/sorter/speed'],
    ['a negative pitch', (d: any) => void (d.sorter.pitch = -1), '/sorter/pitch'],
    [
      'an induct and a chute at the same position',
      (d: any) => void (d.sorter.chutes[0].position = 0),
      '/sorter/chutes/0/position',
    ],
    [
      'a plan naming a chute that does not exist',
      (d: any) => void (d.plan.destinations[0].chutes = ['NOPE']),
      '/plan/destinations/0/chutes/0',
    ],
  ])('%s: exit 2, the pointer on stderr, nothing simulated', (_what, mutate, pointer) => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(path.join(root, 'scenarios/reference-loop.json'), 'utf8'));
    mutate(doc);
    const file = path.join(dir, 's.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = path.join(dir, 'out.json');
    const r = sortline(['simulate', file, '--json', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SORTLINE_ERR_SCENARIO_INVALID');
    expect(r.stderr).toContain(pointer);
    expect(r.stderr).toContain('nothing was simulated');
    expect(r.stdout).toBe('');
    expect(() => readFileSync(out)).toThrow();
  });

  it('an output path that cannot be written is refused before the run', () => {
    const r = sortline([
      'simulate',
      'scenarios/reference-loop.json',
      '--json',
      '/nonexistent-dir/x.json',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/SORTLINE_ERR_FILE_WRITE: cannot write \/nonexistent-dir\/x\.json/);
    expect(r.stdout).toBe(''); // no summary: nothing was simulated
    const dir = sortline(['simulate', 'scenarios/reference-loop.json', '--report', tmp()]);
    expect(dir.stderr).toMatch(/it is a directory/);
  });

  it('an unreadable file: exit 2 with the path', () => {
    const r = sortline(['simulate', 'scenarios/no-such-file.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/SORTLINE_ERR_FILE_READ: cannot read scenarios\/no-such-file\.json/);
  });

  it('bad option values: exit 2 with SORTLINE_ERR_USAGE and no help dump', () => {
    const bad = sortline(['simulate', 'scenarios/reference-loop.json', '--seed', 'abc']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /^sortline: SORTLINE_ERR_USAGE: option '--seed <n>' argument 'abc' is invalid/,
    );
    expect(bad.stderr).not.toMatch(/Options:/);
    expect(sortline(['simulate', 'scenarios/reference-loop.json', '--hours', '-3']).status).toBe(2);
    const r = sortline(['simulate', 'scenarios/reference-loop.json', '--set', 'nonsense']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SORTLINE_ERR_SET_PATH');
  });
});
