import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load.ts';
import { buildWorld } from '../../../src/world/build-world.ts';

// VMs started at one instant are placed as kube-scheduler places them: each pod is assumed on its
// node as soon as it is chosen (kubernetes/kubernetes:pkg/scheduler/schedule_one.go, `assume` before
// the asynchronous bind), so the next pod's filter (NodeResourcesFit, max-pods) and scores
// (LeastAllocated, BalancedAllocation, weight 1 each: pkg/scheduler/apis/config/v1/default_plugins.go)
// see it. Issue 15 §7: after the KB restart on a 12-node cluster every VM came back on one worker.

const node = (name: string, role: string, address: string) => `
  - name: ${name}
    role: ${role}
    cpu: 64
    memory: 256Gi
    disks: [{ name: sda, size: 2Ti }]
    ip: { mode: static, address: ${address} }`;

function scenarioWith(vmCount: number) {
  const vms = Array.from(
    { length: vmCount },
    (_, i) => `
  - { namespace: default, name: vm-${i}, cpu: 1, memory: 1Gi, runStrategy: Halted }`,
  ).join('');
  return parseScenario(
    `name: simultaneous
harvesterVersion: 1.3.0
vip:
  address: 10.0.0.100
nodes:${node('m1', 'management', '10.0.0.1')}${node('m2', 'management', '10.0.0.2')}${node('m3', 'management', '10.0.0.3')}${node('w1', 'worker', '10.0.0.11')}${node('w2', 'worker', '10.0.0.12')}${node('w3', 'worker', '10.0.0.13')}
vms:${vms}
`,
    'simultaneous.yaml',
  );
}

const settledSeconds = 120;

/** Starts every VM at one instant, once the API serves; returns the world a second later. */
function startAllAtOnce(vmCount: number) {
  const scenario = scenarioWith(vmCount);
  const { world } = buildWorld(scenario, { seed: 1 });
  world.start();
  world.sim.run({ until: settledSeconds });
  expect(world.apiAvailable()).toBe(true);
  for (const vm of scenario.vms) world.fleet.start(vm);
  world.sim.run({ until: settledSeconds + 1 });
  return { scenario, world };
}

const vmsOn = (world: ReturnType<typeof startAllAtOnce>['world'], name: string) =>
  world.fleet.all().filter((vm) => vm.node === name).length;

describe('simultaneous VM launches (kube-scheduler assume cache)', () => {
  it('spreads VMs started at one instant: identical workers differ by at most one VM', () => {
    // LeastAllocated and BalancedAllocation both fall as a node fills, so on identical nodes with
    // identical pods the next pod always goes to a node holding the fewest.
    const { world } = startAllAtOnce(400);
    const workers = ['w1', 'w2', 'w3'].map((w) => vmsOn(world, w));
    expect(Math.max(...workers) - Math.min(...workers)).toBeLessThanOrEqual(1);
    const managers = ['m1', 'm2', 'm3'].map((m) => vmsOn(world, m));
    expect(Math.max(...managers) - Math.min(...managers)).toBeLessThanOrEqual(1);
    expect(world.fleet.all().filter((vm) => vm.phase === 'Pending')).toEqual([]);
  });

  it("respects max-pods 200 (Harvester's MaxPods) for pods chosen at the same instant", () => {
    // Pod room: a worker runs 16 system pods (14 daemon + 2 deployment) → 184 VMs; a management
    // node 44 (14 + 30) → 156 VMs. 3 × 184 + 3 × 156 = 1020 of 1100 VMs place; 80 stay Pending.
    // CPU (1100 × 62.5 m at 1600 % overcommit) and memory (1 Gi / 1.5) fit well inside 64 cores, 256 Gi.
    const { world, scenario } = startAllAtOnce(1100);
    for (const capacity of world.capacities()) {
      expect(capacity.pods, capacity.name).toBeLessThanOrEqual(scenario.settings.kubernetes.maxPodsPerNode);
    }
    for (const w of ['w1', 'w2', 'w3']) expect(vmsOn(world, w)).toBe(184);
    for (const m of ['m1', 'm2', 'm3']) expect(vmsOn(world, m)).toBe(156);
    const pending = world.fleet.all().filter((vm) => vm.phase === 'Pending');
    expect(pending).toHaveLength(80);
  });

  it('VMs chosen at one instant all boot where they were placed', () => {
    const { world } = startAllAtOnce(60);
    const placed = new Map(world.fleet.all().map((vm) => [vm.key, vm.node]));
    world.sim.run({ until: 1200 });
    for (const vm of world.fleet.all()) {
      expect(vm.phase, vm.key).toBe('Running');
      expect(vm.node).toBe(placed.get(vm.key));
    }
  });
});
