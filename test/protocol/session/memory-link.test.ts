/**
 * The in-memory link pair: the transport checks, delivery never inside `write`, backpressure.
 */
import { describe, expect, it } from 'vitest';
import { memoryLinkPair } from '../../../core/protocol/index.js';
import { exercise } from '../../controller/transport/exercise.js';

describe('memory links', () => {
  it('pass the transport checks', async () => {
    const [a, b] = memoryLinkPair();
    await exercise(a, b);
  });

  it('deliver in a later microtask, never inside write', async () => {
    const [a, b] = memoryLinkPair();
    const got: number[] = [];
    b.onData((c) => got.push(...c));
    a.write(Uint8Array.of(1, 2));
    a.write(Uint8Array.of(3));
    expect(got).toEqual([]);
    await Promise.resolve();
    expect(got).toEqual([1, 2, 3]);
  });

  it('report backpressure above the high-water mark and drain once delivered', async () => {
    const [a, b] = memoryLinkPair({ highWaterMark: 4 });
    let drains = 0;
    a.onDrain(() => drains++);
    b.onData(() => {});
    a.pause();
    expect(a.write(Uint8Array.of(1, 2, 3))).toBe(true);
    expect(a.write(Uint8Array.of(4, 5))).toBe(false);
    expect(a.bufferedBytes).toBe(5);
    a.resume();
    await new Promise((r) => setImmediate(r));
    expect(drains).toBe(1);
    expect(a.bufferedBytes).toBe(0);
  });

  it('destroy drops what is not delivered yet; data arriving before a listener is kept for it', async () => {
    const [a, b] = memoryLinkPair();
    a.write(Uint8Array.of(1));
    await new Promise((r) => setImmediate(r));
    const got: number[] = [];
    b.onData((c) => got.push(...c));
    expect(got).toEqual([1]);
    a.write(Uint8Array.of(2));
    a.destroy('pulled');
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([1]);
    let reason = '';
    b.onClose((r) => (reason = r));
    expect(reason).toBe('closed by peer');
  });
});
