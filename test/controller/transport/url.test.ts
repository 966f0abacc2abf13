/**
 * Gateway address parsing: the forms of docs/transports.md, and coded errors naming what was expected.
 */
import { describe, expect, it } from 'vitest';
import {
  formatEndpoint,
  parseEndpoint,
  resolveTransportOptions,
} from '../../../controller/transport/index.js';

describe('gateway addresses', () => {
  it.each([
    ['tcp://127.0.0.1:7000', { kind: 'tcp', host: '127.0.0.1', port: 7000 }],
    ['tcp://[::1]:0', { kind: 'tcp', host: '::1', port: 0 }],
    ['tcp://localhost:65535/', { kind: 'tcp', host: 'localhost', port: 65535 }],
    ['ws://[::1]:7001/gateway', { kind: 'ws', host: '::1', port: 7001, path: '/gateway' }],
    ['ws://127.0.0.1:7001', { kind: 'ws', host: '127.0.0.1', port: 7001, path: '/' }],
    ['ws://gateway.local/plc', { kind: 'ws', host: 'gateway.local', port: 80, path: '/plc' }],
    [
      '/dev/ttyUSB0',
      {
        kind: 'serial',
        path: '/dev/ttyUSB0',
        baudRate: 115200,
        dataBits: 8,
        parity: 'none',
        stopBits: 1,
      },
    ],
    ['COM3', { kind: 'serial', path: 'COM3', baudRate: 115200 }],
    [
      'serial:///dev/pts/3?baudRate=9600',
      { kind: 'serial', path: '/dev/pts/3', baudRate: 9600, dataBits: 8 },
    ],
    [
      'serial:///dev/ttyS1?baudRate=19200&dataBits=7&parity=even&stopBits=2',
      {
        kind: 'serial',
        path: '/dev/ttyS1',
        baudRate: 19200,
        dataBits: 7,
        parity: 'even',
        stopBits: 2,
      },
    ],
  ])('%s', (url, expected) => {
    expect(parseEndpoint(url)).toMatchObject(expected);
  });

  it.each([
    ['tcp://127.0.0.1:7000', 'tcp://127.0.0.1:7000'],
    ['tcp://[::1]:7000', 'tcp://[::1]:7000'],
    ['ws://[::1]:7001/gateway', 'ws://[::1]:7001/gateway'],
    ['/dev/pts/3', 'serial:///dev/pts/3?baudRate=115200'],
    [
      'serial:///dev/ttyS1?parity=odd&baudRate=9600',
      'serial:///dev/ttyS1?baudRate=9600&parity=odd',
    ],
  ])('formats %s as %s, which parses back the same', (url, formatted) => {
    expect(formatEndpoint(parseEndpoint(url))).toBe(formatted);
    expect(parseEndpoint(formatted)).toEqual(parseEndpoint(url));
  });

  it.each([
    ['', 'expected tcp://HOST:PORT'],
    ['127.0.0.1:7000', 'did you mean tcp://127.0.0.1:7000'],
    ['localhost:7000', 'did you mean tcp://localhost:7000'],
    ['localhost', 'no scheme'],
    ['http://127.0.0.1:80', 'scheme http: is not supported'],
    ['https://127.0.0.1:443/x', 'the gateway speaks wss:// or ws://'],
    ['tcp://127.0.0.1', 'expected a port'],
    ['tcp://127.0.0.1:70000', 'port is 0–65535'],
    ['tcp://127.0.0.1:7000/path', 'no path expected'],
    ['tcp://127.0.0.1:7000?x=1', 'no query or fragment'],
    ['tcp://:7000', 'check the host'],
    ['tcp:///7000', 'expected a host'],
    ['tcp://user:pw@127.0.0.1:7000', 'user names and passwords'],
    ['serial://host/dev/ttyUSB0', 'three slashes, no host'],
    ['serial://', 'three slashes'],
    ['serial:///dev/ttyUSB0?baudRate=fast', 'baudRate: expected a whole number'],
    ['serial:///dev/ttyUSB0?parity=maybe', 'parity: expected one of none, even, odd, mark, space'],
    ['serial:///dev/ttyUSB0?dataBits=9', 'dataBits: expected 5, 6, 7 or 8'],
    ['serial:///dev/ttyUSB0?stopBits=3', 'stopBits: expected 1, 1.5 or 2'],
    ['serial:///dev/ttyUSB0?speed=9600', 'unknown setting "speed"'],
    [
      '/dev/ttyUSB0?baudRate=9600',
      'need the serial:// form, as in serial:///dev/ttyUSB0?baudRate=9600',
    ],
  ])('refuses %j: %s', (url, what) => {
    let err: unknown;
    try {
      parseEndpoint(url);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'SORTLINE_ERR_TRANSPORT_BAD_URL' });
    expect((err as Error).message).toContain(JSON.stringify(url));
    expect((err as Error).message).toContain(what);
  });

  it('transport options: defaults, and coded errors for bad values', () => {
    expect(resolveTransportOptions()).toMatchObject({
      keepAliveMs: 10_000,
      connectTimeoutMs: 5_000,
    });
    expect(() => resolveTransportOptions({ keepAliveMs: -1 })).toThrowError(
      expect.objectContaining({
        code: 'SORTLINE_ERR_TRANSPORT_BAD_OPTION',
        message: expect.stringContaining('keepAliveMs'),
      }),
    );
    expect(() => resolveTransportOptions({ bogus: 1 } as never)).toThrowError(
      expect.objectContaining({ code: 'SORTLINE_ERR_TRANSPORT_BAD_OPTION' }),
    );
  });
});
