import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { migrateJson, migrateRequest, registerMigrate } from '../../../src/cli/commands/migrate.ts';
import { verdictOf } from '../../../src/kubevirt/migration/calibration-comparison.ts';
import {
  calibrationRequest,
  readCalibrationRuns,
  recordedCampaign,
} from '../../../src/kubevirt/migration/calibration-runs.ts';
import {
  parseBandwidthBytesPerSecond,
  parseDirtyPagesPerSecond,
  parseDurationSeconds,
  parseSizeBytes,
} from '../../../src/kubevirt/migration/option-quantities.ts';
import { simulateMigration } from '../../../src/kubevirt/migration/single-migration-world.ts';

const MiB = 2 ** 20;

describe('option quantities', () => {
  it('sizes: binary and decimal suffixes', () => {
    expect(parseSizeBytes('256Mi')).toBe(256 * MiB);
    expect(parseSizeBytes('230MiB')).toBe(230 * MiB);
    expect(parseSizeBytes('1G')).toBe(1e9);
    expect(parseSizeBytes('4096')).toBe(4096);
  });

  it('bandwidths: bytes per second or bits per second', () => {
    expect(parseBandwidthBytesPerSecond('16MiB/s')).toBe(16 * MiB);
    expect(parseBandwidthBytesPerSecond('10Gbps')).toBe(1.25e9);
    expect(parseBandwidthBytesPerSecond('800Mbit/s')).toBe(1e8);
    expect(parseBandwidthBytesPerSecond('0')).toBe(0);
  });

  it('durations and dirty rates', () => {
    expect(parseDurationSeconds('300ms', 'ms')).toBeCloseTo(0.3, 12);
    expect(parseDurationSeconds('300', 'ms')).toBeCloseTo(0.3, 12);
    expect(parseDurationSeconds('2m', 's')).toBe(120);
    expect(parseDirtyPagesPerSecond('4000')).toBe(4000);
    expect(parseDirtyPagesPerSecond('20MiB/s')).toBe(5120);
  });

  it('a bad value says what was expected and what was found', () => {
    expect(() => parseBandwidthBytesPerSecond('fast')).toThrow(/expected a bandwidth .*found "fast"/);
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
      '--bandwidth: expected a bandwidth such as 16MiB/s, 10Gbps or 800Mbit/s, found "fast"',
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
  it("gives QEMU's verdict for every run of ../shared/calibration/qemu with the run's own inputs", () => {
    // The command a user would type for each run: the inputs README.md lists, the operator's cap
    // as --cancel-after, post-copy started after the first pass, bare QEMU (no KubeVirt monitor).
    const campaign = recordedCampaign();
    const runs = readCalibrationRuns(process.cwd());
    expect(runs.length).toBeGreaterThanOrEqual(39);
    const mismatches: string[] = [];
    for (const run of runs) {
      const used = calibrationRequest(run, campaign).guest.usedMemoryBytes;
      const { request, linkBytesPerSecond } = migrateRequest(
        options({
          memory: `${run.memMib}Mi`,
          usedMemory: String(Math.round(used)),
          dirtyRate: String(run.achievedRatePps),
          workingSet: `${run.wssMib}Mi`,
          bandwidth: `${run.bandwidthMibps}MiB/s`,
          link: `${campaign.linkBytesPerSecond / 1e6}MB/s`,
          downtimeLimit: `${run.downtimeLimitMs}ms`,
          throttleCatchUp: `${campaign.throttleCatchUpMs}ms`,
          targetPodStart: '0s',
          cancelAfter: `${run.capSeconds}s`,
          noMonitor: true,
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
