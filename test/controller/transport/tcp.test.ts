/**
 * TCP links over real sockets on 127.0.0.1 and ::1: the transport checks, port 0, listen and
 * connect errors, backpressure, a drop seen by both ends.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connect,
  listen,
  type Listener,
  type TcpLink,
} from '../../../controller/transport/index.js';
import { exercise, linked, until } from './exercise.js';

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

describe('TCP links', () => {
  it('pass the transport checks on 127.0.0.1, client to server', async () => {
    const [c, s, l] = await linked('tcp://127.0.0.1:0', listeners);
    expect(l.address).toMatch(/^tcp:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    expect(c.kind).toBe('tcp');
    expect(s.remote).toMatch(/^tcp:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    await exercise(c, s);
  });

  it('pass the transport checks on ::1, server to client', async () => {
    const [c, s, l] = await linked('tcp://[::1]:0', listeners);
    expect(l.address).toMatch(/^tcp:\/\/\[::1\]:[1-9][0-9]*$/);
    await exercise(s, c);
  });

  it('a destroyed socket closes both ends once', async () => {
    const [c, s] = await linked('tcp://127.0.0.1:0', listeners);
    const reasons: string[] = [];
    s.onClose((r) => reasons.push(r));
    (c as TcpLink).socket.destroy();
    await until(() => reasons.length === 1, 5_000, 'close');
    expect(reasons[0]).toMatch(/closed by peer|socket error/);
  });

  it('write returns false when the socket buffer is full, and drain follows once the peer reads', async () => {
    const [c, s] = await linked('tcp://127.0.0.1:0', listeners);
    const sock = (s as TcpLink).socket;
    sock.pause();
    let drained = 0;
    c.onDrain(() => drained++);
    const chunk = new Uint8Array(64 * 1024);
    let writes = 0;
    while (c.write(chunk)) {
      writes++;
      if (writes > 10_000) throw new Error('write never returned false');
      await new Promise((r) => setImmediate(r));
    }
    let got = 0;
    s.onData((d) => (got += d.length));
    sock.resume();
    await until(() => drained === 1, 10_000, 'drain');
    await until(() => got === (writes + 1) * chunk.length, 10_000, 'all bytes');
    c.close();
  });

  it('connect to a closed port: SORTLINE_ERR_TRANSPORT_CONNECT naming the address', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    await expect(connect(`tcp://127.0.0.1:${port}`)).rejects.toMatchObject({
      code: 'SORTLINE_ERR_TRANSPORT_CONNECT',
      message: expect.stringContaining(`tcp://127.0.0.1:${port}`),
    });
  });

  it('listen on a port in use: SORTLINE_ERR_TRANSPORT_LISTEN', async () => {
    const [, , l] = await linked('tcp://127.0.0.1:0', listeners);
    await expect(listen(l.address, () => {})).rejects.toMatchObject({
      code: 'SORTLINE_ERR_TRANSPORT_LISTEN',
    });
  });

  it('a bad address is refused before any I/O', async () => {
    await expect(connect('tcp://127.0.0.1')).rejects.toMatchObject({
      code: 'SORTLINE_ERR_TRANSPORT_BAD_URL',
    });
    await expect(listen('udp://127.0.0.1:1', () => {})).rejects.toMatchObject({
      code: 'SORTLINE_ERR_TRANSPORT_BAD_URL',
    });
  });

  it('closing the listener closes the links it accepted', async () => {
    const [c, s, l] = await linked('tcp://127.0.0.1:0', listeners);
    listeners.length = 0;
    await l.close();
    await until(() => c.closed && s.closed, 5_000, 'links closed');
    expect(s.closed).toBe(true);
  });
});
