import { describe, expect, it } from 'vitest';
import { describeRead, ReadSource } from '../../core/labels/index.js';
import { loadVectors, mismatches } from './vectors.js';

const vectors = loadVectors();

describe('shared label vectors through the public API (describeRead)', () => {
  it('the fixture holds the vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(50);
  });
  it.each(vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const got = describeRead(v.data, v.source === 'rfid' ? ReadSource.RFID : ReadSource.SCANNER);
    expect(mismatches(v, got)).toEqual([]);
  });
});
