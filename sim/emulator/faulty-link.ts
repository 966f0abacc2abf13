/**
 * Fault injection for the emulated PLC (`sortline emulate --drop-every --delay-ms --corrupt-rate
 * --duplicate-rate`): a {@link Link} decorator between the PLC's session and the real link, so the
 * session, the codec and the controller meet the faults a real line has. Faults apply to what the
 * PLC writes; a session writes one frame per `write`, so "a frame" here is one write.
 */
import { SortlineError } from '../../core/errors.js';
import type { Link } from '../../core/protocol/index.js';
import type { RandomStream } from '../random.js';
import { LinkDecorator } from './link-decorator.js';

/** Which faults to inject; every field is optional and off by default. */
export interface FaultOptions {
  /** Destroy each connection this many wall-clock seconds after it was made (the session reconnects and resends); 0 = never. */
  dropEverySeconds?: number;
  /** Hold every outgoing frame this many ms before writing it, in order; 0 = none. Keep it below the peer's resend time (300 ms). */
  delayMs?: number;
  /**
   * Probability (0–1) that an outgoing frame leaves with one random byte XORed with a random
   * non-zero value. The session keeps the intact frame and resends it. Only dialects with a
   * checksum (native CRC-32, telegram BCC) always detect this; in NDJSON a flipped digit may
   * still be a valid, different message.
   */
  corruptRate?: number;
  /** Probability (0–1) that an outgoing frame is written twice. */
  duplicateRate?: number;
}

/** Counters of injected faults. */
export interface FaultStats {
  /** Connections destroyed by `dropEverySeconds`. */
  drops: number;
  /** Frames held by `delayMs`. */
  delayed: number;
  /** Frames written with a flipped byte. */
  corrupted: number;
  /** Frames written twice. */
  duplicated: number;
}

/** A zeroed {@link FaultStats}. */
export function createFaultStats(): FaultStats {
  return { drops: 0, delayed: 0, corrupted: 0, duplicated: 0 };
}

/**
 * `options` with every field filled in (0 = off).
 * @throws SortlineError `SORTLINE_ERR_EMULATOR_BAD_OPTION` naming the option and its range.
 */
export function resolveFaultOptions(options: FaultOptions = {}): Readonly<Required<FaultOptions>> {
  const o = { dropEverySeconds: 0, delayMs: 0, corruptRate: 0, duplicateRate: 0, ...options };
  const check = (key: keyof FaultOptions, max: number): void => {
    const v = o[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= max)) {
      throw new SortlineError(
        'SORTLINE_ERR_EMULATOR_BAD_OPTION',
        `${key}: expected a number 0–${max}, got ${String(v)}`,
      );
    }
  };
  check('dropEverySeconds', 86_400);
  check('delayMs', 60_000);
  check('corruptRate', 1);
  check('duplicateRate', 1);
  return o;
}

/** True when `options` injects any fault. */
export function hasFaults(options: Readonly<Required<FaultOptions>>): boolean {
  return (
    options.dropEverySeconds > 0 ||
    options.delayMs > 0 ||
    options.corruptRate > 0 ||
    options.duplicateRate > 0
  );
}

/** A link that drops, delays, corrupts and duplicates what is written to it. */
export class FaultyLink extends LinkDecorator {
  private readonly held: { bytes: Uint8Array; copies: number; due: number }[] = [];
  private heldTimer: NodeJS.Timeout | null = null;
  private readonly dropTimer: NodeJS.Timeout | null = null;
  private ended = false;

  /**
   * @param inner the real link.
   * @param options resolved fault options.
   * @param rng the random stream deciding which frames are hit (seeded: runs repeat).
   * @param stats counters, shared by every link of a run.
   */
  constructor(
    inner: Link,
    private readonly options: Readonly<Required<FaultOptions>>,
    private readonly rng: RandomStream,
    private readonly stats: FaultStats,
  ) {
    super(inner);
    if (options.dropEverySeconds > 0) {
      this.dropTimer = setTimeout(() => {
        stats.drops++;
        this.destroy(`fault injection: connection dropped after ${options.dropEverySeconds} s`);
      }, options.dropEverySeconds * 1000);
      this.dropTimer.unref();
    }
  }

  override write(bytes: Uint8Array): boolean {
    if (this.ended) return false;
    const o = this.options;
    const rng = this.rng;
    let out = bytes;
    if (o.corruptRate > 0 && rng.uniform() < o.corruptRate) {
      out = bytes.slice(); // the session keeps the intact frame for its resends
      out[rng.int(out.length)]! ^= 1 + rng.int(255);
      this.stats.corrupted++;
    }
    let copies = 1;
    if (o.duplicateRate > 0 && rng.uniform() < o.duplicateRate) {
      copies = 2;
      this.stats.duplicated++;
    }
    if (o.delayMs > 0) {
      this.stats.delayed++;
      this.held.push({ bytes: out, copies, due: performance.now() + o.delayMs });
      if (this.heldTimer === null) this.armHeld();
      return true;
    }
    return this.put(out, copies);
  }

  override close(reason?: string): void {
    this.flushHeld(Infinity);
    this.end();
    super.close(reason);
  }

  override destroy(reason?: string): void {
    this.held.length = 0;
    this.end();
    super.destroy(reason);
  }

  protected override innerClosed(): void {
    this.held.length = 0;
    this.end();
  }

  private put(bytes: Uint8Array, copies: number): boolean {
    let ok = this.inner.write(bytes);
    if (copies === 2) ok = this.inner.write(bytes) && ok;
    return ok;
  }

  private armHeld(): void {
    const head = this.held[0];
    if (head === undefined || this.ended) return;
    this.heldTimer = setTimeout(
      () => {
        this.heldTimer = null;
        this.flushHeld(performance.now());
        this.armHeld();
      },
      Math.max(0, head.due - performance.now()),
    );
  }

  /** Writes every held frame due by `now`, in order. */
  private flushHeld(now: number): void {
    let k = 0;
    while (k < this.held.length && this.held[k]!.due <= now) {
      const h = this.held[k++]!;
      this.put(h.bytes, h.copies);
    }
    this.held.splice(0, k);
  }

  private end(): void {
    this.ended = true;
    if (this.dropTimer !== null) clearTimeout(this.dropTimer);
    if (this.heldTimer !== null) clearTimeout(this.heldTimer);
    this.heldTimer = null;
  }
}
