import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertProperty } from '../fast-check-seed.ts';
import { fixture } from './cluster-fixture.ts';

// Invariants over random node fault schedules (docs/model/longhorn.md, "Replenishment"): hard node anti-affinity (never two
// replicas of a volume on one node), at most one rebuild per volume, at most
// concurrent-replica-rebuild-per-node-limit rebuilds per destination node, and no rebuild of a
// detached volume.

type Fault =
  | { atSeconds: number; node: string; kind: 'power-loss' | 'graceful' | 'ready' | 'cordon' | 'uncordon' }
  | { atSeconds: number; node: string; kind: 'stop-vm' | 'start-vm'; vm: number };

const nodes = ['n1', 'n2', 'n3', 'n4'];
const faultArb = fc.oneof(
  fc.record({
    atSeconds: fc.integer({ min: 1, max: 20_000 }),
    node: fc.constantFrom(...nodes),
    kind: fc.constantFrom('power-loss', 'graceful', 'ready', 'cordon', 'uncordon'),
  }),
  fc.record({
    atSeconds: fc.integer({ min: 1, max: 20_000 }),
    node: fc.constantFrom(...nodes),
    kind: fc.constantFrom('stop-vm', 'start-vm'),
    vm: fc.integer({ min: 0, max: 3 }),
  }),
) as fc.Arbitrary<Fault>;

describe('Longhorn invariants under random faults', () => {
  it('anti-affinity, one rebuild per volume, per-node limit, detached volumes never rebuild', () => {
    assertProperty(
      fc.property(fc.array(faultArb, { maxLength: 25 }), fc.integer({ min: 1, max: 3 }), (faults, limit) => {
        const volumes = Array.from({ length: 4 }, (_, i) => ({
          name: `vol-${i}`,
          size: '20Gi',
          used: '2Gi',
        }));
        const vms = volumes.map((v, i) => ({
          name: `vm-${i}`,
          node: nodes[i],
          volumes: [v.name],
          writeRate: '5MB/s',
        }));
        const f = fixture({
          nodes: 4,
          volumes,
          vms,
          settings: { concurrentReplicaRebuildPerNodeLimit: limit },
        });
        const running = new Set<string>();
        for (const fault of [...faults].sort((a, b) => a.atSeconds - b.atSeconds)) {
          f.at(fault.atSeconds, () => {
            const m = f.model;
            if (fault.kind === 'power-loss' || fault.kind === 'graceful')
              m.nodePoweredOff(fault.node, fault.kind);
            else if (fault.kind === 'ready') m.nodeReady(fault.node);
            else if (fault.kind === 'cordon') m.nodeCordoned(fault.node, true);
            else if (fault.kind === 'uncordon') m.nodeCordoned(fault.node, false);
            else {
              const vm = { namespace: 'default', name: `vm-${'vm' in fault ? fault.vm : 0}` };
              const key = `${vm.namespace}/${vm.name}`;
              if (fault.kind === 'stop-vm' && running.has(key)) {
                running.delete(key);
                m.vmStopped(vm, fault.node, 'stopped');
              } else if (fault.kind === 'start-vm' && !running.has(key)) {
                running.add(key);
                m.vmStarted(vm, fault.node);
              }
            }
          });
        }
        for (const vm of vms) running.add(`default/${vm.name}`);
        const check = () => {
          const perNode = new Map<string, number>();
          for (const v of volumes) {
            const name = `default/${v.name}`;
            const placed = f.model
              .replicas(name)
              .filter((r) => r.node !== null && r.failedAtSeconds === null);
            const replicaNodes = placed.map((r) => r.node);
            expect(new Set(replicaNodes).size).toBe(replicaNodes.length);
            const rebuilding = placed.filter((r) => r.mode === 'WO');
            expect(rebuilding.length).toBeLessThanOrEqual(1);
            if (rebuilding.length > 0) expect(f.model.volumeState(name)).toBe('attached');
            for (const r of rebuilding)
              perNode.set(r.node as string, (perNode.get(r.node as string) ?? 0) + 1);
          }
          for (const count of perNode.values()) expect(count).toBeLessThanOrEqual(limit);
        };
        for (let t = 50; t <= 30_000; t += 250) f.at(t, check);
        f.sim.run({ until: 30_001, maxEvents: 500_000 });
      }),
      { numRuns: 60, seed: 20_261_125 },
    );
  });
});
