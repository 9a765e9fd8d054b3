/**
 * The testing kit's invariants on hand-written traces: each rule, a case that breaks it and one that
 * keeps it (src/testing/invariants.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/format/types.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import {
  noWriteWithoutReplica,
  type RunCase,
  replicaCountKept,
  vmsEndAsPlanned,
} from '../../src/testing/invariants.ts';

type Rec = [timeSeconds: number, subsystem: string, kind: string, data: Record<string, unknown>];

/** A run case from trace records and just the scenario and plan fields the invariants read. */
function runCase(
  records: Rec[],
  options: {
    ok?: boolean;
    volumes?: { name: string; replicas: number; dataLocality?: string }[];
    vms?: string[];
    steps?: string[];
  } = {},
): RunCase {
  const trace = records.map(([timeSeconds, subsystem, kind, data]) => ({
    timeSeconds,
    subsystem,
    kind,
    data,
  }));
  const scenario = {
    volumes: (options.volumes ?? []).map((v) => ({
      namespace: 'default',
      name: v.name,
      provisioner: { kind: 'longhorn', replicas: v.replicas, dataLocality: v.dataLocality ?? 'disabled' },
    })),
    vms: (options.vms ?? []).map((name) => ({ namespace: 'default', name, runStrategy: 'RerunOnFailure' })),
  } as unknown as Scenario;
  const plan = { steps: (options.steps ?? []).map((type) => ({ action: { type } })) } as unknown as Plan;
  return {
    result: { trace, run: { ok: options.ok ?? true } } as unknown as RunCase['result'],
    scenario,
    plan,
  };
}

const robustness = (t: number, healthyReplicas: number): Rec => [
  t,
  'longhorn',
  'volume.robustness',
  { volume: 'default/v', healthyReplicas, robustness: healthyReplicas === 0 ? 'faulted' : 'healthy' },
];
const writes = (t: number, bytesPerSecond: number): Rec => [
  t,
  'longhorn',
  'volume.writes',
  { volume: 'default/v', bytesPerSecond },
];

describe('noWriteWithoutReplica: no write is accepted with zero healthy replicas', () => {
  it('a volume that attaches writes its rate and then its robustness at one instant: no violation', () => {
    // Detached: 0 healthy (replicas leave the mode map); attach at 5 s: the rate first, then 3 healthy.
    const run = runCase([robustness(0, 0), writes(0, 0), writes(5, 1e6), robustness(5, 3)]);
    expect(noWriteWithoutReplica.check(run)).toEqual([]);
  });

  it('writes still taken at the end of an instant with 0 healthy replicas are a violation', () => {
    const run = runCase([robustness(0, 3), writes(0, 1e6), robustness(12, 0)]);
    expect(noWriteWithoutReplica.check(run)).toEqual([
      'at 12.0 s: default/v takes 1000000 B/s with no healthy replica',
    ]);
  });
});

const replica = (t: number, kind: string, name: string, node: string | null): Rec => [
  t,
  'longhorn',
  kind,
  { volume: 'default/v', replica: name, node, disk: 'd', reason: 'initial' },
];

describe('replicaCountKept: no live replicas on more nodes than the replica count', () => {
  const volumes = [{ name: 'v', replicas: 2 }];
  const initial = [replica(0, 'replica.created', 'r0', 'n1'), replica(0, 'replica.created', 'r1', 'n2')];

  it('a replacement for a failed replica keeps the count (the failed one stays on its disk, not live)', () => {
    const run = runCase(
      [...initial, replica(5, 'replica.failed', 'r0', 'n1'), replica(5, 'replica.created', 'r2', 'n3')],
      { volumes },
    );
    expect(replicaCountKept.check(run)).toEqual([]);
  });

  it('a third live replica of a 2-replica volume is a violation', () => {
    const run = runCase([...initial, replica(5, 'replica.created', 'r2', 'n3')], { volumes });
    expect(replicaCountKept.check(run)).toEqual([
      'at 5.0 s: default/v has live replicas on 3 nodes (n1, n2, n3); its count allows 2',
    ]);
  });

  it('best-effort data locality may add one local replica before deleting the surplus', () => {
    const run = runCase(
      [...initial, replica(5, 'replica.created', 'r2', 'n3'), replica(50, 'replica.deleted', 'r0', 'n1')],
      { volumes: [{ name: 'v', replicas: 2, dataLocality: 'best-effort' }] },
    );
    expect(replicaCountKept.check(run)).toEqual([]);
  });

  it('replicas revived by auto-salvage count again, on the nodes they were placed on', () => {
    const run = runCase(
      [
        ...initial,
        replica(5, 'replica.failed', 'r0', 'n1'),
        replica(6, 'replica.created', 'r2', 'n3'),
        [9, 'longhorn', 'volume.salvaged', { volume: 'default/v', replicas: ['r0'] }],
      ],
      { volumes },
    );
    expect(replicaCountKept.check(run)).toEqual([
      'at 9.0 s: default/v has live replicas on 3 nodes (n2, n3, n1); its count allows 2',
    ]);
  });
});

const phase = (t: number, vm: string, p: string): Rec => [
  t,
  'kubevirt',
  'vm.phase',
  { vm: `default/${vm}`, phase: p },
];

describe('vmsEndAsPlanned: every VM ends in a state the plan explains', () => {
  it('a VM left Pending is explained only by the scheduler saying why', () => {
    const records = [phase(1, 'a', 'Pending'), phase(1, 'b', 'Pending')];
    records.push([2, 'kube', 'schedule.failed', { object: 'vmi/default/a', reason: 'Insufficient memory' }]);
    expect(vmsEndAsPlanned.check(runCase(records, { vms: ['a', 'b'] }))).toEqual(['default/b ends Pending']);
  });

  it('a VM still Stopping is explained by a vm.stop step, which does not wait for the guest', () => {
    const records = [phase(1, 'a', 'Stopping')];
    expect(vmsEndAsPlanned.check(runCase(records, { vms: ['a'], steps: ['vm.stop'] }))).toEqual([]);
    expect(vmsEndAsPlanned.check(runCase(records, { vms: ['a'], steps: ['sleep'] }))).toEqual([
      'default/a ends Stopping',
    ]);
  });

  it('a plan that stopped early explains its VMs by its own finding', () => {
    expect(vmsEndAsPlanned.check(runCase([phase(1, 'a', 'Migrating')], { vms: ['a'], ok: false }))).toEqual(
      [],
    );
  });
});
