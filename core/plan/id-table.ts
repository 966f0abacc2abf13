/**
 * Exact-match table of parcel identifiers (manifest / pre-advice rules): open addressing with
 * linear probing, load factor at most 0.5, keys compared character by character against a pool.
 *
 * Hash: FNV-1a, 32-bit (offset basis 2166136261, prime 16777619; Fowler, Noll, Vo), applied to
 * UTF-16 code units rather than octets. Keys are visible ASCII (plan schema), so each unit is
 * one octet of the key anyway.
 *
 * Arrays (all shared memory, see ./shared-memory.ts):
 * - `slots` Int32Array, 2 per slot: [hash, key index], key index -1 for an empty slot; the
 *   number of slots is a power of two ≥ 2 × keys;
 * - `keyStart` Int32Array (keys + 1): key k is `pool[keyStart[k] .. keyStart[k + 1])`;
 * - `pool` Uint16Array: the characters of every key, one after another;
 * - `keyValue` Int32Array (keys): the destination index of key k.
 */
import { sharedInt32, sharedInt32Filled, sharedUint16Filled } from './shared-memory.js';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The id table's arrays. */
export interface IdTable {
  readonly slots: Int32Array;
  readonly keyStart: Int32Array;
  readonly pool: Uint16Array;
  readonly keyValue: Int32Array;
}

/** FNV-1a over the UTF-16 code units of `s[start, end)`, as a signed 32-bit integer. */
function fnv1a(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Builds the table from distinct `keys` with their values (destination indices). Compile time;
 * the caller has already removed repeated keys.
 */
export function buildIdTable(keys: readonly string[], values: readonly number[]): IdTable {
  let size = 2;
  while (size < keys.length * 2) size *= 2;
  const mask = size - 1;
  const slots = sharedInt32Filled(size * 2, -1);
  const keyStart = sharedInt32Filled(keys.length + 1, 0);
  for (let k = 0; k < keys.length; k++) keyStart[k + 1] = keyStart[k]! + keys[k]!.length;
  const pool = sharedUint16Filled(keyStart[keys.length]!);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const from = keyStart[k]!;
    for (let j = 0; j < key.length; j++) pool[from + j] = key.charCodeAt(j);
    const h = fnv1a(key, 0, key.length);
    let i = h & mask;
    while (slots[i * 2 + 1]! >= 0) i = (i + 1) & mask;
    slots[i * 2] = h;
    slots[i * 2 + 1] = k;
  }
  return { slots, keyStart, pool, keyValue: sharedInt32(values) };
}

/**
 * The value of the key equal to `s[start, end)`, or -1. Exact: no case folding, no trimming.
 * No allocation, never throws.
 */
export function lookupIdTable(t: IdTable, s: string, start: number, end: number): number {
  const slots = t.slots;
  const mask = (slots.length >> 1) - 1;
  const h = fnv1a(s, start, end);
  const len = end - start;
  let i = h & mask;
  for (;;) {
    const k = slots[i * 2 + 1]!;
    if (k < 0) return -1;
    if (slots[i * 2] === h) {
      const from = t.keyStart[k]!;
      if (t.keyStart[k + 1]! - from === len) {
        const pool = t.pool;
        let j = 0;
        while (j < len && pool[from + j] === s.charCodeAt(start + j)) j++;
        if (j === len) return t.keyValue[k]!;
      }
    }
    i = (i + 1) & mask;
  }
}
