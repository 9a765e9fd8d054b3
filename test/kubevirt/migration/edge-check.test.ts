/**
 * `migrate` without `--runs` checks one prediction against a few varied runs when it shows a long
 * tail or no completion (src/kubevirt/migration/edge-check.ts). Judged on the second out-of-sample
 * campaign (test/calibration/qemu-holdout-2, real QEMU 7.2 runs measured after the fit): QEMU's own
 * outcome is the source.
 */
import { describe, expect, it } from 'vitest';
import { edgeLine, migrateTable } from '../../../src/cli/commands/migrate.ts';
import { checkEdge, needsEdgeCheck } from '../../../src/kubevirt/migration/edge-check.ts';
import { simulateMigration } from '../../../src/kubevirt/migration/single-migration-world.ts';
import {
  type CalibrationRun,
  calibrationRequest,
  QEMU_HOLDOUT_2_DIRECTORY,
  readCalibrationRuns,
  recordedCampaign,
} from '../../calibration/qemu-runs.ts';

const campaign = recordedCampaign();
const runs = readCalibrationRuns(QEMU_HOLDOUT_2_DIRECTORY).filter((r) => r.group !== 'knife-repeat');

function predict(run: CalibrationRun) {
  const request = calibrationRequest(run, campaign);
  const world = { linkBytesPerSecond: campaign.linkBytesPerSecond, untilSeconds: run.capSeconds + 60 };
  const result = simulateMigration(request, world);
  return { request, world, result, edge: needsEdgeCheck(result) ? checkEdge(request, world) : null };
}

describe('the knife-edge check of one prediction', () => {
  it('flags the run whose verdict the single prediction gets wrong (QEMU cancelled m640-bw56-r14000 three times; the prediction completes)', () => {
    const run = runs.find((r) => r.runId === 'm640-bw56-r14000-w128-dt300') as CalibrationRun;
    expect(run.outcome).toBe('cancelled');
    const { result, edge } = predict(run);
    expect(result.vmRunsOn).toBe('target');
    expect(edge?.knifeEdge).toBe(true);
    expect(edge?.completionProbability).toBeGreaterThan(0);
    expect(edge?.completionProbability).toBeLessThan(1);
  });

  it('flags no auto-converge, post-copy or plain pre-copy run off the knife edge, and says nothing under them', () => {
    const clear = runs.filter(
      (r) => r.group === 'autoconverge' || r.group === 'postcopy' || r.group === 'holdout',
    );
    expect(clear).toHaveLength(32);
    const flagged = clear.filter((r) => predict(r).edge?.knifeEdge === true).map((r) => r.runId);
    expect(flagged).toEqual([]);
    // A prediction that completes in few syncs is not even checked (m448-bw28-r3000: 8 in QEMU).
    const quick = predict(runs.find((r) => r.runId === 'm448-bw28-r3000-w64-dt300') as CalibrationRun);
    expect(quick.edge).toBeNull();
    expect(migrateTable(quick.result, quick.edge)).not.toContain('knife edge');
  });

  it('a guest far above the bandwidth is not flagged; a migration longer than 600 s is not checked (bounded time)', () => {
    const base = runs.find((r) => r.runId === 'm448-bw40-r10000-w96-dt300') as CalibrationRun;
    // Four times the knife-edge rate: it never converges, whatever the draw (its passes dirty the whole
    // working set, so it may be checked, and the check finds no run completing).
    const flooded = {
      ...base,
      achievedRatePps: 4 * base.achievedRatePps,
      guestRateBeforePps: 4 * base.guestRateBeforePps,
    };
    const far = predict(flooded);
    expect(far.result.vmRunsOn).toBe('source');
    expect(far.edge?.knifeEdge ?? false).toBe(false);
    expect(migrateTable(far.result, far.edge)).not.toContain('knife edge');
    // The same knife-edge guest with 64 GiB of memory and a 1 h cap: its first pass alone is 1,600 s.
    const big = {
      ...base,
      memMib: 65536,
      guestAllocMib: 65536 - (base.memMib - base.guestAllocMib),
      capSeconds: 3600,
    };
    const long = predict(big);
    expect(long.result.migrationSeconds).toBeGreaterThan(600);
    expect(long.edge).toBeNull();
  });

  it('the table names the share that completes and the time range, and points to --runs', () => {
    const { result, edge } = predict(
      runs.find((r) => r.runId === 'm448-bw40-r10000-w96-dt300') as CalibrationRun,
    );
    expect(edge?.knifeEdge).toBe(true);
    const table = migrateTable(result, edge);
    expect(table).toContain(edgeLine(edge as NonNullable<typeof edge>));
    expect(edgeLine(edge as NonNullable<typeof edge>)).toMatch(
      /^knife edge {7}yes: of 20 runs .* \d+ % complete, (migration [\d.]+–[\d.]+ s \(p10–p90\)|none completes); .*--runs 200/,
    );
  });
});
