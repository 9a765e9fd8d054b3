/**
 * docs/validation.md, generated: the model against every run of the QEMU calibration campaign (the
 * fit set) and of the runs measured after the fit (the out-of-sample campaigns,
 * test/calibration/qemu-holdout and qemu-holdout-2).
 * `npx tsx test/calibration/validation-table.ts --write` (from the repository root) writes the file
 * only once every figure is computed; a missing results.csv, too few runs or a missing trace ends it
 * with an error and leaves the file as it was. Without `--write` it prints the document.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MIGRATION_MODEL_PARAMETERS,
  QEMU_CALIBRATION_CAMPAIGN,
  QEMU_MIGRATION_DEFAULTS,
} from '../../src/kubevirt/defaults.ts';
import type { DirtyRateVariability } from '../../src/kubevirt/migration/guest-dirtying.ts';
import {
  busyHostDirtyRateVariability,
  type MigrationEnsemble,
  measuredDirtyRateVariability,
  simulateMigrationRuns,
} from '../../src/kubevirt/migration/migration-ensemble.ts';
import { fitCampaign, fitGeometry, fitOverlapPerRun, fitThrottleCatchUp } from './fit-parameters.ts';
import { type HostContention, readHostContention } from './host-contention.ts';
import { compareRun, median, type RunComparison, summarize } from './qemu-comparison.ts';
import {
  type CalibrationRun,
  calibrationRequest,
  QEMU_CALIBRATION_CITATION,
  QEMU_CALIBRATION_DIRECTORY,
  QEMU_HOLDOUT_2_CITATION,
  QEMU_HOLDOUT_2_DIRECTORY,
  QEMU_HOLDOUT_3_CITATION,
  QEMU_HOLDOUT_3_DIRECTORY,
  QEMU_HOLDOUT_CITATION,
  QEMU_HOLDOUT_CONTENDED_CITATION,
  QEMU_HOLDOUT_CONTENDED_DIRECTORY,
  QEMU_HOLDOUT_DIRECTORY,
  QEMU_HOLDOUT_LOADED_CITATION,
  QEMU_HOLDOUT_LOADED_DIRECTORY,
  readCompleteRunSet,
  recordedCampaign,
} from './qemu-runs.ts';
import { readRunSyncs, type SyncAgreement, syncAgreement } from './sync-comparison.ts';
import { readSyncObservations } from './sync-observations.ts';
import { readThrottleObservations, type ThrottleObservation } from './throttle-observations.ts';

/**
 * The fit set has 39 runs; the loaded-host set 39; the contended set 36 grid points and 9 repeats; the
 * first out-of-sample campaign 36 grid points and 6 repeats; the second 35 grid points, 2 knife-edge points added, 12 repeats.
 */
const FIT_SET_RUNS = 39;
const HOLDOUT_RUNS = 42;
const HOLDOUT_2_RUNS = 49;
const HOLDOUT_3_RUNS = 16;
const HOLDOUT_LOADED_RUNS = 39;
const HOLDOUT_CONTENDED_RUNS = 45;
/** A run counts as measured on a quiet host when the 1-minute load average stayed at most the lab's 2 cores. */
const QUIET_LOAD = 2;
/** Runs of `migrate --runs` per knife-edge input. */
const ENSEMBLE_RUNS = 200;

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

/** The issue's targets, measured on one set. Knife-edge runs are judged by the ensemble's p10–p90. */
export interface TargetFigures {
  readonly runs: number;
  readonly verdicts: number;
  readonly medianAbsTimeError: number;
  /** Completed runs that are not knife-edge runs (or whose time is outside p10–p90). */
  readonly largestAbsTimeErrorOffEdge: number;
  readonly offBy15: readonly string[];
  readonly completed: number;
  readonly iterationsWithinOne: number;
  /**
   * The most any one prediction per input could have within ±1: repeats of one input count by the
   * largest share of them one iteration count is within ±1 of (iterationsAttainable).
   */
  readonly iterationsAttainable: number;
  /** The most verdicts one prediction per input could match: QEMU's repeats of one input can disagree. */
  readonly verdictsAttainable: number;
  /** Completed runs off the knife edge (no ensemble) and, of those, iterations within ±1. */
  readonly offEdgeCompleted: number;
  readonly offEdgeIterationsWithinOne: number;
  /** Completed knife-edge runs and, of those, QEMU's dirty-sync-count inside the ensemble's p10–p90. */
  readonly edgeCompleted: number;
  readonly edgeIterationsInsideRange: number;
  readonly downtimeWithin2x: number;
  readonly downtimeCompared: number;
  readonly medianAbsDowntimeErrorMs: number;
  /** The guest's own pause (QEMU's downtime + the destination's resume) against downtime_guest_ms. */
  readonly guestDowntimeWithin2x: number;
  readonly guestDowntimeCompared: number;
}

/** Whether a completed run's measured time lies inside its input's predicted p10–p90. */
function insideRange(run: CalibrationRun, ensemble: MigrationEnsemble | undefined): boolean {
  const t = ensemble?.migrationSeconds;
  return t !== null && t !== undefined && run.totalMs / 1000 >= t.p10 && run.totalMs / 1000 <= t.p90;
}

/** Whether a completed run's dirty-sync-count lies inside its input's predicted p10–p90 (whole syncs). */
function iterationsInsideRange(run: CalibrationRun, ensemble: MigrationEnsemble | undefined): boolean {
  const i = ensemble?.iterations;
  return (
    i !== null && i !== undefined && run.iterations >= Math.floor(i.p10) && run.iterations <= Math.ceil(i.p90)
  );
}

