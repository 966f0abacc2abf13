/**
 * serveSessions (one session per address, or one per connection) and connectSession (reconnect
 * backoff on fake time) over real sockets on 127.0.0.1.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CODECS, type Session, type Link } from '../../../core/protocol/index.js';
import { connectSession, serveSessions } from '../../../controller/session/index.js';
import { connect } from '../../../controller/transport/index.js';
import { until } from '../../controller/transport/exercise.js';
import { ManualClock, RawPeer, Recorder, request } from './helpers.js';

const codec = CODECS.native;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}

describe('serveSessions', () => {
  it("'one': a single session from the start; a new connection replaces the old and keeps what is unacknowledged", async () => {
    const made: Session[] = [];
    const rec = new Recorder();
    const server = await serveSessions('tcp://127.0.0.1:0', codec, (s) => {
      made.push(s);
      return rec;
    });
    cleanup.push(() => server.close());
    expect(made).toHaveLength(1);
    expect([...server.sessions]).toEqual(made);
    const session = made[0]!;
    // Queued before any PLC connected.
    session.send({ type: 'chuteState', chute: 4, state: 3 });
    const l1 = await connect(server.address);
    cleanup.push(() => l1.destroy());
    const p1 = new RawPeer(l1, codec);
    p1.sync(0, 1);
    await until(() => p1.business().length === 1);
    const l2: Link = await connect(server.address);
    cleanup.push(() => l2.destroy());
    const p2 = new RawPeer(l2, codec);
    await until(() => l1.closed && p2.of('linkSync').length === 1);
    expect(p2.of('linkSync')[0]!.message).toEqual({
      type: 'linkSync',
      lastReceivedSeq: 0,
      nextSendSeq: 2,
    });
    p2.sync(0, 1);
    // Not acknowledged on the first connection: resent, unchanged, on the second.
    await until(() => p2.business().length === 1);
    expect(p2.business()[0]!.seq).toBe(1);
    expect(made).toHaveLength(1);
    expect(rec.downs).toHaveLength(1);
  });

  it("'many': a session per connection, closed with it", async () => {
    const made: Session[] = [];
    const server = await serveSessions(
      'tcp://127.0.0.1:0',
      codec,
      (s) => {
        made.push(s);
        return new Recorder();
      },
      { connections: 'many' },
    );
    cleanup.push(() => server.close());
    expect(server.sessions.size).toBe(0);
    const a = await connect(server.address);
    const b = await connect(server.address);
    cleanup.push(() => b.destroy());
    await until(() => server.sessions.size === 2);
    a.destroy();
    await until(() => server.sessions.size === 1);
    expect(made.filter((s) => s.closed)).toHaveLength(1);
  });
});

describe('connectSession', () => {
  it('retries with a doubling delay up to maxDelayMs, reporting each failure; connects once the server is up', async () => {
    const port = await freePort();
    const clock = new ManualClock();
    const errors: string[] = [];
    const rec = new Recorder();
    const client = connectSession(`tcp://127.0.0.1:${port}`, codec, rec, {
      clock,
      reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
      onConnectError: (e) => errors.push(e.code),
    });
    cleanup.push(() => client.close());
    await until(() => errors.length === 1);
    const attemptAfter = async (ms: number, n: number): Promise<void> => {
      await clock.advance(ms - 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(errors).toHaveLength(n - 1);
      await clock.advance(1);
      await until(() => errors.length === n);
    };
    await attemptAfter(100, 2);
    await attemptAfter(200, 3);
    await attemptAfter(400, 4);
    await attemptAfter(400, 5);
    expect(new Set(errors)).toEqual(new Set(['SORTLINE_ERR_TRANSPORT_CONNECT']));
    // The server comes up; the next attempt connects and the queued message goes out.
    const hostRec = new Recorder();
    // the client's fake clock reads 2025: the host's clock window is not what this test is about
    const server = await serveSessions(`tcp://127.0.0.1:${port}`, codec, () => hostRec, {
      session: { clockWindowMs: 0 },
    });
    cleanup.push(() => server.close());
    client.session.send(request(1));
    await clock.advance(400);
    await until(() => client.session.connected);
    await until(() => hostRec.ids().length === 1);
    expect(hostRec.ids()).toEqual([1]);
    expect(errors).toHaveLength(5);
  });

  it('refuses a bad address at once', () => {
    expect(() => connectSession('tcp://nowhere', codec, new Recorder())).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_TRANSPORT_BAD_URL' }),
    );
  });
});
