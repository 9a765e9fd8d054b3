import { describe, expect, it } from 'vitest';
import { replayCommand, summarizePlan } from '../../src/compare/compare.ts';
import type { MetricValues } from '../../src/compare/metrics.ts';
import type { SeedOutcome } from '../../src/compare/seed-outcome.ts';

const metrics = (durationSeconds: number): MetricValues => ({
  durationSeconds,
  apiUnavailableSeconds: 0,
  quorumLostSeconds: 0,
  vmsForceRestarted: 0,
  bytesRebuilt: 0,
  dataAtRiskBytes: 0,
  migrationsAborted: 0,
});

const WITNESS = {
  rule: 'etcd.delete-pod-no-effect',
  severity: 'warning' as const,
  count: 1,
  title: 'deleting the etcd pod did not move the leader',
  objects: ['etcd/leader'],
  source: 'Run kubectl delete pod -n kube-system etcd-name command ...',
};
const CERT = {
  ...WITNESS,
  rule: 'certificate.expired',
  severity: 'info' as const,
  objects: ['certificate/x'],
};

const outcomes: SeedOutcome[] = [
  { seed: 1, ok: true, failedStep: null, reason: 'completed', metrics: metrics(100), findings: [CERT] },
  {
    seed: 2,
    ok: false,
    failedStep: 7,
    reason: 'timed out after 120 s waiting for etcd-leader (leader harv43)',
    metrics: metrics(300),
    findings: [WITNESS, CERT],
  },
  { seed: 3, ok: true, failedStep: null, reason: 'completed', metrics: metrics(200), findings: [] },
  {
    seed: 4,
    ok: false,
    failedStep: 7,
    reason: 'timed out after 120 s waiting for etcd-leader (leader harv43)',
    metrics: metrics(400),
    findings: [{ ...WITNESS, count: 2 }],
  },
];

describe('a plan over seeds', () => {
  const plan = summarizePlan('kb', 'plans/kb.yaml', outcomes, (seed) => `replay ${seed}`);

  it('completionRate is the share of seeds whose plan completed (2 of 4)', () => {
    expect([plan.completed, plan.runs, plan.completionRate]).toEqual([2, 4, 0.5]);
  });

  it('p50 / p95 / max of each metric over the seeds (nearest rank of 100, 200, 300, 400)', () => {
    expect(plan.metrics.durationSeconds).toMatchObject({ p50: 200, p95: 400, max: 400 });
  });

  it('findings grouped by kind with how many seeds show each', () => {
    expect(plan.findingGroups.map((g) => [g.rule, g.seeds, g.count])).toEqual([
      ['etcd.delete-pod-no-effect', 2, 3],
      ['certificate.expired', 2, 2],
    ]);
    expect(plan.findingGroups[0].exampleSeeds).toEqual([2, 4]);
  });

  it('the seeds that fail, each with its step, reason and replay command', () => {
    expect(plan.failedSeeds).toEqual([
      { seed: 2, failedStep: 7, reason: outcomes[1].reason, replay: 'replay 2' },
      { seed: 4, failedStep: 7, reason: outcomes[3].reason, replay: 'replay 4' },
    ]);
  });
});

describe('the replay command', () => {
  it('is `evaluate <scenario> <plan> --seed <seed>`', () => {
    expect(
      replayCommand('harvester-sim', 'scenarios/seed-witness.yaml', 'scenarios/plans/kb.yaml', 1234572),
    ).toBe('harvester-sim evaluate scenarios/seed-witness.yaml scenarios/plans/kb.yaml --seed 1234572');
  });

  it('quotes what a shell would split', () => {
    expect(replayCommand('harvester-sim', 'my scenarios/a.yaml', 'p.yaml', "it's-3")).toBe(
      "harvester-sim evaluate 'my scenarios/a.yaml' p.yaml --seed 'it'\\''s-3'",
    );
  });
});
