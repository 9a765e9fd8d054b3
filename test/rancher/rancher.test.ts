import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../sim/index.ts';
import { RancherModel, type RancherView } from '../../src/rancher/rancher.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { Recorder } from '../../src/trace/recorder.ts';

const scenario = loadScenario(new URL('../../scenarios/seed-witness.yaml', import.meta.url).pathname);

function setup(nodes = 2) {
  const sim = new Simulation();
  const memory = sim.trace.addSink(new MemorySink());
  const replaced: string[] = [];
  const stopped = new Map<string, { forSeconds: number; whileConnected: boolean }>();
  const view: RancherView = {
    apiAvailable: () => true,
    matchingNodes: () => nodes,
    anyManagementNodeRunning: () => true,
    stopped: (vm) => stopped.get(vm) ?? null,
    replaceMachine: (vm) => replaced.push(vm),
  };
  const rancher = new RancherModel(scenario, view, new Recorder(sim, 'rancher'), () => sim.now);
  return { sim, rancher, memory, replaced, stopped };
}

describe('embedded rancher (controlplane.md §3 step 2; rancher scaleavailable/scale.go)', () => {
  it('keeps replicas = max(1, min(scale-available, matching nodes)): "2" on a witness cluster', () => {
    expect(scenario.rancher.scaleAvailable).toBe(2);
    expect(setup(2).rancher.rancherReplicas).toBe(2);
    expect(setup(1).rancher.rancherReplicas).toBe(1);
    expect(setup(5).rancher.rancherReplicas).toBe(2);
  });

  it('undoes a scale to 0 while the annotation is set (the KB: record it and set it to "")', () => {
    const { rancher } = setup();
    rancher.scaleDown({ recordScaleAvailable: false, clearScaleAvailable: false, scaleRancherToZero: true });
    expect(rancher.rancherReplicas).toBe(2);
    expect(rancher.podsGoneInSeconds()).toBe(Number.POSITIVE_INFINITY);
  });

  it('stays at 0 once the annotation is "", and its pods go after the 30 s termination grace', () => {
    const { rancher, sim } = setup();
    rancher.scaleDown({ recordScaleAvailable: true, clearScaleAvailable: true, scaleRancherToZero: true });
    expect(rancher.rancherReplicas).toBe(0);
    expect(rancher.recorded).toEqual({ annotation: '2', replicas: 2 });
    expect(rancher.podsGoneInSeconds()).toBe(30);
    sim.run({ until: 30 });
    rancher.reconcile();
    expect(rancher.rancherReplicas).toBe(0);
  });

  it('scales cattle-cluster-agent back up while rancher runs ("scaling down this pod does not work")', () => {
    const { rancher, sim } = setup();
    rancher.scaleAgentDown();
    expect(rancher.agentReplicas).toBe(2);
    rancher.scaleDown({ recordScaleAvailable: true, clearScaleAvailable: true, scaleRancherToZero: true });
    sim.run({ until: 31 });
    rancher.scaleAgentDown();
    expect(rancher.agentReplicas).toBe(0);
    expect(rancher.connection).toBe('Unavailable');
  });

  it('restores the recorded value on reconnect, and says so when nothing was recorded', () => {
    const { rancher } = setup();
    rancher.scaleDown({ recordScaleAvailable: true, clearScaleAvailable: true, scaleRancherToZero: true });
    expect(rancher.reconnect({ scaleAvailable: 'recorded', rancherReplicas: 'recorded' })).toBeNull();
    expect(rancher.annotation).toBe('2');
    expect(rancher.rancherReplicas).toBe(2);
    const other = setup();
    expect(other.rancher.reconnect({ scaleAvailable: 'recorded', rancherReplicas: 2 })).toMatch(
      /no scale-available value was recorded/,
    );
  });

  it('replaces a downstream machine stopped longer than auto-replace while connected', () => {
    const { rancher, replaced, stopped, memory } = setup();
    const cluster = scenario.rancher.downstreamClusters[0];
    const after = cluster.autoReplaceAfterSeconds as number;
    const machine = `${cluster.machines[0].namespace}/${cluster.machines[0].name}`;
    stopped.set(machine, { forSeconds: after - 1, whileConnected: true });
    rancher.reconcile();
    expect(replaced).toEqual([]);
    stopped.set(machine, { forSeconds: after, whileConnected: true });
    rancher.reconcile();
    expect(replaced).toEqual([machine]);
    expect(memory.records.find((r) => r.kind === 'rancher.machine-replaced')?.data).toMatchObject({
      vm: machine,
    });
  });
});