function targetFigures(
  rows: readonly RunComparison[],
  ensembles: ReadonlyMap<string, MigrationEnsemble>,
): TargetFigures {
  const completed = rows.filter((r) => r.run.outcome !== 'cancelled');
  const judged = completed.filter(
    (r) =>
      !(ensembles.get(r.run.runId)?.knifeEdge === true && insideRange(r.run, ensembles.get(r.run.runId))),
  );
  const downtime = completed.filter(
    (r) => r.run.downtimeMs !== null && r.run.downtimeMs > 0 && r.predictedVerdict !== 'cancelled',
  );
  const edge = completed.filter((r) => ensembles.has(r.run.runId));
  const offEdge = completed.filter((r) => !ensembles.has(r.run.runId));
  return {
    runs: rows.length,
    verdicts: rows.filter((r) => r.verdictMatches).length,
    medianAbsTimeError: median(rows.map((r) => Math.abs(r.totalTimeError))),
    largestAbsTimeErrorOffEdge: Math.max(0, ...judged.map((r) => Math.abs(r.totalTimeError))),
    offBy15: judged.filter((r) => Math.abs(r.totalTimeError) > 0.15).map((r) => r.run.runId),
    completed: completed.length,
    iterationsWithinOne: completed.filter((r) => Math.abs(r.iterationsDelta) <= 1).length,
    iterationsAttainable: iterationsAttainable(completed.map((r) => r.run)),
    verdictsAttainable: verdictsAttainable(rows.map((r) => r.run)),
    offEdgeCompleted: offEdge.length,
    offEdgeIterationsWithinOne: offEdge.filter((r) => Math.abs(r.iterationsDelta) <= 1).length,
    edgeCompleted: edge.length,
    edgeIterationsInsideRange: edge.filter((r) => iterationsInsideRange(r.run, ensembles.get(r.run.runId)))
      .length,
    downtimeWithin2x: downtime.filter((r) => {
      const ratio = r.predicted.downtimeMs / (r.run.downtimeMs as number);
      return ratio >= 1 / 2 && ratio <= 2;
    }).length,
    downtimeCompared: downtime.length,
    medianAbsDowntimeErrorMs: median(downtime.map((r) => Math.abs(r.downtimeErrorMs as number))),
    ...guestDowntime(completed),
  };
}

/**
 * The most completed runs one prediction per input can have within ±1 iterations: a run alone, 1; the
 * repeats of one input (run ids that differ only by `-repN`), as many as the best single count
 * is within ±1 of.
 */
export function iterationsAttainable(completed: readonly CalibrationRun[]): number {
  let total = 0;
  for (const counts of byInput(completed, (r) => r.iterations).values()) {
    total += Math.max(...counts.map((k) => counts.filter((c) => Math.abs(c - k) <= 1).length));
  }
  return total;
}

/** The runs of each input (run ids that differ only by `-repN`). */
function byInput<T>(runs: readonly CalibrationRun[], value: (r: CalibrationRun) => T): Map<string, T[]> {
  const inputs = new Map<string, T[]>();
  for (const r of runs) {
    const base = r.runId.replace(/-rep\d+$/, '');
    inputs.set(base, [...(inputs.get(base) ?? []), value(r)]);
  }
  return inputs;
}

/** The most runs one verdict per input can match: per input, its most frequent outcome. */
export function verdictsAttainable(runs: readonly CalibrationRun[]): number {
  let total = 0;
  for (const outcomes of byInput(runs, (r) => r.outcome).values()) {
    total += Math.max(...outcomes.map((o) => outcomes.filter((x) => x === o).length));
  }
  return total;
}

function guestDowntime(completed: readonly RunComparison[]) {
  const compared = completed.filter(
    (r) => r.run.downtimeGuestMs !== null && r.run.downtimeGuestMs > 0 && r.predicted.vmRunsOn === 'target',
  );
  return {
    guestDowntimeWithin2x: compared.filter((r) => {
      const ratio = r.predicted.guestDowntimeMs / (r.run.downtimeGuestMs as number);
      return ratio >= 1 / 2 && ratio <= 2;
    }).length,
    guestDowntimeCompared: compared.length,
  };
}

function targetRows(t: TargetFigures): string[] {
  const pct = (n: number, d: number) => `${n} of ${d} (${percent(d === 0 ? 0 : n / d)})`;
  return [
    '| measure | value | target |',
    '|---|---|---|',
    `| verdict (converged / converged-postcopy / cancelled) matches | ${t.verdicts} of ${t.runs} | every run |`,
    ...(t.verdictsAttainable === t.runs
      ? []
      : [
          `| the most verdicts one prediction per input could match (QEMU's repeats of one input disagree) | ${t.verdictsAttainable} of ${t.runs} | reported |`,
        ]),
    `| median absolute error of total time | ${percent(t.medianAbsTimeError)} | ≤ 3 % |`,
    `| largest absolute time error, completed runs (knife-edge runs inside p10–p90 excepted) | ${percent(t.largestAbsTimeErrorOffEdge)}${t.offBy15.length > 0 ? ` (over 15 %: ${t.offBy15.map((id) => `\`${id}\``).join(', ')})` : ''} | ≤ 15 % |`,
    `| iterations (dirty-sync-count) within ±1, completed runs | ${pct(t.iterationsWithinOne, t.completed)} | ≥ 90 % |`,
    ...(t.iterationsAttainable === t.completed
      ? []
      : [
          `| the most one prediction per input could have within ±1 (QEMU's repeats of one input differ by more) | ${pct(t.iterationsAttainable, t.completed)} | reported |`,
        ]),
    ...(t.edgeCompleted === 0
      ? []
      : [
          ...(t.offEdgeCompleted === 0
            ? []
            : [
                `| the same, completed runs off the knife edge | ${pct(t.offEdgeIterationsWithinOne, t.offEdgeCompleted)} | reported |`,
              ]),
          `| iterations of the completed knife-edge runs inside the model's p10–p90 (\`migrate --runs ${ENSEMBLE_RUNS}\`, idle host; a separate line, not the ±1 target) | ${pct(t.edgeIterationsInsideRange, t.edgeCompleted)} | reported |`,
        ]),
    `| downtime within 2× of QEMU's, completed runs | ${pct(t.downtimeWithin2x, t.downtimeCompared)} | all |`,
    `| median absolute downtime error | ${t.medianAbsDowntimeErrorMs.toFixed(1)} ms | reported |`,
    `| guest downtime (QEMU's + the destination's resume) within 2× of the measured STOP → RESUME, completed runs | ${pct(t.guestDowntimeWithin2x, t.guestDowntimeCompared)} | reported |`,
  ];
}

