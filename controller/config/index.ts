/**
 * controller/config: the `sortline serve` configuration — schema, embedded default, loading with
 * flag overrides. docs/operations.md "Configuration".
 */
export { ServeConfigSchema, type ServeConfigDoc } from './schema.js';
export { defaultConfig, packageRoot, DEFAULT_PORT, DEFAULT_PLAN } from './defaults.js';
export {
  SECRET_ENV,
  loadServeConfig,
  resolveServeConfig,
  type ResolveOptions,
  type ServeConfig,
  type ServeOverrides,
} from './load.js';
