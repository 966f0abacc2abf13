/**
 * Backing memory for compiled plan tables. Tables live in SharedArrayBuffer so that worker
 * threads (Node.js worker_threads, piscina, browser workers) read one copy without copying; in a
 * browser page that is not cross-origin isolated, where SharedArrayBuffer is not defined, a plain
 * ArrayBuffer is used and a structured clone copies it instead.
 */

/** A buffer of `bytes` bytes, zero-filled: a SharedArrayBuffer when the platform has one. */
function sharedBuffer(bytes: number): ArrayBufferLike {
  return typeof SharedArrayBuffer === 'function'
    ? new SharedArrayBuffer(bytes)
    : new ArrayBuffer(bytes);
}

/** A shared Int32Array holding a copy of `values` (an array built at compile time). */
export function sharedInt32(values: ArrayLike<number>): Int32Array {
  const a = new Int32Array(sharedBuffer(values.length * Int32Array.BYTES_PER_ELEMENT));
  for (let i = 0; i < values.length; i++) a[i] = values[i]!;
  return a;
}

/** A shared Int32Array of `length` elements, every element `fill`. */
export function sharedInt32Filled(length: number, fill: number): Int32Array {
  return new Int32Array(sharedBuffer(length * Int32Array.BYTES_PER_ELEMENT)).fill(fill);
}

/** A shared Uint16Array of `length` zeros. */
export function sharedUint16Filled(length: number): Uint16Array {
  return new Uint16Array(sharedBuffer(length * Uint16Array.BYTES_PER_ELEMENT));
}

/** A shared Uint8Array holding a copy of `values`. */
export function sharedUint8(values: ArrayLike<number>): Uint8Array {
  const a = new Uint8Array(sharedBuffer(values.length));
  for (let i = 0; i < values.length; i++) a[i] = values[i]!;
  return a;
}
