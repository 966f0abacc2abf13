/**
 * Gateway protocol: messages between sorter PLCs and the controller, and the codecs of the three
 * dialects (native binary, STX/ETX telegrams, NDJSON). Pure: no I/O. Wire specification:
 * docs/protocol.md. Transports feed `codec.createDecoder()`; sessions call `codec.encode()`.
 */
export * from './codes.js';
export * from './outcomes.js';
export * from './limits.js';
export type * from './messages.js';
export * from './faults.js';
export * from './sequence.js';
export { crc32 } from './crc32.js';
export type { Codec, DialectName } from './codec.js';
export { Native, nativeCodec } from './native.js';
export {
  TelegramLimits,
  TELEGRAM_TYPES,
  TELEGRAM_BODY_BYTES,
  TELEGRAM_HEADER_BYTES,
  TELEGRAM_AUTH_SYNC_TYPE,
  TELEGRAM_AUTH_SYNC_BODY_BYTES,
  telegramLength,
  telegramCodec,
} from './telegram.js';
export { NDJSON_HEADER_KEYS, NDJSON_DEFAULT_MAX_LINE_BYTES, ndjsonCodec } from './ndjson.js';
export { BODY_KEYS, READ_KEYS, LINK_NONCE_HEX, LINK_PROOF_HEX } from './object-body.js';
export { CODECS, DIALECT_NAMES, codecByName } from './registry.js';
export * from './session/index.js';
