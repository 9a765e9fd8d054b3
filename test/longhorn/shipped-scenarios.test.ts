import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../sim/index.ts';
import { Fabric } from '../../src/cluster/fabric.ts';
import { GuestModel } from '../../src/guest/model.ts';
import { LonghornModel } from '../../src/longhorn/model.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { storageOf } from '../evaluate/trace-fixture.ts';

// The shipped scenarios through both models: a 50-minute power loss of the second node, then a week
// of guest trims. A guard against loops and unbounded records, not a calibration.

describe('shipped scenarios', () => {
  it.each([
    'scenarios/harvester-3node.yaml',
    'scenarios/production-12node.yaml',
    'scenarios/seed-witness.yaml',
  ])(
    '%s: the outage rebuilds (full: it outlasts the 30-minute stale timeout) and the week stays bounded',
    (file) => {
      const scenario = loadScenario(file);
      const sim = new Simulation({ seed: 3 });
      const sink = sim.trace.addSink(new MemorySink());
      const placement = new Map<string, string>();
      let next = 0;
      for (const vm of scenario.vms) {
        if (vm.nodeName !== null || vm.runStrategy === 'Halted') continue;
        placement.set(`${vm.namespace}/${vm.name}`, scenario.nodes[next++ % scenario.nodes.length].name);
      }
      const model = new LonghornModel({
        sim,
        fabric: new Fabric(sim, scenario),
        scenario,
        initialPlacement: placement,
      });
      const guests = new GuestModel({ sim, scenario, storage: model });
      for (const vm of scenario.vms) {
        const node = vm.nodeName ?? placement.get(`${vm.namespace}/${vm.name}`);
        if (node !== undefined) guests.vmStarted(vm, node);
      }
      const victim = scenario.nodes[1].name;
      sim.process(
        (function* () {
          yield sim.timeout(100);
          model.nodePoweredOff(victim, 'power-loss');
          yield sim.timeout(3000);
          model.nodeReady(victim);
        })(),
        'outage',
      );
      sim.run({ until: 8 * 86_400, maxEvents: 1_000_000 });
      const m = storageOf(sink.records, scenario).metrics;
      expect(m.bytesRebuilt).toBeGreaterThan(0);
      expect(m.rebuilds.delta + m.rebuilds.fast).toBe(0);
      expect(sink.records.length).toBeLessThan(20 * scenario.volumes.length + 1000);
    },
  );
});
