import type { Command } from 'commander';
import { QEMU_MIGRATION_DEFAULTS } from '../../kubevirt/defaults.ts';
import { writerGuestGeometry } from '../../kubevirt/guest-hot-set.ts';
import type { EdgeCheck } from '../../kubevirt/migration/edge-check.ts';
import type { DirtyRateVariability } from '../../kubevirt/migration/guest-dirtying.ts';
import type { MigrationEnsemble, Percentiles } from '../../kubevirt/migration/migration-ensemble.ts';
import {
  defaultMigrationProfile,
  defaultMigrationSettings,
  type LiveMigrationRequest,
  type LiveMigrationResult,
} from '../../kubevirt/migration/migration-request.ts';
import {
  effectiveAllowWorkloadDisruption,
  LATEST_KUBEVIRT_VERSION,
} from '../../profiles/kubevirt-migration-defaults.ts';
import { scenarioDefaults } from '../../profiles/scenario-defaults.ts';
import { compareVersions, versionParts } from '../../profiles/version.ts';
import { limits } from '../../scenario/limits.ts';
import {
  BARE_MILLISECONDS,
  BARE_SECONDS,
  parseBandwidthBytesPerSecond,
  parseBytes,
  parseDurationSeconds,
} from '../../scenario/units.ts';
import { parseDirtyPagesPerSecond } from '../options/dirty-rate.ts';
import { parseCount, parseFraction } from '../options/plain-numbers.ts';
import { readOption as read } from '../options/read-option.ts';

