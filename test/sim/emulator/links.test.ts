/**
 * The emulated PLC's link decorators over in-memory link pairs: fault injection (corrupt,
 * duplicate, delay, drop) and the confirmation tracker's view of ACKs and link syncs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import {
  Outcome,
  nativeCodec,
  telegramCodec,
  type SortConfirmation,
  Session,
  memoryLinkPair,
  type Link,
} from '../../../core/protocol/index.js';
import { RandomStream } from '../../../sim/random.js';
import {
  ConfirmationTracker,
  FaultyLink,
  createFaultStats,
  resolveFaultOptions,
  type FaultOptions,
} from '../../../sim/emulator/index.js';

/** Resolves once every queued memory-link delivery ran. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function faulty(options: FaultOptions): {
  link: Link;
  peer: Link;
  received: Uint8Array[];
  stats: ReturnType<typeof createFaultStats>;
} {
  const [a, b] = memoryLinkPair();
  const stats = createFaultStats();
  const link = new FaultyLink(
    a,
    resolveFaultOptions(options),
    new RandomStream(xoroshiro128plus(7)),
    stats,
  );
  const received: Uint8Array[] = [];
  b.onData((chunk) => received.push(chunk.slice()));
  link.onData(() => {});
  return { link, peer: b, received, stats };
}

const frame = (n: number): Uint8Array =>
  Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + n) & 0xff);

afterEach(() => {
  vi.useRealTimers();
});

describe('FaultyLink', () => {
  it('corrupts exactly one byte of a copy, leaving the written frame intact for resends', async () => {
    const { link, received, stats } = faulty({ corruptRate: 1 });
    const f = frame(1);
    const before = f.slice();
    link.write(f);
    await flush();
    expect(f).toEqual(before);
    expect(received).toHaveLength(1);
    const diff = [...received[0]!].filter((x, i) => x !== before[i]);
    expect(diff).toHaveLength(1);
    expect(stats.corrupted).toBe(1);
  });

  it('writes a frame twice at duplicate rate 1 and never at rate 0', async () => {
    const dup = faulty({ duplicateRate: 1 });
    dup.link.write(frame(2));
    const none = faulty({ duplicateRate: 0 });
    none.link.write(frame(2));
    await flush();
    expect(dup.received.map((r) => [...r])).toEqual([[...frame(2)], [...frame(2)]]);
    expect(dup.stats.duplicated).toBe(1);
    expect(none.received).toHaveLength(1);
  });

  it('holds frames for the delay and writes them in order', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { link, received, stats } = faulty({ delayMs: 40 });
    const microtasks = (): Promise<void> => new Promise<void>((resolve) => queueMicrotask(resolve));
    link.write(frame(1));
    vi.advanceTimersByTime(10);
    link.write(frame(2));
    vi.advanceTimersByTime(29);
    await microtasks();
    expect(received).toHaveLength(0);
    vi.advanceTimersByTime(1); // 40 ms after the first
    await microtasks();
    expect(received.map((r) => r[0])).toEqual([frame(1)[0]]);
    vi.advanceTimersByTime(10); // 40 ms after the second
    await microtasks();
    expect(received.map((r) => r[0])).toEqual([frame(1)[0], frame(2)[0]]);
    expect(stats.delayed).toBe(2);
  });

  it('drops the connection the given seconds after it was made', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { link, stats } = faulty({ dropEverySeconds: 2 });
    const reasons: string[] = [];
    link.onClose((r) => reasons.push(r));
    vi.advanceTimersByTime(1_999);
    expect(link.closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(stats.drops).toBe(1);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('fault injection');
  });

  it('refuses out-of-range fault options with the option named', () => {
    expect(() => resolveFaultOptions({ corruptRate: 1.5 })).toThrow(
      /corruptRate: expected a number 0–1/,
    );
    expect(() => resolveFaultOptions({ delayMs: -1 })).toThrow(
      expect.objectContaining({ code: 'SORTLINE_ERR_EMULATOR_BAD_OPTION' }),
    );
  });
});

const conf = (taskId: number, outcome: number = Outcome.DISCHARGED): SortConfirmation => ({
  type: 'sortConfirmation',
  taskId,
  turn: 1,
  chute: 5,
  outcome: outcome as SortConfirmation['outcome'],
});

describe('ConfirmationTracker', () => {
  it('holds a confirmation pending until the controller ACKs it (deferred ACK), then releases it', async () => {
    const [a, b] = memoryLinkPair();
    const tracker = new ConfirmationTracker(nativeCodec);
    let ackLater: (() => void) | null = null;
    const host = new Session(
      nativeCodec,
      { onMessage: (_m, _h, ack) => (ackLater = ack) },
      { deferAck: ['sortConfirmation'] },
    );
    const plc = new Session(nativeCodec, { onMessage: () => {} });
    host.attach(b);
    plc.attach(tracker.tap(a));
    await flush();
    tracker.expect(conf(10));
    plc.send(conf(10));
    await flush();
    expect(ackLater).not.toBeNull();
    expect(tracker.pending).toBe(1);
    expect(tracker.unacknowledgedTasks()).toEqual([10]);
    ackLater!();
    await flush();
    expect(tracker.pending).toBe(0);
    expect(tracker.acknowledged).toBe(1);
    expect(tracker.isPending(conf(10))).toBe(false);
    await Promise.all([plc.close(), host.close()]);
  });

  it('releases what a link sync covers, across the wrap of the sequence numbers', () => {
    const tracker = new ConfirmationTracker(telegramCodec); // maxSeq 999,999
    for (const id of [1, 2, 3]) tracker.expect(conf(id));
    tracker.onWritten(999_998, conf(1));
    tracker.onWritten(999_999, conf(2));
    tracker.onWritten(1, conf(3));
    tracker.onLinkSync(0); // nothing received
    expect(tracker.pending).toBe(3);
    tracker.onLinkSync(999_999);
    expect(tracker.unacknowledgedTasks()).toEqual([3]);
    tracker.onLinkSync(1);
    expect(tracker.pending).toBe(0);
  });

  it('keeps a confirmation that was never written or never acknowledged pending', () => {
    const tracker = new ConfirmationTracker(nativeCodec);
    tracker.expect(conf(7));
    tracker.expect(conf(8, Outcome.CHUTE_FULL));
    tracker.onWritten(40, conf(8, Outcome.CHUTE_FULL));
    tracker.onAck(41); // a stray ACK
    expect(tracker.unacknowledgedTasks()).toEqual([7, 8]);
    tracker.onAck(40);
    expect(tracker.unacknowledgedTasks()).toEqual([7]);
  });
});
