/**
 * A scripted gateway peer for the hostile and faulty-PLC tests: a raw TCP or WebSocket connection
 * (127.0.0.1 or ::1 only) that writes whatever frames the test says — wrong numbering, no link
 * sync, bad fields, a forged clock — and records every frame the controller sends back. It does
 * not follow the protocol by itself: the test is the PLC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import {
  codecByName,
  createLinkAuthenticator,
  ReadSource,
  type Codec,
  type DecodedFrame,
  type DialectName,
  type LinkSync,
  type Message,
  type SortRequest,
} from '../../../core/protocol/index.js';
import { loadServeConfig, type ServeConfig } from '../../../controller/config/index.js';
import { startServer, type RunningServer } from '../../../controller/server.js';
import { nodeLinkCrypto } from '../../../controller/session/index.js';
import { pino } from 'pino';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A temporary directory removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sortline-hostile-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once `ok()` holds, polling every 5 ms; rejects after `limitMs` (a bound, not a measurement). */
export async function until(
  ok: () => boolean,
  limitMs = 15_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Log lines of a controller started by {@link controller}. */
export interface LogLine {
  level: number;
  code?: string;
  msg: string;
  [k: string]: unknown;
}

/**
 * Starts a controller in-process on a free loopback port with the bundled plan and a fresh
 * journal; `doc` is merged into the default configuration. Stopped after the test.
 */
export async function controller(
  doc: Record<string, unknown> = {},
  gateway: Record<string, unknown> = {},
): Promise<{ server: RunningServer; config: ServeConfig; logs: LogLine[] }> {
  const logs: LogLine[] = [];
  const data = tempDir();
  const file = path.join(data, 'serve.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    file,
    JSON.stringify({
      ...doc,
      gateway: { listen: 'tcp://127.0.0.1:0', ...gateway },
      data: path.join(data, 'journal'),
    }),
  );
  const config = loadServeConfig(file);
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );
  const server = await startServer(config, { logger });
  cleanups.push(() => server.close());
  return { server, config, logs };
}

/** The scripted peer. */
export class Peer {
  readonly frames: DecodedFrame[] = [];
  /** ACK every business frame received (as a PLC does); false to leave them unacknowledged. */
  autoAck = true;
  closed = false;
  closeReason = '';
  private readonly decoder;
  private writeRaw: (b: Uint8Array) => boolean = () => false;
  private destroyFn: () => void = () => {};
  private pauseFn: () => void = () => {};

  private constructor(readonly codec: Codec) {
    this.decoder = codec.createDecoder();
  }

  /**
   * Connects to `url` (`tcp://127.0.0.1:PORT` or `ws://…`), from `localAddress` when given (a
   * second loopback address such as 127.0.0.2 is another peer address). Closed after the test.
   */
  static async connect(
    url: string,
    dialect: DialectName,
    opts: { localAddress?: string; origin?: string } = {},
  ): Promise<Peer> {
    const p = new Peer(codecByName(dialect));
    cleanups.push(() => p.destroy());
    const u = new URL(url);
    if (u.protocol === 'tcp:') {
      const socket = net.connect({
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: Number(u.port),
        ...(opts.localAddress !== undefined ? { localAddress: opts.localAddress } : {}),
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      });
      socket.on('error', () => {});
      socket.on('data', (c: Buffer) => p.receive(c));
      socket.on('close', () => p.onClose('closed'));
      p.writeRaw = (b) => socket.write(b);
      p.destroyFn = () => socket.destroy();
      p.pauseFn = () => socket.pause();
    } else {
      const ws = new WebSocket(url, {
        perMessageDeflate: false,
        ...(opts.localAddress !== undefined ? { localAddress: opts.localAddress } : {}),
        ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
      });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
        ws.once('unexpected-response', (_q, res) =>
          reject(new Error(`HTTP ${res.statusCode ?? '?'}`)),
        );
      });
      ws.on('error', () => {});
      ws.on('message', (d: Buffer) => p.receive(d));
      ws.on('close', () => p.onClose('closed'));
      p.writeRaw = (b) => {
        ws.send(b, { binary: true });
        return true;
      };
      p.destroyFn = () => ws.terminate();
      p.pauseFn = () => ws.pause();
    }
    return p;
  }

  /** Writes `m` numbered `seq`, ACK-required when `seq` > 0, stamped `ts` (default now). */
  write(m: Message, seq: number, ts = Date.now(), ackRequired = seq !== 0): void {
    this.writeRaw(this.codec.encode(m, { seq, ackRequired, timestampMs: ts }));
  }

  /** Writes raw bytes. */
  bytes(b: Uint8Array): void {
    this.writeRaw(b);
  }

  /** Writes a link sync. */
  sync(lastReceivedSeq = 0, nextSendSeq = 1, extra: Partial<LinkSync> = {}): void {
    this.write({ type: 'linkSync', lastReceivedSeq, nextSendSeq, ...extra }, 0);
  }

  /**
   * Answers the controller's challenge (its link sync with a nonce) with a proof made from
   * `secret`, after waiting for the challenge.
   */
  async prove(secret: string, lastReceivedSeq = 0, nextSendSeq = 1): Promise<void> {
    await until(() => this.of('linkSync').some((f) => (f.message as LinkSync).nonce !== undefined));
    const challenge = (
      this.of('linkSync').find((f) => (f.message as LinkSync).nonce)!.message as LinkSync
    ).nonce!;
    const auth = createLinkAuthenticator('plc', secret, nodeLinkCrypto);
    const nonce = auth.nonce();
    this.sync(lastReceivedSeq, nextSendSeq, {
      nonce,
      proof: auth.proof(challenge, nonce, lastReceivedSeq, nextSendSeq),
    });
  }

  /** Stops reading what the controller sends (a peer that does not read). */
  stopReading(): void {
    this.pauseFn();
  }

  /** The frames received of message type `type`. */
  of(type: Message['type']): DecodedFrame[] {
    return this.frames.filter((f) => f.message.type === type);
  }

  /** The NAKs received, as `seq:reason`. */
  naks(): string[] {
    return this.of('nak').map((f) => {
      const m = f.message as { nakSeq: number; reason: number };
      return `${m.nakSeq}:${m.reason}`;
    });
  }

  destroy(): void {
    this.destroyFn();
  }

  private receive(chunk: Uint8Array): void {
    this.decoder.push(chunk);
    for (let r = this.decoder.next(); r !== null; r = this.decoder.next()) {
      if (r.kind !== 'frame') continue;
      this.frames.push(r);
      if (this.autoAck && r.ackRequired && r.seq > 0)
        this.write({ type: 'ack', ackSeq: r.seq }, 0, Date.now(), false);
    }
  }

  private onClose(reason: string): void {
    this.closed = true;
    this.closeReason = reason;
  }
}

/** A sort request for task `taskId` with one scanner read of `data` (default: a Nanjing postal code). */
export function request(taskId: number, data = ']C1421156210008', turn = 1): SortRequest {
  return {
    type: 'sortRequest',
    taskId,
    turn,
    induct: 1,
    scanner: 1,
    carrier: 1 + (taskId % 400),
    reads: [{ source: ReadSource.SCANNER, scanner: 1, data }],
    weightG: 0,
    lengthMm: 0,
    widthMm: 0,
    heightMm: 0,
  };
}
