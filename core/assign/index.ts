/**
 * core/assign: chute assignment. Destination → chute by plan priority and live chute state,
 * exception chutes per fallback reason, and the names of those reasons.
 */
export { ChuteAssigner } from './assigner.js';
export { fallbackName } from './fallback-name.js';
