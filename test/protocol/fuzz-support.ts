/** Re-exports for the fuzz test, plus the internal field-map writer it mutates. */
export * from '../../core/protocol/index.js';
export { messageToFieldMap as messageToFieldMapForTest } from '../../core/protocol/object-body.js';
