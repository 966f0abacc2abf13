/**
 * A link sync that arrives while none is awaited (the peer re-attached without this side
 * noticing, as on a serial line, which has no connections) is answered with ours, at once and
 * once: the answer to an answer is not answered again. On a serial line a sync wait that runs out
 * is expected (nobody may be at the far end yet) and is logged at debug, elsewhere at warn.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  CODECS,
  type LinkSync,
  Session,
  memoryLinkPair,
  NakReason,
  type Link,
  type LinkKind,
} from '../../../core/protocol/index.js';
import { LinkDecorator } from '../../../sim/emulator/index.js';
import { flush, ManualClock, RawPeer, Recorder, request } from './helpers.js';

const codec = CODECS.telegram;

/** A memory link that calls itself a serial line. */
class SerialLike extends LinkDecorator {
  override readonly kind: LinkKind = 'serial';
  constructor(inner: Link) {
    super(inner);
  }
}

/** The link syncs `peer` received so far. */
function syncs(peer: RawPeer): LinkSync[] {
  return peer.of('linkSync').map((f) => f.message as LinkSync);
}

describe('session: answering a link sync that was not awaited', () => {
  it('answers the link sync of a peer that started after the sync wait ran out, and its frames flow at once', async () => {
    const clock = new ManualClock();
    const rec = new Recorder();
    const session = new Session(codec, rec, {}, clock);
    const [a, b] = memoryLinkPair();
    const peer = new RawPeer(b, codec);
    session.attach(a);
    await clock.advance(1_000); // no peer yet: the wait runs out
    expect(syncs(peer)).toHaveLength(1);
    session.send(request(1));
    await flush();
    // a business frame before the peer's link sync: refused, the peer is told to sync
    peer.write(request(1), 1);
    await flush();
    expect(rec.ids()).toEqual([]);
    expect(peer.of('nak').map((f) => f.message)).toEqual([
      { type: 'nak', nakSeq: 1, reason: NakReason.RESYNC },
    ]);
    expect(syncs(peer)).toHaveLength(2);
    expect(session.stats.unsyncedFrames).toBe(1);
    // the peer (restarted, fresh numbering) announces itself
    peer.sync(0, 1);
    await flush();
    const all = syncs(peer);
    expect(all).toHaveLength(3);
    // the answer says what this side has (nothing of the peer's numbering yet)
    expect(all[2]).toMatchObject({ lastReceivedSeq: 0, nextSendSeq: 2 });
    // and it came before the resend of the unacknowledged frame 1
    const order = peer.frames.map((f) => f.message.type);
    expect(order.lastIndexOf('linkSync')).toBeLessThan(order.lastIndexOf('sortRequest'));
    // the peer answers the answer (its own wait ran out on a slow line): not answered again
    peer.sync(0, 1);
    await flush();
    expect(syncs(peer)).toHaveLength(3);
    // now its frames flow
    peer.write(request(1), 1);
    await flush();
    expect(rec.ids()).toEqual([1]);
  });

  it('does not answer the link sync of a peer that attached together with it', async () => {
    const clock = new ManualClock();
    const session = new Session(codec, new Recorder(), {}, clock);
    const [a, b] = memoryLinkPair();
    const peer = new RawPeer(b, codec);
    session.attach(a);
    await flush();
    peer.sync(0, 1);
    await clock.advance(1_000);
    expect(syncs(peer)).toHaveLength(1);
  });

  it('logs a sync wait that ran out at debug on a serial line, at warn on other links', async () => {
    for (const serial of [true, false]) {
      const lines: string[] = [];
      const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
      const clock = new ManualClock();
      const session = new Session(codec, new Recorder(), { logger }, clock);
      const [a, b] = memoryLinkPair();
      new RawPeer(b, codec);
      session.attach(serial ? new SerialLike(a) : a);
      await clock.advance(1_000);
      const wait = lines
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .filter((l) => l.msg.startsWith('no link sync from the peer'));
      expect(wait.map((l) => l.level)).toEqual([serial ? 20 : 40]);
    }
  });
});
