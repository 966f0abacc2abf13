/**
 * The dialects by name, for `--dialect native|telegram|ndjson` and configuration files.
 */
import { SortlineError } from '../errors.js';
import type { Codec, DialectName } from './codec.js';
import { nativeCodec } from './native.js';
import { ndjsonCodec } from './ndjson.js';
import { telegramCodec } from './telegram.js';

/** Every dialect, keyed by name. */
export const CODECS: Readonly<Record<DialectName, Codec>> = {
  native: nativeCodec,
  telegram: telegramCodec,
  ndjson: ndjsonCodec,
};

/** Dialect names, in the order help texts list them. */
export const DIALECT_NAMES: readonly DialectName[] = ['native', 'telegram', 'ndjson'];

/**
 * The codec called `name`.
 * @throws SortlineError `SORTLINE_ERR_PROTOCOL_UNKNOWN_DIALECT` naming the known dialects.
 */
export function codecByName(name: string): Codec {
  if (Object.hasOwn(CODECS, name)) return CODECS[name as DialectName];
  throw new SortlineError(
    'SORTLINE_ERR_PROTOCOL_UNKNOWN_DIALECT',
    `unknown dialect ${JSON.stringify(name)}; expected one of ${DIALECT_NAMES.join(', ')}`,
  );
}
