import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { parsePlan } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { parseScenario } from '../../src/scenario/load.ts';

// Issue 15 §8: a replica Longhorn cannot schedule is reported with the reason, at start as well as
// later. longhorn/longhorn-manager:scheduler/replica_scheduler.go refuses a disk when
// "size + scheduled > (max − reserved) × storage-over-provisioning-percentage" or "available −
// required ≤ max × storage-minimal-available-percentage" (IsSchedulableToDisk), when its node or disk
// lacks a tag of the StorageClass nodeSelector / diskSelector, and, with replica-soft-anti-affinity
// false (Longhorn's default), when every schedulable node already holds a replica; the volume then
// carries Scheduled=False (ReplicaSchedulingFailure) until a replica lands.

const scenarios = new URL('../../scenarios/', import.meta.url).pathname;
const base = readFileSync(`${scenarios}seed-witness.yaml`, 'utf8');
const plan = parsePlan(
  readFileSync(`${scenarios}plans/kb-shutdown-restart.yaml`, 'utf8'),
  'kb-shutdown-restart.yaml',
);

// Three Longhorn nodes (harv41, harv42, harv2: the witness holds none), each one 1 TiB default disk
// reserving 30 % (storage-reserved-percentage-for-default-disk): (1 TiB − 30 %) × 200 % = 1.4 TiB
// may be scheduled per disk.
const refused = `
  - { namespace: default, name: fast-data, size: 1Gi, replicas: 2, diskSelector: [nvme] }
  - { namespace: default, name: four-copies, size: 1Gi, replicas: 4 }
  - { namespace: default, name: too-big, size: 1.5Ti, used: 1Gi, replicas: 1 }
`;
const scenario = parseScenario(
  base.replace('\naddons:', `${refused}\naddons:`),
  'seed-witness-refusals.yaml',
);

function refusals() {
  const run = runPlan(scenario, plan, { seed: 1 });
  const findings = evaluate(run.records).findings.filter((f) => f.rule === 'longhorn.replica-unschedulable');
  return new Map(findings.map((f) => [f.objects[0], f]));
}

describe('replicas Longhorn refuses are findings that name the volume and the reason (issue 15 §8)', () => {
  const found = refusals();

  it('a diskSelector no disk carries: tags not fulfilled, reported at the start', () => {
    const f = found.get('volume/default/fast-data');
    expect(f?.title).toContain('tags-not-fulfilled');
    expect(f?.detail).toContain('lacks tags [nvme]');
    expect(f?.timeSeconds).toBeLessThanOrEqual(0);
  });

  it('a fourth replica on three nodes with replica-soft-anti-affinity false: anti-affinity', () => {
    const f = found.get('volume/default/four-copies');
    expect(f?.title).toContain('anti-affinity');
    expect(f?.detail).toContain('harv2, harv41, harv42');
  });

  it('1.5 TiB against a 1.4 TiB scheduling limit (200 % of 1 TiB less 30 % reserved): insufficient storage', () => {
    const f = found.get('volume/default/too-big');
    expect(f?.title).toContain('insufficient-storage');
    const limit = Math.floor(((2 ** 40 - Math.floor(0.3 * 2 ** 40)) * 200) / 100);
    expect(f?.detail).toContain(`> ${limit}`);
  });

  it('the shipped volumes, which fit, are not reported', () => {
    expect([...found.keys()].sort()).toEqual([
      'volume/default/fast-data',
      'volume/default/four-copies',
      'volume/default/too-big',
    ]);
  });
});
