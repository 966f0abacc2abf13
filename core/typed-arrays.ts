/**
 * Growing the typed arrays of struct-of-arrays tables (the parcel table, the controller's task
 * table, the emulated PLC's per-parcel fields). Pure (no I/O).
 */

/** The typed arrays a table keeps its fields in (every ECMAScript integer and float kind but bigint). */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/**
 * Returns a new array of the same kind as `a` with `n` elements: `a`'s elements first, the rest
 * set to `fill` (default 0). `n` is a length in elements, at least `a.length`; `a` is not
 * changed. For the rare growth of a table (amortised doubling), not for per-parcel work.
 * @throws RangeError when `n` is less than `a.length` (the copy would not fit) or not a valid
 *   typed-array length.
 */
export function grow<T extends TypedArray>(a: T, n: number, fill = 0): T {
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
