/**
 * WebSocket links over real sockets on 127.0.0.1 and ::1: the transport checks, binary only (a
 * text message is a counted fault), the path, handshake errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  connect,
  listen,
  type Listener,
  type WsLink,
} from '../../../controller/transport/index.js';
import { type Link, type LinkFault } from '../../../core/protocol/index.js';
import { exercise, linked, until } from './exercise.js';

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

describe('WebSocket links', () => {
  it('pass the transport checks on 127.0.0.1 with a path, client to server', async () => {
    const [c, s, l] = await linked('ws://127.0.0.1:0/gateway', listeners);
    expect(l.address).toMatch(/^ws:\/\/127\.0\.0\.1:[1-9][0-9]*\/gateway$/);
    expect(c.kind).toBe('ws');
    await exercise(c, s);
  });

  it('pass the transport checks on ::1, server to client', async () => {
    const [c, s, l] = await linked('ws://[::1]:0/', listeners);
    expect(l.address).toMatch(/^ws:\/\/\[::1\]:[1-9][0-9]*\/$/);
    await exercise(s, c);
  });

  it('drop a text message as a fault and keep the connection', async () => {
    const accepted: Link[] = [];
    const l = await listen('ws://127.0.0.1:0/gw', (link) => accepted.push(link));
    listeners.push(l);
    const raw = new WebSocket(l.address);
    await new Promise((r) => raw.once('open', r));
    await until(() => accepted.length === 1);
    const s = accepted[0]!;
    const faults: LinkFault[] = [];
    const data: number[] = [];
    s.onFault((f) => faults.push(f));
    s.onData((c) => data.push(...c));
    raw.send('{"type":"heartbeat","seq":0}\n');
    raw.send(Uint8Array.of(7, 8, 9));
    await until(() => data.length === 3);
    expect(faults.map((f) => f.code)).toEqual(['SORTLINE_ERR_TRANSPORT_TEXT_MESSAGE']);
    expect(data).toEqual([7, 8, 9]);
    expect(s.closed).toBe(false);
    raw.terminate();
  });

  it('refuse another path: SORTLINE_ERR_TRANSPORT_CONNECT with the HTTP status', async () => {
    const l = await listen('ws://127.0.0.1:0/gateway', () => {});
    listeners.push(l);
    const wrong = l.address.replace('/gateway', '/other');
    await expect(connect(wrong)).rejects.toMatchObject({
      code: 'SORTLINE_ERR_TRANSPORT_CONNECT',
      message: expect.stringContaining('HTTP 400'),
    });
  });

  it('a terminated connection closes the other end once', async () => {
    const [c, s] = await linked('ws://127.0.0.1:0/', listeners);
    const reasons: string[] = [];
    s.onClose((r) => reasons.push(r));
    (c as WsLink).ws.terminate();
    await until(() => reasons.length === 1);
    expect(reasons[0]).toContain('closed by peer');
  });
});
