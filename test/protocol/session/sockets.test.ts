/**
 * Sessions over real sockets (127.0.0.1 only): a dialling client session (the PLC's side) and a
 * served session (the host's side) exchange 1,000 business messages each way while the
 * connection is destroyed at random moments — every message arrives exactly once and in order.
 * Over a socat pty pair, the same exchange without drops. Real time is used for delivery only;
 * nothing is timed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  CODECS,
  type DialectName,
  type BusinessMessage,
  type Session,
  type SessionClient,
  type SessionHandler,
  type Link,
} from '../../../core/protocol/index.js';
import {
  connectSession,
  serveSessions,
  type SessionServer,
} from '../../../controller/session/index.js';
import { TcpLink, WsLink } from '../../../controller/transport/index.js';
import { ptyPair, type PtyPair } from '../../controller/transport/socat.js';
import { until } from '../../controller/transport/exercise.js';
import { reply, request } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** xorshift32: deterministic choices for the test. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function collector(into: number[]): SessionHandler {
  return { onMessage: (m: BusinessMessage) => void into.push((m as { taskId: number }).taskId) };
}

/** Destroys the transport under `link` abruptly (no close handshake, unsent bytes lost). */
function cut(link: Link | null): void {
  if (link instanceof TcpLink) link.socket.destroy();
  else if (link instanceof WsLink) link.ws.terminate();
}

/** Sends `make(1..n)` through `session`, waiting for drain when it refuses, in batches spread over time. */
async function pump(
  session: Session,
  n: number,
  make: (i: number) => BusinessMessage,
): Promise<void> {
  for (let i = 1; i <= n;) {
    if (session.send(make(i))) {
      i++;
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 1));
    } else await new Promise<void>((r) => session.onDrain(r));
  }
}

async function pair(
  url: string,
  codec: DialectName,
): Promise<{
  server: SessionServer;
  client: SessionClient;
  host: () => Session;
  hostGot: number[];
  plcGot: number[];
}> {
  const hostGot: number[] = [];
  const plcGot: number[] = [];
  let host: Session | null = null;
  const server = await serveSessions(url, CODECS[codec], (s) => {
    host = s;
    return collector(hostGot);
  });
  cleanup.push(() => server.close());
  const client = connectSession(server.address, CODECS[codec], collector(plcGot), {
    reconnect: { initialDelayMs: 5, maxDelayMs: 50 },
  });
  cleanup.push(() => client.close());
  return { server, client, host: () => host!, hostGot, plcGot };
}

describe.each([
  ['tcp://127.0.0.1:0', 'native'],
  ['tcp://127.0.0.1:0', 'telegram'],
  ['ws://127.0.0.1:0/gateway', 'ndjson'],
  ['ws://127.0.0.1:0/gateway', 'native'],
] as const)('sessions over %s (%s)', (url, dialect) => {
  it('1,000 messages each way, random disconnects: each delivered exactly once, in order', async () => {
    const N = 1_000;
    const { client, host, hostGot, plcGot } = await pair(url, dialect);
    const random = rng(dialect.length * 7919 + url.length);
    let drops = 0;
    let stop = false;
    const chaos = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 3 + random() * 20));
        if (stop) break;
        cut(random() < 0.5 ? client.session.currentLink : host().currentLink);
        drops++;
      }
    })();
    await until(() => client.session.linkUp, 10_000, 'first connection');
    await Promise.all([pump(client.session, N, request), pump(host(), N, reply)]);
    await until(() => hostGot.length >= N && plcGot.length >= N, 40_000, 'all messages');
    stop = true;
    await chaos;
    await until(
      () => client.session.stats.inFlight + host().stats.inFlight === 0 && client.session.linkUp,
      20_000,
      'everything acknowledged',
    );
    const ids = Array.from({ length: N }, (_, i) => i + 1);
    expect(hostGot).toEqual(ids);
    expect(plcGot).toEqual(ids);
    expect(drops).toBeGreaterThan(3);
    expect(client.session.stats.linkUps).toBeGreaterThan(1);
  }, 90_000);
});

describe('sessions over a serial line (socat pty pair)', () => {
  let pty: PtyPair | null = null;
  afterEach(async () => {
    await pty?.stop();
    pty = null;
  });

  it('300 messages each way, both directions delivered once, in order', async () => {
    pty = await ptyPair();
    const N = 300;
    const hostGot: number[] = [];
    const plcGot: number[] = [];
    let host: Session | null = null;
    const server = await serveSessions(pty.paths[0], CODECS.ndjson, (s) => {
      host = s;
      return collector(hostGot);
    });
    cleanup.push(() => server.close());
    expect(server.address).toBe(`serial://${pty.paths[0]}?baudRate=115200`);
    const plc = connectSession(
      `serial://${pty.paths[1]}?baudRate=115200`,
      CODECS.ndjson,
      collector(plcGot),
      { reconnect: { initialDelayMs: 5, maxDelayMs: 50 } },
    );
    cleanup.push(() => plc.close());
    await until(() => plc.session.linkUp && host!.linkUp, 10_000, 'link sync over the line');
    await Promise.all([pump(plc.session, N, request), pump(host!, N, reply)]);
    await until(() => hostGot.length >= N && plcGot.length >= N, 40_000, 'all messages');
    const ids = Array.from({ length: N }, (_, i) => i + 1);
    expect(hostGot).toEqual(ids);
    expect(plcGot).toEqual(ids);
    // the only faults allowed are those of the start: a line has no connect, so one end may send
    // before the other's link sync has crossed (answered NAK resync, then resent), seen in the
    // full suite on a loaded machine
    for (const st of [plc.session.stats, host!.stats]) expect(st.faults).toBe(st.unsyncedFrames);
    expect(plc.session.stats.rejected + host!.stats.rejected).toBe(0);
  }, 60_000);
});
