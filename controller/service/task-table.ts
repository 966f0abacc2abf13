/**
 * The sort service's tasks in typed arrays: one record per task (one parcel's life, from its first
 * sort request or confirmation to its terminal outcome), found by (gateway, PLC task id) through an
 * open-addressing index, like core/plan/id-table.ts but mutable.
 *
 * - Records are struct-of-arrays, recycled through a free list; a record index stays valid for the
 *   record's whole life (the index moves, records never do).
 * - Index: linear probing over a power-of-two `Int32Array` of record indices (-1 empty), load
 *   factor at most 0.5, deletion by backward shift (Knuth, TAOCP vol. 3, §6.4 Algorithm R), so no
 *   tombstones. Hash: the 32-bit finaliser of MurmurHash3 (Appleby) over `taskId ^ gateway · φ`.
 * - Open tasks whose reply lists chutes hang on an intrusive doubly linked list of their first
 *   chute, so a chute state change finds the parcels to reroute without a scan.
 * - Open tasks also sit on a list in opening order: past `maxOpen` the oldest open task is evicted.
 * - Closed tasks are remembered in a ring of `closedMemory` entries, newest last, so a confirmation
 *   resent after its task closed is recognised as a duplicate; the oldest is forgotten first.
 *
 * Growth doubles every array (rare, amortised); nothing else allocates.
 */
import { Limits } from '../../core/protocol/index.js';
import { grow } from '../../core/typed-arrays.js';

/** Record states. */
export const TaskState = { FREE: 0, OPEN: 1, CLOSED: 2 } as const;

/** No intermediate confirmation seen yet (`lastOutcome`). */
export const NO_OUTCOME = 255;

const PHI = 0x9e3779b1 | 0;
const INITIAL_RECORDS = 1024;

/** Sizing of a {@link TaskTable}. */
export interface TaskTableOptions {
  /** Open tasks kept in memory; past it the oldest open task is evicted (counted by the caller). */
  maxOpen: number;
  /** Closed tasks remembered for duplicate detection. */
  closedMemory: number;
  /** Chutes of the machine (per-chute lists). */
  chuteCount: number;
}

/** Tasks of every gateway, keyed by (gateway id, PLC task id). */
export class TaskTable {
  /** Gateway id of the record. */
  gateway: Uint32Array;
  /** PLC task id (uint32). */
  taskId: Uint32Array;
  /** Task number: the journal's id of this task's life (see controller/journal). */
  number: Float64Array;
  /** {@link TaskState}. */
  state: Uint8Array;
  /** Turn of the latest sort request (0 for a task opened by a confirmation). */
  turn: Uint8Array;
  /** Destination index of the latest reply, or -Fallback code when the parcel was not routed. */
  destination: Int32Array;
  /** ReplyStatus of the latest reply. */
  status: Uint8Array;
  /** Exception chute index of the latest reply (-1 none). */
  exceptionChute: Int32Array;
  /** Chute indices of the latest reply: `chutes[r * MAX_CHUTES ..][0 .. chuteCount[r])`. */
  chutes: Int32Array;
  chuteCount: Uint8Array;
  /** The last intermediate confirmation seen (turn, outcome, chute number): a resend of it is a duplicate. */
  lastTurn: Uint8Array;
  lastOutcome: Uint8Array;
  lastChute: Uint16Array;
  /** Terminal outcome of a closed task. */
  outcome: Uint8Array;
  /**
   * PLC clock (frame header timestamp, ms) of the frame that closed the task; 0 when unknown (no
   * clock, or restored from a journal of schema 1). Tells a resent old request from a reused task id.
   */
  closedStampMs: Float64Array;
  /** Fingerprint of the content of the latest turn's sort request (its reads, induct, carrier, weight). */
  requestPrint: Uint32Array;
  /** PLC clock (frame header, ms; 0 unknown) of the latest turn's sort request. */
  requestStampMs: Float64Array;

  private slots: Int32Array;
  private nextFree: Int32Array;
  private freeHead = -1;
  // per-first-chute lists of open tasks
  private chuteNext: Int32Array;
  private chutePrev: Int32Array;
  private onChute: Int32Array;
  readonly chuteHead: Int32Array;
  // opening-order list of open tasks
  private ageNext: Int32Array;
  private agePrev: Int32Array;
  private ageHead = -1;
  private ageTail = -1;
  // ring of closed tasks
  private readonly ring: Int32Array;
  private ringPos: Int32Array;
  private ringNext = 0;
  private readonly maxOpen: number;
  /** Open tasks now. */
  openCount = 0;
  /** Closed tasks remembered now. */
  closedCount = 0;