function summaryLine(t: TargetFigures): string {
  if (t.runs === 0) return 'no runs';
  return `${t.verdicts}/${t.runs} verdicts, median time error ${percent(t.medianAbsTimeError)}, largest ${percent(t.largestAbsTimeErrorOffEdge)}, iterations ±1 in ${t.iterationsWithinOne}/${t.completed}`;
}

/** The knife-edge inputs with their repeats, each input run with the repeats' mean achieved rate. */
function knifeInputs(
  knifeRuns: readonly CalibrationRun[],
  variability: DirtyRateVariability = measuredDirtyRateVariability(),
) {
  const groups = new Map<string, CalibrationRun[]>();
  for (const run of knifeRuns) {
    const base = run.runId.replace(/-rep\d+$/, '');
    groups.set(base, [...(groups.get(base) ?? []), run]);
  }
  return [...groups.entries()].map(([base, repeats]) => {
    const rate = repeats.reduce((sum, r) => sum + r.achievedRatePps, 0) / repeats.length;
    return { base, repeats, ensemble: ensembleFor({ ...repeats[0], achievedRatePps: rate }, variability) };
  });
}

/** `migrate --runs 200` on a run's own inputs, the dirty rate varying as measured (idle host unless told). */
function ensembleFor(
  run: CalibrationRun,
  variability: DirtyRateVariability = measuredDirtyRateVariability(),
): MigrationEnsemble {
  const campaign = recordedCampaign();
  return simulateMigrationRuns(
    calibrationRequest(run, campaign),
    { linkBytesPerSecond: campaign.linkBytesPerSecond, untilSeconds: run.capSeconds + 60 },
    { runs: ENSEMBLE_RUNS, firstSeed: 1, variability },
  );
}

function rangeCell(e: MigrationEnsemble): string {
  const t = e.migrationSeconds;
  return `${(100 * e.completionProbability).toFixed(0)} %, ${t === null ? '–' : `${t.p10.toFixed(1)}–${t.p90.toFixed(1)} s`}`;
}

function insideCell(run: CalibrationRun, e: MigrationEnsemble): string {
  if (run.outcome === 'cancelled') return e.completionProbability < 1 ? 'yes (can fail)' : 'no';
  return insideRange(run, e) ? 'yes' : 'no';
}

function holdoutRow(
  c: RunComparison,
  e: MigrationEnsemble | undefined,
  h: HostContention | undefined,
): string {
  const base = row(c).slice(0, -2);
  const t = e?.migrationSeconds;
  const range =
    e === undefined
      ? '–'
      : `${(100 * e.completionProbability).toFixed(0)} %, ${t === null || t === undefined ? '–' : `${t.p10.toFixed(1)}–${t.p90.toFixed(1)}`}${e.knifeEdge ? ' (edge)' : ''}`;
  const load =
    h === undefined ? '–' : `${h.load1Mean?.toFixed(1) ?? '–'} / ${h.guestLagMedianMs?.toFixed(0) ?? '–'}`;
  return `${base} | ${range} | ${load} |`;
}

/** Everything the report says about one out-of-sample set. */
interface OutOfSample {
  readonly runs: readonly CalibrationRun[];
  readonly rows: readonly RunComparison[];
  readonly ensembles: ReadonlyMap<string, MigrationEnsemble>;
  readonly knifeRuns: readonly CalibrationRun[];
  readonly targets: TargetFigures;
  readonly contention: ReadonlyMap<string, HostContention>;
  readonly quietIds: ReadonlySet<string>;
  readonly throttle: { readonly catchUpMs: number; readonly seconds: number };
  readonly throttleObservations: readonly ThrottleObservation[];
  readonly syncs: { readonly all: SyncAgreement; readonly autoConverge: SyncAgreement };
  /** The overlap share each knife-edge run showed on its own syncs (not used by the model). */
  readonly knifeOverlap: ReadonlyMap<string, number>;
}

/** The overlap share m of each knife-edge run, fitted on its own syncs with the recorded hot set. */
function knifeOverlap(knifeRuns: readonly CalibrationRun[], directory: string): Map<string, number> {
  const c = QEMU_CALIBRATION_CAMPAIGN;
  const perRun = fitOverlapPerRun(
    readSyncObservations(knifeRuns, directory),
    c.hotSetBasePages.value,
    c.hotSetPagesPerWorkingSetPage.value,
  );
  return new Map(perRun.runs.map((r) => [r.runId, r.m]));
}

/** Sync by sync (sync-comparison.ts) over the runs QEMU completed. */
function syncFigures(runs: readonly CalibrationRun[], directory: string) {
  const syncs = readRunSyncs(
    runs.filter((r) => r.outcome !== 'cancelled'),
    directory,
  );
  return { all: syncAgreement(syncs), autoConverge: syncAgreement(syncs.filter((s) => s.run.autoConverge)) };
}

function syncLine(s: { readonly all: SyncAgreement; readonly autoConverge: SyncAgreement }): string {
  const a = s.autoConverge;
  const autoConverge =
    a.syncs === 0
      ? ''
      : `; auto-converge: ${percent(a.medianRelativeTimeError)} over ${a.syncs} syncs, and the throttle in effect after a sync is QEMU's at ${a.throttleAgrees} of ${a.throttleSyncs} syncs`;
  return `Sync by sync (\`sync-comparison.ts\`, the ${s.all.runs} completed runs): each sync's time since \`migrate\` is within ${percent(s.all.medianRelativeTimeError)} of QEMU's (median over ${s.all.syncs} syncs)${autoConverge}.`;
}

