import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { MigrationMetrics } from '../../src/evaluate/migration.ts';
import { loadPlan, planFromData } from '../../src/plan/format/load.ts';
import type { Plan } from '../../src/plan/format/types.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';

const file = (path: string) => new URL(`../../scenarios/${path}`, import.meta.url).pathname;

function evaluatePlan(scenario: Scenario, plan: Plan) {
  const run = runPlan(scenario, plan);
  const evaluation = evaluate(run.records);
  return { run, evaluation, migration: evaluation.metrics.migration as MigrationMetrics };
}

describe('migrations in plans (issue 5)', () => {
  const production = loadScenario(file('production-12node.yaml'));

  it('maintenance on a worker migrates its VMs, at most 2 outbound at a time (parallelOutboundMigrationsPerNode)', () => {
    const onNode = production.vms.filter((vm) => vm.nodeName === 'worker-01' && vm.runStrategy !== 'Halted');
    expect(onNode.length).toBeGreaterThan(2);
    const { run, migration } = evaluatePlan(production, loadPlan(file('plans/maintenance-drain.yaml')));
    expect(run.ok, run.reason).toBe(true);
    expect(migration.completed).toBe(onNode.length);
    // KubeVirt's default of 2 outbound per node is reached and never exceeded: the rest queue.
    expect(migration.peakOutboundPerNode).toBe(2);
    expect(migration.maintenance).toMatchObject([{ node: 'worker-01', outcome: 'completed' }]);
  });

  it('the maintenance drain fails the drained node\'s replicas at once ("marked as failed immediately", LW 1.10 rebuilding)', () => {
    const { run } = evaluatePlan(production, loadPlan(file('plans/maintenance-drain.yaml')));
    const drained = run.records.find((r) => r.subsystem === 'kubevirt' && r.kind === 'maintenance.drained');
    expect(drained).toBeDefined();
    const onNode = run.records.filter(
      (r) => r.subsystem === 'longhorn' && r.kind === 'replica.failed' && r.data.node === 'worker-01',
    );
    expect(onNode.length).toBeGreaterThan(0);
    for (const r of onNode) {
      expect(r.timeSeconds).toBe(drained?.timeSeconds);
      expect(r).toMatchObject({ data: { reason: 'node-shutdown' } });
    }
  });

  it('migrating VMs of several nodes at once never runs more than 5 in the cluster (parallelMigrationsPerCluster)', () => {
    const plan = planFromData(
      { name: 'migrate-all', steps: [{ step: 'vm.migrate', vms: 'all' }] },
      'migrate-all.yaml',
    );
    const { migration } = evaluatePlan(production, plan);
    expect(migration.completed).toBeGreaterThan(10);
    expect(migration.peakConcurrent).toBe(5);
    expect(migration.peakOutboundPerNode).toBeLessThanOrEqual(2);
  });

  it('a VM whose volume is ReadWriteOnce is not live-migratable and blocks maintenance', () => {
    const seed = loadScenario(file('seed-witness.yaml'));
    const vm = seed.vms.find((v) => v.nodeName === 'harv41') ?? seed.vms[0];
    const rwo: Scenario = {
      ...seed,
      volumes: seed.volumes.map((v) =>
        v.namespace === vm.namespace && vm.volumeNames.includes(v.name)
          ? { ...v, accessMode: 'ReadWriteOnce' }
          : v,
      ),
    };
    const plan = planFromData(
      {
        name: 'drain',
        steps: [{ step: 'node.maintenance', node: vm.nodeName ?? 'harv41', action: 'enable' }],
      },
      'drain.yaml',
    );
    const { run, evaluation } = evaluatePlan(rwo, plan);
    expect(run.ok).toBe(false);
    const blocked = evaluation.findings.find((f) => f.rule === 'maintenance.blocked');
    expect(blocked?.objects).toContain(`vm/${vm.namespace}/${vm.name}`);
    expect(blocked?.detail).toMatch(/DisksNotLiveMigratable/);
  });
});

describe('a migration that cannot converge', () => {
  it('is aborted by KubeVirt and reported as not converging', () => {
    // 64 MiB/s dirtied over a 2 GiB working set against a 16 MiB/s bandwidthPerMigration: pre-copy
    // never gets the dirty set under bandwidth × 300 ms, and without auto-converge or post-copy the
    // monitor aborts at completionTimeoutPerGiB × GiB or on the progress timeout (migration.md §3).
    const seed = loadScenario(file('seed-witness.yaml'));
    const vm = seed.vms.find((v) => v.nodeName === 'harv41') ?? seed.vms[0];
    const hot: Scenario = {
      ...seed,
      settings: {
        ...seed.settings,
        kubevirtMigrations: {
          ...seed.settings.kubevirtMigrations,
          bandwidthPerMigrationBytesPerSecond: 16 * 2 ** 20,
        },
      },
      vms: seed.vms.map((v) =>
        v === vm
          ? {
              ...v,
              guest: {
                ...v.guest,
                dirtyRateBytesPerSecond: 64 * 2 ** 20,
                workingSetBytes: Math.min(2 * 2 ** 30, v.memoryBytes),
              },
            }
          : v,
      ),
    };
    const plan = planFromData(
      {
        name: 'migrate-one',
        steps: [{ step: 'vm.migrate', vms: { names: [`${vm.namespace}/${vm.name}`] } }],
      },
      'migrate-one.yaml',
    );
    const { evaluation, migration } = evaluatePlan(hot, plan);
    expect(migration.aborted).toBe(1);
    expect(evaluation.findings.map((f) => f.rule)).toContain('migration.not-converging');
  });
});
