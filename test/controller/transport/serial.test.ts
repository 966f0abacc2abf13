/**
 * Serial links over a pty pair from socat: the transport checks (fewer split frames: a line is
 * slow), open errors, and the device path forms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../../controller/transport/index.js';
import { type Link } from '../../../core/protocol/index.js';
import { exercise, until } from './exercise.js';
import { ptyPair, type PtyPair } from './socat.js';

let pair: PtyPair | null = null;
const links: Link[] = [];
afterEach(async () => {
  for (const l of links.splice(0)) l.destroy();
  await pair?.stop();
  pair = null;
});

describe('serial links', () => {
  it('pass the transport checks over a socat pty pair (device path and serial:// URL)', async () => {
    pair = await ptyPair();
    const a = await connect(pair.paths[0]);
    const b = await connect(`serial://${pair.paths[1]}?baudRate=115200`);
    links.push(a, b);
    expect(a.kind).toBe('serial');
    expect(a.remote).toBe(`serial://${pair.paths[0]}?baudRate=115200`);
    await exercise(a, b, 1, false);
    const reasons: string[] = [];
    b.onClose((r) => reasons.push(r));
    // The other end learns of it only when the device goes away.
    await pair.stop();
    pair = null;
    await until(() => reasons.length > 0, 10_000, 'device gone');
    expect(reasons).toHaveLength(1);
  });

  it('a missing device: SORTLINE_ERR_TRANSPORT_CONNECT naming it', async () => {
    await expect(connect('/dev/sortline-no-such-tty')).rejects.toMatchObject({
      code: 'SORTLINE_ERR_TRANSPORT_CONNECT',
      message: expect.stringContaining('/dev/sortline-no-such-tty'),
    });
  });
});