function lagMedian(m: ReadonlyMap<string, HostContention>): number {
  return median([...m.values()].map((h) => h.guestLagMedianMs).filter((v): v is number => v !== null));
}

/** A set's runs against the model; `quietLagMs`: a run whose guest lag stays within it counts as quiet. */
function outOfSample(
  directory: string,
  citation: string,
  minimumRuns: number,
  quietLagMs: number,
): OutOfSample {
  const runs = readCompleteRunSet(directory, citation, minimumRuns);
  const rows = runs.map((run) => compareRun(run));
  const knifeRuns = runs.filter((r) => r.group === 'knife' || r.group === 'knife-repeat');
  const ensembles = new Map<string, MigrationEnsemble>();
  for (const run of knifeRuns) ensembles.set(run.runId, ensembleFor(run));
  const contention = readHostContention(
    directory,
    runs.map((r) => r.runId),
  );
  const quietIds = new Set(
    [...contention.entries()].filter(([, h]) => (h.guestLagMedianMs ?? 0) <= quietLagMs).map(([id]) => id),
  );
  const throttleObservations = readThrottleObservations(runs, directory);
  // A set without auto-converge runs has no throttled second to fit.
  const throttle =
    throttleObservations.length === 0
      ? { coefficients: [Number.NaN], runs: 0 }
      : fitThrottleCatchUp(
          throttleObservations,
          QEMU_MIGRATION_DEFAULTS.cpuThrottleTimesliceMs.value,
          QEMU_CALIBRATION_CAMPAIGN.throttleCatchUpMs.value,
        );
  return {
    runs,
    rows,
    ensembles,
    knifeRuns,
    targets: targetFigures(rows, ensembles),
    contention,
    quietIds,
    throttle: { catchUpMs: throttle.coefficients[0], seconds: throttle.runs },
    throttleObservations,
    syncs: syncFigures(runs, directory),
    knifeOverlap: knifeOverlap(knifeRuns, directory),
  };
}

/**
 * The guest's rate in each settled throttled second over its unthrottled rate in the same migration
 * (throttle-observations.ts), mean per throttle level, beside what the model's paced guest keeps,
 * (10 + min(S, c)) / (10 + S) with S = 10·p/(1 − p) ms and the fit set's effective catch-up c.
 */
function throttleShares(observations: readonly ThrottleObservation[]): string {
  const slice = QEMU_MIGRATION_DEFAULTS.cpuThrottleTimesliceMs.value;
  const c = QEMU_CALIBRATION_CAMPAIGN.throttleEffectiveCatchUpMs.value;
  const levels = [...new Set(observations.map((o) => o.throttlePercent))].sort((a, b) => a - b);
  return levels
    .map((level) => {
      const shares = observations.filter((o) => o.throttlePercent === level).map((o) => o.share);
      const mean = shares.reduce((sum, v) => sum + v, 0) / shares.length;
      const sleep = (slice * level) / (100 - level);
      const model = (slice + Math.min(sleep, c)) / (slice + sleep);
      return `${level} %: ${mean.toFixed(2)} / ${model.toFixed(2)} (${shares.length} s)`;
    })
    .join(', ');
}

function readiness(set: readonly CalibrationRun[]): string {
  const shares = set
    .filter((r) => r.targetRatePps > 0 && r.targetRatePps < 100_000)
    .map((r) => r.guestRateBeforePps / r.targetRatePps);
  return `${(100 * Math.min(...shares)).toFixed(0)}–${(100 * Math.max(...shares)).toFixed(0)} %`;
}

