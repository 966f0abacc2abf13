import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskState, TaskTable } from '../../../controller/service/task-table.js';

type Op = { kind: 'open' | 'close' | 'remove'; gateway: number; taskId: number };

describe('task table (open addressing with backward-shift deletion) against a Map', () => {
  it('finds exactly the tasks a Map model holds, through growth, closes, evictions and removals', () => {
    const op = fc.record({
      kind: fc.constantFrom<Op['kind']>('open', 'open', 'close', 'remove'),
      gateway: fc.integer({ min: 1, max: 3 }),
      // a narrow id range forces collisions and reuse; a few huge ids exercise uint32
      taskId: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(0xffff_ffff, 0x8000_0000)),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1000, maxLength: 4000 }), (ops) => {
        const maxOpen = 500;
        const closedMemory = 200;
        const t = new TaskTable({ maxOpen, closedMemory, chuteCount: 4 });
        const model = new Map<string, { state: number; number: number }>();
        const openOrder: string[] = [];
        const closedOrder: string[] = [];
        let number = 0;
        for (const o of ops) {
          const key = `${o.gateway}/${o.taskId}`;
          const r = t.find(o.gateway, o.taskId);
          const m = model.get(key);
          expect(r >= 0).toBe(m !== undefined);
          if (o.kind === 'open') {
            if (m?.state === TaskState.OPEN) continue;
            number++;
            if (m === undefined) t.open(o.gateway, o.taskId, number);
            else {
              t.reopen(r, number);
              closedOrder.splice(closedOrder.indexOf(key), 1);
            }
            model.set(key, { state: TaskState.OPEN, number });
            openOrder.push(key);
            const old = t.overflow();
            if (old >= 0) {
              const oldKey = openOrder.shift()!;
              expect(`${t.gateway[old]}/${t.taskId[old]}`).toBe(oldKey);
              t.remove(old);
              model.delete(oldKey);
            }
          } else if (o.kind === 'close' && m?.state === TaskState.OPEN) {
            t.close(r, 0);
            m.state = TaskState.CLOSED;
            openOrder.splice(openOrder.indexOf(key), 1);
            closedOrder.push(key);
            if (closedOrder.length > closedMemory) model.delete(closedOrder.shift()!);
          } else if (o.kind === 'remove' && m !== undefined) {
            t.remove(r);
            model.delete(key);
            if (m.state === TaskState.OPEN) openOrder.splice(openOrder.indexOf(key), 1);
            else closedOrder.splice(closedOrder.indexOf(key), 1);
          }
        }
        for (const [key, m] of model) {
          const [g, id] = key.split('/').map(Number) as [number, number];
          const r = t.find(g, id);
          expect(r).toBeGreaterThanOrEqual(0);
          expect([t.state[r], t.number[r]]).toEqual([m.state, m.number]);
        }
        expect(t.openCount).toBe(openOrder.length);
        expect(t.closedCount).toBe(closedOrder.length);
      }),
      { numRuns: 60, seed: 20_260_401 },
    );
  });

  it('files open tasks under their first chute and unfiles them on close', () => {
    const t = new TaskTable({ maxOpen: 10, closedMemory: 10, chuteCount: 3 });
    const a = t.open(1, 1, 1);
    const b = t.open(1, 2, 2);
    t.setReply(a, 0, 0, 2, Int32Array.of(1, 0), 2);
    t.setReply(b, 0, 0, 2, Int32Array.of(1), 1);
    const onChute = (c: number): number[] => {
      const out: number[] = [];
      for (let r = t.chuteHead[c]!; r >= 0; r = t.nextOnChute(r)) out.push(r);
      return out.sort();
    };
    expect(onChute(1)).toEqual([a, b].sort());
    t.setReply(a, 0, 0, 2, Int32Array.of(0, 1), 2);
    expect(onChute(1)).toEqual([b]);
    expect(onChute(0)).toEqual([a]);
    t.close(a, 0);
    expect(onChute(0)).toEqual([]);
  });
});
