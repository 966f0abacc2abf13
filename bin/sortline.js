#!/usr/bin/env node
// The `sortline` command. The TypeScript sources compile to dist/ on `npm ci` (the `prepare` script).
import { main } from '../dist/bin/cli.js';

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
