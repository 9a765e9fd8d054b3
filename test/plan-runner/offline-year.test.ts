import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { parsePlan } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { parseScenario } from '../../src/scenario/load.ts';

// Issue 15 §4: "An `offline` step of months or years runs in constant time (skip the idle interval;
// no 90-day cap)". With every node off the world waits on a power event, so the interval costs no
// events; the run's limit grows by the plans' offline time instead of counting it.

const scenarios = new URL('../../scenarios/', import.meta.url).pathname;
// Harvester 1.7 (rke2 v1.34) renews certificates that expired while it was down, so the year's plan
// completes; on older rke2 it stops at the restart (rancher/rke2#8318, test/kube/certificates-by-age.test.ts).
const scenario = parseScenario(
  readFileSync(`${scenarios}seed-witness.yaml`, 'utf8').replace(
    /harvesterVersion: .*/,
    'harvesterVersion: "1.7.0"',
  ),
  'seed-witness-1.7.yaml',
);
const planText = readFileSync(`${scenarios}plans/power-off-all.yaml`, 'utf8');

function offline(duration: string) {
  const plan = parsePlan(
    planText.replace('duration: 12h', `duration: ${duration}`),
    `offline-${duration}.yaml`,
  );
  const run = runPlan(scenario, plan, { seed: 1 });
  return { run, evaluation: evaluate(run.records) };
}

describe('an offline step of any length (issue 15 §4)', () => {
  it('a year powered off completes, past the 90-day run limit', () => {
    const { run } = offline('8760h');
    expect(run.ok, run.reason).toBe(true);
    expect(run.endSeconds - run.startSeconds).toBeGreaterThan(365 * 86400);
  });

  it('costs the same work as 12 hours: the same records but for the certificates the length expires', () => {
    const kinds = (records: readonly { subsystem: string; kind: string }[]) =>
      records.filter((r) => r.kind !== 'certificate.expired').map((r) => `${r.subsystem}/${r.kind}`);
    const year = offline('8760h');
    const halfDay = offline('12h');
    expect(kinds(year.run.records)).toEqual(kinds(halfDay.run.records));
    // RKE2 leaf certificates last 365 days (k3s-io/k3s:pkg/daemons/config, "expires after one year" KB).
    const expired = (e: typeof year.evaluation) =>
      e.findings.filter((f) => f.rule === 'certificate.expired').flatMap((f) => f.objects);
    expect(expired(year.evaluation)).toContain('certificate/rke2-leaf-certificates');
    expect(expired(halfDay.evaluation)).not.toContain('certificate/rke2-leaf-certificates');
  });
});
