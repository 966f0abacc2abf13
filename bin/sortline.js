#!/usr/bin/env node
// The `sortline` command. `npm ci` builds it (the `prepare` script: tsc to dist/, then esbuild
// links dist/bin/cli.js into dist/bundle/, scripts/bundle.mjs).
import { main } from '../dist/bundle/cli.js';

main(process.argv).then(
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
