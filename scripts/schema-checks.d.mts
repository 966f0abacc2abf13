// Types of scripts/schema-checks.mjs (for the tests that import it).
import type { Plugin } from 'esbuild';

/** The check modules the bundle precompiles: tsc's output, relative to the repository root. */
export const SCHEMA_CHECK_MODULES: readonly string[];
/** The source of the precompiled stand-in of the check module at the absolute path `file`. */
export function schemaCheckSource(file: string): Promise<string>;
/** The esbuild plugin that loads each of `files` as its precompiled stand-in. */
export function schemaChecksPlugin(files: readonly string[]): Plugin;
