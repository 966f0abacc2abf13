/**
 * Test helpers for sessions: a manual clock, a scripted raw peer that reads and writes frames on
 * a link without a session, and message builders.
 */
import {
  Outcome,
  ReadSource,
  type Codec,
  type DecodedFrame,
  type DecodeFault,
  type FrameHeader,
  type Message,
  type NakReasonCode,
  type BusinessMessage,
  type Clock,
  type SessionHandler,
  type Link,
} from '../../../core/protocol/index.js';

/** 2025-11-29T12:40:00Z. */
export const T0 = 1_764_420_000_000;

/** Lets every queued microtask (memory-link deliveries) run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** A clock that moves only when told; timers fire in time order, microtasks run between them. */
export class ManualClock implements Clock {
  t = T0;
  private timers: Timer[] = [];
  private nextId = 1;

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Timers pending now. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order (microtasks flushed before and after each). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      let first: Timer | null = null;
      for (const t of this.timers)
        if (
          t.at <= end &&
          (first === null || t.at < first.at || (t.at === first.at && t.id < first.id))
        )
          first = t;
      if (first === null) break;
      this.timers = this.timers.filter((t) => t !== first);
      this.t = first.at;
      first.fn();
    }
    this.t = end;
    await flush();
  }
}

/** A peer without a session: records what arrives, writes frames as told. */
export class RawPeer {
  readonly frames: DecodedFrame[] = [];
  readonly faults: DecodeFault[] = [];
  /** Every chunk received, as received. */
  readonly chunks: Uint8Array[] = [];
  closedWith: string | null = null;

  constructor(
    readonly link: Link,
    readonly codec: Codec,
  ) {
    const dec = codec.createDecoder();
    link.onData((c) => {
      this.chunks.push(c);
      dec.push(c);
      for (let r = dec.next(); r !== null; r = dec.next())
        (r.kind === 'frame' ? this.frames : this.faults).push(r as never);
    });
    link.onClose((reason) => {
      this.closedWith = reason;
    });
  }

  /** Writes `message` with the given header fields. */
  write(message: Message, seq: number, ackRequired = seq !== 0, timestampMs = T0): Uint8Array {
    const bytes = this.codec.encode(message, { seq, ackRequired, timestampMs });
    this.link.write(bytes);
    return bytes;
  }

  ack(seq: number): void {
    this.write({ type: 'ack', ackSeq: seq }, 0);
  }

  nak(seq: number, reason: NakReasonCode): void {
    this.write({ type: 'nak', nakSeq: seq, reason }, 0);
  }

  sync(lastReceivedSeq: number, nextSendSeq: number): void {
    this.write({ type: 'linkSync', lastReceivedSeq, nextSendSeq }, 0);
  }

  /** Frames of `type` received so far. */
  of(type: Message['type']): DecodedFrame[] {
    return this.frames.filter((f) => f.message.type === type);
  }

  /** Sequence numbers ACKed so far, in order. */
  acked(): number[] {
    return this.of('ack').map((f) => (f.message as { ackSeq: number }).ackSeq);
  }

  /** Business frames received so far. */
  business(): DecodedFrame[] {
    return this.frames.filter((f) => f.seq !== 0 || f.ackRequired);
  }
}

/** A handler that records everything; deferred `ack`s are kept for the test to call. */
export class Recorder implements SessionHandler {
  readonly messages: { message: BusinessMessage; header: FrameHeader }[] = [];
  readonly acks: (() => void)[] = [];
  readonly downs: string[] = [];
  readonly faults: string[] = [];
  ups = 0;

  onMessage(message: BusinessMessage, header: FrameHeader, ack: () => void): void {
    this.messages.push({
      message,
      header: { seq: header.seq, ackRequired: header.ackRequired, timestampMs: header.timestampMs },
    });
    this.acks.push(ack);
  }

  onLinkUp(): void {
    this.ups++;
  }

  onLinkDown(reason: string): void {
    this.downs.push(reason);
  }

  onFault(fault: { code: string }): void {
    this.faults.push(fault.code);
  }

  /** Task ids (or chute numbers) of the messages received, in order. */
  ids(): number[] {
    return this.messages.map(({ message: m }) => ('taskId' in m ? m.taskId : m.chute));
  }
}

/** A sort request for task `taskId` (one scanner read). */
export function request(taskId: number): BusinessMessage {
  return {
    type: 'sortRequest',
    taskId,
    turn: 1,
    induct: 2,
    scanner: 3,
    carrier: 17,
    reads: [{ source: ReadSource.SCANNER, scanner: 1, data: ']C1403771-K23-05' }],
    weightG: 1250,
    lengthMm: 300,
    widthMm: 200,
    heightMm: 100,
  };
}

/** A destination reply for task `taskId`. */
export function reply(taskId: number): BusinessMessage {
  return {
    type: 'destinationReply',
    taskId,
    turn: 1,
    chutes: [17, 18],
    exceptionChute: 200,
    status: 0,
  };
}

/** A terminal sort confirmation for task `taskId`. */
export function confirmation(taskId: number): BusinessMessage {
  return { type: 'sortConfirmation', taskId, turn: 1, chute: 17, outcome: Outcome.DISCHARGED };
}
