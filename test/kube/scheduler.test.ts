import { describe, expect, it } from 'vitest';
import { type NodeCapacity, place } from '../../src/kube/scheduler.ts';
import { attemptsWithin } from '../../src/kube/workqueue-retries.ts';

const node = (name: string, over: Partial<NodeCapacity> = {}): NodeCapacity => ({
  name,
  schedulable: true,
  unschedulableReason: '',
  cpuAllocatableMillicores: 10_000,
  memoryAllocatableBytes: 64e9,
  podsAllocatable: 200,
  cpuRequestedMillicores: 0,
  memoryRequestedBytes: 0,
  pods: 0,
  ...over,
});

describe('scheduler', () => {
  it('places on the least allocated node, ties by name', () => {
    const request = { cpuMillicores: 1000, memoryBytes: 1e9 };
    expect(place(request, [node('b'), node('a')])).toEqual({ node: 'a' });
    expect(place(request, [node('a', { cpuRequestedMillicores: 5000 }), node('b')])).toEqual({ node: 'b' });
  });

  it('honours max-pods 200 and explains what it cannot place', () => {
    const request = { cpuMillicores: 100, memoryBytes: 1e6 };
    const result = place(request, [
      node('full', { pods: 200 }),
      node('small', { cpuRequestedMillicores: 9950 }),
      node('down', { schedulable: false, unschedulableReason: 'node(s) were not ready' }),
    ]);
    expect(result).toEqual({
      node: null,
      reason: '0/3 nodes are available: 1 Too many pods, 1 Insufficient cpu, 1 node(s) were not ready',
    });
  });
});

describe('client-go workqueue backoff (5 ms doubling to 1000 s)', () => {
  it('counts attempts by elapsed time', () => {
    // Attempts at 0, 5 ms, 15 ms, 35 ms, ... (delays 5, 10, 20 ms ...).
    expect(attemptsWithin(0, 0.005, 1000)).toBe(1);
    expect(attemptsWithin(0.005, 0.005, 1000)).toBe(2);
    expect(attemptsWithin(0.035, 0.005, 1000)).toBe(4);
    // Delays double 18 times (5 ms × 2^17 = 655 s < 1000 s), 1310.7 s in all; then one per 1000 s.
    const capReached = 0.005 * (2 ** 18 - 1) + 1e-6; // just past the 19th attempt (float sums)
    expect(attemptsWithin(capReached, 0.005, 1000)).toBe(19);
    expect(attemptsWithin(capReached + 2000, 0.005, 1000)).toBe(21);
  });
});
