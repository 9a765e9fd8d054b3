// KubeVirt's live-migration metrics in the observed trace (issue 14, deliverable 5): the gauges of
// kubevirt/kubevirt:pkg/monitoring/metrics/virt-handler/domainstats/migration_metrics.go, scraped
// from virt-handler through the pod proxy, written as kubevirt.migration/progress records, and
// folded by calibrate. The end-to-end part needs Debian's etcd-server (the testbed's real etcd).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { calibrateScenario, observedFigures } from '../../src/adapter/calibrate.ts';
import { migrationSamples } from '../../src/adapter/migration-metrics.ts';
import { executeReplay } from '../../src/adapter/replay.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { etcdBinary } from '../../src/testbed/etcd-members.ts';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.ts';
import { parseTrace } from '../../src/trace/read.ts';
import type { AnyRecord } from '../../src/trace/record.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MiB = 1024 ** 2;

describe('reading the migration gauges', () => {
  it('takes libvirt memory_dirty_rate as pages per second (4 KiB pages) and the memory transfer rate under either name', () => {
    // migration_metrics.go exports jobInfo.MemDirtyRate unchanged; libvirt documents
    // VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE as "number of memory pages dirtied by the guest per second".
    const text = [
      '# HELP kubevirt_vmi_migration_data_remaining_bytes The remaining guest OS data to be migrated to the new VM.',
      '# TYPE kubevirt_vmi_migration_data_remaining_bytes gauge',
      'kubevirt_vmi_migration_data_remaining_bytes{name="db1",namespace="default",node="harv42"} 1073741824',
      'kubevirt_vmi_migration_data_processed_bytes{name="db1",namespace="default",node="harv42"} 2147483648',
      'kubevirt_vmi_migration_dirty_memory_rate_bytes{name="db1",namespace="default",node="harv42"} 8192',
      // An older release: the memory rate under the disk name.
      'kubevirt_vmi_migration_disk_transfer_rate_bytes{name="db1",namespace="default",node="harv42"} 125000000',
      'kubevirt_vmi_migration_memory_transfer_rate_bytes{name="web",namespace="apps",node="harv42"} 5e8',
      'kubevirt_vmi_cpu_usage_seconds_total{name="db1",namespace="default"} 12',
    ].join('\n');
    const samples = migrationSamples(text);
    expect(samples).toEqual([
      {
        namespace: 'default',
        name: 'db1',
        dataRemainingBytes: 2 ** 30,
        dataProcessedBytes: 2 ** 31,
        dirtyRateBytesPerSecond: 32 * MiB, // 8192 pages × 4096 B
        transferRateBytesPerSecond: 125_000_000,
      },
      {
        namespace: 'apps',
        name: 'web',
        dataRemainingBytes: null,
        dataProcessedBytes: null,
        dirtyRateBytesPerSecond: null,
        transferRateBytesPerSecond: 500_000_000,
      },
    ]);
  });
});

const progress = (t: number, migration: string, transfer: number, dirty: number): AnyRecord =>
  ({
    timeSeconds: t,
    subsystem: 'kubevirt.migration',
    kind: 'progress',
    data: {
      migration,
      dataRemainingBytes: 0,
      dataProcessedBytes: 0,
      dirtyRateBytesPerSecond: dirty,
      transferRateBytesPerSecond: transfer,
    },
  }) as AnyRecord;

