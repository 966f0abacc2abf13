/**
 * The emulated PLC keeps its per-parcel fields in the hub's parcel table (issue 9, Build 3):
 * sim/emulator/parcels.ts PlcParcelTable grows them together with the core fields, and a run with
 * more parcels in flight than the table's first capacity keeps every task apart.
 */
import { describe, expect, it } from 'vitest';
import { Outcome } from '../../../core/protocol/index.js';
import { MAX_REPLY_CHUTES, PlcParcelTable } from '../../../sim/emulator/parcels.js';
import { C1, C2, replyTo, tinyModel, tinyPlc } from './helpers.js';

describe('PlcParcelTable', () => {
  it('grows its own fields with the core ones and keeps every value at its id', () => {
    const t = new PlcParcelTable(16);
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) {
      const p = t.alloc();
      ids.push(p);
      t.arrival[p] = i / 2;
      t.task[p] = 1000 + i;
      t.turn[p] = i % 7;
      t.decisionAt[p] = i * 1.5;
      t.replyChutes[p * MAX_REPLY_CHUTES + (i % MAX_REPLY_CHUTES)] = i;
      t.weightG[p] = 10 * i;
    }
    expect(t.capacity).toBeGreaterThanOrEqual(100);
    for (const arr of [t.task, t.serial, t.turn, t.decisionAt, t.pendingOutcome, t.weightG])
      expect(arr.length).toBe(t.capacity);
    expect(t.replyChutes.length).toBe(t.capacity * MAX_REPLY_CHUTES);
    ids.forEach((p, i) => {
      expect(t.arrival[p]).toBe(i / 2);
      expect(t.task[p]).toBe(1000 + i);
      expect(t.turn[p]).toBe(i % 7);
      expect(t.decisionAt[p]).toBe(i * 1.5);
      expect(t.replyChutes[p * MAX_REPLY_CHUTES + (i % MAX_REPLY_CHUTES)]).toBe(i);
      expect(t.weightG[p]).toBe(10 * i);
    });
  });
});

describe('EmulatedPlc over the shared parcel table', () => {
  it('keeps tasks apart when more parcels are in flight than the table first held (4,096)', () => {
    const parcels = 6000;
    // 36,000 /h at one induct loading one a second: the queue passes 4,096 parcels
    const model = tinyModel({ ratePerHour: 36_000, handlingMean: 0.01 });
    const { plc, port } = tinyPlc({ parcels }, model);
    let answered = 0;
    for (let i = 0; i < 100_000 && !plc.finished; i++) {
      plc.advanceTo(plc.now);
      for (; answered < port.requests.length; answered++) {
        const r = port.requests[answered]!;
        plc.onReply(replyTo(r, r.taskId % 2 === 0 ? [C1, C2] : [C2, C1]));
      }
    }
    expect(plc.finished).toBe(true);
    expect(plc.hub.parcels.capacity).toBeGreaterThan(4096); // the table did grow during the run
    expect(plc.ledger.size).toBe(parcels);
    const tasks = new Set<number>();
    for (let serial = 1; serial <= parcels; serial++) {
      const e = plc.ledger.get(serial)!;
      expect(e.parcel).toBe(serial);
      expect(e.taskId).toBe(serial); // task ids count from 1 in scan order
      tasks.add(e.taskId);
      expect(e.outcome).toBe(Outcome.DISCHARGED);
      expect(e.chute).toBe(e.taskId % 2 === 0 ? C1 : C2); // its own reply's first chute
    }
    expect(tasks.size).toBe(parcels);
    // every request of a task carries the reads and weight of its own scan
    const reads = new Map<number, string>();
    for (const r of port.requests) {
      const key = JSON.stringify([r.reads, r.weightG]);
      expect(reads.get(r.taskId) ?? key).toBe(key);
      reads.set(r.taskId, key);
    }
  });
});
