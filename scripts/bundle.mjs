/**
 * `node scripts/bundle.mjs` (run by `npm run build` after tsc): links the `sortline` command's
 * compiled modules (dist/bin/cli.js and what it imports, tsc's output) into ES module bundles in
 * dist/bundle/ with esbuild, which bin/sortline.js loads. Start-up is the reason: Node.js resolves
 * and compiles every file of an unbundled import graph one by one (the schema library alone is
 * hundreds of files), a bundle is a handful of files.
 *
 * Code-split: dist/bundle/cli.js holds the program (commander and the sub-command table); each
 * sub-command's dynamic import (bin/commands/index.ts) becomes a chunk of its own, and code that
 * several sub-commands share becomes a shared chunk, so a sub-command loads only its own code.
 * dist/bundle/meta.json is esbuild's metafile: which source modules each output file holds
 * (test/cli/startup.test.ts reads it to prove what `sortline --version` does not load).
 *
 * Kept external (loaded from node_modules at run time): native addons and the packages that load
 * one or start worker threads from files of their own (better-sqlite3, serialport,
 * msgpackr-extract, ws's optional bufferutil and utf-8-validate, pino's transports).
 * tsc's output in dist/ stays as it is: tests and fixtures import it.
 *
 * Also at build time: the TypeBox schema checks of the scenario and the sort plan are generated
 * (scripts/schema-checks.mjs) and stand in the bundle for their modules, which otherwise compile
 * them when first used. The bundle is minified (names kept), which it parses and compiles faster.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SCHEMA_CHECK_MODULES, schemaChecksPlugin } from './schema-checks.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` builds elsewhere (a side-by-side measurement); the command loads dist/bundle
const at = process.argv.indexOf('--outdir');
const outdir = path.resolve(root, at > 0 ? process.argv[at + 1] : 'dist/bundle');

/** Packages not bundled: see the header. */
const EXTERNAL = [
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  'msgpackr-extract',
  'bufferutil',
  'utf-8-validate',
  'pino',
  'pino/*',
];

// no chunk of an earlier build may linger beside the new ones
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'dist/bin/cli.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.12',
  // prefer the packages' ES module builds (jsonc-parser's UMD build requires files by path)
  mainFields: ['module', 'main'],
  external: EXTERNAL,
  // bundled CommonJS packages (commander, cli-progress, ...) call require(): give each chunk one
  banner: {
    js: "import { createRequire as __sortlineCreateRequire } from 'node:module';\nconst require = __sortlineCreateRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  // smaller files parse and compile sooner at start-up; names are kept for stack traces and
  // `Function.name` (the linked source maps lead back to the sources)
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
  // the TypeBox checks generated now, not compiled when the command starts (./schema-checks.mjs)
  plugins: [schemaChecksPlugin(SCHEMA_CHECK_MODULES.map((f) => path.join(root, f)))],
});
// every precompiled module must be in the bundle: a path that moved would silently stop it
for (const f of SCHEMA_CHECK_MODULES) {
  if (!Object.hasOwn(result.metafile.inputs, f))
    throw new Error(`scripts/bundle.mjs: ${f} (a schema check to precompile) is not in the bundle`);
}
writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile, null, 1) + '\n');

/** The sub-command modules that dist/bundle/simulate.cjs leaves out (bin/commands/index.ts). */
const NOT_SIMULATE = /^\.\/(resolve|serve|journal|emulate)\.js$/;

// simulate.cjs: the same program in one CommonJS file that holds only the simulate sub-command,
// for bin/sortline.js to compile with V8's code cache. Another sub-command's module is a stub
// that throws: bin/sortline.js runs this file only when the command line names simulate, and
// bin/cli.ts loads only the sub-command named.
const simulate = await build({
  absWorkingDir: root,
  entryPoints: ['dist/bin/cli.js'],
  outfile: path.join(outdir, 'simulate.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.12',
  mainFields: ['module', 'main'],
  external: EXTERNAL,
  define: { 'import.meta.url': '__sortlineModuleUrl' },
  banner: { js: "const __sortlineModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
  plugins: [
    schemaChecksPlugin(SCHEMA_CHECK_MODULES.map((f) => path.join(root, f))),
    {
      name: 'sortline-simulate-only',
      setup(b) {
        b.onResolve({ filter: NOT_SIMULATE }, (args) =>
          args.importer.endsWith(path.join('dist', 'bin', 'commands', 'index.js'))
            ? { path: args.path, namespace: 'not-in-simulate-bundle' }
            : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'not-in-simulate-bundle' }, (args) => ({
          contents: `throw new Error('sortline: dist/bundle/simulate.cjs holds no ${args.path}');`,
          loader: 'js',
        }));
      },
    },
  ],
});
for (const f of [...SCHEMA_CHECK_MODULES, 'dist/bin/commands/simulate.js']) {
  if (!Object.hasOwn(simulate.metafile.inputs, f))
    throw new Error(`scripts/bundle.mjs: ${f} is not in simulate.cjs`);
}
writeFileSync(
  path.join(outdir, 'simulate-meta.json'),
  JSON.stringify(simulate.metafile, null, 1) + '\n',
);

// The training run: a short simulation of the reference model leaves the code cache of
// simulate.cjs (the bytecode of every function it ran) beside it. Only for dist/bundle, the one
// bin/sortline.js loads; without it (or when it fails) the first run writes the cache.
if (outdir === path.join(root, 'dist/bundle')) {
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'bin/sortline.js'),
      'simulate',
      path.join(root, 'scenarios/reference-loop.json'),
      '--quiet',
      '--hours',
      '0.5',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const cached = readdirSync(outdir).some((f) => f.endsWith('.v8cache'));
  if (r.status !== 0 || !cached)
    process.stderr.write('scripts/bundle.mjs: no code cache written; the first run writes it\n');
}
