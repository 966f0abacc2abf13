/**
 * The load generator of `npm run bench -- controller`, run in a worker thread (its own core): N
 * gateway connections over loopback TCP, each a lean PLC — a link sync, then sort requests with
 * ACK required, an ACK for every destination reply — that measures sort requests per second and
 * the round trip of each (request written → reply decoded). Against the raw echo peer the "reply"
 * is the request frame coming back.
 *
 * Closed loop (`depth`): each connection keeps `depth` requests outstanding. Paced (`ratePerSecond`):
 * requests leave on a 1 ms clock at the given total rate, whatever the replies do (open loop).
 *
 * Tracked (`budgetMs`, paced only; the overload levels and the flood bench's well-behaved link):
 * every request carries its real send time in the header stamp (`Date.now()` when it is written,
 * which the controller's admission control measures queueing from), and each request sent in the
 * measured window is followed to its reply: status OK within the budget (goodput), OK but late,
 * busy (status 7), any other status, a NAK, or no reply at all by the end of the drain. Round-trip
 * percentiles are then those of the OK replies.
 */
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import {
  codecByName,
  ReadSource,
  type Codec,
  type DialectName,
  type SortRequest,
} from '../core/protocol/index.js';
import { latencySummary } from '../sim/emulator/index.js';

/** What the worker is given. */
export interface LoadSpec {
  host: string;
  port: number;
  dialect: DialectName;
  connections: number;
  /** Closed loop: outstanding requests per connection. */
  depth?: number;
  /** Paced: requests per second over all connections. */
  ratePerSecond?: number;
  warmupSeconds: number;
  seconds: number;
  /** Label reads to cycle through (decoded scanner data). */
  labels: string[];
  /** Tracked mode (paced only): reply budget, ms; requests are stamped with their send time. */
  budgetMs?: number;
  /** Tracked mode: how long to wait for the replies of the window's requests after it, ms (default 2,000). */
  drainMs?: number;
}

/** What became of the requests sent in the measured window (tracked mode). */
export interface Outcomes {
  /** Requests sent in the window. */
  offered: number;
  /** Status OK within the budget. */
  okInBudget: number;
  /** Status OK, after the budget. */
  okLate: number;
  /** Status busy (7): shed by admission control. */
  busy: number;
  /** Any other reply status (no read, no rule, …). */
  otherStatus: number;
  /** Refused with a NAK (and no reply). */
  naks: number;
  /** No reply and no NAK by the end of the drain. */
  unanswered: number;
  /** Offered, goodput (OK within budget) and busy replies per second of the window. */
  offeredPerSecond: number;
  goodputPerSecond: number;
  busyPerSecond: number;
}

/** What the worker reports. */
export interface LoadResult {
  /** Requests sent in the whole run (warm-up included). */
  sent: number;
  /** Replies received in the measured window. */
  replies: number;
  /** Replies per second in the measured window. */
  perSecond: number;
  /** Round-trip percentiles of the measured window, ms (nearest rank, controller/emulator `latencySummary`). */
  p50: number;
  p99: number;
  max: number;
  /** Tracked mode only. */
  outcomes?: Outcomes;
  /** Connections the controller closed or reset before the generator did. */
  dropped?: number;
}

/** Per-request state in tracked mode. */
const St = {
  UNTRACKED: 0,
  PENDING: 1,
  OK: 2,
  LATE: 3,
  BUSY: 4,
  OTHER: 5,
  NAK: 6,
} as const;
const STATUS_OK = 0;
const STATUS_BUSY = 7;

const MAX_SAMPLES = 4_000_000;
const RING = 1 << 16; // outstanding requests per connection, at most

/** One connection's lean PLC. */
class Gateway {
  private readonly socket: net.Socket;
  private readonly decoder;
  private readonly ring: number;
  private readonly sentAt: Float64Array;
  /** Tracked mode: {@link St} of each request, by task id (null otherwise). */
  readonly state: Uint8Array | null;
  private readonly budgetMs: number;
  private seq = 1;
  private taskId = 0;
  /** Requests written. */
  sent = 0;
  /** Whether the controller closed or reset the connection (before we did). */
  dropped = false;
  private closing = false;
  private readonly header = { seq: 0, ackRequired: true, timestampMs: 0 };
  private readonly ackHeader = { seq: 0, ackRequired: false, timestampMs: 0 };
  private readonly ack = { type: 'ack' as const, ackSeq: 0 };
  private readonly request: SortRequest;
  private readonly labels: string[];
  /** Closed loop: requests to send after each reply (0 when paced). */
  refill = 0;

