import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  migrateJson,
  migrateRequest,
  migrateRuns,
  migrateRunsTable,
  registerMigrate,
} from '../../../src/cli/commands/migrate.ts';
import { parseDirtyPagesPerSecond } from '../../../src/cli/options/dirty-rate.ts';
import { parseCount, parseFraction } from '../../../src/cli/options/plain-numbers.ts';
import { simulateMigrationRuns } from '../../../src/kubevirt/migration/migration-ensemble.ts';
import { simulateMigration } from '../../../src/kubevirt/migration/single-migration-world.ts';
import {
  BARE_MILLISECONDS,
  BARE_SECONDS,
  parseBandwidthBytesPerSecond,
  parseBytes,
  parseDurationSeconds,
} from '../../../src/scenario/units.ts';
import { verdictOf } from '../../calibration/qemu-comparison.ts';
import { calibrationRequest, readCalibrationRuns, recordedCampaign } from '../../calibration/qemu-runs.ts';

const MiB = 2 ** 20;

describe('option values: the unit grammar of src/scenario/units.ts (test/scenario/units.test.ts)', () => {
  it('sizes: Kubernetes quantities, with or without a trailing B', () => {
    expect(parseBytes('256Mi')).toBe(256 * MiB);
    expect(parseBytes('230MiB')).toBe(230 * MiB);
    expect(parseBytes('1G')).toBe(1e9);
    expect(parseBytes('4096')).toBe(4096);
  });

  it('bandwidths: bytes per second or bits per second', () => {
    expect(parseBandwidthBytesPerSecond('16MiB/s')).toBe(16 * MiB);
    expect(parseBandwidthBytesPerSecond('10Gbps')).toBe(1.25e9);
    expect(parseBandwidthBytesPerSecond('800Mbit/s')).toBe(1e8);
    expect(parseBandwidthBytesPerSecond('0')).toBe(0);
  });

  it('durations: Go syntax, "1h30m" as in YAML; a bare number in the option\'s unit', () => {
    expect(parseDurationSeconds('300ms', BARE_MILLISECONDS)).toBeCloseTo(0.3, 12);
    expect(parseDurationSeconds('300', BARE_MILLISECONDS)).toBeCloseTo(0.3, 12);
    expect(parseDurationSeconds('2m', BARE_SECONDS)).toBe(120);
    expect(parseDurationSeconds('1h30m', BARE_SECONDS)).toBe(5400);
  });

  it('dirty rates: a bare number is 4 KiB pages/s, a byte rate is divided by 4096', () => {
    expect(parseDirtyPagesPerSecond('4000')).toBe(4000);
    expect(parseDirtyPagesPerSecond('20MiB/s')).toBe(5120); // 20 × 2^20 / 4096
  });

  it('counts and fractions', () => {
    expect(parseCount('2', 1)).toBe(2);
    expect(parseFraction('0.25')).toBe(0.25);
    expect(() => parseFraction('2')).toThrow('expected a number from 0 to 1, found "2" (out of range)');
  });

  it('a bad value says what was expected and what was found', () => {
    expect(() => parseBandwidthBytesPerSecond('fast')).toThrow(/expected a bandwidth .*found "fast"/);
    expect(() => parseDirtyPagesPerSecond('fast')).toThrow(/expected a dirty rate .*found "fast"/);
  });
});

function options(extra: Record<string, string | boolean> = {}) {
  return {
    memory: '256Mi',
    usedMemory: '230Mi',
    dirtyRate: '4000',
    workingSet: '32Mi',
    bandwidth: '16MiB/s',
    link: '10Gbps',
    downtimeLimit: '300ms',
    disk: '0',
    progressTimeout: '150s',
    throttleCatchUp: '0ms',
    kubevirtVersion: 'v1.9.0',
    ...extra,
  } as Parameters<typeof migrateRequest>[0];
}

