import { fileURLToPath } from 'node:url';
/**
 * Regressions for the internal errors and dishonest answers of issue 11, each built from the input
 * that triggered it.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MemorySink, Simulation } from '../../sim/index.ts';
import { EtcdCluster, etcdDefaults, type MemberId } from '../../src/etcd/index.ts';
import { reservedCpuMillicores } from '../../src/nodes/allocatable.ts';
import { planFromData } from '../../src/plan/format/load.ts';
import { terminalReport } from '../../src/report/terminal.ts';
import { parseScenario, scenarioFromData } from '../../src/scenario/load.ts';
import { parseBytes, UnitError } from '../../src/scenario/units.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import { select } from '../../src/trace/record.ts';
import { minimalScenarioYaml } from '../scenario/minimal-scenario.ts';

/** The repository root: paths below resolve from this file, not the working directory. */
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const planOf = (steps: Record<string, unknown>[]) => planFromData({ name: 'regression', steps }, 'plan.yaml');

describe('internal errors on legal input', () => {
  it('ten power cycles of power-off-all on harvester-3node end without "event already triggered" (a rebuild aborted twice)', {
    timeout: 120_000,
  }, () => {
    const shipped = parse(readFileSync(`${REPO}scenarios/plans/power-off-all.yaml`, 'utf8')) as {
      steps: unknown[];
    };
    const plan = planFromData({
      name: 'power-cycles',
      steps: Array.from({ length: 10 }, () => shipped.steps).flat(),
    });
    // Seed 1 reached LonghornModel.vmStopped with the rebuild's abort event already triggered.
    const { evaluation } = simulate(`${REPO}scenarios/harvester-3node.yaml`, plan, { seed: 1 });
    expect(evaluation.plan).toBe('power-cycles');
  });

  it('a power-on during a graceful shutdown boots the node once it is off (the step waited forever)', () => {
    const { evaluation, trace } = simulate(
      parseScenario(minimalScenarioYaml, 'minimal.yaml'),
      planOf([
        // From the swarm (seed 1): the shutdown takes 20-90 s (systemd), the power-on comes 1 s in.
        { step: 'node.shutdown', node: 'node-1', mode: 'graceful', waitEachDown: false },
        { step: 'sleep', duration: '1s' },
        { step: 'node.power-on', node: 'node-1' },
      ]),
      { maxSimulatedSeconds: 3600 },
    );
    expect(evaluation.ok).toBe(true);
    const node1 = select(trace, 'nodes', 'node.power').filter((r) => r.data.node === 'node-1');
    expect(node1.map((r) => r.data.to)).toEqual(['shutting-down', 'off', 'booting', 'running']);
  });

  it('a node of 2^53 cores reserves CPU in four tier steps, not 2^53 loop turns', () => {
    // 60 + 10 + 2 × 5 + (2^53 − 4) × 2.5 m, doubled; max-pods 110 adds nothing.
    expect(reservedCpuMillicores(2 ** 53, 110)).toBe(2 * (80 + (2 ** 53 - 4) * 2.5));
  });

  it('"1e400" is refused as a size rather than read as Infinity', () => {
    expect(() => parseBytes('1e400')).toThrow(UnitError);
    expect(() => parseBytes('1e400')).toThrow(/too large: not a finite number/);
  });
});

describe('answers that look fine and are not', () => {
  it("a VM no node can hold at the start is reported as schedule.failed with the scheduler's reason, and as a finding", () => {
    // Each management node has 32Gi; a 64Gi VM fits nowhere (the witness has 8Gi).
    const scenario = parseScenario(
      minimalScenarioYaml.replace('    memory: 4Gi\n', '    memory: 64Gi\n'),
      'big-vm.yaml',
    );
    const { evaluation, trace } = simulate(scenario, planOf([{ step: 'sleep', duration: '1m' }]));
    const failed = select(trace, 'kube', 'schedule.failed');
    expect(failed.map((r) => r.data.object)).toEqual(['vmi/default/vm1']);
    expect(failed[0].data.reason).toMatch(/^0\/3 nodes are available: .*Insufficient memory/);
    expect(evaluation.metrics.unschedulablePods).toBe(1);
    expect(evaluation.findings.map((f) => f.rule)).toContain('scheduling.failed');
  });

  it('a leadership transfer is not a quorum loss (etcdctl move-leader: the majority runs throughout)', () => {
    const ids: MemberId[] = ['m1', 'm2', 'm3'];
    const sim = new Simulation({ seed: 4 });
    const sink = sim.trace.addSink(new MemorySink());
    const etcd = new EtcdCluster(sim, {
      members: ids.map((id, i) => ({ id, node: `node${i + 1}`, address: `192.168.122.${141 + i}` })),
      defaults: etcdDefaults('3.4.23', 'upstream'),
      networkRoundTripMs: 1,
    });
    sim.run({ until: 5, maxEvents: 2_000_000 });
    const leader = etcd.leader();
    const target = ids.find((id) => id !== leader) as MemberId;
    etcd.moveLeader(target);
    sim.run({ until: 10, maxEvents: 2_000_000 });
    expect(etcd.leader()).toBe(target);
    const sinceTransfer = (kind: string) => sink.records.filter((r) => r.kind === kind && r.timeSeconds >= 5);
    expect(sinceTransfer('transfer-done')).toHaveLength(1);
    expect(sinceTransfer('quorum-lost')).toEqual([]);
    expect(sinceTransfer('quorum-regained')).toEqual([]);
  });

  it('scenario warnings reach the report and the JSON through run.start', () => {
    // 3 replicas on a cluster with two replica nodes (the witness holds none): a warning, not an error.
    const scenario = parseScenario(
      minimalScenarioYaml.replace('size: 10Gi, replicas: 2', 'size: 10Gi, replicas: 3'),
      'warned.yaml',
    );
    expect(scenario.warnings).toHaveLength(1);
    const { evaluation } = simulate(scenario, planOf([{ step: 'sleep', duration: '1m' }]));
    expect(evaluation.warnings).toEqual(scenario.warnings);
    expect(JSON.parse(JSON.stringify(evaluation)).warnings).toEqual(scenario.warnings);
    expect(terminalReport(evaluation)).toContain(`Scenario warnings (1)\n  ${scenario.warnings[0]}\n`);
  });

  it('a scenario built in code carries its warnings too', () => {
    expect(scenarioFromData(parse(minimalScenarioYaml)).warnings).toEqual([]);
  });
});
