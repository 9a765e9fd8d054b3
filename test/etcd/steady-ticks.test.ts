/**
 * Steady state costs no kernel event per follower tick. etcd raft `tickElection`: a follower's tick
 * only counts `electionElapsed` up to `randomizedElectionTimeout`; its Ready is then empty. A
 * serving follower's ticks are therefore counted when its state machine is next stepped, and it is
 * woken only at the tick where its election timeout would fire (member-lifecycle.ts `Ticks`).
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../sim/index.ts';
import { EtcdCluster, etcdDefaults, type MemberId } from '../../src/etcd/index.ts';

const IDS: MemberId[] = ['m1', 'm2', 'm3'];

function cluster(seed: number) {
  const sim = new Simulation({ seed });
  const sink = sim.trace.addSink(new MemorySink());
  const etcd = new EtcdCluster(sim, {
    members: IDS.map((id, i) => ({ id, node: `node${i + 1}` })),
    defaults: etcdDefaults('3.4.23', 'upstream'),
  });
  return { sim, sink, etcd };
}

describe('serving followers tick without kernel events', () => {
  it('over 20 s at 100 ms: about one leader tick and four messages per beat, no follower ticks', () => {
    // etcd raft tickHeartbeat: the leader sends one heartbeat (or append) per follower per
    // HeartbeatTick; each is answered. Per 100 ms beat: 1 leader tick + 2 sends + 2 answers = 5
    // events, where ticking every member as an event would add 2 follower ticks (7 per beat).
    const { sim, etcd } = cluster(3);
    sim.run({ until: 5 });
    expect(IDS.every((id) => etcd.view(id).ready)).toBe(true);
    const before = sim.eventCount;
    sim.run({ until: 25 });
    const perBeat = (sim.eventCount - before) / 200;
    expect(perBeat).toBeGreaterThanOrEqual(5);
    expect(perBeat).toBeLessThan(5.5);
  });

  it("the skipped ticks are counted: after the leader's power loss a follower campaigns within [10, 20) ticks (etcd raft tickElection)", () => {
    // Raft §5.2 / etcd raft resetRandomizedElectionTimeout: electionTimeout + rand.Intn(electionTimeout)
    // ticks of 100 ms after the last heartbeat reset the count; the first counted tick falls up to one
    // tick after the loss, so the campaign starts 0.9–2.0 s after it.
    for (const seed of [1, 2, 3, 4, 5]) {
      const { sim, sink, etcd } = cluster(seed);
      sim.run({ until: 30 });
      const leader = etcd.leader()!;
      etcd.powerLoss(leader);
      sim.run({ until: 40 });
      const campaign = sink.records.find((r) => r.kind === 'election-start' && r.timeSeconds >= 30);
      expect(campaign).toBeDefined();
      const after = campaign!.timeSeconds - 30;
      expect(after).toBeGreaterThanOrEqual(0.9);
      expect(after).toBeLessThan(2.0);
    }
  });
});
