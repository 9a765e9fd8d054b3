/**
 * What the model predicted for this campaign's inputs before they ran (predictions.txt):
 *   npx tsx test/calibration/qemu-holdout-3/predict.ts 576:96:9600:40 704:96:11600:48   (mem:wss:rate:bw)
 * Inputs as the earlier campaigns' runs, from m512-bw44-r10400-w128-dt300 of ../qemu-holdout-2: the
 * achieved rate taken as 99 % of the target, the guest's allocation of those campaigns per memory size.
 */
import {
  measuredDirtyRateVariability,
  simulateMigrationRuns,
} from '../../../src/kubevirt/migration/migration-ensemble.ts';
import { simulateMigration } from '../../../src/kubevirt/migration/single-migration-world.ts';
import {
  calibrationRequest,
  QEMU_HOLDOUT_2_DIRECTORY,
  readCalibrationRuns,
  recordedCampaign,
} from '../qemu-runs.ts';

const alloc: Record<number, number> = {
  384: 282,
  448: 343,
  512: 405,
  576: 466,
  640: 484,
  704: 541,
  768: 600,
  832: 657,
  896: 716,
  960: 773,
  1024: 837,
};
const template = readCalibrationRuns(QEMU_HOLDOUT_2_DIRECTORY).find(
  (r) => r.runId === 'm512-bw44-r10400-w128-dt300',
)!;
const c = recordedCampaign();
const inputs = process.argv.slice(2).map((s) => s.split(':').map(Number)); // mem:wss:rate:bw
for (const [mem, wss, rate, bw] of inputs) {
  const run = {
    ...template,
    runId: `m${mem}-bw${bw}-r${rate}-w${wss}-dt300`,
    memMib: mem,
    wssMib: wss,
    guestAllocMib: alloc[mem],
    achievedRatePps: rate * 0.99,
    targetRatePps: rate,
    bandwidthMibps: bw,
  };
  const req = calibrationRequest(run, c);
  const one = simulateMigration(req, { linkBytesPerSecond: c.linkBytesPerSecond, untilSeconds: 120 });
  const e = simulateMigrationRuns(
    req,
    { linkBytesPerSecond: c.linkBytesPerSecond, untilSeconds: 120 },
    { runs: 200, firstSeed: 1, variability: measuredDirtyRateVariability() },
  );
  const t = e.migrationSeconds,
    it = e.iterations;
  console.log(
    run.runId,
    `r/B=${(rate / (bw * 256)).toFixed(3)}`,
    'point',
    one.outcome,
    one.migrationSeconds.toFixed(1),
    one.iterations,
    '| ens',
    (100 * e.completionProbability).toFixed(0) + '%',
    t ? `${t.p10.toFixed(1)}/${t.p50.toFixed(1)}/${t.p90.toFixed(1)}` : '-',
    it ? `it ${it.p10.toFixed(0)}-${it.p90.toFixed(0)}` : '',
  );
}
