import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../../sim/index.ts';
import { QUEUE_PRIORITY } from '../../../src/kubevirt/controller/defaults.ts';
import { EvacuationController } from '../../../src/kubevirt/controller/evacuation.ts';
import { MigrationController } from '../../../src/kubevirt/controller/migration-controller.ts';
import { kubevirtMigrationDefaults } from '../../../src/profiles/kubevirt-migration-defaults.ts';
import { valuesOf } from '../../../src/profiles/sourced.ts';
import { assertProperty } from '../../fast-check-seed.ts';
import { FixedDurationWorld, peakConcurrency, type TestVmi, testVmi } from './fixed-duration-world.ts';

// Invariant of handleTargetPodCreation (kubevirt/kubevirt:pkg/virt-controller/watch/migration/
// migration.go): slot holders never exceed parallelMigrationsPerCluster, nor
// parallelOutboundMigrationsPerNode per source node; and every VMIM eventually ends.

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];

const vmSpec = fc.record({
  node: fc.constantFrom(...NODES),
  seconds: fc.integer({ min: 1, max: 300 }),
  startAt: fc.integer({ min: 0, max: 200 }),
  priority: fc.constantFrom(
    QUEUE_PRIORITY.systemCritical.value,
    QUEUE_PRIORITY.userTriggered.value,
    QUEUE_PRIORITY.systemMaintenance.value,
    QUEUE_PRIORITY.default.value,
  ),
  fails: fc.boolean(),
});

describe('parallel limits (property)', () => {
  it('never more than the cluster and per-node limits at any time, for random VM sets and durations', () => {
    assertProperty(
      fc.property(
        fc.array(vmSpec, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('v1.6.0', 'v1.9.0'),
        (specs, perCluster, perNode, kubevirtVersion) => {
          const sim = new Simulation({ seed: 3 });
          const sink = sim.trace.addSink(new MemorySink());
          const vmis = specs.map((s, i) => testVmi(`vm${i}`, s.node));
          const byKey = new Map(vmis.map((v, i) => [v.name, specs[i]]));
          const world = new FixedDurationWorld(sim, vmis, {
            nodes: NODES,
            migrationSeconds: (v) => byKey.get(v.name)!.seconds,
            targetPodStartSeconds: 2,
            failure: (v) => (byKey.get(v.name)!.fails ? 'aborted' : undefined),
          });
          const controller = new MigrationController<TestVmi>(sim, {
            config: {
              ...valuesOf(kubevirtMigrationDefaults()),
              parallelMigrationsPerCluster: perCluster,
              parallelOutboundMigrationsPerNode: perNode,
            },
            hooks: world.hooks,
            kubevirtVersion,
          });
          const created: ReturnType<typeof controller.create>[] = [];
          specs.forEach((s, i) => {
            sim.process(
              (function* () {
                yield sim.timeout(s.startAt);
                created.push(
                  controller.create(vmis[i], {
                    origin: s.priority >= 100 ? 'evacuation' : 'user',
                    priority: s.priority,
                  }),
                );
              })(),
            );
          });
          sim.run({ until: 1_000_000, maxEvents: 5_000_000 });
          const peak = peakConcurrency(sink.records);
          expect(peak.cluster).toBeLessThanOrEqual(perCluster);
          for (const n of peak.perNode.values()) expect(n).toBeLessThanOrEqual(perNode);
          expect(created).toHaveLength(specs.length);
          expect(created.every((m) => m.phase === 'Succeeded' || m.phase === 'Failed')).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('evacuations keep the limits and move every VM off its node, with or without the priority queue', () => {
    assertProperty(
      fc.property(
        fc.array(
          fc.record({
            node: fc.constantFrom(...NODES.slice(0, 3)),
            seconds: fc.integer({ min: 1, max: 120 }),
          }),
          {
            minLength: 1,
            maxLength: 24,
          },
        ),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('v1.6.0', 'v1.9.0'),
        (specs, perCluster, perNode, kubevirtVersion) => {
          const sim = new Simulation({ seed: 5 });
          const sink = sim.trace.addSink(new MemorySink());
          const vmis = specs.map((s, i) => testVmi(`vm${i}`, s.node));
          const world = new FixedDurationWorld(sim, vmis, {
            nodes: NODES,
            migrationSeconds: (v) => specs[Number(v.name.slice(2))].seconds,
          });
          const controller = new MigrationController<TestVmi>(sim, {
            config: {
              ...valuesOf(kubevirtMigrationDefaults()),
              parallelMigrationsPerCluster: perCluster,
              parallelOutboundMigrationsPerNode: perNode,
            },
            hooks: world.hooks,
            kubevirtVersion,
          });
          const evacuation = new EvacuationController(sim, controller);
          const results = vmis.map((v) => evacuation.evacuate(v));
          sim.run({ until: 1_000_000, maxEvents: 5_000_000 });
          const peak = peakConcurrency(sink.records);
          expect(peak.cluster).toBeLessThanOrEqual(perCluster);
          for (const n of peak.perNode.values()) expect(n).toBeLessThanOrEqual(perNode);
          for (const [i, r] of results.entries()) {
            expect(r.value).toMatchObject({ evacuated: true, fromNode: specs[i].node });
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
