import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../sim/index.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { buildWorld } from '../../src/world/build-world.ts';

// "Nodes already powered on are skipped" (docs/scenario-format.md, node.power-on): a node asked to
// power on twice at one instant boots once. The seeded swarm found two boots of one node, the second
// failing with "etcd member node-1 is running, not down" (`npm run swarm -- --seed 14 --runs 143`:
// a power loss, then two `node.power-on group: all` steps at the same time).

const scenario = loadScenario(new URL('../../scenarios/seed-witness.yaml', import.meta.url).pathname);

describe('power-on', () => {
  it('two power-ons of a node at one instant start one boot, and both wait for it', () => {
    const { world } = buildWorld(scenario, { seed: 1 });
    const sink = world.sim.trace.addSink(new MemorySink());
    world.start();
    world.sim.run({ until: 60 });
    const node = scenario.nodes[0].name;
    world.shutdown(node, 'power-loss');
    const first = world.powerOn(node);
    const second = world.powerOn(node);
    world.sim.run({ until: 1200 });
    const power = sink.records
      .filter((r) => r.subsystem === 'nodes' && r.kind === 'node.power' && r.data.node === node)
      .map((r) => `${r.data.from}→${r.data.to}`);
    expect(power).toEqual(['running→off', 'off→booting', 'booting→running']);
    expect([first.processed, second.processed]).toEqual([true, true]);
  });
});
