/**
 * The checks every transport passes over a connected pair of links: bytes round trip both ways,
 * several frames in one write, frames split across two writes at every byte boundary, and
 * close reported once on both ends. Waits are bounded; nothing is timed.
 */
import { expect } from 'vitest';
import {
  CODECS,
  type DecodedFrame,
  type Message,
  type Link,
} from '../../../core/protocol/index.js';
import { connect, listen, type Listener } from '../../../controller/transport/index.js';
import { confirmation, reply, request } from '../../protocol/session/helpers.js';
import { concat } from '../../bytes.js';

/** Resolves when `cond()` holds (checked every 5 ms); rejects after `ms` (a safety bound, not a measurement). */
export async function until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const give = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > give) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Records what arrives on a link: raw bytes, decoded native frames, close reasons. */
export class Sink {
  bytes = 0;
  readonly chunks: Uint8Array[] = [];
  readonly frames: DecodedFrame[] = [];
  readonly closes: string[] = [];
  private decoder = CODECS.native.createDecoder();

  constructor(link: Link) {
    link.onData((c) => {
      this.bytes += c.length;
      this.chunks.push(c);
      this.decoder.push(c);
      for (let r = this.decoder.next(); r !== null; r = this.decoder.next()) {
        if (r.kind === 'frame') this.frames.push(r);
      }
    });
    link.onClose((reason) => this.closes.push(reason));
  }

  /** Forgets what arrived so far and decodes afresh from the next byte. */
  reset(): void {
    this.bytes = 0;
    this.chunks.length = 0;
    this.frames.length = 0;
    this.decoder = CODECS.native.createDecoder();
  }

  /** Every byte received, in one array. */
  all(): Uint8Array {
    return concat(this.chunks);
  }
}

const MESSAGES: Message[] = [
  request(1),
  reply(1),
  confirmation(1),
  { type: 'heartbeat' },
  { type: 'ack', ackSeq: 9 },
];

function frames(): Uint8Array[] {
  return MESSAGES.map((m, i) =>
    CODECS.native.encode(m, { seq: i + 1, ackRequired: true, timestampMs: 1_764_420_000_000 }),
  );
}

/**
 * Runs the transport checks on the connected pair `a`–`b`; closes `a` at the end.
 * @param splitFrames how many frames to split at every byte boundary (serial lines are slow: fewer).
 * @param peerSeesClose whether `b` learns that `a` closed (not on a serial line: it has no
 *   hang-up; there the session's idle timeout notices).
 */
export async function exercise(
  a: Link,
  b: Link,
  splitFrames = 2,
  peerSeesClose = true,
): Promise<void> {
  const sa = new Sink(a);
  const sb = new Sink(b);
  const closesA: string[] = [];
  a.onClose((r) => closesA.push(r));

  // Bytes round trip, both ways, every byte value.
  const all = new Uint8Array(256).map((_, i) => i);
  expect(a.write(all)).toBe(true);
  b.write(all.slice().reverse());
  await until(() => sb.bytes === 256 && sa.bytes === 256, 10_000, 'the byte round trip');
  expect(sb.all()).toEqual(all);
  expect(sa.all()).toEqual(all.slice().reverse());
  sa.reset();
  sb.reset();

  // Several frames in one write.
  const f = frames();
  a.write(concat(f));
  await until(() => sb.frames.length === f.length, 10_000, 'frames written at once');
  expect(sb.frames.map((x) => x.message)).toEqual(MESSAGES);

  // Frames split across two writes at every byte boundary.
  let expected = f.length;
  const want: Message[] = [...MESSAGES];
  for (let k = 0; k < splitFrames; k++) {
    const frame = f[k]!;
    for (let i = 1; i < frame.length; i++) {
      a.write(frame.subarray(0, i));
      a.write(frame.subarray(i));
      expected++;
      want.push(MESSAGES[k]!);
    }
  }
  await until(() => sb.frames.length === expected, 20_000, 'split frames');
  expect(sb.frames.map((x) => x.message)).toEqual(want);

  // Close once, both ends.
  a.close('test over');
  a.close('again');
  await until(
    () => (sb.closes.length > 0 || !peerSeesClose) && closesA.length > 0,
    10_000,
    'close',
  );
  await new Promise((r) => setTimeout(r, 20));
  expect(closesA).toEqual(['test over']);
  expect(sa.closes).toEqual(['test over']);
  expect(sb.closes).toHaveLength(peerSeesClose ? 1 : 0);
  expect(a.closed).toBe(true);
  expect(b.closed).toBe(peerSeesClose);
  expect(a.write(all)).toBe(false);
}

/**
 * A listener on `url` and a connected pair [client, server, listener]; the listener is pushed on
 * `listeners` for the caller to close after the test.
 */
export async function linked(url: string, listeners: Listener[]): Promise<[Link, Link, Listener]> {
  const accepted: Link[] = [];
  const l = await listen(url, (link) => accepted.push(link));
  listeners.push(l);
  const client = await connect(l.address);
  await until(() => accepted.length === 1, 5_000, 'accept');
  return [client, accepted[0]!, l];
}
