import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../sim/index.ts';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { loadPlan } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { loadScenario, parseScenario } from '../../src/scenario/load.ts';
import { buildWorld } from '../../src/world/build-world.ts';

// Issue 15 §3: a node shut down with VMs on it. Harvester passes the kubelet only max-pods and
// node labels (harvester/harvester-installer:pkg/config/config.go GetKubeletArgs), so
// shutdownGracePeriod stays at the kubelet's default 0 and graceful node shutdown is off: systemd
// stops the pod scopes with rke2, QEMU gets SIGTERM and "the virtual machine will be forced off"
// (kubevirt/kubevirt:docs/graceful-shutdown.md), and the node's shutdown time does not depend on its
// VMs. With shutdownGracePeriod set, the kubelet gives non-critical pods shutdownGracePeriod −
// shutdownGracePeriodCriticalPods, and a VM min(that, its terminationGracePeriodSeconds: 120 s by
// Harvester's default-termination-grace-period-seconds, harvester/harvester PR #3417): a guest that
// powers off in time leaves a Succeeded VMI that RerunOnFailure keeps off; one killed at the end of
// its grace fails and RerunOnFailure restarts it elsewhere.

const scenarios = new URL('../../scenarios/', import.meta.url).pathname;
const baseText = readFileSync(`${scenarios}harvester-3node.yaml`, 'utf8')
  // web guests shut down in 30 s, database guests in 200 s.
  .replace(
    'x-web-guest: &web-guest\n',
    'x-web-guest: &web-guest\n  shutdown: { distribution: fixed, value: 30s }\n',
  )
  .replace(
    'x-db-guest: &db-guest\n',
    'x-db-guest: &db-guest\n  shutdown: { distribution: fixed, value: 200s }\n',
  );
const kubeletOn =
  '  kubelet:\n    shutdown-grace-period: 300s\n    shutdown-grace-period-critical-pods: 60s\n';

const settled = 600;
const web2 = { namespace: 'web', name: 'web-2' };
const pg1 = { namespace: 'db', name: 'pg-1' };

function shutDownNode2(text: string, stopFirst: boolean) {
  const scenario = parseScenario(text, 'harvester-3node-shutdown.yaml');
  const { world } = buildWorld(scenario, { seed: 5 });
  const sink = world.sim.trace.addSink(new MemorySink());
  world.start();
  world.sim.run({ until: settled / 2 });
  if (stopFirst) {
    world.fleet.stop(web2, 'virtctl');
    world.fleet.stop(pg1, 'virtctl');
  }
  world.sim.run({ until: settled });
  world.shutdown('node-2', 'graceful');
  world.sim.run({ until: settled + 1200 });
  const after = sink.records.filter((r) => r.timeSeconds >= settled);
  type Fields = Record<string, unknown> & { at: number };
  const data = (r: { data: unknown }) => r.data as Record<string, unknown>;
  const offAt = after.find(
    (r) => r.kind === 'node.power' && data(r).node === 'node-2' && data(r).to === 'off',
  )?.timeSeconds as number;
  const phases = (vm: string) =>
    after
      .filter((r) => r.kind === 'vm.phase' && data(r).vm === vm)
      .map((r): Fields => ({ ...data(r), at: r.timeSeconds - settled }));
  const lost = after
    .filter((r) => r.kind === 'vm.lost-with-node')
    .map((r): Fields => ({ ...data(r), at: r.timeSeconds - settled }));
  return { world, offSeconds: offAt - settled, phases, lost };
}

describe('a node shut down with VMs on it (issue 15 §3)', () => {
  it('graceful node shutdown off (Harvester): the guests are killed when systemd stops rke2 and the pod scopes, 5 s in', () => {
    const { lost } = shutDownNode2(baseText, false);
    expect(lost.map((l) => l.vm).sort()).toEqual(['db/pg-1', 'web/web-2']);
    for (const l of lost) {
      expect(l.at).toBe(5);
      expect(l.mode).toBe('graceful');
    }
  });

  it('graceful node shutdown off: VMs do not lengthen the shutdown (the same time with the VMs stopped first)', () => {
    const withVms = shutDownNode2(baseText, false);
    const without = shutDownNode2(baseText, true);
    expect(without.lost).toEqual([]);
    expect(withVms.offSeconds).toBe(without.offSeconds);
    expect(withVms.offSeconds).toBeLessThanOrEqual(90);
  });

  it('graceful node shutdown on (300 s, 60 s critical): a 30 s guest shutdown ends in a stopped VM RerunOnFailure keeps off', () => {
    const { phases, lost, world } = shutDownNode2(
      baseText.replace('settings:\n', `settings:\n${kubeletOn}`),
      false,
    );
    expect(lost).toEqual([]);
    const stopped = phases('web/web-2').find((p) => p.phase === 'Stopped');
    expect(stopped?.at).toBe(30);
    expect(world.fleet.get(web2).phase).toBe('Stopped');
  });

  it('graceful node shutdown on: a 200 s guest is killed at its 120 s grace and restarted elsewhere; power goes after', () => {
    const { phases, offSeconds, world } = shutDownNode2(
      baseText.replace('settings:\n', `settings:\n${kubeletOn}`),
      false,
    );
    const pg = phases('db/pg-1');
    expect(pg.find((p) => p.phase === 'Stopped')?.at).toBe(120);
    const restarted = pg.find((p) => p.phase === 'Starting');
    expect(restarted?.at).toBe(120);
    expect(restarted?.node).not.toBe('node-2');
    expect(world.fleet.get(pg1).node).not.toBe('node-2');
    // The kubelet's 120 s, then systemd's part (at least the 5 s until rke2 stops).
    expect(offSeconds).toBeGreaterThan(120 + 5);
  });
});

describe('nodes-only on a cluster with room: the last nodes crowd (issue 15 §3, KB crowding sentence)', () => {
  it('production-12node: VMs restarted on surviving nodes, their requests against max-pods 200, Longhorn rebuilding', () => {
    const production = loadScenario(`${scenarios}production-12node.yaml`);
    const run = runPlan(production, loadPlan(`${scenarios}plans/nodes-only.yaml`), { seed: 1 });
    const evaluation = evaluate(run.records);
    const crowded = evaluation.findings.find((f) => f.rule === 'nodes.crowded');
    expect(crowded?.severity).toBe('warning');
    expect(crowded?.title).toMatch(/VM\(s\) restarted on \d+ surviving node\(s\)/);
    expect(crowded?.title).toContain('of max-pods');
    const load = run.records.find((r) => r.kind === 'controllers.load');
    expect((load?.data as { podsAllocatable?: number } | undefined)?.podsAllocatable).toBe(200);
    const rules = evaluation.findings.map((f) => f.rule);
    expect(rules).toContain('vm.force-restarted');
    expect(rules).toContain('scheduling.failed');
    expect(evaluation.metrics.storage.bytesRebuilt).toBeGreaterThan(0);
  });
});
