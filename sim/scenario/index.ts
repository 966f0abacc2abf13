/**
 * Scenario files: the schema and the loader that validates a scenario and builds the simulation
 * model (docs/scenario.md).
 */
export * from './load.js';
export * from './schema.js';
export * from './model.js';