  constructor(
    private readonly codec: Codec,
    spec: LoadSpec,
    private readonly index: number,
    private readonly clock: LoadClock,
    private readonly onConnected: () => void,
  ) {
    this.request = {
      type: 'sortRequest',
      taskId: 0,
      turn: 1,
      induct: 1 + (index % 8),
      scanner: 1,
      carrier: 1,
      reads: [{ source: ReadSource.SCANNER, scanner: 1, data: '' }],
      weightG: 1250,
      lengthMm: 0,
      widthMm: 0,
      heightMm: 0,
    };
    this.labels = spec.labels;
    this.budgetMs = spec.budgetMs ?? Infinity;
    if (spec.budgetMs !== undefined) {
      // one slot per request of the whole run (never reused: a late reply still finds its request)
      const perGateway = ((spec.ratePerSecond ?? 0) / spec.connections) * 1.25;
      const total = perGateway * (spec.warmupSeconds + spec.seconds + 2) + 1_024;
      this.ring = 2 ** Math.ceil(Math.log2(total));
      this.state = new Uint8Array(this.ring);
    } else {
      this.ring = RING;
      this.state = null;
    }
    this.sentAt = new Float64Array(this.ring);
    this.decoder = codec.createDecoder();
    this.socket = net.connect({ host: spec.host, port: spec.port });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.socket.write(
        codec.encode({ type: 'linkSync', lastReceivedSeq: 0, nextSendSeq: 1 }, this.ackHeader),
      );
      this.onConnected();
    });
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      if (!this.closing) this.dropped = true;
    });
  }

  /** Writes `n` new sort requests (corked into one write). */
  send(n: number): void {
    if (n <= 0) return;
    const s = this.socket;
    s.cork();
    const now = performance.now();
    const stamp = this.state !== null ? Date.now() : 0;
    const mask = this.ring - 1;
    const tracked = this.state !== null && this.clock.measuring ? this.state : null;
    if (this.state !== null && this.taskId + n >= this.ring) n = this.ring - 1 - this.taskId;
    for (let k = 0; k < n; k++) {
      const id = ++this.taskId;
      const r = this.request;
      r.taskId = id;
      r.carrier = 1 + (id % 400);
      r.reads[0]!.data = this.labels[(id * 7 + this.index) % this.labels.length]!;
      this.header.seq = this.seq++;
      this.header.timestampMs = stamp;
      s.write(this.codec.encode(r, this.header));
      this.sentAt[id & mask] = now;
      if (tracked !== null) tracked[id] = St.PENDING;
    }
    this.sent += n;
    process.nextTick(() => s.uncork());
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private received(chunk: Uint8Array): void {
    const d = this.decoder;
    d.push(chunk);
    let replies = 0;
    const s = this.socket;
    let corked = false;
    for (let f = d.next(); f !== null; f = d.next()) {
      if (f.kind !== 'frame') continue;
      const m = f.message;
      let taskId = -1;
      if (m.type === 'nak') {
        // requests and their task ids share one numbering from 1 (seq n carries task n)
        const st = this.state;
        if (st !== null && m.nakSeq < this.ring && st[m.nakSeq] === St.PENDING)
          st[m.nakSeq] = St.NAK;
        continue;
      }
      if (m.type === 'destinationReply') {
        taskId = m.taskId;
        if (f.ackRequired) {
          if (!corked) {
            s.cork();
            corked = true;
          }
          this.ack.ackSeq = f.seq;
          s.write(this.codec.encode(this.ack, this.ackHeader));
        }
      } else if (m.type === 'sortRequest') taskId = m.taskId; // the raw echo peer
      if (taskId < 0) continue;
      const st = this.state;
      if (st !== null) {
        // tracked: the first answer of a request of the window decides (a resend changes nothing)
        if (m.type !== 'destinationReply' || taskId >= this.ring || st[taskId] !== St.PENDING)
          continue;
        const rtt = performance.now() - this.sentAt[taskId]!;
        if (m.status === STATUS_OK) {
          st[taskId] = rtt <= this.budgetMs ? St.OK : St.LATE;
          this.clock.sampleAlways(rtt);
        } else st[taskId] = m.status === STATUS_BUSY ? St.BUSY : St.OTHER;
        continue;
      }
      this.clock.sample(performance.now() - this.sentAt[taskId & (RING - 1)]!);
      replies++;
    }
    if (corked) process.nextTick(() => s.uncork());
    if (replies > 0 && this.refill > 0 && this.clock.running) this.send(replies * this.refill);
  }
}

