/**
 * Simulation reports: the console summary, the JSON report and the HTML page (docs/scenario.md
 * "Report").
 */
export * from './console.js';
export * from './html.js';
export * from './json.js';