function loadRange(set: OutOfSample): string {
  const loads = [...set.contention.values()].map((h) => h.load1Mean).filter((v): v is number => v !== null);
  return loads.length === 0 ? '–' : `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
}

function byKind(set: Pick<OutOfSample, 'rows' | 'ensembles'>): string[] {
  const of = (groups: readonly string[]) =>
    summaryLine(
      targetFigures(
        set.rows.filter((r) => groups.includes(r.run.group)),
        set.ensembles,
      ),
    );
  return [
    `By kind: auto-converge ${of(['autoconverge'])}; post-copy ${of(['postcopy'])};`,
    `pre-copy ${of(['holdout'])}; knife edge (${set.rows.filter((r) => r.run.group === 'knife').length} inputs, repeated) ${of(['knife', 'knife-repeat'])}.`,
  ];
}

/**
 * `loadIsContention`: with the kernel's autogroup on, the load average says how much CPU QEMU lost to
 * other sessions; with it off, QEMU at nice −15 goes first and the load counts the others' waiting tasks.
 */
function hostParagraph(
  set: OutOfSample,
  fitLagMs: number,
  fitRuns: readonly CalibrationRun[],
  loadIsContention = true,
): string[] {
  const quiet = targetFigures(
    set.rows.filter((r) => set.quietIds.has(r.run.runId)),
    set.ensembles,
  );
  const idleHost = set.rows.filter(
    (r) => (set.contention.get(r.run.runId)?.load1Mean ?? Infinity) <= QUIET_LOAD,
  );
  const idleTargets = targetFigures(idleHost, set.ensembles);
  return [
    `Host during the runs: 1-minute load average ${loadRange(set)} (\`host-load.csv\`, mean over each run); the median`,
    `of the guest's worst pacing-tick lateness per unthrottled second is ${lagMedian(set.contention).toFixed(0)} ms (fit set: ${fitLagMs.toFixed(0)} ms); the guest reached`,
    `${readiness(set.runs)} of its target rate before the migration (fit set: ${readiness(fitRuns)}); under auto-converge its effective`,
    `catch-up per throttle stall, fitted as on the fit set, is ${set.throttle.catchUpMs.toFixed(2)} ms over ${set.throttle.seconds} settled seconds (fit set: ${QEMU_CALIBRATION_CAMPAIGN.throttleEffectiveCatchUpMs.value} ms).`,
    `Its rate under the throttle over its unthrottled rate, measured / the model's paced guest, per throttle level: ${throttleShares(set.throttleObservations)}.`,
    `On the ${set.quietIds.size} runs whose guest lateness stayed within twice the fit set's (${(2 * fitLagMs).toFixed(0)} ms): ${summaryLine(quiet)}.`,
    loadIsContention
      ? `On the ${idleHost.length} runs measured while the host's load stayed at most ${QUIET_LOAD} (its core count: the lab README's quiet machine): ${summaryLine(idleTargets)}${idleHost.length === 0 ? '' : `, downtime within 2× in ${idleTargets.downtimeWithin2x}/${idleTargets.downtimeCompared}`} (${idleHost.map((r) => `\`${r.run.runId}\``).join(', ')}).`
      : "With the kernel's autogroup off the load average counts the other sessions' runnable tasks, which at nice 0 or more wait for QEMU at −15: the guest's pacing lateness, not the load, says whether QEMU had the CPU.",
  ];
}

function knifeTables(set: OutOfSample): string[] {
  const busy = busyHostDirtyRateVariability();
  const c = QEMU_CALIBRATION_CAMPAIGN;
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const idleInputs = knifeInputs(set.knifeRuns);
  const busyInputs = new Map(knifeInputs(set.knifeRuns, busy).map((i) => [i.base, i.ensemble]));
  return [
    `Knife-edge inputs: \`migrate --runs ${ENSEMBLE_RUNS}\` on each run's own inputs, the dirty rate varying as the traces show it:`,
    `on an idle host (the fit set: ±${pct(c.dirtyRatePerRunRelativeSd.value)} per run, ±${pct(c.dirtyRatePerSecondRelativeSd.value)} per second; the model's default, judged by the targets)`,
    `and on a busy host (the loaded-host set: ±${pct(busy.perRunRelativeSd)} per run, ±${pct(busy.perPeriodRelativeSd)} per second; \`--dirty-rate-run-sd\`, \`--dirty-rate-sd\`).`,
    '',
    '| run | QEMU | idle host: completes, p10–p90 | inside | iterations: QEMU, idle-host p10–p90 | busy host: completes, p10–p90 | inside |',
    '|---|---|---|---|---|---|---|',
    ...set.knifeRuns.map((run) => {
      const e = set.ensembles.get(run.runId) as MigrationEnsemble;
      const b = ensembleFor(run, busy);
      const i = e.iterations;
      const iterations = `${run.iterations}, ${i === null ? '–' : `${Math.floor(i.p10)}–${Math.ceil(i.p90)}`}`;
      return `| ${run.runId} | ${run.outcome} ${(run.totalMs / 1000).toFixed(1)} s | ${rangeCell(e)} | ${insideCell(run, e)} | ${iterations} | ${rangeCell(b)} | ${insideCell(run, b)} |`;
    }),
    '',
    `The same per input, as a user would ask it: \`migrate --runs ${ENSEMBLE_RUNS}\` with the mean achieved rate of the repeats of each knife-edge input, against all its repeats:`,
    '',
    '| input | repeats (QEMU) | idle host: completes, p10–p90 | repeats inside | busy host: completes, p10–p90 | repeats inside |',
    '|---|---|---|---|---|---|',
    ...idleInputs.map(({ base, repeats, ensemble }) => {
      const b = busyInputs.get(base) as MigrationEnsemble;
      const completed = repeats.filter((r) => r.outcome !== 'cancelled');
      const inside = (e: MigrationEnsemble) =>
        `${completed.filter((r) => insideRange(r, e)).length} of ${completed.length}${completed.length < repeats.length ? ` (+${repeats.length - completed.length} cancelled; model ${(100 * (1 - e.completionProbability)).toFixed(0)} %)` : ''}`;
      const observed = repeats
        .map((r) => (r.outcome === 'cancelled' ? 'cancelled' : `${(r.totalMs / 1000).toFixed(1)} s`))
        .join(', ');
      return `| ${base} | ${observed} | ${rangeCell(ensemble)} | ${inside(ensemble)} | ${rangeCell(b)} | ${inside(b)} |`;
    }),
    '',
    ...overlapTable(idleInputs, set.knifeOverlap),
  ];
}

/**
 * Why repeats of one input differ: the overlap share m each converged repeat showed on its own syncs
 * (fitOverlapPerRun, the fit set's hot set), beside its time and rate. The model draws m per run
 * (exponential, the fit set's per-run mean); it never reads these.
 */
function overlapTable(
  inputs: readonly { readonly base: string; readonly repeats: readonly CalibrationRun[] }[],
  overlap: ReadonlyMap<string, number>,
): string[] {
  const rows = inputs
    .map(({ base, repeats }) => ({
      base,
      done: repeats.filter((r) => r.outcome !== 'cancelled' && overlap.has(r.runId)),
    }))
    .filter((i) => i.done.length >= 2);
  if (rows.length === 0) return [];
  const m = (r: CalibrationRun) => overlap.get(r.runId) as number;
  return [
    `Why the converged repeats of one input differ: the overlap share m each showed on its own syncs (fitted as the fit set's per-run shares, ${QEMU_CALIBRATION_CAMPAIGN.workingSetOverlapPerRunMean.value} on average there; the model draws m per run and never reads these), with its time and dirty rate:`,
    '',
    '| input | repeats: time, m, pages/s | the fastest repeat showed the largest m |',
    '|---|---|---|',
    ...rows.map(({ base, done }) => {
      const cells = done
        .map((r) => `${(r.totalMs / 1000).toFixed(1)} s, ${m(r).toFixed(2)}, ${r.achievedRatePps}`)
        .join('; ');
      const fastest = done.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
      const largest = done.reduce((a, b) => (m(b) > m(a) ? b : a));
      return `| ${base} | ${cells} | ${fastest === largest ? 'yes' : 'no'} |`;
    }),
  ];
}

