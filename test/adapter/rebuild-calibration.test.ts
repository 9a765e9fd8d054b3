// Longhorn rebuilds observed through the Engine and Replica CRs, folded by calibrate into
// `calibration.longhornRebuildStream`, and KubeVirt MigrationPolicies and namespace labels read by
// import (issue 14, item 5: "calibrate folds observed figures (boot times, migration bandwidth,
// rebuild rates)"). The testbed part needs Debian's etcd-server (the testbed's real etcd).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { calibrateScenario, observedFigures } from '../../src/adapter/calibrate.ts';
import { OBSERVE_PERIOD_MS } from '../../src/adapter/observed-trace.ts';
import { executeReplay, importScenario } from '../../src/adapter/replay.ts';
import { longhornModelParameters } from '../../src/longhorn/defaults.ts';
import { loadScenario, parseScenario } from '../../src/scenario/load.ts';
import { TICK_MS } from '../../src/testbed/cluster.ts';
import { etcdBinary } from '../../src/testbed/etcd-members.ts';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.ts';
import { parseTrace } from '../../src/trace/read.ts';
import type { AnyRecord, Trace } from '../../src/trace/record.ts';
import { RecordSink } from '../../src/trace/recorder.ts';
import { buildWorld } from '../../src/world/build-world.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIO = `${REPO}test/adapter/fixtures/rebuild-4node.yaml`;
const VOLUME = 'apps/files-1-data';
const GiB = 1024 ** 3;

type Completed = { bytesSent: number; seconds: number; kind: string; destination: string };
const completedOf = (records: readonly AnyRecord[]): Completed[] =>
  records.flatMap((r) =>
    r.subsystem === 'longhorn' && r.kind === 'rebuild.completed' ? [r.data as Completed] : [],
  );

/** A node holding a replica of the volume that does not run its engine (the VM stays up). */
function replicaNodeOffEngine(world: ReturnType<typeof buildWorld>['world']): string {
  const engine = world.longhorn.engineNode(VOLUME);
  const node = world.longhorn.replicas(VOLUME).find((r) => r.node !== null && r.node !== engine)?.node;
  if (node === undefined || node === null) throw new Error('no replica off the engine node');
  return node;
}

describe('calibration.longhornRebuildStream', () => {
  it('replaces the rebuild stream default (longhorn/longhorn#1948: 61.3 MB/s) and sets the full rebuild rate', () => {
    const text = readFileSync(SCENARIO, 'utf8');
    const rates: number[] = [];
    for (const stream of [null, 40e6]) {
      const yaml = stream === null ? text : `${text}\ncalibration:\n  longhornRebuildStream: ${stream}\n`;
      const { world } = buildWorld(parseScenario(yaml, 'rebuild-4node.yaml'), { seed: 1 });
      const sink = world.sim.trace.addSink(new RecordSink());
      world.start();
      world.sim.run({ until: 300 });
      world.shutdown(replicaNodeOffEngine(world), 'graceful');
      world.sim.run({ until: 1500 });
      const started = sink.records.find((r) => r.subsystem === 'longhorn' && r.kind === 'rebuild.started');
      expect((started?.data as { rateCapBytesPerSecond: number } | undefined)?.rateCapBytesPerSecond).toBe(
        stream ??
          longhornModelParameters(loadScenario(SCENARIO).profile.components.longhorn)
            .rebuildStreamBytesPerSecond,
      );
      const [done] = completedOf(sink.records);
      expect(done).toMatchObject({ kind: 'full', bytesSent: 20 * GiB });
      rates.push(done.bytesSent / done.seconds);
    }
    // The stream is the bottleneck here (10 Gbps, SSD): the rate follows it.
    expect(rates[1] / rates[0]).toBeCloseTo(40e6 / 61.3e6, 1);
  });

  it('calibrate folds the largest full rebuild into it and reports a reused one only', () => {
    const trace: Trace = [
      {
        timeSeconds: 10,
        subsystem: 'longhorn',
        kind: 'rebuild.completed',
        data: {
          volume: VOLUME,
          replica: 'r-3',
          kind: 'full',
          destination: 'node-4',
          bytesSent: 20 * GiB,
          seconds: 400,
        },
      },
      {
        timeSeconds: 20,
        subsystem: 'longhorn',
        kind: 'rebuild.completed',
        data: {
          volume: VOLUME,
          replica: 'r-1',
          kind: 'fast',
          destination: 'node-2',
          bytesSent: GiB,
          seconds: 10,
        },
      },
    ] as Trace;
    const figures = observedFigures(trace);
    const out = calibrateScenario(readFileSync(SCENARIO, 'utf8'), figures, 'test');
    expect(parse(out).calibration.longhornRebuildStream).toBe(Math.round((20 * GiB) / 400));
    expect(out).toContain('calibration.longhornRebuildStream = 51.2 MiB/s');
    expect(figures.notObserved.some((n) => n.includes('rebuild'))).toBe(false);
    // The calibrated document loads, with the folded stream.
    expect(parseScenario(out, 'calibrated.yaml').calibration.longhornRebuildStreamBytesPerSecond).toBe(
      Math.round((20 * GiB) / 400),
    );
    const none = observedFigures([] as unknown as Trace);
    expect(parse(calibrateScenario(readFileSync(SCENARIO, 'utf8'), none, 't')).calibration).toBeUndefined();
    expect(none.notObserved.some((n) => n.startsWith('Longhorn rebuild rates'))).toBe(true);
  });
});

