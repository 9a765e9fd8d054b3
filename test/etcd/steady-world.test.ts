/**
 * The whole world with etcd's steady path against the reference (`etcdSteadyState: false`: every etcd
 * tick and answer a kernel event, every Ready calling the API's listener): the same records, record
 * for record, through what main gained since the steady path was written: a network partition of a
 * member's node and of the leader's (the API and the VIP follow the leader's side), node.drain,
 * maintenance mode, a graceful shutdown and a power loss, power-on. The API reads node power besides
 * etcd; `listenersDue` (world.ts onShuttingDown / onRunning) must make it notice at the same Ready.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../sim/index.ts';
import { loadScenario, parseScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { buildWorld } from '../../src/world/build-world.ts';
import type { World } from '../../src/world/world.ts';

const file = (path: string) => new URL(`../../scenarios/${path}`, import.meta.url).pathname;

type Op = (world: World) => void;

/**
 * Runs the schedule on both worlds: as kernel events (the plan runner's way), or, `between`, from
 * outside the kernel between runs to a time, as the testbed applies a client's write after its
 * tick's `sim.run({ until })` (src/testbed/cluster.ts).
 */
function run(
  scenarioFile: string | Scenario,
  seed: number,
  schedule: readonly [number, Op][],
  endSeconds: number,
  between = false,
) {
  return [true, false].map((etcdSteadyState) => {
    const scenario = typeof scenarioFile === 'string' ? loadScenario(file(scenarioFile)) : scenarioFile;
    const { world } = buildWorld(scenario, { seed, etcdSteadyState });
    const sink = world.sim.trace.addSink(new MemorySink());
    world.start();
    if (between)
      for (const [at, op] of schedule) {
        world.sim.run({ until: at });
        op(world);
      }
    else for (const [at, op] of schedule) world.sim.timeoutAt(at).addCallback(() => op(world));
    world.sim.run({ until: endSeconds });
    return {
      records: sink.records.map((r) => [r.timeSeconds, r.subsystem, r.kind, r.data]),
      events: world.sim.eventCount,
    };
  });
}

function expectSame(
  scenarioFile: string | Scenario,
  seed: number,
  schedule: readonly [number, Op][],
  end: number,
  between = false,
) {
  const [steady, reference] = run(scenarioFile, seed, schedule, end, between);
  expect(steady.records.length).toBeGreaterThan(100);
  expect(steady.records).toEqual(reference.records);
  expect(steady.events).toBeLessThan(reference.events);
  return steady.records;
}

const kinds = (records: unknown[][]) => new Set(records.map((r) => `${r[1]}/${r[2]}`));

describe('seed-witness (etcd 3.5, pre-vote, 500 ms / 5000 ms): steady path = reference', () => {
  it('the witness cut off for 60 s, then the leader node cut off for 60 s (checkQuorum, pre-vote, the VIP on the leader side)', () => {
    let side = -1;
    const records = expectSame(
      'seed-witness.yaml',
      1,
      [
        [120, (w) => void (side = w.partition(['harv43']))],
        [180, (w) => void w.healPartition(side)],
        [240, (w) => void (side = w.partition([w.etcd.leader() as string]))],
        [300, (w) => void w.healPartition(side)],
      ],
      420,
    );
    // The leader's side lost: it stepped down (etcd raft tickHeartbeat checkQuorum) and the API went.
    expect(kinds(records)).toContain('etcd/leader-step-down');
    expect(kinds(records)).toContain('nodes/node.partition-healed');
  });

  for (const between of [false, true])
    it(`node.drain of harv2 and maintenance mode on harv42, then a graceful shutdown and power-on of harv41 (${between ? 'between kernel runs, as the testbed' : 'as kernel events'})`, () => {
      const records = expectSame(
        'seed-witness.yaml',
        2,
        [
          [100, (w) => void w.migrations.drain('harv2', { graceSeconds: undefined, timeoutSeconds: 600 })],
          [400, (w) => void w.migrations.enableMaintenance('harv42')],
          [900, (w) => w.migrations.disableMaintenance('harv42')],
          [950, (w) => void w.shutdown('harv41', 'graceful')],
          [1300, (w) => void w.powerOn('harv41')],
          [1700, (w) => void w.shutdown('harv43', 'power-loss')],
          [1800, (w) => void w.powerOn('harv43')],
        ],
        2200,
        between,
      );
      expect(kinds(records)).toContain('kube/api.unavailable');
      expect(kinds(records)).toContain('kubevirt/maintenance.result');
    });
});

describe('harvester-3node with kubelet graceful node shutdown on: steady path = reference', () => {
  it('a graceful shutdown with VMs on the node (their guests get the kubelet budget), then power-on', () => {
    // kubelet graceful node shutdown: non-critical pods get shutdownGracePeriod −
    // shutdownGracePeriodCriticalPods (test/world/node-shutdown-vms.test.ts has the rule's sources);
    // the node stays `shutting-down` while the guests stop, and the API notices at etcd's next Ready.
    const text = readFileSync(file('harvester-3node.yaml'), 'utf8').replace(
      'settings:\n',
      'settings:\n  kubelet:\n    shutdown-grace-period: 300s\n    shutdown-grace-period-critical-pods: 60s\n',
    );
    const records = expectSame(
      parseScenario(text, 'harvester-3node-kubelet-shutdown.yaml'),
      5,
      [
        [300, (w) => void w.shutdown('node-2', 'graceful')],
        [1200, (w) => void w.powerOn('node-2')],
        [1500, (w) => void w.shutdown('node-1', 'graceful')],
      ],
      2400,
    );
    expect(kinds(records)).toContain('nodes/node.power');
  });
});
