/**
 * Strangers at the gateway (issue 8, finding 3): a peer from an address not on the allow-list, a
 * peer with a wrong secret or none, a second peer while the PLC's link is alive, a web page's
 * WebSocket: none of them can sync, change a chute or move the controller's clock; each attempt
 * is logged with a code and counted. Before, any connection that completed a link sync replaced
 * the PLC's link. All over 127.0.0.1 / 127.0.0.2 (both loopback).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  codecByName,
  createLinkAuthenticator,
  NakReason,
  WireChuteState,
  type DestinationReply,
  type Message,
} from '../../../core/protocol/index.js';
import { loadServeConfig } from '../../../controller/config/index.js';
import { connectSession, nodeLinkCrypto } from '../../../controller/session/index.js';
import { controller, Peer, request, sleep, tempDir, until } from './peer.js';

const SECRET = 'a-gateway-secret-of-40-characters-long!!';
const replies = (p: Peer): DestinationReply[] =>
  p.of('destinationReply').map((f) => f.message as DestinationReply);
const session = (s: { server: { sessions: { sessions: ReadonlySet<unknown> } } }) =>
  [...s.server.sessions.sessions][0] as {
    stats: Record<string, number>;
    currentLink: { remote: string } | null;
  };

describe('who may connect', () => {
  it('a peer address not on the allow-list is closed at accept, before a byte is read; logged and counted', async () => {
    const c = await controller({}, { allow: ['127.0.0.2'] });
    const stranger = await Peer.connect(c.server.address, 'native', { localAddress: '127.0.0.1' });
    stranger.sync();
    stranger.write(request(1), 1);
    await until(() => stranger.closed);
    expect(stranger.frames).toEqual([]);
    expect(c.server.gatewayStats.refusedConnections).toBe(1);
    expect(c.logs.some((l) => l.code === 'SORTLINE_ERR_TRANSPORT_PEER_REFUSED')).toBe(true);
    expect(c.server.service.stats.requests).toBe(0);
    // the PLC's own address is served
    const plc = await Peer.connect(c.server.address, 'native', { localAddress: '127.0.0.2' });
    plc.sync();
    plc.write(request(1), 1);
    await until(() => replies(plc).length === 1);
  });

  it('the default configuration listens on 127.0.0.1 and admits loopback peers only; 0.0.0.0 needs --expose and an allow-list', () => {
    const dir = tempDir();
    const d = loadServeConfig(undefined, {}, dir);
    expect(d.gateway.listen).toBe('tcp://127.0.0.1:7300');
    expect(d.gateway.allow).toEqual(['127.0.0.0/8', '::1']);
    expect(d.gateway.exposed).toBe(false);
    const fault = (o: Parameters<typeof loadServeConfig>[1]) => {
      try {
        loadServeConfig(undefined, o, dir);
        return null;
      } catch (e) {
        return (e as { code: string; details: { pointer: string }[] }).details.map(
          (x) => x.pointer,
        );
      }
    };
    expect(fault({ gateway: 'tcp://0.0.0.0:7300' })).toEqual(['/gateway/listen', '/gateway/allow']);
    expect(fault({ gateway: 'tcp://0.0.0.0:7300', exposed: true })).toEqual(['/gateway/allow']);
    const open = loadServeConfig(
      undefined,
      { gateway: 'tcp://0.0.0.0:7300', exposed: true, allow: ['10.0.0.0/8'] },
      dir,
    );
    expect(open.warnings.join('\n')).toMatch(/without a shared secret[\s\S]*without TLS/);
    expect(fault({ gateway: 'tcp://127.0.0.1:7300', allow: ['10.0.0.0/33'] })).toEqual([
      '/gateway/allow/0',
    ]);
  });
});

describe('the shared secret', () => {
  it('a wrong proof closes the connection; no proof never gets business through; the right proof is served', async () => {
    const c = await controller({}, { secret: SECRET });
    // wrong secret
    const wrong = await Peer.connect(c.server.address, 'native');
    wrong.sync(0, 1, { nonce: '0'.repeat(32) });
    await wrong.prove('another-secret-of-enough-length');
    await until(() => wrong.closed);
    expect(c.logs.some((l) => l.code === 'SORTLINE_ERR_SESSION_AUTH_FAILED')).toBe(true);
    // no proof at all: a legacy sync; its business frames are refused
    const none = await Peer.connect(c.server.address, 'native');
    none.sync();
    none.write(request(1), 1);
    none.write({ type: 'chuteState', chute: 1, state: WireChuteState.DISABLED }, 2);
    await until(() => none.naks().length === 2);
    expect(none.naks()).toEqual([`1:${NakReason.RESYNC}`, `2:${NakReason.RESYNC}`]);
    expect(c.server.service.stats.requests).toBe(0);
    expect(c.server.service.stats.chuteChanges).toBe(0);
    none.destroy();
    // the PLC
    const plc = await Peer.connect(c.server.address, 'native');
    await plc.prove(SECRET);
    plc.write(request(1), 1);
    await until(() => replies(plc).length === 1);
    const s = session(c).stats;
    expect(s.authFailures).toBe(1);
  });

  it('the emulated PLC side of the handshake (a session with the secret) links up and is served', async () => {
    const c = await controller({}, { secret: SECRET });
    const got: Message[] = [];
    const client = connectSession(
      c.server.address,
      codecByName('native'),
      { onMessage: (m) => void got.push(m) },
      { session: { auth: createLinkAuthenticator('plc', SECRET, nodeLinkCrypto) } },
    );
    try {
      await until(() => client.session.linkUp);
      client.session.send(request(1));
      await until(() => got.some((m) => m.type === 'destinationReply'));
    } finally {
      await client.close();
    }
  });

  it('a connection that never proves the secret is closed after the handshake time', async () => {
    const c = await controller({}, { secret: SECRET, session: { handshakeTimeoutMs: 300 } });
    const silent = await Peer.connect(c.server.address, 'native');
    await until(() => silent.closed);
    expect(session(c).stats.handshakeFailures).toBe(1);
    expect(c.logs.some((l) => l.code === 'SORTLINE_ERR_SESSION_HANDSHAKE')).toBe(true);
  });
});

describe('one link per gateway', () => {
  it('a second peer that syncs while the PLC is alive is refused, logged and counted; the PLC keeps its link', async () => {
    const c = await controller();
    const plc = await Peer.connect(c.server.address, 'native', { localAddress: '127.0.0.1' });
    plc.sync();
    plc.write(request(1), 1);
    await until(() => replies(plc).length === 1);
    const rogue = await Peer.connect(c.server.address, 'native', { localAddress: '127.0.0.2' });
    rogue.sync();
    rogue.write({ type: 'chuteState', chute: 1, state: WireChuteState.DISABLED }, 1);
    await until(() => rogue.closed);
    expect(c.server.service.stats.chuteChanges).toBe(0);
    expect(session(c).stats.refusedPeers).toBe(1);
    expect(c.logs.some((l) => l.code === 'SORTLINE_ERR_SESSION_SECOND_PEER')).toBe(true);
    plc.write(request(2), 2);
    await until(() => replies(plc).length === 2);
    expect(plc.closed).toBe(false);
  });

  it('a PLC reconnecting from its own address replaces its old link; another address may take over only once the link is silent for takeoverIdleMs', async () => {
    const c = await controller({}, { session: { takeoverIdleMs: 300 } });
    const first = await Peer.connect(c.server.address, 'native', { localAddress: '127.0.0.1' });
    first.sync();
    first.write(request(1), 1);
    await until(() => replies(first).length === 1);
    // the same PLC again (its old connection half-open): replaces it at once
    const again = await Peer.connect(c.server.address, 'native', { localAddress: '127.0.0.1' });
    again.sync(1, 2);
    again.write(request(2), 2);
    await until(() => replies(again).length === 1);
    await until(() => first.closed);
    // the link goes silent; after takeoverIdleMs a standby gateway on another address takes over
    again.autoAck = false;
    await sleep(400);
    const standby = await Peer.connect(c.server.address, 'native', { localAddress: '127.0.0.2' });
    standby.sync(2, 3);
    standby.write(request(3), 3);
    await until(() => replies(standby).some((r) => r.taskId === 3));
    expect(session(c).stats.refusedPeers).toBe(0);
  });
});

describe('web pages', () => {
  it('a WebSocket handshake with an Origin header not allowed is refused with HTTP 403; a gateway without Origin connects', async () => {
    const c = await controller({}, { listen: 'ws://127.0.0.1:0/plc' });
    await expect(
      Peer.connect(c.server.address, 'native', { origin: 'http://evil.example' }),
    ).rejects.toThrow(/HTTP 403/);
    expect(c.server.gatewayStats.refusedOrigins).toBe(1);
    expect(c.logs.some((l) => l.code === 'SORTLINE_ERR_TRANSPORT_ORIGIN_REFUSED')).toBe(true);
    const plc = await Peer.connect(c.server.address, 'native');
    plc.sync();
    plc.write(request(1), 1);
    await until(() => replies(plc).length === 1);
  });
});

describe('TLS', () => {
  /** A self-signed certificate for 127.0.0.1 made with openssl (Debian's). */
  function selfSigned(dir: string): { cert: string; key: string } {
    const cert = path.join(dir, 'gw.crt');
    const key = path.join(dir, 'gw.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=sortline-test',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { cert, key };
  }

  it.each(['tls://127.0.0.1:0', 'wss://127.0.0.1:0/plc'])(
    '%s: a PLC trusting the certificate is served; one trusting another CA cannot connect',
    async (listen) => {
      const dir = tempDir();
      const { cert, key } = selfSigned(dir);
      const c = await controller({}, { listen, tls: { certFile: cert, keyFile: key } });
      expect(c.server.address).toMatch(/^(tls|wss):\/\//);
      const got: Message[] = [];
      const errors: string[] = [];
      const client = connectSession(
        c.server.address,
        codecByName('native'),
        { onMessage: (m) => void got.push(m) },
        { transport: { tls: { ca: readFileSync(cert, 'utf8') } } },
      );
      const other = selfSigned(tempDir());
      const stranger = connectSession(
        c.server.address,
        codecByName('native'),
        { onMessage: () => {} },
        {
          transport: { tls: { ca: readFileSync(other.cert, 'utf8') } },
          onConnectError: (e) => void errors.push(e.message),
          reconnect: { initialDelayMs: 1_000, maxDelayMs: 1_000 },
        },
      );
      try {
        await until(() => client.session.linkUp);
        client.session.send(request(1));
        await until(() => got.some((m) => m.type === 'destinationReply'));
        await until(() => errors.length >= 1);
        expect(errors[0]).toMatch(/certificate|self.signed/i);
        expect(stranger.session.linkUp).toBe(false);
      } finally {
        await client.close();
        await stranger.close();
      }
    },
  );
});