describe('calibrate folds observed migrations', () => {
  const scenario = readFileSync(`${REPO}scenarios/seed-witness.yaml`, 'utf8');
  // Two samples of db1 while bytes moved (100 and 300 MB/s: mean 200 MB/s), one idle sample (0,
  // not counted), and a second migration at a mean of 50 MB/s.
  const trace = [
    progress(1, 'default/db1', 100e6, 16 * MiB),
    progress(2, 'default/db1', 300e6, 32 * MiB),
    progress(3, 'default/db1', 0, 8 * MiB),
    progress(4, 'default/rke2-prod-pool1-7d9f8-abcde', 50e6, 0),
  ];

  it('the largest per-migration mean becomes the bandwidth of the network migrations cross; the largest dirty rate the guest', () => {
    const figures = observedFigures(trace);
    expect(figures.migrationBytesPerSecond.get('default/db1')).toBe(200e6);
    const out = parse(calibrateScenario(scenario, figures, 'test'));
    // seed-witness has no migration network: migrations cross the management network.
    expect(out.networks.management.bandwidth).toBe(200e6);
    expect(out.vms.find((v: { name: string }) => v.name === 'db1').guest.dirtyRate).toBe(32 * MiB);
    // The zero dirty rate of the second migration is not folded.
    expect(
      out.vms.find((v: { name: string }) => v.name === 'rke2-prod-pool1-7d9f8-abcde').guest.dirtyRate,
    ).toBe('16MiB/s');
  });

  it('does not fold the rate when bandwidthPerMigration capped it', () => {
    const capped = scenario.replace(
      /^settings:\n/m,
      'settings:\n  kubevirt:\n    migrations:\n      bandwidthPerMigration: 64Mi\n',
    );
    const out = calibrateScenario(capped, observedFigures(trace), 'test');
    expect(parse(out).networks.management.bandwidth).toBe('10Gbps');
    expect(out).toContain('not folded: bandwidthPerMigration 64Mi');
  });
});

const present = existsSync(etcdBinary);
if (!present)
  console.warn(
    `skipping the migration-metrics testbed test: ${etcdBinary} not installed (apt-get install etcd-server)`,
  );

describe.skipIf(!present)('migration metrics from the testbed, end to end', () => {
  let bed: Testbed;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adapter-migration-'));
    kubeconfig = join(dir, 'kubeconfig');
    // A slow clock, so that the adapter's scrapes (every 200 ms real) catch the migration under way.
    bed = await startTestbed(loadScenario(`${REPO}scenarios/seed-witness.yaml`), {
      speed: 2,
      kubeconfigOut: kubeconfig,
    });
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('writes kubevirt.migration/progress samples of db1 and a migration.finished, and calibrate folds them', async () => {
    const journal = join(dir, 'journal');
    const result = await executeReplay(
      `${REPO}test/adapter/fixtures/migrate-db1.yaml`,
      `${REPO}scenarios/seed-witness.yaml`,
      journal,
      { kubeconfig, power: 'testbed', yes: true, skipPreflight: true, log: () => undefined },
    );
    expect(result.ok).toBe(true);
    const trace = parseTrace(readFileSync(`${journal}.observed.jsonl`, 'utf8'), 'observed');
    const samples = trace.flatMap((r) =>
      r.subsystem === 'kubevirt.migration' && r.kind === 'progress' ? [r.data] : [],
    );
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.every((s) => s.migration === 'default/db1')).toBe(true);
    // data_processed only grows; the guest dirties at most its scenario rate (32MiB/s, seed-witness.yaml).
    for (let i = 1; i < samples.length; i++)
      expect(samples[i].dataProcessedBytes).toBeGreaterThanOrEqual(samples[i - 1].dataProcessedBytes);
    expect(Math.max(...samples.map((s) => s.dirtyRateBytesPerSecond))).toBeLessThanOrEqual(32 * MiB);
    // The memory moves at most at the NIC's 10 Gbps (1.25e9 B/s), and moves.
    const moving = samples.filter((s) => s.transferRateBytesPerSecond > 0);
    expect(moving.length).toBeGreaterThan(0);
    expect(Math.max(...moving.map((s) => s.transferRateBytesPerSecond))).toBeLessThanOrEqual(1.25e9);
    const finished = trace.flatMap((r) =>
      r.subsystem === 'kubevirt' && r.kind === 'migration.finished' ? [r.data] : [],
    );
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ vm: 'default/db1', source: 'harv42', outcome: 'completed' });
    expect(finished[0].target).not.toBe('harv42');
    const out = parse(
      calibrateScenario(
        readFileSync(`${REPO}scenarios/seed-witness.yaml`, 'utf8'),
        observedFigures(trace),
        'j',
      ),
    );
    expect(out.networks.management.bandwidth).toBeGreaterThan(0);
    expect(out.networks.management.bandwidth).toBeLessThanOrEqual(1.25e9);
  }, 120_000);
});