/** Mean share of the unthrottled rate the guest kept in the settled seconds at `level` %, null without any. */
function shareAt(observations: readonly ThrottleObservation[], level: number): number | null {
  const shares = observations.filter((o) => o.throttlePercent === level).map((o) => o.share);
  return shares.length === 0 ? null : shares.reduce((sum, v) => sum + v, 0) / shares.length;
}

/**
 * How the throttled guest fared on each host: its rate at the lowest throttle levels over its
 * unthrottled rate, beside the model's paced guest, and which kinds of run miss the 15 % line.
 */
function hostComparison(
  fit: readonly ThrottleObservation[],
  first: OutOfSample,
  second: OutOfSample,
): string[] {
  const slice = QEMU_MIGRATION_DEFAULTS.cpuThrottleTimesliceMs.value;
  const c = QEMU_CALIBRATION_CAMPAIGN.throttleEffectiveCatchUpMs.value;
  const cell = (v: number | null) => (v === null ? '–' : v.toFixed(2));
  const levels = [20, 30, 40];
  const model = (level: number) => {
    const sleep = (slice * level) / (100 - level);
    return (slice + Math.min(sleep, c)) / (slice + sleep);
  };
  const over = (set: OutOfSample) => {
    const kinds = set.targets.offBy15.map((id) => set.runs.find((r) => r.runId === id)?.group ?? '?');
    return kinds.length === 0 ? 'none' : kinds.join(', ');
  };
  return [
    'The two campaigns differ in the host, not in the model. The guest under the auto-converge throttle',
    'kept this share of its unthrottled rate (settled seconds, mean):',
    '',
    `| throttle | model's paced guest | fit set | second campaign | first campaign |`,
    '|---|---|---|---|---|',
    ...levels.map(
      (level) =>
        `| ${level} % | ${model(level).toFixed(2)} | ${cell(shareAt(fit, level))} | ${cell(shareAt(second.throttleObservations, level))} | ${cell(shareAt(first.throttleObservations, level))} |`,
    ),
    '',
    `Runs over 15 % (knife-edge runs inside p10–p90 excepted), by group: second campaign ${over(second)}; first campaign ${over(first)}.`,
  ];
}

/**
 * The completed pre-copy runs whose downtime is off by more than 2×: the bytes QEMU sent while the VM
 * was stopped and the rate that gives over its downtime, beside the model's link speed.
 */
function downtimeMisses(set: OutOfSample): string[] {
  const misses = set.rows.filter((r) => {
    const observed = r.run.downtimeMs;
    if (r.run.outcome !== 'converged' || observed === null || observed <= 0) return false;
    if (r.predictedVerdict !== 'converged') return false;
    const ratio = r.predicted.downtimeMs / observed;
    return ratio < 1 / 2 || ratio > 2;
  });
  if (misses.length === 0) return [];
  const link = MIGRATION_MODEL_PARAMETERS.switchoverBytesPerSecond.value / 1e9;
  const cells = misses.map(
    (r) =>
      `\`${r.run.runId}\` ${r.run.downtimeMs} ms for ${(r.run.downtimeBytes / 1e6).toFixed(1)} MB (${(r.run.downtimeBytes / 1e6 / (r.run.downtimeMs as number)).toFixed(2)} GB/s; model ${r.predicted.downtimeMs.toFixed(0)} ms)`,
  );
  return [
    `Pre-copy downtime off by more than 2×: ${cells.join('; ')}. The model sends the bytes left at the stop at the fitted ${link.toFixed(2)} GB/s after its fixed time.`,
  ];
}

/**
 * Why "downtime within 2× on every run" cannot hold on this host: pairs of completed pre-copy runs
 * that left the same bytes for the stop (within 10 %) and whose downtimes lie more than 4× apart. A
 * prediction from the bytes within 2× of one run of such a pair is more than 2× off the other.
 */
export function downtimeScatter(runs: readonly CalibrationRun[]): string[] {
  const done = runs
    .filter(
      (r) => r.outcome === 'converged' && r.downtimeMs !== null && r.downtimeMs > 0 && r.downtimeBytes > 0,
    )
    .sort((a, b) => a.downtimeBytes - b.downtimeBytes);
  const pairs: [CalibrationRun, CalibrationRun][] = [];
  for (let i = 0; i < done.length; i++) {
    for (let j = i + 1; j < done.length && done[j].downtimeBytes <= 1.1 * done[i].downtimeBytes; j++) {
      const [a, b] = [done[i].downtimeMs as number, done[j].downtimeMs as number];
      if (Math.max(a, b) > 4 * Math.min(a, b)) pairs.push([done[i], done[j]]);
    }
  }
  if (pairs.length === 0) return [];
  const same = (p: [CalibrationRun, CalibrationRun]) =>
    p[0].memMib === p[1].memMib && p[0].bandwidthMibps === p[1].bandwidthMibps;
  const shown = pairs
    .filter(same)
    .concat(pairs.filter((p) => !same(p)))
    .slice(0, 2);
  const cell = (r: CalibrationRun) =>
    `\`${r.runId}\` ${r.downtimeMs} ms for ${(r.downtimeBytes / 1e6).toFixed(1)} MB`;
  const involved = new Set(pairs.flat().map((r) => r.runId));
  return [
    `QEMU's downtime for the same bytes scatters more than any model of the bytes can follow: of the ${done.length} completed pre-copy runs of the fit set and both campaigns, ${pairs.length} pairs (${involved.size} runs) left the same bytes for the stop (within 10 %) with downtimes more than 4× apart (${shown.map(([a, b]) => `${cell(a)} against ${cell(b)}`).join('; ')}); a prediction within 2× of one run of such a pair is more than 2× off the other.`,
  ];
}

/**
 * What the targets can reach on these runs at all: one prediction per input against repeats that
 * differ, and p10–p90 ranges (80 %) against every knife-edge run.
 */