const present = existsSync(etcdBinary);
if (!present)
  console.warn(
    `skipping the rebuild testbed test: ${etcdBinary} not installed (apt-get install etcd-server)`,
  );

/** Simulated seconds per real second: slow enough for several polls during the ~355 s rebuild. */
const SPEED = 10;
/**
 * A poll's own requests (nodes, VMIs, engines, replicas, volumes, the etcd status) take at most
 * this long on the loaded test machine: an allowance, not a measurement.
 */
const POLL_ALLOWANCE_MS = 1500;

describe.skipIf(!present)('rebuilds and MigrationPolicies on the testbed', () => {
  let bed: Testbed;
  let dir: string;
  let kubeconfig: string;
  const simulated = new RecordSink();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adapter-rebuild-'));
    kubeconfig = join(dir, 'kubeconfig');
    bed = await startTestbed(loadScenario(SCENARIO), { speed: SPEED, kubeconfigOut: kubeconfig });
    bed.cluster.world.sim.trace.addSink(simulated);
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('import reads the MigrationPolicy and the namespace labels back into the scenario', async () => {
    const file = join(dir, 'imported.yaml');
    await importScenario({ kubeconfig }, file);
    const imported = loadScenario(file);
    const source = loadScenario(SCENARIO);
    expect(imported.migrationPolicies).toEqual(source.migrationPolicies);
    expect(imported.namespaces.apps).toEqual({ team: 'files', 'kubernetes.io/metadata.name': 'apps' });
  }, 60_000);

  it('a node down: the adapter observes the full rebuild in the Engine CR, and calibrate folds its rate within the sampling error', async () => {
    const victim = replicaNodeOffEngine(bed.cluster.world);
    const plan = join(dir, 'rebuild.yaml');
    writeFileSync(
      plan,
      [
        'name: rebuild',
        'description: a replica node down; Longhorn rebuilds onto the fourth node',
        'steps:',
        `  - { step: node.shutdown, node: ${victim}, mode: graceful, waitFor: [{ condition: nodes-down, node: ${victim}, timeout: 10m }] }`,
        '  - { step: sleep, duration: 8m }',
        `  - { step: node.power-on, node: ${victim}, waitFor: [{ condition: nodes-ready, node: ${victim}, timeout: 20m }] }`,
        '',
      ].join('\n'),
    );
    const journal = join(dir, 'journal');
    const result = await executeReplay(plan, SCENARIO, journal, {
      kubeconfig,
      power: 'testbed',
      yes: true,
      skipPreflight: true,
      log: () => undefined,
    });
    expect(result.ok).toBe(true);
    const observed = parseTrace(readFileSync(`${journal}.observed.jsonl`, 'utf8'), 'observed');
    const started = observed.filter((r) => r.subsystem === 'longhorn' && r.kind === 'rebuild.started');
    expect(started).toHaveLength(1);
    const [seen] = completedOf(observed);
    const [sim] = completedOf(simulated.records);
    // Full rebuild: the volume's actual size (Volume status.actualSize), onto the same replica node.
    expect(seen).toMatchObject({ kind: 'full', bytesSent: 20 * GiB, destination: sim.destination });
    // Start and end are each seen at most one poll late (period + the poll's requests + the
    // testbed's tick), so the duration is off by at most that many cluster seconds.
    const errorSeconds = ((OBSERVE_PERIOD_MS + POLL_ALLOWANCE_MS + TICK_MS) / 1000) * SPEED;
    expect(Math.abs(seen.seconds - sim.seconds)).toBeLessThanOrEqual(errorSeconds);
    const simRate = sim.bytesSent / sim.seconds;
    const folded = parse(
      calibrateScenario(readFileSync(SCENARIO, 'utf8'), observedFigures(observed), journal),
    ).calibration.longhornRebuildStream as number;
    const relative = errorSeconds / (sim.seconds - errorSeconds);
    expect(Math.abs(folded - simRate) / simRate).toBeLessThanOrEqual(relative);
  }, 300_000);
});
