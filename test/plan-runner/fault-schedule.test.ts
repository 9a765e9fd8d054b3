/**
 * Faults as data (issue 15 §5): a plan's `faults:` strike at their time whatever step runs then,
 * and a `background: true` step runs beside the following ones until a `steps-done` wait joins it.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { planFromData } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { select, type Trace } from '../../src/trace/record.ts';

const file = (path: string) => new URL(`../../scenarios/${path}`, import.meta.url).pathname;
const seed = loadScenario(file('seed-witness.yaml'));

/** vm1 (4 GiB, on harv41) live-migrated to harv2 in the background, joined later. */
function migrateVm1(faults: Record<string, unknown>[], joinTimeout = '10m') {
  return planFromData(
    {
      name: 'migrate-with-faults',
      steps: [
        {
          step: 'vm.migrate',
          id: 'migrate',
          vms: { names: ['default/vm1'] },
          target: 'harv2',
          background: true,
        },
        { step: 'wait-for', condition: 'steps-done', steps: ['migrate'], timeout: joinTimeout },
      ],
      faults,
    },
    'migrate-with-faults.yaml',
  );
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0];
}

const finished = (records: Trace) => only(select(records, 'kubevirt', 'migration.finished')).data;

describe('faults during a running migration (research/migration.md §4)', () => {
  it('the target losing power in pre-copy fails the migration; the guest still runs on the source', () => {
    // Pre-copy copies memory while "the guest runs on the source" until the switch: losing the
    // target loses only the copy. 4 GiB over a 10 Gbps NIC takes > 3 s, so 1 s in is pre-copy.
    const run = runPlan(
      seed,
      migrateVm1([{ at: { step: 'migrate', after: '1s' }, fault: 'node.power-loss', node: 'harv2' }]),
    );
    const fault = only(select(run.records, 'plan', 'fault.injected'));
    expect(fault.data).toMatchObject({ type: 'node.power-loss', node: 'harv2', applied: true });
    expect(fault.timeSeconds - run.startSeconds).toBeCloseTo(1, 6);
    expect(finished(run.records)).toMatchObject({ outcome: 'failed', reason: 'target-node-failure' });
    expect(run.world.fleet.get({ namespace: 'default', name: 'vm1' })).toMatchObject({
      phase: 'Running',
      node: 'harv41',
      lost: false,
    });
  });

  // Post-copy "triggers only on the completion timeout" and then "a failure (network or either
  // side) loses the VM" (research/migration.md §3, §4). A guest dirtying 256 MiB/s against a
  // 64 MiB/s bandwidthPerMigration never converges; with completionTimeoutPerGiB 10 s and
  // allowPostCopy, KubeVirt switches after its acceptable completion time and pushes the rest.
  const postCopy: Scenario = {
    ...seed,
    settings: {
      ...seed.settings,
      kubevirtMigrations: {
        ...seed.settings.kubevirtMigrations,
        allowPostCopy: true,
        completionTimeoutPerGiBSeconds: 10,
        bandwidthPerMigrationBytesPerSecond: 64 * 2 ** 20,
      },
    },
    vms: seed.vms.map((v) =>
      v.name === 'vm1' ? { ...v, guest: { ...v.guest, dirtyRateBytesPerSecond: 256 * 2 ** 20 } } : v,
    ),
  };

  for (const node of ['harv41', 'harv2'] as const) {
    it(`${node === 'harv41' ? 'the source' : 'the target'} losing power during post-copy loses the VM`, () => {
      // The switch comes at the migration's start + acceptable completion time (written in its
      // `start` record); the fault is placed 1 s after it, before the push of GiBs can finish.
      const probe = runPlan(postCopy, migrateVm1([]));
      const start = only(select(probe.records, 'kubevirt.migration', 'start'));
      const switchAt =
        start.timeSeconds - probe.startSeconds + (start.data.acceptableCompletionSeconds ?? Number.NaN);
      expect(finished(probe.records).outcome).toBe('post-copy');

      const run = runPlan(postCopy, migrateVm1([{ at: `${switchAt + 1}s`, fault: 'node.power-loss', node }]));
      const switched = only(select(run.records, 'kubevirt.migration', 'post-copy'));
      const fault = only(select(run.records, 'plan', 'fault.injected'));
      expect(switched.timeSeconds).toBeLessThan(fault.timeSeconds);
      expect(finished(run.records)).toMatchObject({
        outcome: 'vm-lost',
        reason: `${node === 'harv41' ? 'source' : 'target'}-node-failure-in-post-copy`,
      });
      expect(evaluate(run.records).findings.map((f) => f.rule)).toContain('migration.post-copy-vm-lost');
    });
  }

  it('link.degrade slows a migration to the degraded NIC, and the link comes back after `for`', () => {
    // 4 GiB of guest memory cannot cross a 1 Gbps link (125 MB/s) in less than 4 GiB / 125 MB/s.
    const run = runPlan(
      seed,
      migrateVm1([
        {
          at: 0,
          fault: 'link.degrade',
          node: 'harv2',
          network: 'management',
          bandwidth: '1Gbps',
          for: '10m',
        },
      ]),
    );
    const lowerBound = (4 * 2 ** 30) / 125e6;
    expect(finished(run.records).seconds).toBeGreaterThan(lowerBound);
    const records = select(run.records, 'plan', 'fault.injected').map((r) => r.data.type);
    expect(records).toEqual(['link.degrade']);
    const fast = runPlan(seed, migrateVm1([]));
    expect(finished(fast.records).seconds).toBeLessThan(lowerBound);
  });
});