interface MigrateOptions {
  memory: string;
  usedMemory?: string;
  dirtyRate: string;
  workingSet?: string;
  hotSet?: string;
  workingSetOverlap?: string;
  bandwidth?: string;
  link?: string;
  downtimeLimit?: string;
  disk: string;
  autoConverge?: boolean;
  postCopy?: boolean;
  postCopyAfterPass?: string;
  allowWorkloadDisruption?: boolean;
  completionTimeoutPerGib?: string;
  progressTimeout?: string;
  cancelAfter?: string;
  targetPodStart?: string;
  throttleCatchUp: string;
  kubevirtVersion: string;
  /** false with `--no-monitor` (commander's negated flag). */
  monitor?: boolean;
  json?: boolean;
  /** Runs with the dirty rate drawn from its variability (migration-ensemble.ts); default 1, exact. */
  runs?: string;
  seed?: string;
  dirtyRateSd?: string;
  dirtyRateRunSd?: string;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** A value given on the command line, read with `parse`; else the default from a table. */
function optional<T>(option: string, text: string | undefined, parse: (text: string) => T, fallback: T): T {
  return text === undefined ? fallback : read(option, text, parse);
}

const seconds = (text: string) => parseDurationSeconds(text, BARE_SECONDS);
const milliseconds = (text: string) => 1000 * parseDurationSeconds(text, BARE_MILLISECONDS);

/** `--kubevirt-version`: a release the defaults tables know, up to the newest. */
function checkKubevirtVersion(text: string): void {
  const expected = `--kubevirt-version: expected a KubeVirt release such as v1.3.1, up to ${LATEST_KUBEVIRT_VERSION}, found "${text}"`;
  try {
    versionParts(text);
  } catch {
    throw new Error(expected);
  }
  check(compareVersions(text, LATEST_KUBEVIRT_VERSION) <= 0, expected);
}

/** The request the options describe, on the defaults of `--kubevirt-version`. */
export function migrateRequest(options: MigrateOptions): {
  request: LiveMigrationRequest;
  linkBytesPerSecond: number;
} {
  const memory = read('--memory', options.memory, parseBytes);
  const used = optional('--used-memory', options.usedMemory, parseBytes, memory);
  const workingSet = optional('--working-set', options.workingSet, parseBytes, used);
  check(memory > 0, `--memory: expected a size above 0, found "${options.memory}"`);
  // Bounded as a scenario's VM memory is (src/scenario/limits.ts): a larger guest ran a simulated
  // day before failing with "invalid flow size NaN" (issue 11).
  check(
    memory <= limits.memoryBytes.max,
    `--memory: expected ${limits.memoryBytes.text}, found "${options.memory}"`,
  );
  checkKubevirtVersion(options.kubevirtVersion);
  check(
    used <= memory,
    `--used-memory: expected at most --memory (${options.memory}), found "${options.usedMemory}"`,
  );
  check(
    workingSet <= used,
    `--working-set: expected at most the used memory (${options.usedMemory ?? options.memory}), found "${options.workingSet}"`,
  );
  const settings = defaultMigrationSettings(options.kubevirtVersion);
  const profile = defaultMigrationProfile();
  const allowPostCopy = options.postCopy === true || options.postCopyAfterPass !== undefined;
  const linkBytesPerSecond = optional(
    '--link',
    options.link,
    parseBandwidthBytesPerSecond,
    scenarioDefaults.nicBandwidthBytesPerSecond.value,
  );
  check(linkBytesPerSecond > 0, `--link: expected a bandwidth above 0, found "${options.link}"`);
  const dirtyPagesPerSecond = read('--dirty-rate', options.dirtyRate, (t) => parseDirtyPagesPerSecond(t));
  const request: LiveMigrationRequest = {
    name: 'vm',
    guest: {
      memoryBytes: memory,
      usedMemoryBytes: used,
      workingSetBytes: workingSet,
      dirtyPagesPerSecond,
      throttleCatchUpMs: read('--throttle-catch-up', options.throttleCatchUp, milliseconds),
      blockMigrationDiskBytes: read('--disk', options.disk, (t) => {
        const bytes = parseBytes(t);
        check(bytes <= limits.storageBytes.max, `--disk: expected ${limits.storageBytes.text}, found "${t}"`);
        return bytes;
      }),
      ...writerGuestGeometry(workingSet, dirtyPagesPerSecond),
      ...(options.hotSet === undefined
        ? {}
        : { hotSetPages: read('--hot-set', options.hotSet, parseBytes) / profile.pageSizeBytes }),
      ...(options.workingSetOverlap === undefined
        ? {}
        : {
            workingSetOverlapFraction: read(
              '--working-set-overlap',
              options.workingSetOverlap,
              parseFraction,
            ),
          }),
    },
    settings: {
      ...settings,
      kubevirtMonitor: options.monitor !== false,
      bandwidthPerMigrationBytesPerSecond: optional(
        '--bandwidth',
        options.bandwidth,
        parseBandwidthBytesPerSecond,
        settings.bandwidthPerMigrationBytesPerSecond,
      ),
      downtimeLimitMs: optional(
        '--downtime-limit',
        options.downtimeLimit,
        milliseconds,
        settings.downtimeLimitMs,
      ),
      allowAutoConverge: options.autoConverge === true,
      allowPostCopy,
      allowWorkloadDisruption: effectiveAllowWorkloadDisruption(
        options.allowWorkloadDisruption,
        allowPostCopy,
      ),
      completionTimeoutPerGiBSeconds: optional(
        '--completion-timeout-per-gib',
        options.completionTimeoutPerGib,
        (t) => parseCount(t, 1),
        settings.completionTimeoutPerGiBSeconds,
      ),
      progressTimeoutSeconds: optional(
        '--progress-timeout',
        options.progressTimeout,
        seconds,
        settings.progressTimeoutSeconds,
      ),
    },
    profile: {
      ...profile,
      targetPodStartSeconds: optional(
        '--target-pod-start',
        options.targetPodStart,
        seconds,
        profile.targetPodStartSeconds,
      ),
    },
    postCopyAfterPass: optional(
      '--post-copy-after-pass',
      options.postCopyAfterPass,
      (t) => parseCount(t, 1),
      null,
    ),
    cancelAfterSeconds: optional('--cancel-after', options.cancelAfter, seconds, null),
  };
  return { request, linkBytesPerSecond };
}

/** The JSON document of `migrate --json`. */
export function migrateJson(result: LiveMigrationResult): Record<string, unknown> {
  return {
    outcome: result.outcome,
    reason: result.reason,
    totalSeconds: result.totalSeconds,
    migrationSeconds: result.migrationSeconds,
    targetPodStartSeconds: result.targetPodStartSeconds,
    downtimeMs: result.downtimeMs,
    guestDowntimeMs: result.guestDowntimeMs,
    guestPausedSeconds: result.guestPausedSeconds,
    iterations: result.iterations,
    transferredBytes: Math.round(result.transferredBytes),
    maxThrottlePercent: result.maxThrottlePercent,
    postCopyStartSeconds: result.postCopyStartSeconds,
    passes: result.passes.map((pass) => ({
      kind: pass.kind,
      bytes: Math.round(pass.bytes),
      seconds: pass.seconds,
      dirtyBytes: Math.round(pass.dirtyBytes),
    })),
  };
}

const MiB = 2 ** 20;

/** The human table of `migrate`. */
export function migrateTable(result: LiveMigrationResult, edge: EdgeCheck | null = null): string {
  const lines = [
    `outcome          ${result.outcome} (${result.reason}); VM runs on ${result.vmRunsOn}`,
    `total            ${result.totalSeconds.toFixed(2)} s (target pod ${result.targetPodStartSeconds.toFixed(2)} s + migration ${result.migrationSeconds.toFixed(2)} s)`,
    `downtime         ${result.downtimeMs.toFixed(1)} ms`,
    ...(result.vmRunsOn === 'target'
      ? [
          `guest downtime   ${result.guestDowntimeMs.toFixed(1)} ms (QEMU's, then the target resumes the guest)`,
        ]
      : []),
    `iterations       ${result.iterations}`,
    `transferred      ${(result.transferredBytes / MiB).toFixed(1)} MiB`,
    `max throttle     ${result.maxThrottlePercent} %`,
  ];
  if (result.guestPausedSeconds > 0) lines.push(`guest paused     ${result.guestPausedSeconds.toFixed(2)} s`);
  if (result.postCopyStartSeconds !== null) {
    lines.push(`post-copy from   ${result.postCopyStartSeconds.toFixed(2)} s`);
  }
  if (edge?.knifeEdge === true) lines.push(edgeLine(edge));
  lines.push('', 'pass  kind       MiB        s   dirtied MiB');
  result.passes.forEach((pass, i) => {
    lines.push(
      `${String(i + 1).padStart(4)}  ${pass.kind.padEnd(9)} ${(pass.bytes / MiB).toFixed(1).padStart(7)} ${pass.seconds
        .toFixed(2)
        .padStart(8)} ${(pass.dirtyBytes / MiB).toFixed(1).padStart(13)}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

/** The note under one prediction that the edge check found on the knife edge. */
export function edgeLine(edge: EdgeCheck): string {
  const range =
    edge.migrationSeconds === null
      ? 'none completes'
      : `migration ${edge.migrationSeconds.p10.toFixed(1)}–${edge.migrationSeconds.p90.toFixed(1)} s (p10–p90)`;
  return `knife edge       yes: of ${edge.runs} runs with the guest's measured variability ${Math.round(100 * edge.completionProbability)} % complete, ${range}; one prediction is not enough here (--runs 200)`;
}

/**
 * The calibration guest's measured variability; its overlap share is drawn per run unless
 * `--working-set-overlap` fixed it.
 */
export async function guestVariability(options: MigrateOptions): Promise<DirtyRateVariability> {
  const { measuredDirtyRateVariability } = await import('../../kubevirt/migration/migration-ensemble.ts');
  const { overlapFractionPerRunMean, ...measured } = measuredDirtyRateVariability();
  return options.workingSetOverlap === undefined ? { ...measured, overlapFractionPerRunMean } : measured;
}

/** `--runs N` with its seed and the dirty rate's variability; null for one exact run. */
export async function migrateRuns(options: MigrateOptions): Promise<{
  runs: number;
  firstSeed: number;
  variability: DirtyRateVariability;
} | null> {
  const runs = optional('--runs', options.runs, (t) => parseCount(t, 1), 1);
  if (runs === 1 && options.dirtyRateSd === undefined && options.dirtyRateRunSd === undefined) return null;
  const measured = await guestVariability(options);
  return {
    runs,
    firstSeed: optional('--seed', options.seed, (t) => parseCount(t, 0), 1),
    variability: {
      ...measured,
      perPeriodRelativeSd: optional(
        '--dirty-rate-sd',
        options.dirtyRateSd,
        parseFraction,
        measured.perPeriodRelativeSd,
      ),
      perRunRelativeSd: optional(
        '--dirty-rate-run-sd',
        options.dirtyRateRunSd,
        parseFraction,
        measured.perRunRelativeSd,
      ),
    },
  };
}

/** The JSON document of `migrate --runs N --json`. */
export function migrateRunsJson(ensemble: MigrationEnsemble): Record<string, unknown> {
  return { ...ensemble };
}

function cells(p: Percentiles | null, digits: number): string {
  if (p === null) return '      –        –        –';
  return [p.p10, p.p50, p.p90].map((v) => v.toFixed(digits).padStart(8)).join(' ');
}

/** The human table of `migrate --runs N`. */
export function migrateRunsTable(ensemble: MigrationEnsemble): string {
  const v = ensemble.variability;
  const outcomes = Object.entries(ensemble.outcomes)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ');
  const lines = [
    `runs             ${ensemble.runs} (seeds ${ensemble.firstSeed}–${ensemble.firstSeed + ensemble.runs - 1}; dirty rate ±${(100 * v.perRunRelativeSd).toFixed(1)} % per run, ±${(100 * v.perPeriodRelativeSd).toFixed(1)} % per ${v.periodSeconds} s${v.overlapFractionPerRunMean === undefined ? '' : `; page overlap drawn per run, mean ${v.overlapFractionPerRunMean}`})`,
    `completes        ${(100 * ensemble.completionProbability).toFixed(1)} % (${outcomes})`,
    `knife edge       ${ensemble.knifeEdge ? 'yes: small changes in the dirty rate change the outcome or the time' : 'no'}`,
    '',
    '                      p10      p50      p90   (completed runs)',
    `migration s     ${cells(ensemble.migrationSeconds, 2)}`,
    `iterations      ${cells(ensemble.iterations, 0)}`,
    `downtime ms     ${cells(ensemble.downtimeMs, 1)}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description(
      'simulate one KubeVirt live migration (QEMU pre-copy, auto-converge, post-copy, KubeVirt monitor)',
    )
    .requiredOption('--memory <size>', 'guest memory, e.g. 256Mi')
    .option(
      '--used-memory <size>',
      'memory written at least once (the rest are zero pages); default --memory',
    )
    .option('--dirty-rate <rate>', 'guest dirty rate: 4 KiB pages/s, or a byte rate such as 20MiB/s', '0')
    .option('--working-set <size>', 'memory the guest keeps rewriting; default the used memory')
    .option(
      '--hot-set <size>',
      'kernel pages rewritten every sync interval besides the working set; default as measured (docs/model/migration.md)',
    )
    .option(
      '--working-set-overlap <fraction>',
      'share of unsent/new page overlap left (0-1); default as measured',
    )
    .option(
      '--bandwidth <rate>',
      "bandwidthPerMigration (QEMU max-bandwidth), e.g. 16MiB/s; 0 = unlimited; default the KubeVirt version's",
    )
    .option(
      '--link <rate>',
      `link between source and target; default a scenario node's NIC (${scenarioDefaults.nicBandwidthBytesPerSecond.value / 125e6}Gbps)`,
    )
    .option(
      '--downtime-limit <duration>',
      `QEMU downtime-limit; a bare number is ms; default QEMU's (${QEMU_MIGRATION_DEFAULTS.downtimeLimitMs.value}ms)`,
    )
    .option('--disk <size>', 'local disk bytes copied first (BlockMigration)', '0')
    .option('--auto-converge', 'allowAutoConverge')
    .option('--post-copy', 'allowPostCopy (KubeVirt switches at the completion timeout)')
    .option('--post-copy-after-pass <n>', 'switch to post-copy once pass n has been sent')
    .option('--allow-workload-disruption', 'allowWorkloadDisruption (v1.5+: pause the guest at the timeout)')
    .option('--completion-timeout-per-gib <seconds>', 'completionTimeoutPerGiB (default by KubeVirt version)')
    .option('--progress-timeout <duration>', "progressTimeout; 0 disables; default the KubeVirt version's")
    .option('--cancel-after <duration>', 'cancel as an operator would, this long after the migration starts')
    .option('--target-pod-start <duration>', 'target virt-launcher pod start time (profile default)')
    .option(
      '--throttle-catch-up <duration>',
      'stall the guest makes up per throttle sleep; a bare number is ms (0 = CPU-bound)',
      '0ms',
    )
    .option('--kubevirt-version <version>', 'KubeVirt release whose defaults apply', LATEST_KUBEVIRT_VERSION)
    .option('--no-monitor', 'bare QEMU: no KubeVirt completion/progress timeouts')
    .option('--json', 'print JSON instead of a table')
    .option(
      '--runs <n>',
      'run n times, the dirty rate and page-layout overlap drawn as measured: completion probability, p10/p50/p90, knife edge',
    )
    .option('--seed <n>', 'seed of the first of --runs (each run takes the next)', '1')
    .option(
      '--dirty-rate-sd <fraction>',
      'relative spread of the dirty rate from second to second (default as measured)',
    )
    .option(
      '--dirty-rate-run-sd <fraction>',
      'relative spread of the dirty rate from run to run (default as measured)',
    )
    .action(async (options: MigrateOptions) => {
      const { request, linkBytesPerSecond } = migrateRequest(options);
      const runs = await migrateRuns(options);
      if (runs !== null) {
        // Loaded here, not at start-up: `--help` and the other commands need none of it (issue 10).
        const { simulateMigrationRuns } = await import('../../kubevirt/migration/migration-ensemble.ts');
        const ensemble = simulateMigrationRuns(request, { linkBytesPerSecond }, runs);
        process.stdout.write(
          options.json
            ? `${JSON.stringify(migrateRunsJson(ensemble), null, 2)}\n`
            : migrateRunsTable(ensemble),
        );
        return;
      }
      const { simulateMigration } = await import('../../kubevirt/migration/single-migration-world.ts');
      const result = simulateMigration(request, { linkBytesPerSecond });
      const { checkEdge, needsEdgeCheck } = await import('../../kubevirt/migration/edge-check.ts');
      const edge = needsEdgeCheck(result)
        ? checkEdge(request, { linkBytesPerSecond }, await guestVariability(options))
        : null;
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ ...migrateJson(result), ...(edge === null ? {} : { edgeCheck: edge }) }, null, 2)}\n`
          : migrateTable(result, edge),
      );
    });
}
