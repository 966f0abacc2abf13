/**
 * Peers that send and never read (issue 8, finding 2): the controller (`sortline serve` in its
 * own process) stops reading from such a peer, then drops it with a coded error, and its memory
 * stays bounded; another gateway connection is answered all the while. Before, the controller's
 * RSS grew by about 1.9 GB in 30 s. Bounded in time (a few seconds per flood) and count.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { codecByName, type DialectName } from '../../../core/protocol/index.js';
import { nativeFrameOf } from '../../protocol/build.js';
import { startServe, tempDir } from '../e2e/helpers.js';
import { Peer, request, sleep, until } from './peer.js';

/** Resident set size of process `pid`, in MB (Linux /proc). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) / 1024;
}

/** Flood kinds: what the peer sends, as fast as the socket takes it, without reading. */
const KINDS = {
  requests: (codec: ReturnType<typeof codecByName>, seq: number) =>
    codec.encode(request(seq), { seq, ackRequired: true, timestampMs: Date.now() }),
  confirmations: (codec: ReturnType<typeof codecByName>, seq: number) =>
    codec.encode(
      { type: 'sortConfirmation', taskId: seq, turn: 1, chute: 1, outcome: 0 },
      { seq, ackRequired: true, timestampMs: Date.now() },
    ),
  // a body that is not a valid message: each one answered with a NAK
  malformed: (_codec: ReturnType<typeof codecByName>, seq: number) =>
    nativeFrameOf(1, { taskId: 'x' }, { seq, tsLow: 1 }),
} as const;

/** Writes `kind` frames on a raw socket for `ms`, keeping at most 4 MB buffered on our side. */
async function flood(port: number, dialect: DialectName, kind: keyof typeof KINDS, ms: number) {
  const codec = codecByName(dialect);
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.on('error', () => {});
  let closed = false;
  let ours = false;
  socket.on('close', () => (closed = !ours));
  socket.pause(); // never read
  socket.write(
    codec.encode(
      { type: 'linkSync', lastReceivedSeq: 0, nextSendSeq: 1 },
      { seq: 0, ackRequired: false, timestampMs: Date.now() },
    ),
  );
  let seq = 1;
  const end = Date.now() + ms;
  while (Date.now() < end && !closed && !socket.destroyed) {
    // A socket the controller reset is destroyed at once but reports 'close' only on a later
    // turn of the event loop; writes to it are not buffered, so the bound is checked against
    // `writable` too, and a turn is bounded in count, or this loop would spin creating errors.
    for (let n = 0; n < 20_000 && socket.writable && socket.writableLength < 4 << 20; n++) {
      socket.write(KINDS[kind](codec, seq++));
    }
    await sleep(2);
  }
  // destroyed before we destroy it: the controller ended the link (reset or close)
  const dropped = closed || socket.destroyed;
  ours = true;
  socket.destroy();
  return { sent: seq - 1, closedByController: dropped };
}

describe('a peer that does not read', () => {
  it.each(['requests', 'confirmations', 'malformed'] as const)(
    'flooding %s: it is dropped with a coded error, RSS stays under 300 MB, another gateway is answered',
    async (kind) => {
      const dir = tempDir();
      const serve = await startServe([
        '--data',
        `${dir}/data`,
        '--gateway',
        'tcp://127.0.0.1:0',
        '--connections',
        'many',
        '--log-level',
        'warn',
        '--config',
        writeConfig(dir),
      ]);
      const port = Number(new URL(serve.address).port);
      const before = rssMb(serve.proc.pid!);
      const f = flood(port, 'native', kind, 6_000);
      // meanwhile a well-behaved gateway is answered
      await sleep(500);
      const good = await Peer.connect(serve.address, 'native');
      good.sync();
      let peak = 0;
      for (let i = 1; i <= 50; i++) {
        good.write(request(i), i);
        await until(
          () => good.of('destinationReply').length === i,
          15_000,
          `reply ${i} during the flood`,
        );
        peak = Math.max(peak, rssMb(serve.proc.pid!));
        await sleep(50);
      }
      const result = await f;
      peak = Math.max(peak, rssMb(serve.proc.pid!));
      expect(result.sent).toBeGreaterThan(1_000);
      expect(peak).toBeLessThan(300);
      expect(peak - before).toBeLessThan(200);
      // dropped with a code: it does not read (PEER_NOT_READING), or, flooding requests, it does
      // not acknowledge the replies either (NO_ACK), whichever bound it reaches first
      await until(
        () => /SORTLINE_ERR_SESSION_(PEER_NOT_READING|NO_ACK)/.test(serve.stderr()),
        20_000,
        'the coded drop',
      );
      expect(result.closedByController).toBe(true);
      serve.proc.kill('SIGTERM');
      await serve.exited;
    },
    60_000,
  );
});

/** A configuration with a short write stall, so the flooding peer is dropped within the test. */
function writeConfig(dir: string): string {
  const file = `${dir}/serve.json`;
  writeFileSync(file, JSON.stringify({ gateway: { session: { writeStallMs: 2_000 } } }));
  return file;
}
