import { describe, expect, it } from 'vitest';
import { place } from '../../src/kube/scheduler.ts';
import { loadPlan } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { buildWorld } from '../../src/world/build-world.ts';
import { nodeCapacities } from '../../src/world/node-capacity.ts';
import type { World } from '../../src/world/world.ts';

// kube-scheduler keeps a node cache and updates a node's entry on that node's events
// (kubernetes/kubernetes:pkg/scheduler/backend/cache/cache.go: UpdateNode, AddPod, RemovePod) rather
// than listing every node and pod per scheduling cycle. The world's NodeCapacityTable does the same;
// at every placement it must equal `nodeCapacities` built from scratch, and place the pod where the
// scratch build would.

const scenarios = new URL('../../scenarios/', import.meta.url).pathname;

function reference(world: World) {
  return nodeCapacities({
    scenario: world.scenario,
    workloads: world.workloads,
    fleet: world.fleet,
    lifecycle: world.lifecycle,
    cordoned: new Set(world.scenario.nodes.map((n) => n.name).filter((n) => world.isCordoned(n))),
    isRunning: (node) => world.isRunning(node),
  });
}

/** Runs the pair with every placement checked against the scratch build; returns the counts. */
function checkedRun(scenarioFile: string, planFile: string, seed: number) {
  const counts = { placed: 0, failed: 0, observed: 0 };
  runPlan(loadScenario(`${scenarios}${scenarioFile}`), loadPlan(`${scenarios}plans/${planFile}`), {
    seed,
    extensions: (world) => {
      const table = world.place.bind(world);
      world.place = (request) => {
        const expected = reference(world);
        expect(world.capacities()).toEqual(expected);
        const placement = table(request);
        expect(placement).toEqual(place(request, expected));
        if (placement.node === null) counts.failed++;
        else counts.placed++;
        return placement;
      };
      const compare = () => {
        counts.observed++;
        expect(world.capacities()).toEqual(reference(world));
      };
      return [
        {
          observer: {
            vmStarted: compare,
            vmStopped: compare,
            vmMigrated: compare,
            nodePoweredOff: compare,
            nodePoweringOn: compare,
            nodeReady: compare,
            nodeCordoned: compare,
            nodeDrained: compare,
          },
        },
      ];
    },
  });
  return counts;
}

describe('the scheduler node cache (NodeCapacityTable)', () => {
  it('equals the scratch build at every placement: KB shutdown/restart on 12 nodes', () => {
    const counts = checkedRun('production-12node.yaml', 'kb-shutdown-restart.yaml', 1);
    expect(counts.placed).toBeGreaterThan(0);
    expect(counts.observed).toBeGreaterThan(0);
  });

  it('equals it through a node outage (NotReady, taints, force reset, pod eviction)', () => {
    const counts = checkedRun('harvester-3node.yaml', 'node-outage.yaml', 2);
    expect(counts.placed).toBeGreaterThan(0);
  });

  it('equals it through a maintenance drain (cordon, live migrations)', () => {
    const counts = checkedRun('production-12node.yaml', 'maintenance-drain.yaml', 1);
    expect(counts.observed).toBeGreaterThan(0);
  });

  it('equals it through the KB plan on the 40-VM evacuation cluster', () => {
    const counts = checkedRun('evacuation-40vm.yaml', 'kb-shutdown-restart.yaml', 1);
    expect(counts.placed).toBeGreaterThan(0);
  });

  it('equals it when restarting in the wrong order (placements fail while nodes are down)', () => {
    const counts = checkedRun('seed-witness.yaml', 'wrong-restart-order.yaml', 1);
    expect(counts.placed + counts.failed).toBeGreaterThan(0);
  });

  it('answers a failed placement again only while no node changed (cordon, then uncordon)', () => {
    const { world } = buildWorld(loadScenario(`${scenarios}harvester-3node.yaml`), { seed: 1 });
    world.start();
    world.sim.run({ until: 120 });
    const request = { cpuMillicores: 1000, memoryBytes: 2 ** 30 };
    for (const node of world.scenario.nodes) world.cordon(node.name, true);
    const failed = world.place(request);
    expect(failed).toEqual({
      node: null,
      reason: `0/3 nodes are available: 3 node(s) were unschedulable`,
    });
    expect(world.place(request)).toBe(failed);
    world.cordon('node-2', false);
    expect(world.place(request)).toEqual({ node: 'node-2' });
  });
});
