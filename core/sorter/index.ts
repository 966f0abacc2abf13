/**
 * The machine model in struct-of-arrays (DESIGN.md "The machine model"): carriers on the loop,
 * inducts and their queues, chutes, parcels, chute states and the wire numbering of chutes.
 */
export * from './chute-numbers.js';
export * from './chutes.js';
export * from './inducts.js';
export * from './loop.js';
export * from './parcels.js';
export * from './queue.js';
export * from './states.js';
