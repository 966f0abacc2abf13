/**
 * Session construction, options, detach and close (fake time).
 */
import { describe, expect, it } from 'vitest';
import {
  CODECS,
  Session,
  SESSION_DEFAULTS,
  resolveSessionOptions,
  memoryLinkPair,
} from '../../../core/protocol/index.js';
import { flush, ManualClock, Recorder, reply } from './helpers.js';
import { rig } from './setup.js';

const codec = CODECS.native;

describe('session options', () => {
  it('defaults are the figures of DESIGN.md: resend after 300 ms up to 3 times, heartbeat 5 s, idle 30 s', () => {
    const o = resolveSessionOptions(codec);
    expect(o).toMatchObject({
      resendAfterMs: 300,
      maxResends: 3,
      heartbeatMs: 5_000,
      idleTimeoutMs: 30_000,
    });
    expect(SESSION_DEFAULTS.deferAck).toEqual([]);
  });

  it('rounds duplicateWindow up to a power of two', () => {
    expect(
      resolveSessionOptions(codec, { maxInFlight: 10, duplicateWindow: 100 }).duplicateWindow,
    ).toBe(128);
  });

  it.each([
    [{ resendAfterMs: 0 }, 'resendAfterMs'],
    [{ maxResends: -1 }, 'maxResends'],
    [{ maxInFlight: 1.5 }, 'maxInFlight'],
    [{ maxInFlight: 64, duplicateWindow: 32 }, 'duplicateWindow'],
    [{ initialSeq: 0 }, 'initialSeq'],
    [{ deferAck: ['ack'] }, 'deferAck'],
    [{ maxFrameBytes: 3 }, 'maxFrameBytes'],
    [{ resendAfterMS: 300 }, 'resendAfterMS'],
  ])('refuses %j naming %s', (options, name) => {
    expect(() => resolveSessionOptions(codec, options as never)).toThrowError(
      expect.objectContaining({
        code: 'SORTLINE_ERR_SESSION_BAD_OPTION',
        message: expect.stringContaining(name),
      }),
    );
  });

  it('refuses a telegram initialSeq beyond its six digits', () => {
    expect(() => resolveSessionOptions(CODECS.telegram, { initialSeq: 1_000_000 })).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_SESSION_BAD_OPTION' }),
    );
  });

  it('a handler factory receives the session being built', () => {
    let seen: Session | null = null;
    const s = new Session(codec, (session) => {
      seen = session;
      return new Recorder();
    });
    expect(seen).toBe(s);
  });
});

describe('session close', () => {
  it('waits until the peer acknowledged everything queued, then closes the link', async () => {
    const r = await rig(codec);
    r.session.send(reply(1));
    r.session.send(reply(2));
    let closed = false;
    const done = r.session.close().then(() => (closed = true));
    await flush();
    expect(closed).toBe(false);
    expect(r.session.send(reply(3))).toBe(true);
    r.peer.ack(1);
    r.peer.ack(2);
    await flush();
    expect(closed).toBe(false);
    r.peer.ack(3);
    await done;
    expect(r.session.closed).toBe(true);
    await flush();
    expect(r.a.closed).toBe(true);
    expect(() => r.session.send(reply(4))).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_SESSION_CLOSED' }),
    );
    expect(() => r.session.attach(memoryLinkPair()[0])).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_SESSION_CLOSED' }),
    );
  });

  it('gives up after closeTimeoutMs when the peer does not acknowledge', async () => {
    const r = await rig(codec, { closeTimeoutMs: 500, maxResends: 100 });
    r.session.send(reply(1));
    let closed = false;
    void r.session.close().then(() => (closed = true));
    await r.clock.advance(499);
    expect(closed).toBe(false);
    await r.clock.advance(1);
    expect(closed).toBe(true);
    expect(r.session.connected).toBe(false);
  });

  it('closes at once without a link', async () => {
    const s = new Session(codec, new Recorder(), {}, new ManualClock());
    s.send(reply(1));
    await s.close();
    expect(s.closed).toBe(true);
  });

  it('detach keeps what is unacknowledged for the next link', async () => {
    const r = await rig(codec);
    r.session.send(reply(1));
    await flush();
    r.session.detach('maintenance');
    await flush();
    expect(r.rec.downs).toEqual(['maintenance']);
    expect(r.session.stats.inFlight).toBe(1);
    expect(r.session.connected).toBe(false);
    expect(r.clock.pending).toBe(0);
  });
});
