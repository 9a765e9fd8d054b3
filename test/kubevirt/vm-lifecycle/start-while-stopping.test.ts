import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../src/plan/format/load.ts';
import { runPlan } from '../../../src/plan/runner/runner.ts';
import { parseScenario } from '../../../src/scenario/load.ts';
import type { AnyRecord } from '../../../src/trace/record.ts';

// Swarm seed 102 (run 2659): `vm.stop`, then `vm.start` and `vm.stop` while the guests were still
// shutting down, as the plan's last instant. Two mechanisms:
// 1. A VMI takes its VM's name (kubevirt/kubevirt:pkg/virt-controller/watch/vm.go builds the VMI
//    from the VM's template under the VM's name), so `virtctl start` on a VM whose VMI is still
//    shutting down creates the new VMI only once the old one is gone.
// 2. A plan ends at the end of its last instant: what its last steps set going then has run.

const scenario = parseScenario(
  `name: start-while-stopping
harvesterVersion: 1.6.1
vip: { address: 10.0.0.100 }
nodes:
  - { name: m1, role: management, cpu: 32, memory: 128Gi, disks: [{ name: sda, size: 1Ti }], ip: { mode: static, address: 10.0.0.1 } }
  - { name: m2, role: management, cpu: 32, memory: 128Gi, disks: [{ name: sda, size: 1Ti }], ip: { mode: static, address: 10.0.0.2 } }
  - { name: m3, role: management, cpu: 32, memory: 128Gi, disks: [{ name: sda, size: 1Ti }], ip: { mode: static, address: 10.0.0.3 } }
vms:
  - namespace: default
    name: vm-1
    cpu: 2
    memory: 4Gi
    node: m1
    guest:
      shutdown: { distribution: fixed, value: 30 }
      boot: { distribution: fixed, value: 20 }
`,
  'start-while-stopping.yaml',
);

const plan = (steps: string) => parsePlan(`name: p\nsteps:\n${steps}`, 'p.yaml');

const phases = (records: readonly AnyRecord[]) =>
  records.flatMap((r) =>
    r.kind === 'vm.phase'
      ? [{ t: r.timeSeconds, phase: r.data.phase, node: r.data.node, reason: r.data.reason }]
      : [],
  );

describe('vm.start on a VM still shutting down (KubeVirt: one VMI per VM name)', () => {
  it('starts the VM only when its guest has powered off, 30 s later', () => {
    const run = runPlan(
      scenario,
      plan(`  - { step: vm.stop, vms: all, method: virtctl }
  - { step: sleep, duration: 5s }
  - { step: vm.start, vms: all }
  - { step: wait-for, condition: vms-running, vms: all, timeout: 5m }`),
      { seed: 1 },
    );
    expect(run.ok).toBe(true);
    const seen = phases(run.records);
    const stopAt = seen.find((p) => p.phase === 'Stopping')?.t as number;
    const stopped = seen.find((p) => p.phase === 'Stopped');
    const starting = seen.find((p) => p.phase === 'Starting');
    const running = seen.find((p) => p.phase === 'Running');
    // Guest shutdown 30 s (fixed), then the new VMI is scheduled, then 20 s of boot.
    expect(stopped?.t).toBeCloseTo(stopAt + 30, 9);
    expect(stopped?.reason).toBe('guest powered off');
    expect(starting?.t).toBeCloseTo(stopAt + 30, 9);
    expect(running?.t).toBeCloseTo(stopAt + 50, 9);
    // Never two VMIs: no Starting before the old one stopped.
    expect(seen.map((p) => p.phase)).toEqual(['Stopping', 'Stopped', 'Starting', 'Running']);
  });

  it('a stop at the plan’s last instant is in the trace before plan.end, and the VM stays off', () => {
    const run = runPlan(
      scenario,
      plan(`  - { step: vm.stop, vms: all, method: virtctl }
  - { step: sleep, duration: 5s }
  - { step: vm.start, vms: all }
  - { step: vm.stop, vms: all, method: virtctl }`),
      { seed: 1 },
    );
    const end = run.records.findIndex((r) => r.kind === 'plan.end');
    const seen = phases(run.records.slice(0, end));
    // The stop asked at 5 s meets the shutdown begun at 0 s: no new VMI, still Stopping at the end.
    expect(seen.map((p) => p.phase)).toEqual(['Stopping']);
    expect(run.world.fleet.all().map((vm) => vm.phase)).toEqual(['Stopping']);
  });

  it('a stop as the last step is in the trace before plan.end (the last instant finished)', () => {
    const run = runPlan(scenario, plan('  - { step: vm.stop, vms: all, method: virtctl }'), { seed: 1 });
    const end = run.records.findIndex((r) => r.kind === 'plan.end');
    const before = phases(run.records.slice(0, end));
    expect(before.map((p) => p.phase)).toEqual(['Stopping']);
    expect(before[0]?.t).toBe(run.records[end]?.timeSeconds);
  });
});
