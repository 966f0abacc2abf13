/**
 * core/typed-arrays.ts grow: the one helper the parcel table, the task table and the emulated PLC
 * grow their struct-of-arrays fields with (issue 9, "each shared idea in one place").
 */
import { describe, expect, it } from 'vitest';
import { grow } from '../../core/typed-arrays.js';

describe('grow', () => {
  it('keeps the kind of array, copies the old elements and zeroes the new ones', () => {
    const a = Int16Array.of(-3, 7, 32767);
    const b = grow(a, 6);
    expect(b).toBeInstanceOf(Int16Array);
    expect(b).not.toBe(a);
    expect(Array.from(b)).toEqual([-3, 7, 32767, 0, 0, 0]);
    expect(Array.from(a)).toEqual([-3, 7, 32767]);
  });

  it('serves every kind a table uses', () => {
    const kinds = [Uint8Array, Uint16Array, Uint32Array, Int32Array, Float64Array] as const;
    for (const Kind of kinds) {
      const a = new Kind(2);
      a[0] = 5;
      a[1] = 9;
      const b = grow(a, 4);
      expect(b.constructor).toBe(Kind);
      expect(Array.from(b)).toEqual([5, 9, 0, 0]);
    }
    const f = grow(Float64Array.of(0.25), 2);
    expect(Array.from(f)).toEqual([0.25, 0]);
  });

  it('sets only the new elements to fill', () => {
    const b = grow(Int32Array.of(0, 4), 5, -1);
    expect(Array.from(b)).toEqual([0, 4, -1, -1, -1]);
  });

  it('refuses a length shorter than the array', () => {
    expect(() => grow(Uint8Array.of(1, 2, 3), 2)).toThrow(RangeError);
  });
});
