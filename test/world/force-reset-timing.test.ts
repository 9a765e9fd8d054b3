import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../sim/index.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { buildWorld } from '../../src/world/build-world.ts';

// harvester/harvester#4049 (Harvester before v1.7.0, vm-force-reset-policy period set to 10 s):
// power-off → node NotReady about 38 s, NotReady → VM down about 10 s, → Running about 15 s more.
// The model: NotReady after node-monitor-grace-period (40 s for Kubernetes < 1.32), checked every
// node-monitor-period (5 s); the node-down controller force-deletes the virt-launcher pods `period`
// after Ready left True (pkg/controller/master/node/node_down_controller.go before v1.7.0); the
// VM's runStrategy restarts the VMI on another node, which boots.

const path = new URL('../../scenarios/harvester-3node.yaml', import.meta.url).pathname;
const periodSeconds = 10;
const scenario = parseScenario(
  readFileSync(path, 'utf8').replace(
    '  harvester:\n',
    `  harvester:\n    vm-force-reset-policy: { period: ${periodSeconds}s }\n`,
  ),
  'harvester-3node-period-10s.yaml',
);

describe('a node that loses power: NotReady, force reset, restart elsewhere (harvester#4049)', () => {
  it('restarts the VM on another node `period` after NotReady, as #4049 measured', () => {
    const { world } = buildWorld(scenario, { seed: 3 });
    const sink = world.sim.trace.addSink(new MemorySink());
    world.start();
    const settled = 600;
    world.sim.run({ until: settled });
    // A VM on a node that does not lead etcd, so the API stays up (no election in between).
    const leader = world.etcd.leader();
    const vm = ['web-1', 'web-2', 'web-3']
      .map((name) => world.fleet.get({ namespace: 'web', name }))
      .find((v) => v.phase === 'Running' && v.node !== leader);
    if (vm === undefined) throw new Error('no web VM off the etcd leader');
    const node = vm.node as string;
    world.shutdown(node, 'power-loss');
    world.sim.run({ until: settled + 900 });

    const at = (kind: string, match: (data: Record<string, unknown>) => boolean) =>
      sink.records.find(
        (r) => r.kind === kind && r.timeSeconds >= settled && match(r.data as Record<string, unknown>),
      )?.timeSeconds as number;
    const notReady = at('node.ready', (d) => d.node === node && d.status === 'Unknown');
    const reset = at('vm.force-restarted', (d) => d.vm === vm.key);
    const grace = scenario.settings.kubernetes.nodeMonitorGracePeriodSeconds;
    const tick = world.kube.nodeMonitorPeriodSeconds;
    // NotReady: the grace period, seen at the next monitor tick (40-45 s; #4049: about 38 s).
    expect(notReady - settled).toBeGreaterThan(grace);
    expect(notReady - settled).toBeLessThanOrEqual(grace + tick);
    // VM down: `period` after NotReady, seen at a monitor tick (#4049: about 10 s).
    expect(reset - notReady).toBeGreaterThanOrEqual(periodSeconds);
    expect(reset - notReady).toBeLessThanOrEqual(periodSeconds + tick);
    // Restarted on a node that runs.
    expect(vm.node).not.toBe(node);
    expect(vm.node).not.toBeNull();
    expect(world.isRunning(vm.node as string)).toBe(true);
  });
});
