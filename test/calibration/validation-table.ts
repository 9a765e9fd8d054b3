/**
 * docs/validation.md, generated: the model against every run of the QEMU calibration campaign.
 * `npx tsx test/calibration/validation-table.ts > docs/validation.md` (from the repository root).
 */
import { fileURLToPath } from 'node:url';
import { MIGRATION_MODEL_PARAMETERS, QEMU_CALIBRATION_CAMPAIGN } from '../../src/kubevirt/defaults.ts';
import { fitCampaign, fitGeometry } from './fit-parameters.ts';
import { compareRun, type RunComparison, summarize } from './qemu-comparison.ts';
import { QEMU_CALIBRATION_CITATION, readCalibrationRuns } from './qemu-runs.ts';
import { readSyncObservations } from './sync-observations.ts';

function percent(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}

function row(c: RunComparison): string {
  const r = c.run;
  const p = c.predicted;
  const downtime = r.outcome === 'cancelled' ? '–' : `${r.downtimeMs ?? '–'} / ${p.downtimeMs.toFixed(0)}`;
  const cells = [
    r.runId,
    `${r.outcome} / ${c.predictedVerdict}${c.verdictMatches ? '' : ' **✗**'}`,
    `${(r.totalMs / 1000).toFixed(2)} / ${p.migrationSeconds.toFixed(2)}`,
    percent(c.totalTimeError),
    `${r.iterations} / ${p.iterations}`,
    downtime,
    `${(r.transferredBytes / 1e6).toFixed(1)} / ${(p.transferredBytes / 1e6).toFixed(1)}`,
    percent(c.transferredError),
    `${r.maxThrottlePct} / ${p.maxThrottlePercent}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

export function validationMarkdown(): string {
  const runs = readCalibrationRuns();
  const rows = runs.map((run) => compareRun(run));
  const s = summarize(rows);
  const fit = fitCampaign(runs);
  const geometry = fitGeometry(readSyncObservations(runs));
  const m = MIGRATION_MODEL_PARAMETERS;
  const c = QEMU_CALIBRATION_CAMPAIGN;
  const misses = rows.filter((r) => !r.verdictMatches).map((r) => `\`${r.run.runId}\``);
  const lines = [
    '# Validation',
    '',
    '## Live migration against real QEMU',
    '',
    `Every run of \`${QEMU_CALIBRATION_CITATION}/results.csv\` (QEMU 7.2, TCG, loopback; README there) predicted`,
    'from its inputs by the migration model (`src/kubevirt/migration/`): guest memory, touched memory, working',
    'set, `achieved_rate_pps` as the dirty rate, `max-bandwidth`, `downtime-limit`, auto-converge, post-copy',
    'started after the first pass, and `cap_s` as an operator cancel. Bare QEMU: no KubeVirt monitor.',
    'Regenerate with `npx tsx test/calibration/validation-table.ts > docs/validation.md`;',
    '`test/kubevirt/migration/calibration.test.ts` checks the same numbers.',
    '',
    '### Summary',
    '',
    '| measure | value | target |',
    '|---|---|---|',
    `| verdict (converged / converged-postcopy / cancelled) matches | ${s.verdictMatches} of ${s.runs} | all |`,
    `| median absolute error of total time | ${percent(s.medianAbsTotalTimeError)} | ≤ 5 % |`,
    `| largest absolute error of total time | ${percent(s.maxAbsTotalTimeError)} | – |`,
    `| iterations (dirty-sync-count) within ±1, completed runs | ${s.iterationsWithinOne} of ${s.completedRuns} (${percent(s.iterationsWithinOne / s.completedRuns)}) | ≥ 90 % |`,
    `| median absolute downtime error, completed runs | ${s.medianAbsDowntimeErrorMs.toFixed(1)} ms | reported |`,
    `| median absolute transferred-bytes error | ${percent(s.medianAbsTransferredError)} | reported |`,
    '',
    misses.length === 0
      ? 'All verdicts match.'
      : `Verdict misses: ${misses.join(', ')}. See "The knife-edge runs" below.`,
    '',
    '### Fitted parameters (least squares across all runs, never per run)',
    '',
    '`test/calibration/fit-parameters.ts` (mathjs, normal equations); values recorded in',
    '`src/kubevirt/defaults.ts` with this provenance.',
    '',
    '| parameter | fit | recorded | runs | rms residual |',
    '|---|---|---|---|---|',
    `| resident non-zero pages, base | ${fit.resident.coefficients[0].toFixed(0)} | ${c.residentBasePages.value} | ${fit.resident.runs} idle | ${fit.resident.rmsResidual.toFixed(1)} pages |`,
    `| resident pages per guest page | ${fit.resident.coefficients[1].toFixed(4)} | ${c.residentPagesPerMemoryPage.value} | same | same |`,
    `| page header bytes (QEMU: 8) | ${fit.wire.coefficients[0].toFixed(2)} | ${c.fittedPageHeaderBytes.value} | ${fit.wire.runs} pre-copy | ${(fit.wire.rmsResidual / 1000).toFixed(1)} kB |`,
    `| zero page bytes (QEMU: 9) | ${fit.wire.coefficients[1].toFixed(2)} | ${c.fittedZeroPageBytes.value} | same | same |`,
    `| QEMU set-up time | ${(1000 * fit.setup.coefficients[0]).toFixed(1)} ms | ${(1000 * m.qemuSetupSeconds.value).toFixed(1)} ms | ${fit.setup.runs} | ${(1000 * fit.setup.rmsResidual).toFixed(1)} ms |`,
    `| switch-over fixed time | ${(1000 * fit.downtime.coefficients[0]).toFixed(2)} ms | ${(1000 * m.switchoverFixedSeconds.value).toFixed(2)} ms | ${fit.downtime.runs} converged | ${(1000 * fit.downtime.rmsResidual).toFixed(1)} ms |`,
    `| switch-over link speed | ${(1 / fit.downtime.coefficients[1] / 1e9).toFixed(3)} GB/s | ${(m.switchoverBytesPerSecond.value / 1e9).toFixed(3)} GB/s | same | same |`,
    `| hot set, base pages | ${geometry.hotSet.coefficients[0].toFixed(1)} | ${c.hotSetBasePages.value} | ${geometry.hotSet.runs} syncs covering the working set | ${geometry.hotSet.rmsResidual.toFixed(0)} pages |`,
    `| hot set, pages per working-set page | ${geometry.hotSet.coefficients[1].toFixed(6)} | ${c.hotSetPagesPerWorkingSetPage.value} | same | same |`,
    `| overlap left while the marks form one run (m) | ${geometry.contiguousOverlap.coefficients[0].toFixed(4)} | ${c.workingSetOverlapFraction.value} | ${geometry.contiguousOverlap.runs} syncs not covering it | ${geometry.contiguousOverlap.rmsResidual.toFixed(0)} pages |`,
    '',
    'The last three come from the traces, sync by sync (`sync-observations.ts`): pages still unsent',
    'just before each MIGRATION_PASS, pages marked just after it (`remaining` plus what was sent in',
    'between) and the guest writes in the interval (its per-second DIRTY report × interval).',
    '',
    `Not least squares: \`resweepFraction\` = ${m.resweepFraction.value} (a scan of five values across all runs) and`,
    `\`minSyncIntervalMs\` = ${m.minSyncIntervalMs.value} (order of magnitude from one trace); the guest's throttle`,
    `catch-up (${c.throttleCatchUpMs.value} ms) is read from the traces, not fitted.`,
    '',
    '### Every run (observed / predicted)',
    '',
    '| run | verdict | total s | time error | iterations | downtime ms | MB sent | bytes error | max throttle % |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(row),
    '',
    '### The knife-edge runs',
    '',
    '- `m256-bw32-r8000-w32-dt30` (cancelled by QEMU at 60 s) and `m256-bw64-r16000-w128-dt300` (converged',
    '  at 52.4 s after 171 syncs) both dirty at about 97 % of the bandwidth. A uniform +1–3 % on the dirty',
    '  rate flips one or the other; two mechanisms read from the traces explain both (docs/model/migration.md,',
    '  "Guest dirtying"):',
    '  - the hot set: a sync whose interval covered the whole working set finds W + 120–130 pages with a',
    '    32 MiB set and W + 175–190 with 128 MiB, whatever the interval (0.8–8 s). In the dt30 run every',
    '    pass drains (nothing unsent at the sync), so each sync finds the guest writes plus about 95',
    "    pages (the +2.5 % over the guest-reported rate that QEMU's own dirty-pages-rate shows); against",
    '    a margin of 25 pages per 100 ms window this keeps the passes at 0.4–0.5 s for 60 s instead of',
    '    shrinking to one window (the model without it converged at 35 s);',
    '  - overlap while the marks form one run: in the bw64 run (threshold 4,900 pages, 3,400–4,800',
    '    still unsent at each sync) several syncs find 0.8–2.7 thousand fewer pages than unsent + written',
    '    (syncs 3, 4, 5, 9, 16: 6–19 % of the writes), which shortens its passes faster than the dirty',
    '    ratio alone (0.3 s passes at 31 s; the model without both mechanisms reached them at 41 s) and',
    '    pays for the hot set.',
    '  Without the hot set the dt30 run, `m256-bw16-r4000-w32-dt300` and `m256-bw32-r8000-w64-dt300`',
    '  converge; without the overlap the bw64 run does not; with both all 39 verdicts match, and they',
    '  still do with either fitted value 20 % lower or the overlap 20 % higher (the hot set 20 % higher',
    '  flips the bw64 run).',
    '- Iteration counts are exact on most runs; the bw64 knife-edge run makes fewer syncs in the model',
    '  (its last 80 syncs are 100 ms apart in QEMU), and where the rate is near the bandwidth with a',
    '  working set near the threshold (`m256-bw64-r16000-w32*`), the real run converges after a few lucky',
    '  overlaps of unsent and rewritten pages; the model uses the expected overlap.',
    "- Downtime is modelled as fixed time plus bytes at link speed; QEMU's measured downtime scatters",
    '  (2–33 ms for similar byte counts), hence the median error of a few ms.',
    '',
    '## The `migrate` command on the same inputs',
    '`test/kubevirt/migration/migrate-command.test.ts` types, for every run, the command a user would:',
    '`harvester-sim migrate --memory <mem> --used-memory <non-zero memory> --dirty-rate <achieved pps>',
    '--working-set <wss> --bandwidth <bw>MiB/s --downtime-limit <dt>ms --cancel-after <cap>s --no-monitor',
    '[--auto-converge] [--post-copy-after-pass 1]` (link speed and catch-up as fitted). Its verdict',
    "(completed, post-copy or cancelled) is QEMU's in all 39 runs; the command takes the campaign's measured",
    'hot set and working-set overlap by default (`measuredGuestGeometry`).',
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(validationMarkdown());
}
