#!/usr/bin/env node
// The `sortline` command. `npm ci` builds it (the `prepare` script: tsc to dist/, then esbuild
// links dist/bin/cli.js into dist/bundle/, scripts/bundle.mjs).
//
// `sortline simulate ...` runs dist/bundle/simulate.cjs instead: the same program linked into one
// CommonJS file that holds only the simulate sub-command, compiled with V8's code cache
// (node:vm cachedData), so a run starts from bytecode the build's training run left rather than
// parsing and compiling every function again (Node.js 20 has no compile cache for ES modules).
// The cache file is named by a hash of the bundle, so it never serves another build; when V8
// refuses it (another Node.js version or V8 flags) or it is missing, the run compiles as usual
// and writes a fresh one, if it can, for the next run.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/bundle');

/** The sub-command the arguments name, as bin/cli.ts subCommandOf reads it (without `help`). */
const named = process.argv.slice(2).find((a) => a === '-' || !a.startsWith('-'));

/** @typedef {(argv: readonly string[]) => Promise<number>} Main bin/cli.ts main */

/**
 * Runs dist/bundle/simulate.cjs with its code cache; resolves to main's exit code.
 * @returns {Promise<number>}
 */
function simulateBundle() {
  const file = path.join(bundle, 'simulate.cjs');
  let source;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return esmBundle(); // a build from before simulate.cjs: the ES module bundle runs it too
  }
  const hash = createHash('sha1').update(source).digest('hex').slice(0, 16);
  const cacheFile = path.join(bundle, `simulate.${hash}.v8cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet: compiled from source, and a cache is written after the run
  }
  const script = new vm.Script(wrap(source), { filename: file, cachedData });
  /** @type {{ exports: { main?: Main } }} */
  const module = { exports: {} };
  // the wrapper function `wrap` made (vm's runInThisContext is typed any)
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
  const init = /** @type {(...args: unknown[]) => void} */ (script.runInThisContext());
  init(module.exports, createRequire(file), module, file, bundle);
  const main = module.exports.main;
  if (main === undefined) throw new Error(`${file} exports no main`);
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return main(process.argv).then((code) => {
    if (fresh) {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only install: the next run compiles from source too
      }
    }
    return code;
  });
}

/**
 * The CommonJS module wrapper around `source`, as Node.js's own loader puts it.
 * @param {string} source
 */
function wrap(source) {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

/**
 * Runs dist/bundle/cli.js, the ES module bundle of every sub-command.
 * @returns {Promise<number>}
 */
function esmBundle() {
  return /** @type {Promise<{ main: Main }>} */ (import('../dist/bundle/cli.js')).then(({ main }) =>
    main(process.argv),
  );
}

const run = named === 'simulate' ? Promise.resolve().then(simulateBundle) : esmBundle();

run.then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(
      `sortline: internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
