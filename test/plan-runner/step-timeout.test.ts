import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scaleClusterDocument } from '../../bench/scale-cluster.ts';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { loadPlan, planFromData } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { PLAN_STEP_TIMEOUTS } from '../../src/profiles/plan-step-timeouts.ts';
import { scenarioFromData } from '../../src/scenario/load.ts';
import { select } from '../../src/trace/record.ts';

// Every plan step has a limit (STYLE.md "Put a limit on everything": every wait has a timeout). The
// swarm found a plan that waited for ever: `npm run swarm -- --seed 4 --runs 1`, a node.maintenance
// whose VMs never finish migrating (each migration aborted at completionTimeoutPerGiB, the drain
// requeued without end by Harvester's node-drain controller).
const regression = (kind: string) =>
  parse(readFileSync(new URL(`../swarm/regressions/seed-4.${kind}.yaml`, import.meta.url), 'utf8'));
const scenario = scenarioFromData(regression('scenario'), 'seed-4.scenario.yaml');

function planWith(maintenance: Record<string, unknown>) {
  const document = regression('plan');
  document.steps[0] = { ...document.steps[0], ...maintenance };
  return planFromData(document, 'seed-4.plan.yaml');
}

describe('step timeouts', () => {
  it('a node.maintenance that cannot complete stops the plan at its `timeout:` (10 min) with a step-timeout finding', () => {
    const run = runPlan(scenario, planWith({ timeout: '10m' }), { seed: 1 });
    const start = select(run.records, 'plan', 'step.start')[0];
    const timeout = select(run.records, 'plan', 'step.timeout');
    expect(
      timeout.map((r) => [r.timeSeconds - start.timeSeconds, r.data.index, r.data.timeoutSeconds]),
    ).toEqual([[600, 0, 600]]);
    expect(run.ok).toBe(false);
    expect(run.failedStep).toBe(0);
    const findings = evaluate(run.records).findings.filter((f) => f.severity === 'critical');
    // One finding for the stop: the timeout, not also a generic "step failed". (The drain's own
    // reason, Longhorn's instance-manager PodDisruptionBudget, is reported beside it.)
    expect(findings.filter((f) => f.rule.startsWith('plan.')).map((f) => f.rule)).toEqual([
      'plan.step-timeout',
    ]);
    expect(findings.find((f) => f.rule === 'plan.step-timeout')?.timeSeconds).toBe(600);
  });

  it('without `timeout:` the step type default applies: node.maintenance 2 h, etcd.move-leader 5 s (etcdctl --command-timeout)', () => {
    const plan = planFromData(
      {
        name: 'defaults',
        steps: [
          { step: 'node.maintenance', node: 'node-1', action: 'enable' },
          { step: 'etcd.move-leader', to: 'node-2' },
          { step: 'support-bundle' },
          { step: 'sleep', duration: '1m' },
          { step: 'wait-for', condition: 'nodes-ready', timeout: '5m' },
        ],
      },
      'defaults.yaml',
    );
    expect(plan.steps.map((s) => s.timeoutSeconds)).toEqual([7200, 5, 600, null, null]);
    expect(PLAN_STEP_TIMEOUTS['etcd.move-leader'].source).toContain('--command-timeout=5s');
  });

  it('a step that finishes within its timeout runs exactly as without one (same trace)', () => {
    const document = {
      name: 'quick',
      steps: [
        { step: 'vm.stop', vms: 'all' },
        { step: 'wait-for', condition: 'no-vmis', timeout: '10m' },
        { step: 'vm.start', vms: 'all' },
      ],
    };
    const timed = structuredClone(document);
    (timed.steps[0] as Record<string, unknown>).timeout = '1h';
    const a = runPlan(scenario, planFromData(document, 'a.yaml'), { seed: 7 });
    const b = runPlan(scenario, planFromData(timed, 'b.yaml'), { seed: 7 });
    expect(a.ok).toBe(true);
    expect(JSON.stringify(b.records)).toBe(JSON.stringify(a.records));
  });

  it('`timeout` is refused on sleep (its duration bounds it), with a one-line error naming the field', () => {
    expect(() =>
      planFromData({ name: 'x', steps: [{ step: 'sleep', duration: '1m', timeout: '5m' }] }, 'x.yaml'),
    ).toThrow(/steps\[0\].*timeout/);
  });
});

// The KB plan shuts the workers down one after another, each waited on (`waitEachDown`); the default
// node.shutdown limit (30 min, src/profiles/plan-step-timeouts.ts) counts once per node it waits on,
// or a 50-node cluster (47 workers, about a minute each) would stop at its 32nd worker.
describe('per-node default timeouts', () => {
  const kb = loadPlan(
    fileURLToPath(new URL('../../scenarios/plans/kb-shutdown-restart.yaml', import.meta.url)),
  );

  it('mark only sequential node steps without a `timeout:`', () => {
    const step = (document: Record<string, unknown>) =>
      planFromData({ name: 'p', steps: [document] }, 'p.yaml').steps[0];
    expect(step({ step: 'node.shutdown', group: 'worker' }).timeoutPerNode).toBe(true);
    expect(step({ step: 'node.shutdown', group: 'worker', timeout: '1h' }).timeoutPerNode).toBeUndefined();
    expect(
      step({ step: 'node.shutdown', group: 'worker', order: 'parallel' }).timeoutPerNode,
    ).toBeUndefined();
    expect(step({ step: 'node.power-on', group: 'worker' }).timeoutPerNode).toBe(true);
    expect(step({ step: 'node.maintenance', node: 'n', action: 'enable' }).timeoutPerNode).toBeUndefined();
  });

  it('the KB plan as shipped completes on 47 workers shut down one by one', () => {
    const scenario50 = scenarioFromData(scaleClusterDocument(50), '(scale 50)');
    const run = runPlan(scenario50, kb, { seed: 1234567 });
    expect(run.reason).toBe('completed');
    const workers = kb.steps.find((s) => s.id === 'shutdown-workers');
    const start = select(run.records, 'plan', 'step.start').find((r) => r.data.id === workers?.id);
    const end = select(run.records, 'plan', 'step.end').find((r) => r.data.id === workers?.id);
    // Longer than one default (30 min) in total, each node well inside it.
    expect((end?.timeSeconds as number) - (start?.timeSeconds as number)).toBeGreaterThan(
      PLAN_STEP_TIMEOUTS['node.shutdown'].value,
    );
    expect(end?.data.detail.split(', ')).toHaveLength(47);
  });
});