describe('harvester-sim migrate', () => {
  it('builds the request the options describe', () => {
    const { request, linkBytesPerSecond } = migrateRequest(
      options({ autoConverge: true, postCopyAfterPass: '2' }),
    );
    expect(linkBytesPerSecond).toBe(1.25e9);
    expect(request.guest.usedMemoryBytes).toBe(230 * MiB);
    expect(request.settings.bandwidthPerMigrationBytesPerSecond).toBe(16 * MiB);
    expect(request.settings.allowAutoConverge).toBe(true);
    expect(request.settings.allowPostCopy).toBe(true);
    expect(request.settings.completionTimeoutPerGiBSeconds).toBe(150);
    expect(request.postCopyAfterPass).toBe(2);
  });

  it('an option left out takes its default from the tables, for the --kubevirt-version given', () => {
    const { request, linkBytesPerSecond } = migrateRequest({
      memory: '1Gi',
      dirtyRate: '0',
      disk: '0',
      throttleCatchUp: '0ms',
      kubevirtVersion: 'v1.3.1',
    });
    // src/profiles/scenario-defaults.ts: a node's NIC, 10 Gbps = 1.25e9 B/s.
    expect(linkBytesPerSecond).toBe(1.25e9);
    // kubevirt/kubevirt:pkg/virt-config/virt-config.go: bandwidth unlimited (0), progressTimeout 150 s,
    // completionTimeoutPerGiB 800 s before v1.4.0; qemu/qemu:migration/options.c: downtime-limit 300 ms.
    expect(request.settings.bandwidthPerMigrationBytesPerSecond).toBe(0);
    expect(request.settings.progressTimeoutSeconds).toBe(150);
    expect(request.settings.completionTimeoutPerGiBSeconds).toBe(800);
    expect(request.settings.downtimeLimitMs).toBe(300);
    expect(request.settings.kubevirtMonitor).toBe(true);
    expect(request.postCopyAfterPass).toBeNull();
    expect(request.cancelAfterSeconds).toBeNull();
  });

  it('allowWorkloadDisruption left out follows allowPostCopy (GetMigrationConfiguration)', () => {
    expect(migrateRequest(options()).request.settings.allowWorkloadDisruption).toBe(false);
    expect(migrateRequest(options({ postCopy: true })).request.settings.allowWorkloadDisruption).toBe(true);
    expect(
      migrateRequest(options({ allowWorkloadDisruption: true })).request.settings.allowWorkloadDisruption,
    ).toBe(true);
  });

  it('--no-monitor turns the KubeVirt monitor off', () => {
    const program = new Command('harvester-sim').exitOverride();
    registerMigrate(program);
    const migrate = program.commands.find((c) => c.name() === 'migrate') as Command;
    migrate.parseOptions(['--memory', '256Mi', '--no-monitor']);
    const parsed = migrate.opts() as Parameters<typeof migrateRequest>[0];
    expect(parsed.monitor).toBe(false);
    expect(migrateRequest(parsed).request.settings.kubevirtMonitor).toBe(false);
  });

  it('older KubeVirt versions take their own completion timeout (v1.3: 800 s per GB)', () => {
    expect(
      migrateRequest(options({ kubevirtVersion: 'v1.3.1' })).request.settings.completionTimeoutPerGiBSeconds,
    ).toBe(800);
  });

  it('--json has outcome, totalSeconds, downtimeMs, iterations, transferredBytes, maxThrottlePercent, passes', () => {
    const { request, linkBytesPerSecond } = migrateRequest(options({ cancelAfter: '60s' }));
    const json = migrateJson(simulateMigration(request, { linkBytesPerSecond }));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        'outcome',
        'totalSeconds',
        'downtimeMs',
        'iterations',
        'transferredBytes',
        'maxThrottlePercent',
        'passes',
      ]),
    );
    expect(['completed', 'aborted', 'cancelled', 'post-copy']).toContain(json.outcome);
    for (const pass of json.passes as Record<string, unknown>[]) {
      expect(Object.keys(pass)).toEqual(expect.arrayContaining(['bytes', 'seconds', 'dirtyBytes']));
    }
  });

  it('bad input: one line naming the option, what was expected and what was found', () => {
    expect(() => migrateRequest(options({ bandwidth: 'fast' }))).toThrow(
      '--bandwidth: expected a bandwidth such as "10Gbps", "16MiB/s", "125MB/s" or a byte quantity per second like "64Mi", found "fast" (no leading number)',
    );
    expect(() => migrateRequest(options({ cancelAfter: '2 minutes' }))).toThrow(
      /^--cancel-after: expected a Go duration .*found "2 minutes" \(missing unit after "2"\)$/,
    );
    expect(() => migrateRequest(options({ usedMemory: '300Mi' }))).toThrow(
      /^--used-memory: expected at most/,
    );
    expect(() => migrateRequest(options({ postCopyAfterPass: '0' }))).toThrow(
      /^--post-copy-after-pass: expected a whole number ≥ 1, found "0"/,
    );
  });

  it('registers as a subcommand with the documented options', () => {
    const program = new Command('harvester-sim');
    registerMigrate(program);
    const migrate = program.commands.find((c) => c.name() === 'migrate');
    const flags = migrate?.options.map((o) => o.long) ?? [];
    for (const flag of [
      '--memory',
      '--used-memory',
      '--dirty-rate',
      '--working-set',
      '--bandwidth',
      '--downtime-limit',
      '--auto-converge',
      '--post-copy',
      '--post-copy-after-pass',
      '--allow-workload-disruption',
      '--completion-timeout-per-gib',
      '--progress-timeout',
      '--cancel-after',
      '--json',
    ]) {
      expect(flags).toContain(flag);
    }
  });
});