function reachLine(
  set: Pick<OutOfSample, 'rows' | 'targets'>,
  knifeRuns: readonly CalibrationRun[],
): string[] {
  const t = set.targets;
  const knifeDone = knifeRuns.filter((r) => r.outcome !== 'cancelled').length;
  const misses = set.rows.filter((r) => !r.verdictMatches).map((r) => `\`${r.run.runId}\``);
  return [
    `What one prediction can reach here: iterations within ±1 on at most ${t.iterationsAttainable} of the ${t.completed} completed runs (${percent(t.iterationsAttainable / t.completed)}; the table above), since QEMU's repeats of one knife-edge input differ by more; a p10–p90 range holds 80 % of what the model draws, so a calibrated range holds all ${knifeDone} completed knife-edge runs with probability 0.8^${knifeDone} = ${(0.8 ** knifeDone * 100).toFixed(1)} %.${misses.length === 0 ? '' : ` The verdict missed: ${misses.join(', ')} (knife edge; docs/model/migration.md, "At the knife edge the overlap varies per run").`}`,
  ];
}

/**
 * One out-of-sample campaign: its targets, kinds, syncs, host, knife-edge tables and every run; a set
 * of knife-edge repeats only (`knifeOnly`) without the kinds and the host.
 */
function campaignSection(
  set: OutOfSample,
  fitLagMs: number,
  fitRuns: readonly CalibrationRun[],
  knifeOnly = false,
): string[] {
  return [
    targetRows(set.targets).join('\n'),
    '',
    ...(knifeOnly ? [] : [...byKind(set), '']),
    syncLine(set.syncs),
    '',
    ...downtimeMisses(set),
    '',
    ...(knifeOnly ? [] : [...hostParagraph(set, fitLagMs, fitRuns, false), '']),
    ...knifeTables(set),
    '',
    'Every run (observed / predicted):',
    '',
    '| run | verdict | total s | time error | iterations | downtime ms | MB sent | bytes error | max throttle % | knife edge: completes, p10–p90 s | load / guest lag ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...set.rows.map((c) => holdoutRow(c, set.ensembles.get(c.run.runId), set.contention.get(c.run.runId))),
  ];
}

/** Two campaigns' runs as one set, for the targets (run ids differ: the inputs do). */
function joined(a: OutOfSample, b: OutOfSample): Pick<OutOfSample, 'rows' | 'ensembles' | 'targets'> {
  const rows = [...a.rows, ...b.rows];
  const ensembles = new Map([...a.ensembles, ...b.ensembles]);
  return { rows, ensembles, targets: targetFigures(rows, ensembles) };
}

/** The fit set's median guest lag, which says which out-of-sample runs count as quiet. */
function fitSetLagMs(fitRuns: readonly CalibrationRun[]): number {
  return lagMedian(
    readHostContention(
      QEMU_CALIBRATION_DIRECTORY,
      fitRuns.map((r) => r.runId),
    ),
  );
}

/** The out-of-sample campaigns against the model. */
function campaigns(fitLagMs: number): { first: OutOfSample; second: OutOfSample; third: OutOfSample } {
  return {
    first: outOfSample(QEMU_HOLDOUT_DIRECTORY, QEMU_HOLDOUT_CITATION, HOLDOUT_RUNS, 2 * fitLagMs),
    second: outOfSample(QEMU_HOLDOUT_2_DIRECTORY, QEMU_HOLDOUT_2_CITATION, HOLDOUT_2_RUNS, 2 * fitLagMs),
    third: outOfSample(QEMU_HOLDOUT_3_DIRECTORY, QEMU_HOLDOUT_3_CITATION, HOLDOUT_3_RUNS, 2 * fitLagMs),
  };
}

/** The out-of-sample target figures per campaign and the first two together (bench/migration-validation.ts). */
export function outOfSampleTargets(): {
  first: TargetFigures;
  second: TargetFigures;
  third: TargetFigures;
  both: TargetFigures;
} {
  const fit = readCompleteRunSet(QEMU_CALIBRATION_DIRECTORY, QEMU_CALIBRATION_CITATION, FIT_SET_RUNS);
  const { first, second, third } = campaigns(fitSetLagMs(fit));
  return {
    first: first.targets,
    second: second.targets,
    third: third.targets,
    both: joined(first, second).targets,
  };
}

