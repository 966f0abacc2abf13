/**
 * Which sort confirmations the controller has acknowledged, read off the wire: a tap between the
 * emulated PLC's session and its link decodes the frames the session writes (sequence number →
 * confirmation) and the ACK and link-sync frames it receives, with the session's rules
 * (docs/protocol.md "Link rules"): an ACK acknowledges the frame with its sequence number; a link
 * sync acknowledges every frame up to and including its `lastReceivedSeq`. A confirmation the
 * controller refused with a NAK that forbids resending stays unacknowledged (the session drops
 * it: it is lost).
 */
import {
  seqAfter,
  type Codec,
  type SortConfirmation,
  type StreamDecoder,
  type Link,
} from '../../core/protocol/index.js';
import { LinkDecorator } from './link-decorator.js';

/** Both directions of a link as raw bytes, for recording a session: `out` is what the PLC wrote (before fault injection). */
export type WireListener = (direction: 'in' | 'out', bytes: Uint8Array) => void;

/** Key of a confirmation: the fields that make it unique within a task's life. */
function keyOf(m: SortConfirmation): string {
  return `${m.taskId}/${m.turn}/${m.outcome}/${m.chute}`;
}

/** Tracks confirmations from `expect` (handed to the session) to their acknowledgement. */
export class ConfirmationTracker {
  /** Confirmations not yet acknowledged: key → task id. */
  private readonly pendingByKey = new Map<string, number>();
  /** Confirmation frames written and not yet acknowledged: sequence number → key. */
  private readonly written = new Map<number, string>();
  /** Confirmations acknowledged. */
  acknowledged = 0;

  constructor(private readonly codec: Codec) {}

  /** Confirmations handed to the session and not yet acknowledged by the controller. */
  get pending(): number {
    return this.pendingByKey.size;
  }

  /** Task ids with a confirmation not yet acknowledged, ascending. */
  unacknowledgedTasks(): number[] {
    return [...new Set(this.pendingByKey.values())].sort((a, b) => a - b);
  }

  /** True when `m` was handed to the session and is not yet acknowledged. */
  isPending(m: SortConfirmation): boolean {
    return this.pendingByKey.has(keyOf(m));
  }

  /** A confirmation is being handed to the session. */
  expect(m: SortConfirmation): void {
    this.pendingByKey.set(keyOf(m), m.taskId);
  }

  /** Wraps a link of the session so its frames are observed; `wire` (optional) gets both directions' bytes. */
  tap(link: Link, wire?: WireListener): Link {
    return new TappedLink(link, this, this.codec.createDecoder(), this.codec.createDecoder(), wire);
  }

  /**
   * The PLC restarted: a new session numbers from 1 again, so the sequence numbers written so far
   * mean nothing now; the confirmations still pending stay pending (they are sent again).
   */
  restarted(): void {
    this.written.clear();
  }

  /** A frame the session wrote. */
  onWritten(seq: number, m: SortConfirmation): void {
    const key = keyOf(m);
    if (this.pendingByKey.has(key)) this.written.set(seq, key);
  }

  /** An ACK for `seq` arrived. */
  onAck(seq: number): void {
    const key = this.written.get(seq);
    if (key === undefined) return;
    this.written.delete(seq);
    this.release(key);
  }

  /** A link sync arrived: the controller has every frame up to `lastReceivedSeq` (0 = none). */
  onLinkSync(lastReceivedSeq: number): void {
    if (lastReceivedSeq === 0) return;
    const max = this.codec.maxSeq;
    for (const [seq, key] of this.written) {
      if (seq === lastReceivedSeq || seqAfter(lastReceivedSeq, seq, max)) {
        this.written.delete(seq);
        this.release(key);
      }
    }
  }

  private release(key: string): void {
    if (this.pendingByKey.delete(key)) this.acknowledged++;
  }
}

/** The tap: decodes what passes, hands it on unchanged. */
class TappedLink extends LinkDecorator {
  constructor(
    inner: Link,
    private readonly tracker: ConfirmationTracker,
    private readonly outDecoder: StreamDecoder,
    private readonly inDecoder: StreamDecoder,
    private readonly wire: WireListener | undefined,
  ) {
    super(inner);
  }

  override write(bytes: Uint8Array): boolean {
    this.wire?.('out', bytes);
    const d = this.outDecoder;
    d.push(bytes);
    for (let r = d.next(); r !== null; r = d.next()) {
      if (r.kind === 'frame' && r.message.type === 'sortConfirmation' && r.ackRequired)
        this.tracker.onWritten(r.seq, r.message);
    }
    return super.write(bytes);
  }

  protected override received(chunk: Uint8Array): void {
    this.wire?.('in', chunk);
    const d = this.inDecoder;
    d.push(chunk);
    for (let r = d.next(); r !== null; r = d.next()) {
      if (r.kind !== 'frame') continue;
      const m = r.message;
      if (m.type === 'ack') this.tracker.onAck(m.ackSeq);
      else if (m.type === 'linkSync') this.tracker.onLinkSync(m.lastReceivedSeq);
    }
  }
}