  constructor(options: TaskTableOptions) {
    this.maxOpen = options.maxOpen;
    this.ring = new Int32Array(Math.max(1, options.closedMemory)).fill(-1);
    this.chuteHead = new Int32Array(options.chuteCount).fill(-1);
    const n = INITIAL_RECORDS;
    this.gateway = new Uint32Array(n);
    this.taskId = new Uint32Array(n);
    this.number = new Float64Array(n);
    this.state = new Uint8Array(n);
    this.turn = new Uint8Array(n);
    this.destination = new Int32Array(n);
    this.status = new Uint8Array(n);
    this.exceptionChute = new Int32Array(n);
    this.chutes = new Int32Array(n * Limits.MAX_CHUTES);
    this.chuteCount = new Uint8Array(n);
    this.lastTurn = new Uint8Array(n);
    this.lastOutcome = new Uint8Array(n);
    this.lastChute = new Uint16Array(n);
    this.outcome = new Uint8Array(n);
    this.closedStampMs = new Float64Array(n);
    this.requestPrint = new Uint32Array(n);
    this.requestStampMs = new Float64Array(n);
    this.nextFree = new Int32Array(n);
    this.chuteNext = new Int32Array(n);
    this.chutePrev = new Int32Array(n);
    this.onChute = new Int32Array(n).fill(-1);
    this.ageNext = new Int32Array(n);
    this.agePrev = new Int32Array(n);
    this.ringPos = new Int32Array(n).fill(-1);
    this.slots = new Int32Array(n * 2).fill(-1);
    this.linkFree(0, n);
  }

  /** Record index of (gateway, taskId), open or closed; -1 when unknown. */
  find(gateway: number, taskId: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = hash(gateway, taskId) & mask;
    for (;;) {
      const r = slots[i]!;
      if (r < 0) return -1;
      if (this.taskId[r] === taskId && this.gateway[r] === gateway) return r;
      i = (i + 1) & mask;
    }
  }

  /**
   * A new open record for (gateway, taskId) with task number `number`; returns its index. The key
   * must not be in the table (reuse a closed record with {@link reopen}). Check {@link overflow}
   * afterwards.
   */
  open(gateway: number, taskId: number, number: number): number {
    if (this.freeHead < 0) this.grow();
    const r = this.freeHead;
    this.freeHead = this.nextFree[r]!;
    this.gateway[r] = gateway;
    this.taskId[r] = taskId;
    this.insertSlot(r);
    this.initOpen(r, number);
    return r;
  }

  /** Turns the closed record `r` into a new open life with task number `number` (the PLC reused its task id). */
  reopen(r: number, number: number): void {
    const pos = this.ringPos[r]!;
    if (pos >= 0) {
      this.ring[pos] = -1;
      this.ringPos[r] = -1;
    }
    this.closedCount--;
    this.initOpen(r, number);
  }

  /**
   * The oldest open task when more than `maxOpen` are open (the caller evicts it with
   * {@link remove}), else -1.
   */
  overflow(): number {
    return this.openCount > this.maxOpen ? this.ageHead : -1;
  }

  /**
   * Closes the open record `r` with its terminal outcome, closed by a frame the PLC stamped
   * `stampMs` (0 unknown); the ring may forget the oldest closed record.
   */
  close(r: number, outcome: number, stampMs = 0): void {
    this.closedStampMs[r] = stampMs;
    this.unlinkChute(r);
    this.unlinkAge(r);
    this.openCount--;
    this.state[r] = TaskState.CLOSED;
    this.outcome[r] = outcome;
    const ring = this.ring;
    const pos = this.ringNext;
    const old = ring[pos]!;
    if (old >= 0) {
      this.ringPos[old] = -1;
      this.closedCount--;
      this.release(old);
    }
    ring[pos] = r;
    this.ringPos[r] = pos;
    this.closedCount++;
    this.ringNext = pos + 1 === ring.length ? 0 : pos + 1;
  }

  /** Forgets the open or closed record `r` entirely. */
  remove(r: number): void {
    if (this.state[r] === TaskState.OPEN) {
      this.unlinkChute(r);
      this.unlinkAge(r);
      this.openCount--;
    } else if (this.state[r] === TaskState.CLOSED) {
      const pos = this.ringPos[r]!;
      if (pos >= 0) {
        this.ring[pos] = -1;
        this.ringPos[r] = -1;
      }
      this.closedCount--;
    }
    this.release(r);
  }

  /**
   * Stores the reply of open record `r` (chute indices `chutes[0 .. n)`) and files the task under
   * its first chute.
   */
  setReply(
    r: number,
    destination: number,
    status: number,
    exceptionChute: number,
    chutes: Int32Array,
    n: number,
  ): void {
    this.destination[r] = destination;
    this.status[r] = status;
    this.exceptionChute[r] = exceptionChute;
    const base = r * Limits.MAX_CHUTES;
    for (let k = 0; k < n; k++) this.chutes[base + k] = chutes[k]!;
    this.chuteCount[r] = n;
    this.unlinkChute(r);
    if (n > 0) this.linkChute(r, chutes[0]!);
  }

  /** True when the reply of `r` lists exactly the chutes `chutes[0 .. n)` with that status and exception chute. */
  sameReply(
    r: number,
    status: number,
    exceptionChute: number,
    chutes: Int32Array,
    n: number,
  ): boolean {
    if (
      this.status[r] !== status ||
      this.exceptionChute[r] !== exceptionChute ||
      this.chuteCount[r] !== n
    )
      return false;
    const base = r * Limits.MAX_CHUTES;
    for (let k = 0; k < n; k++) if (this.chutes[base + k] !== chutes[k]) return false;
    return true;
  }