/** The measurement window and its samples. */
class LoadClock {
  running = true;
  measuring = false;
  count = 0;
  readonly samples = new Float64Array(MAX_SAMPLES);

  sample(ms: number): void {
    if (!this.measuring) return;
    this.sampleAlways(ms);
  }

  sampleAlways(ms: number): void {
    if (this.count < MAX_SAMPLES) this.samples[this.count] = ms;
    this.count++;
  }
}

/** Runs the load described by `spec` and resolves with the measured figures. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const codec = codecByName(spec.dialect);
  const clock = new LoadClock();
  let connected = 0;
  let allConnected: () => void = () => {};
  const ready = new Promise<void>((resolve) => (allConnected = resolve));
  const gateways: Gateway[] = [];
  for (let i = 0; i < spec.connections; i++) {
    gateways.push(
      new Gateway(codec, spec, i, clock, () => {
        if (++connected === spec.connections) allConnected();
      }),
    );
  }
  await ready;
  await new Promise((resolve) => setTimeout(resolve, 50)); // link syncs settle
  let pacer: NodeJS.Timeout | null = null;
  if (spec.depth !== undefined) {
    for (const g of gateways) {
      g.refill = 1;
      g.send(spec.depth);
    }
  } else {
    const perGateway = (spec.ratePerSecond ?? 0) / spec.connections;
    const start = performance.now();
    let sent = 0;
    // Tracked: a generator that fell behind does not catch up in one burst (that would starve its
    // own reading and ACKs, and the controller would see a peer that does not read): at most 5 ms
    // of requests per tick; what it could not send is not offered (offered /s says so).
    const cap = spec.budgetMs !== undefined ? Math.max(1, Math.ceil(perGateway * 0.005)) : Infinity;
    pacer = setInterval(() => {
      const due = Math.floor(((performance.now() - start) / 1000) * perGateway);
      const n = Math.min(due - sent, cap);
      sent = due;
      for (const g of gateways) g.send(n);
    }, 1);
  }
  await new Promise((resolve) => setTimeout(resolve, spec.warmupSeconds * 1000));
  clock.measuring = true;
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, spec.seconds * 1000));
  clock.measuring = false;
  const t1 = performance.now();
  clock.running = false;
  if (pacer !== null) clearInterval(pacer);
  if (spec.budgetMs !== undefined) {
    // the window's requests still in flight get until the end of the drain to be answered
    const until = performance.now() + (spec.drainMs ?? 2_000);
    while (performance.now() < until && gateways.some((g) => g.state!.includes(St.PENDING)))
      await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const g of gateways) g.close();
  const outcomes =
    spec.budgetMs !== undefined ? countOutcomes(gateways, (t1 - t0) / 1000) : undefined;
  const { p50, p99, max } = latencySummary(
    Array.from(clock.samples.subarray(0, Math.min(clock.count, MAX_SAMPLES))),
  );
  return {
    sent: gateways.reduce((n, g) => n + g.sent, 0),
    replies: clock.count,
    perSecond: Math.round(clock.count / ((t1 - t0) / 1000)),
    p50,
    p99,
    max,
    dropped: gateways.filter((g) => g.dropped).length,
    ...(outcomes !== undefined ? { outcomes } : {}),
  };
}

function countOutcomes(gateways: Gateway[], seconds: number): Outcomes {
  const n = new Array<number>(7).fill(0);
  for (const g of gateways) for (const s of g.state!) n[s]!++;
  const okInBudget = n[St.OK]!;
  const busy = n[St.BUSY]!;
  const offered = n.reduce((a, b) => a + b, 0) - n[St.UNTRACKED]!;
  return {
    offered,
    okInBudget,
    okLate: n[St.LATE]!,
    busy,
    otherStatus: n[St.OTHER]!,
    naks: n[St.NAK]!,
    unanswered: n[St.PENDING]!,
    offeredPerSecond: Math.round(offered / seconds),
    goodputPerSecond: Math.round(okInBudget / seconds),
    busyPerSecond: Math.round(busy / seconds),
  };
}

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  const port = parentPort;
  void runLoad(workerData as LoadSpec).then((r) => port.postMessage(r));
}