describe('harvester-sim migrate on the calibration inputs', () => {
  it("gives QEMU's verdict for every run of test/calibration/qemu with the run's own inputs", () => {
    // The command a user would type for each run: the inputs README.md lists, the operator's cap
    // as --cancel-after, post-copy started after the first pass, bare QEMU (no KubeVirt monitor).
    const campaign = recordedCampaign();
    const runs = readCalibrationRuns();
    expect(runs.length).toBeGreaterThanOrEqual(39);
    const mismatches: string[] = [];
    for (const run of runs) {
      const { usedMemoryBytes: used, dirtyPagesPerSecond } = calibrationRequest(run, campaign).guest;
      const { request, linkBytesPerSecond } = migrateRequest(
        options({
          memory: `${run.memMib}Mi`,
          usedMemory: String(Math.round(used)),
          dirtyRate: String(dirtyPagesPerSecond),
          workingSet: `${run.wssMib}Mi`,
          bandwidth: `${run.bandwidthMibps}MiB/s`,
          link: `${campaign.linkBytesPerSecond / 1e6}MB/s`,
          downtimeLimit: `${run.downtimeLimitMs}ms`,
          throttleCatchUp: `${campaign.throttleCatchUpMs}ms`,
          targetPodStart: '0s',
          cancelAfter: `${run.capSeconds}s`,
          monitor: false,
          ...(run.autoConverge ? { autoConverge: true } : {}),
          ...(run.postcopy ? { postCopyAfterPass: '1' } : {}),
        }),
      );
      const verdict = verdictOf(
        simulateMigration(request, { linkBytesPerSecond, untilSeconds: run.capSeconds + 60 }),
      );
      if (verdict !== run.outcome) mismatches.push(`${run.runId}: ${verdict} vs ${run.outcome}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('harvester-sim migrate --runs N', () => {
  it('one run (the default) draws nothing: the exact model', async () => {
    expect(await migrateRuns(options())).toBeNull();
  });

  it('--runs, --seed and the dirty-rate spreads: defaults as measured (1.0 % per second, 2.2 % per run, page overlap drawn with mean 0.1265)', async () => {
    const runs = await migrateRuns(options({ runs: '20', seed: '5' }));
    expect(runs?.runs).toBe(20);
    expect(runs?.firstSeed).toBe(5);
    expect(runs?.variability).toEqual({
      perRunRelativeSd: 0.022,
      perPeriodRelativeSd: 0.0101,
      periodSeconds: 1,
      overlapFractionPerRunMean: 0.1265,
    });
    // A guest whose overlap the user gives is that guest: nothing drawn.
    const fixed = await migrateRuns(options({ runs: '20', workingSetOverlap: '0.3' }));
    expect(fixed?.variability.overlapFractionPerRunMean).toBeUndefined();
    const given = await migrateRuns(options({ runs: '20', dirtyRateSd: '0.1', dirtyRateRunSd: '0' }));
    expect(given?.variability.perPeriodRelativeSd).toBe(0.1);
    expect(given?.variability.perRunRelativeSd).toBe(0);
  });

  it('prints the completion probability, p10/p50/p90 and the knife-edge line', async () => {
    const { request, linkBytesPerSecond } = migrateRequest(
      options({ bandwidth: '64MiB/s', cancelAfter: '60s' }),
    );
    const runs = await migrateRuns(options({ runs: '4' }));
    if (runs === null) throw new Error('expected runs');
    const table = migrateRunsTable(simulateMigrationRuns(request, { linkBytesPerSecond }, runs));
    expect(table).toMatch(/^runs {13}4 \(seeds 1–4;/);
    expect(table).toMatch(/\ncompletes {8}\d+\.\d %/);
    expect(table).toMatch(/\nknife edge {7}(yes|no)/);
    expect(table).toMatch(/\nmigration s /);
  });
});
