import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import type { StorageMetrics } from '../../src/evaluate/storage.ts';
import { loadPlan } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { loadScenario, scenarioFromData } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';

const file = (path: string) => new URL(`../../scenarios/${path}`, import.meta.url).pathname;

function evaluatePlan(scenario: Scenario, planName: string) {
  const plan = loadPlan(file(`plans/${planName}.yaml`));
  const run = runPlan(scenario, plan);
  const evaluation = evaluate(run.records);
  return { run, evaluation, storage: evaluation.metrics.storage as StorageMetrics };
}

describe('storage in plans (issue 4)', () => {
  const seedWitness = loadScenario(file('seed-witness.yaml'));

  it('nodes-only moves replica data and leaves data at risk; the KB plan moves none', () => {
    // KB: "stop the PVs as much as possible before the cluster shutdown to avoid the data moving."
    const nodesOnly = evaluatePlan(seedWitness, 'nodes-only');
    expect(nodesOnly.storage.bytesRebuilt).toBeGreaterThan(0);
    expect(nodesOnly.storage.dataAtRiskBytes).toBeGreaterThan(0);
    expect(nodesOnly.evaluation.findings.map((f) => f.rule)).toContain(
      'longhorn.volume-attached-at-power-off',
    );

    const kb = evaluatePlan(seedWitness, 'kb-shutdown-restart');
    expect(kb.storage.bytesRebuilt).toBe(0);
    expect(kb.storage.dataAtRiskBytes).toBe(0);
    expect(kb.storage.degradedVolumeSeconds).toBe(0);
    expect(kb.evaluation.findings.filter((f) => f.rule.startsWith('longhorn.'))).toEqual([]);
  });

  it('weekly trim during a rebuild makes VMs flap on Harvester 1.3.0 and not on 1.3.1', () => {
    // KB / research/longhorn.md §4: Longhorn 1.6.0 (Harvester 1.3.0) fails UNMAP while a replica is
    // rebuilding; 1.6.1 (Harvester 1.3.1) trims 0 bytes with a warning.
    const data = parse(readFileSync(file('trim-during-rebuild.yaml'), 'utf8'), { merge: true });
    const affected = evaluatePlan(scenarioFromData(data, 'trim-during-rebuild.yaml'), 'node-outage');
    expect(affected.storage.bytesRebuilt).toBeGreaterThan(0);
    expect(affected.storage.vmsPausedByTrim).toBe(2);
    expect(affected.storage.trimFlaps).toBeGreaterThan(2);
    expect(
      affected.evaluation.findings.filter((f) => f.rule === 'longhorn.trim-during-rebuild'),
    ).toHaveLength(2);

    data.harvesterVersion = '1.3.1';
    const fixed = evaluatePlan(scenarioFromData(data, 'trim-during-rebuild.yaml'), 'node-outage');
    expect(fixed.storage.bytesRebuilt).toBeGreaterThan(0);
    expect(fixed.storage.vmsPausedByTrim).toBe(0);
    expect(fixed.storage.trimPausedSeconds).toBe(0);
  });

  it("disabling fstrim.timer (the KB's first mitigation) avoids the pauses on 1.3.0", () => {
    const data = parse(readFileSync(file('trim-during-rebuild.yaml'), 'utf8'), { merge: true });
    for (const vm of data.vms) vm.guest = { ...vm.guest, fstrimTimer: { enabled: false } };
    const mitigated = evaluatePlan(scenarioFromData(data, 'trim-during-rebuild.yaml'), 'node-outage');
    expect(mitigated.storage.vmsPausedByTrim).toBe(0);
  });
});