describe('the rebuild source dies mid-rebuild (research/longhorn.md §2.1)', () => {
  it('the rebuild fails with source-lost and starts again, in full, from the other healthy replica', () => {
    // node-3 is off past Harvester's 30 min stale timeout, so its replicas are rebuilt in full
    // (longhorn.md §1.4); LH <= 1.10 copies from "a single source", the first RW replica. 400 GiB
    // at the 61.3 MB/s rate cap takes hours, so 30 min after node-3 is back the copy is running.
    const scenario = loadScenario(file('trim-during-rebuild.yaml'));
    const plan = planFromData(
      {
        name: 'source-dies',
        steps: [
          {
            step: 'node.shutdown',
            node: 'node-3',
            waitFor: [{ condition: 'nodes-down', node: 'node-3', timeout: '10m' }],
          },
          { step: 'sleep', duration: '40m' },
          { step: 'node.power-on', id: 'back', node: 'node-3' },
          { step: 'sleep', duration: '4h' },
        ],
        faults: [{ at: { step: 'back', after: '30m' }, fault: 'node.power-loss', node: 'node-1' }],
      },
      'source-dies.yaml',
    );
    const run = runPlan(scenario, plan);
    const fault = only(select(run.records, 'plan', 'fault.injected'));
    const started = select(run.records, 'longhorn', 'rebuild.started').filter(
      (r) => r.data.volume === 'apps/files-2-data',
    );
    // The first copy came from node-1 and was under way when node-1 lost power.
    expect(started[0].data.sources).toEqual(['node-1']);
    expect(started[0].timeSeconds).toBeLessThan(fault.timeSeconds);
    const failed = only(
      select(run.records, 'longhorn', 'rebuild.failed').filter((r) => r.data.volume === 'apps/files-2-data'),
    );
    expect(failed.data.reason).toBe('source-lost');
    expect(failed.timeSeconds).toBe(fault.timeSeconds);
    expect(failed.data.bytesSent).toBeGreaterThan(0);
    expect(failed.data.bytesSent).toBeLessThan(started[0].data.bytesToSend);
    // Again from node-2, the one healthy replica left, in full.
    expect(started[1].data).toMatchObject({ sources: ['node-2'], kind: 'full', destination: 'node-3' });
    expect(started[1].timeSeconds).toBeGreaterThanOrEqual(fault.timeSeconds);
  });
});

describe('background steps and fault times, as the plan says', () => {
  it('a fault at a duration from the plan start strikes then, whatever step runs', () => {
    const plan = planFromData(
      {
        name: 'sleep-with-fault',
        steps: [{ step: 'sleep', duration: '2m' }],
        faults: [{ at: '90s', fault: 'node.power-loss', node: 'harv2' }],
      },
      'sleep-with-fault.yaml',
    );
    const run = runPlan(seed, plan);
    const fault = only(select(run.records, 'plan', 'fault.injected'));
    expect(fault.timeSeconds - run.startSeconds).toBeCloseTo(90, 6);
    expect(run.world.power.state('harv2')).toBe('off');
  });

  it('a fault on a node already off changes nothing and says so', () => {
    const plan = planFromData(
      {
        name: 'twice',
        steps: [{ step: 'sleep', duration: '1m' }],
        faults: [
          { at: '10s', fault: 'node.power-loss', node: 'harv2' },
          { at: '20s', fault: 'node.power-loss', node: 'harv2' },
        ],
      },
      'twice.yaml',
    );
    const faults = select(runPlan(seed, plan).records, 'plan', 'fault.injected').map((r) => r.data);
    expect(faults.map((f) => f.applied)).toEqual([true, false]);
    expect(faults[1].detail).toMatch(/already off/);
  });

  it('a failed background step fails the wait that joins it, with its reason', () => {
    // The API is needed for virtctl migrate; with both control-plane nodes off there is none.
    const plan = planFromData(
      {
        name: 'join-failure',
        steps: [
          { step: 'node.shutdown', nodes: ['harv41', 'harv42'], mode: 'power-loss' },
          { step: 'vm.migrate', id: 'bg', vms: 'all', background: true },
          { step: 'wait-for', condition: 'steps-done', steps: ['bg'], timeout: '1m' },
        ],
      },
      'join-failure.yaml',
    );
    const run = runPlan(seed, plan);
    expect(run.ok).toBe(false);
    expect(run.failedStep).toBe(2);
    expect(run.reason).toMatch(/^background step bg failed: virtctl migrate needs the Kubernetes API/);
  });
});