export function validationMarkdown(): string {
  const runs = readCompleteRunSet(QEMU_CALIBRATION_DIRECTORY, QEMU_CALIBRATION_CITATION, FIT_SET_RUNS);
  const rows = runs.map((run) => compareRun(run));
  const s = summarize(rows);
  const fit = fitCampaign(runs);
  const geometry = fitGeometry(readSyncObservations(runs));
  const throttleFit = fitThrottleCatchUp(
    readThrottleObservations(runs),
    QEMU_MIGRATION_DEFAULTS.cpuThrottleTimesliceMs.value,
    QEMU_CALIBRATION_CAMPAIGN.throttleCatchUpMs.value,
  );
  const fitTargets = targetFigures(rows, new Map());
  const m = MIGRATION_MODEL_PARAMETERS;
  const c = QEMU_CALIBRATION_CAMPAIGN;
  const misses = rows.filter((r) => !r.verdictMatches).map((r) => `\`${r.run.runId}\``);
  const fitLagMs = fitSetLagMs(runs);
  const { first: idle, second, third } = campaigns(fitLagMs);
  const both = joined(idle, second);
  const contended = outOfSample(
    QEMU_HOLDOUT_CONTENDED_DIRECTORY,
    QEMU_HOLDOUT_CONTENDED_CITATION,
    HOLDOUT_CONTENDED_RUNS,
    2 * fitLagMs,
  );
  const loaded = outOfSample(
    QEMU_HOLDOUT_LOADED_DIRECTORY,
    QEMU_HOLDOUT_LOADED_CITATION,
    HOLDOUT_LOADED_RUNS,
    2 * fitLagMs,
  );
  const lines = [
    '# Validation',
    '',
    '## Live migration against real QEMU',
    '',
    'Real QEMU 7.2 migrations (TCG, loopback), measured with the same harness and predicted from',
    'their inputs by the migration model (`src/kubevirt/migration/`): guest memory, touched memory, working',
    'set, the dirty rate (`achieved_rate_pps`; with auto-converge the unthrottled `guest_rate_before_pps`),',
    '`max-bandwidth`, `downtime-limit`, auto-converge, post-copy started after the first pass, and `cap_s` as an',
    'operator cancel. Bare QEMU: no KubeVirt monitor.',
    '',
    `- **Fit set**: \`${QEMU_CALIBRATION_CITATION}\` (${runs.length} runs). Every fitted parameter comes from it.`,
    `- **Out of sample**: \`${QEMU_HOLDOUT_CITATION}\` (${idle.runs.length} runs), \`${QEMU_HOLDOUT_2_CITATION}\` (${second.runs.length} runs, other inputs) and \`${QEMU_HOLDOUT_3_CITATION}\` (${third.runs.length} knife-edge runs, predicted before they ran),`,
    "  measured after the fit on inputs the fit set does not cover, QEMU at `nice -n -15` with the kernel's",
    "  autogroup scheduling off, so that the priority holds against the other sessions' work (READMEs there,",
    '  with the grids and the commands); nothing was fitted on them.',
    `- **Contended host** (kept, not judged against the targets): \`${QEMU_HOLDOUT_CONTENDED_CITATION}\` (${contended.runs.length} runs), the same`,
    "  grids measured second, QEMU at `nice -n -15` but the kernel's autogroup on, load up to 30 (README there).",
    `- **Loaded host** (kept, not judged against the targets): \`${QEMU_HOLDOUT_LOADED_CITATION}\` (${loaded.runs.length} runs), the same`,
    '  grids measured first while other work kept the 2-core machine at load 4–25 (README there).',
    '',
    'Regenerate with `npx tsx test/calibration/validation-table.ts --write` (from the repository root): it',
    'fails with the missing file or run named, and leaves this file as it was, when a set is incomplete.',
    '`test/kubevirt/migration/calibration.test.ts` checks the fit-set numbers; `npm run bench -- migration-validation`',
    'prints the out-of-sample targets as JSON, each with whether it is met.',
    '',
    '## Out of sample',
    '',
    'Two campaigns measured after the fit, on inputs the fit set does not cover, with the same harness and',
    "settings (QEMU at `nice -n -15`, the kernel's autogroup off); nothing was fitted on either. Each is",
    'reported whole below, as is a third of knife-edge repeats only; here the first two together, judged',
    'against the targets:',
    '',
    targetRows(both.targets).join('\n'),
    '',
    ...byKind(both),
    '',
    ...hostComparison(readThrottleObservations(runs), idle, second),
    '',
    ...downtimeScatter([...runs, ...idle.runs, ...second.runs]),
    '',
    ...reachLine(both, [...idle.knifeRuns, ...second.knifeRuns]),
    '',
    `### Third campaign: knife-edge repeats predicted before they ran (\`${QEMU_HOLDOUT_3_CITATION}\`, ${third.runs.length} runs)`,
    '',
    'Two new knife-edge inputs, four times each, measured after `migrate --runs` began drawing the',
    "guest's page-layout overlap per run; the README there records what `migrate --runs 200` predicted",
    'for each input before the first run (with the target rate; the tables here use the achieved rates).',
    'Not in the targets above.',
    '',
    ...campaignSection(third, fitLagMs, runs, true),
    '',
    `### Second campaign: new inputs (\`${QEMU_HOLDOUT_2_CITATION}\`, ${second.runs.length} runs)`,
    '',
    ...campaignSection(second, fitLagMs, runs),
    '',
    `### First campaign (\`${QEMU_HOLDOUT_CITATION}\`, ${idle.runs.length} runs)`,
    '',
    ...campaignSection(idle, fitLagMs, runs),
    '',
    '## The same grids on a contended host (autogroup on; not judged against the targets)',
    '',
    targetRows(contended.targets).join('\n'),
    '',
    ...byKind(contended),
    '',
    syncLine(contended.syncs),
    '',
    ...hostParagraph(contended, fitLagMs, runs),
    '',
    ...knifeTables(contended),
    '',
    '## The same grids on a loaded host (not judged against the targets)',
    '',
    targetRows(loaded.targets).join('\n'),
    '',
    ...byKind(loaded),
    '',
    syncLine(loaded.syncs),
    '',
    ...hostParagraph(loaded, fitLagMs, runs),
    '',
    '## Fit set',
    '',
    targetRows(fitTargets).join('\n'),
    '',
    `Largest absolute time error over all runs ${percent(s.maxAbsTotalTimeError)}; median absolute transferred-bytes error ${percent(s.medianAbsTransferredError)}.`,
    '',
    syncLine(syncFigures(runs, QEMU_CALIBRATION_DIRECTORY)),
    '',
    `The guest's rate under the throttle over its unthrottled rate, measured / the model's paced guest, per throttle level: ${throttleShares(readThrottleObservations(runs))}.`,
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
    `| throttle catch-up in effect (auto-converge) | ${throttleFit.coefficients[0].toFixed(2)} ms | ${c.throttleEffectiveCatchUpMs.value} ms | ${throttleFit.runs} settled throttled seconds | ${throttleFit.rmsResidual.toFixed(2)} ms |`,
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
  try {
    const markdown = validationMarkdown();
    if (process.argv.includes('--write')) {
      const target = fileURLToPath(new URL('../../docs/validation.md', import.meta.url));
      writeFileSync(target, markdown);
      process.stderr.write(`wrote ${target}\n`);
    } else {
      process.stdout.write(markdown);
    }
  } catch (error) {
    process.stderr.write(`validation-table: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
