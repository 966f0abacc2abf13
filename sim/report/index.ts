/**
 * Simulation reports: the console summary, the JSON report, the CSV tables and the HTML page
 * (docs/scenario.md "Report").
 */
export * from './clock.js';
export * from './console.js';
export * from './csv.js';
export * from './html.js';
export * from './json.js';
