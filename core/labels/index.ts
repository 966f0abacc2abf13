/**
 * core/labels: smart-label resolution (DESIGN.md "Labels", docs/labels.md). Scanner, RFID and
 * manual reads → routable keys (parcel id, routing code, postal code) → a destination of the
 * compiled sort plan, or the precise reason for a fallback.
 *
 * Hot path: {@link ParcelRouter} (per parcel) and {@link LabelResolver} (per read), allocation
 * free. API edge: {@link describeRead}, {@link ParcelRouter.explain}, the encoders.
 */
export {
  ReadSource,
  READ_SOURCE_NAMES,
  LabelKind,
  LABEL_KIND_NAMES,
  HOME_COUNTRY,
} from './kinds.js';
export type { ReadSourceCode, ReadSourceName, LabelKindCode, LabelKindName } from './kinds.js';
export { LabelFault, LABEL_FAULT_CODES, MAX_READ_LENGTH, labelFaultCode } from './faults.js';
export type { LabelFaultCode } from './faults.js';
export { compileResolverConfig, CompiledResolverConfig } from './config.js';
export type { ResolverConfig, ScannerProfile } from './config.js';
export { LabelResolver, MAX_KEYS, defaultResolverConfig } from './resolver.js';
export { ParcelRouter, MAX_READS } from './router.js';
export type { ParcelExplanation, ReadExplanation } from './router.js';
export { describeRead, describeResolved, faultMessage } from './describe.js';
export type { ReadDescription, KeyDescription, ElementDescription } from './describe.js';
export {
  gs1CheckDigit,
  withCheckDigit,
  s10CheckDigit,
  s10WithCheckDigit,
  encodeElementString,
} from './encoder.js';
export { AI_DICTIONARY } from './ai-dictionary.js';
export type { AiRow } from './ai-dictionary.js';
export { aiEntry, AI_COUNT } from './ai-table.js';
export { isIso3166Numeric, isIso3166Alpha2, ISO3166_NUMERIC, ISO3166_ALPHA2 } from '../iso3166.js';
