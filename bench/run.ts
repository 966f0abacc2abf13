/**
 * `npm run bench -- <suite> [args]`: runs one benchmark suite (or all with no name). Each suite is
 * a module `bench/<suite>.ts` exporting `run(args: string[]): void | Promise<void>` that measures Sortline
 * side by side with a peer in the same run and prints both figures and their ratio (and JSON with
 * `--json`). Numbers are claimed only from here, never from unit tests.
 */
const SUITES = ['sim', 'labels', 'controller'] as const;
type Suite = (typeof SUITES)[number];

async function runSuite(name: Suite, args: string[]): Promise<void> {
  const mod = (await import(`./${name}.js`)) as { run(args: string[]): void | Promise<void> };
  await mod.run(args);
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
