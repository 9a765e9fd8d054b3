import { describe, expect, it } from 'vitest';
import { traceHash } from '../../sim/index.ts';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { loadPlan } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const file = (path: string) => new URL(`../../scenarios/${path}`, import.meta.url).pathname;
const scenario = loadScenario(file('seed-witness.yaml'));

function evaluatePlan(name: string, seed = 1234567) {
  const plan = loadPlan(file(`plans/${name}.yaml`));
  const run = runPlan(scenario, plan, { seed });
  return { run, evaluation: evaluate(run.records) };
}

const rules = (name: string, seed?: number) =>
  new Set(
    evaluatePlan(name, seed)
      .evaluation.findings.filter((f) => f.severity !== 'info')
      .map((f) => f.rule),
  );

/** The finding each contrast plan exists to show (see the comment at the top of each plan). */
const expected: Record<string, string> = {
  'nodes-only': 'vm.running-at-power-off',
  'power-off-all': 'node.power-loss',
  'wrong-restart-order': 'restart.order',
  'forget-scale-available': 'rancher.scaled-back-up',
  'leader-on-witness': 'etcd.last-member-is-witness',
  'remove-import': 'rancher.import-removed',
};

describe('the knowledge-base plan and its contrasts on seed-witness', () => {
  it('the KB plan completes with no warning or critical finding when etcd elects a control-plane leader', () => {
    let completed = 0;
    for (const seed of [1234567, 1, 2, 3, 4, 5]) {
      const { run, evaluation } = evaluatePlan('kb-shutdown-restart', seed);
      const witnessLed = evaluation.findings.some((f) => f.rule === 'etcd.delete-pod-no-effect');
      if (witnessLed) continue;
      completed++;
      expect(run.ok, run.reason).toBe(true);
      expect(evaluation.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    }
    expect(completed).toBeGreaterThan(0);
  });

  it("when the witness leads, the KB's `kubectl delete pod etcd-<witness>` does not move the leader (S1)", () => {
    // etcd is a static pod: deleting its mirror pod leaves the container running (controlplane.md §8 S1).
    const seeds = [1234567, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const witnessLed = seeds
      .map((seed) => evaluatePlan('kb-shutdown-restart', seed))
      .filter(({ evaluation }) => evaluation.findings.some((f) => f.rule === 'etcd.delete-pod-no-effect'));
    expect(witnessLed.length).toBeGreaterThan(0);
    for (const { run } of witnessLed) {
      expect(run.ok).toBe(false);
      expect(run.reason).toMatch(/etcd-leader \(leader harv43\)/);
    }
  });

  for (const [plan, rule] of Object.entries(expected)) {
    it(`${plan} shows ${rule}, which the KB plan does not`, () => {
      expect(rules(plan)).toContain(rule);
    });
  }

  it('nodes-only leaves VMs running on the nodes it powers off; vm-force-reset-policy restarts one elsewhere', () => {
    const { evaluation } = evaluatePlan('nodes-only');
    expect(evaluation.metrics.vmsLostWithNode).toBe(scenario.vms.length);
    expect(evaluation.metrics.vmsForceRestarted).toBeGreaterThanOrEqual(1);
    // Controllers retry the lost VMIs with client-go's backoff, within its 10 qps bucket (600/min).
    expect(evaluation.metrics.peakReconcileAttemptsPerMinute).toBeGreaterThan(0);
    expect(evaluation.metrics.peakReconcileAttemptsPerMinute).toBeLessThanOrEqual(600);
  });

  it('the KB plan loses etcd quorum once, while the cluster is off, and gets it back at restart', () => {
    const { evaluation } = evaluatePlan('kb-shutdown-restart');
    const [lost] = evaluation.metrics.quorumLostIntervals;
    expect(evaluation.metrics.quorumLostIntervals).toHaveLength(1);
    // Quorum goes with the second of three members (after the worker) and returns only after the
    // 12 h offline step, once two members run again.
    expect(lost.endSeconds - lost.startSeconds).toBeGreaterThan(12 * 3600);
    expect(evaluation.metrics.apiUnavailableSeconds).toBeGreaterThan(12 * 3600);
    expect(evaluation.metrics.vmsForceRestarted).toBe(0);
    expect(evaluation.metrics.unschedulablePods).toBe(0);
  });

  it('leader-on-witness times out waiting for the VIP: the witness runs no apiserver or kube-vip', () => {
    const { run } = evaluatePlan('leader-on-witness');
    expect(run.ok).toBe(false);
    expect(run.reason).toMatch(/vip-bound/);
  });

  it('is deterministic: the same seed gives the same trace, another seed another', () => {
    const plan = loadPlan(file('plans/kb-shutdown-restart.yaml'));
    const a = traceHash(runPlan(scenario, plan, { seed: 7 }).records);
    expect(traceHash(runPlan(scenario, plan, { seed: 7 }).records)).toBe(a);
    expect(traceHash(runPlan(scenario, plan, { seed: 8 }).records)).not.toBe(a);
  });
});

describe('one plan for every cluster shape', () => {
  it('the KB plan runs on a 3-node cluster (no witness, no worker) and on 3 management + 9 workers', () => {
    for (const name of ['harvester-3node.yaml', 'production-12node.yaml']) {
      const other = loadScenario(file(name));
      const plan = loadPlan(file('plans/kb-shutdown-restart.yaml'));
      const run = runPlan(other, plan);
      expect(run.ok, `${name}: ${run.reason}`).toBe(true);
      const evaluation = evaluate(run.records);
      expect(evaluation.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    }
  });

  it("nodes-only on 3 management + 9 workers pushes the workers' VMs onto the last nodes", () => {
    const production = loadScenario(file('production-12node.yaml'));
    const plan = loadPlan(file('plans/nodes-only.yaml'));
    const evaluation = evaluate(runPlan(production, plan).records);
    expect(evaluation.metrics.vmsLostWithNode).toBeGreaterThanOrEqual(
      production.vms.filter((v) => v.runStrategy !== 'Halted').length,
    );
    expect(evaluation.findings.map((f) => f.rule)).toContain('vm.force-restarted');
  });
});