  /** Next open task on the same first-chute list as `r` (-1 at the end); start from `chuteHead[c]`. */
  nextOnChute(r: number): number {
    return this.chuteNext[r]!;
  }

  private initOpen(r: number, number: number): void {
    this.number[r] = number;
    this.requestPrint[r] = 0;
    this.requestStampMs[r] = 0;
    this.state[r] = TaskState.OPEN;
    this.turn[r] = 0;
    this.destination[r] = 0;
    this.status[r] = 0;
    this.exceptionChute[r] = -1;
    this.chuteCount[r] = 0;
    this.lastOutcome[r] = NO_OUTCOME;
    this.onChute[r] = -1;
    this.openCount++;
    // append to the age list
    this.ageNext[r] = -1;
    this.agePrev[r] = this.ageTail;
    if (this.ageTail >= 0) this.ageNext[this.ageTail] = r;
    else this.ageHead = r;
    this.ageTail = r;
  }

  private release(r: number): void {
    this.deleteSlot(r);
    this.state[r] = TaskState.FREE;
    this.nextFree[r] = this.freeHead;
    this.freeHead = r;
  }

  private linkChute(r: number, chute: number): void {
    const head = this.chuteHead[chute]!;
    this.chuteNext[r] = head;
    this.chutePrev[r] = -1;
    if (head >= 0) this.chutePrev[head] = r;
    this.chuteHead[chute] = r;
    this.onChute[r] = chute;
  }

  private unlinkChute(r: number): void {
    const chute = this.onChute[r]!;
    if (chute < 0) return;
    const next = this.chuteNext[r]!;
    const prev = this.chutePrev[r]!;
    if (prev >= 0) this.chuteNext[prev] = next;
    else this.chuteHead[chute] = next;
    if (next >= 0) this.chutePrev[next] = prev;
    this.onChute[r] = -1;
  }

  private unlinkAge(r: number): void {
    const next = this.ageNext[r]!;
    const prev = this.agePrev[r]!;
    if (prev >= 0) this.ageNext[prev] = next;
    else this.ageHead = next;
    if (next >= 0) this.agePrev[next] = prev;
    else this.ageTail = prev;
  }

  private insertSlot(r: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = hash(this.gateway[r]!, this.taskId[r]!) & mask;
    while (slots[i]! >= 0) i = (i + 1) & mask;
    slots[i] = r;
  }

  /** Backward-shift deletion: moves later members of the probe run into the hole. */
  private deleteSlot(r: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = hash(this.gateway[r]!, this.taskId[r]!) & mask;
    while (slots[i] !== r) i = (i + 1) & mask;
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const s = slots[j]!;
      if (s < 0) break;
      const home = hash(this.gateway[s]!, this.taskId[s]!) & mask;
      // s may move into the hole when its home is not cyclically within (hole, j]
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        slots[hole] = s;
        hole = j;
      }
    }
    slots[hole] = -1;
  }

  private grow(): void {
    const old = this.state.length;
    const n = old * 2;
    this.gateway = grow(this.gateway, n);
    this.taskId = grow(this.taskId, n);
    this.number = grow(this.number, n);
    this.state = grow(this.state, n);
    this.turn = grow(this.turn, n);
    this.destination = grow(this.destination, n);
    this.status = grow(this.status, n);
    this.exceptionChute = grow(this.exceptionChute, n);
    this.chutes = grow(this.chutes, n * Limits.MAX_CHUTES);
    this.chuteCount = grow(this.chuteCount, n);
    this.lastTurn = grow(this.lastTurn, n);
    this.lastOutcome = grow(this.lastOutcome, n);
    this.lastChute = grow(this.lastChute, n);
    this.outcome = grow(this.outcome, n);
    this.closedStampMs = grow(this.closedStampMs, n);
    this.requestPrint = grow(this.requestPrint, n);
    this.requestStampMs = grow(this.requestStampMs, n);
    this.nextFree = grow(this.nextFree, n);
    this.chuteNext = grow(this.chuteNext, n);
    this.chutePrev = grow(this.chutePrev, n);
    this.onChute = grow(this.onChute, n, -1);
    this.ageNext = grow(this.ageNext, n);
    this.agePrev = grow(this.agePrev, n);
    this.ringPos = grow(this.ringPos, n, -1);
    this.slots = new Int32Array(n * 2).fill(-1);
    for (let r = 0; r < old; r++) if (this.state[r] !== TaskState.FREE) this.insertSlot(r);
    this.linkFree(old, n);
  }

  private linkFree(from: number, to: number): void {
    for (let r = to - 1; r >= from; r--) {
      this.nextFree[r] = this.freeHead;
      this.freeHead = r;
    }
  }
}

/** MurmurHash3 fmix32 of the task id mixed with the gateway id. */
function hash(gateway: number, taskId: number): number {
  let h = (taskId ^ Math.imul(gateway + 1, PHI)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
