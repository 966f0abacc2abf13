/**
 * Conveyor scheduling of the loop sorter: the tick (induct slot allocation, discharge,
 * recirculation) and its event wheel.
 */
export * from './loop-scheduler.js';
export * from './slots.js';
export * from './wheel.js';
