import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHeap, NORMAL, URGENT } from '../../sim/index.ts';
import { assertProperty } from '../fast-check-seed.ts';

describe('EventHeap', () => {
  it('pops by time, then priority, then insertion order', () => {
    const heap = new EventHeap<string>(2);
    heap.push(5, NORMAL, 'late');
    heap.push(1, NORMAL, 'a');
    heap.push(1, URGENT, 'urgent');
    heap.push(1, NORMAL, 'b');
    heap.push(0.5, NORMAL, 'first');
    const out: string[] = [];
    while (heap.size > 0) out.push(heap.pop());
    expect(out).toEqual(['first', 'urgent', 'a', 'b', 'late']);
  });

  it('keeps the order of any sequence of pushes and pops (property)', () => {
    assertProperty(
      fc.property(
        fc.array(
          fc.oneof(
            fc.tuple(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, 1)),
            fc.constant('pop' as const),
          ),
          {
            maxLength: 300,
          },
        ),
        (ops) => {
          const heap = new EventHeap<number>(1);
          const model: { time: number; priority: number; seq: number }[] = [];
          let seq = 0;
          for (const op of ops) {
            if (op === 'pop') {
              if (model.length === 0) continue;
              model.sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
              const expected = model.shift()!;
              expect(heap.peekTime()).toBe(expected.time);
              expect(heap.pop()).toBe(expected.seq);
            } else {
              heap.push(op[0], op[1], seq);
              model.push({ time: op[0], priority: op[1], seq: seq++ });
            }
          }
          expect(heap.size).toBe(model.length);
        },
      ),
    );
  });
});
