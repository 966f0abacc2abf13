/**
 * `npm run bench -- <suite> [args]`: runs one benchmark suite (or all with no name). Each suite is
 * a module `bench/<suite>.ts` exporting `run(args: string[]): void | Promise<void>` that measures Sortline
 * side by side with a peer in the same run and prints both figures and their ratio, and whether
 * each figure met its target (and JSON with `--json`). Numbers are claimed only from here, never
 * from unit tests. The machine's load average (os.loadavg: 1, 5 and 15 minutes) is printed at the
 * start and the end of every suite, on stdout, or on stderr with `--json` so that stdout stays one
 * JSON document per suite: a figure taken on a busy machine says so.
 */
import os from 'node:os';

const SUITES = ['sim', 'labels', 'controller'] as const;
type Suite = (typeof SUITES)[number];

/** `load average at start of sim: 0.42 0.51 0.47 (1, 5, 15 min; 2 cores)` */
function loadLine(when: 'start' | 'end', name: Suite): string {
  const avg = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  return `load average at ${when} of ${name}: ${avg} (1, 5, 15 min; ${os.availableParallelism()} cores)\n`;
}

async function runSuite(name: Suite, args: string[]): Promise<void> {
  const out = args.includes('--json') ? process.stderr : process.stdout;
  out.write(loadLine('start', name));
  const mod = (await import(`./${name}.js`)) as { run(args: string[]): void | Promise<void> };
  await mod.run(args);
  out.write(loadLine('end', name));
}

const [name, ...rest] = process.argv.slice(2);
if (name === undefined) {
  for (const s of SUITES) await runSuite(s, rest);
} else if ((SUITES as readonly string[]).includes(name)) {
  await runSuite(name as Suite, rest);
} else {
  process.stderr.write(`bench: unknown suite "${name}"; expected one of ${SUITES.join(', ')}\n`);
  process.exitCode = 2;
}
