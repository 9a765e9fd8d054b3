/**
 * Steady state costs no kernel event per follower tick nor per follower answer. etcd raft
 * `tickElection`: a follower's tick only counts `electionElapsed` up to `randomizedElectionTimeout`;
 * its Ready is then empty. etcd raft `stepLeader`: an up-to-date follower's answer only marks it
 * active and moves the leader's progress and commit. Such ticks and answers are taken when the
 * state machine is next touched (member-lifecycle.ts `Ticks`, host.ts `stepAnswers`), and a
 * follower is woken at the tick where its election timeout would fire.
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
  it('over 20 s at 100 ms: no etcd kernel event while the cluster coasts; read, it has taken one leader tick and two heartbeats per beat', () => {
    // etcd raft tickHeartbeat: the leader sends one heartbeat per follower per HeartbeatTick; each is
    // answered. Every member ticking as an event and every answer delivered as one would be 7 events
    // per 100 ms beat (3 ticks, 2 heartbeats, 2 answers). A serving follower's ticks and answers are
    // counted, not scheduled, and a coasting cluster (one serving leader, its serving followers, no
    // put waiting) keeps the leader's ticks and heartbeats out of the kernel too: the kernel runs only
    // the peer probers (rafthttp probing_status.go: 3 members x 2 peers, each first probed at
    // statusErrorInterval 5 s, then every statusMonitoringInterval 30 s), six in (5 s, 25 s]. Read,
    // the cluster replays what it skipped, each counted as the event it stands for: the leader's tick
    // and the two heartbeats (3 per beat), plus a serving follower's wake at most once per election
    // timeout (10 ticks or more) each when its timer would have fired: under 3.25 per beat.
    const { sim, etcd } = cluster(3);
    sim.run({ until: 5 });
    expect(IDS.every((id) => etcd.view(id).ready)).toBe(true);
    const before = sim.eventCount;
    const kernel = sim.run({ until: 25 }).events;
    expect(kernel).toBe(6);
    etcd.view('m1');
    const perBeat = (sim.eventCount - before) / 200;
    expect(perBeat).toBeGreaterThanOrEqual(3);
    expect(perBeat).toBeLessThan(3.25);
  });

  it('a put commits through a leader whose answers waited: the waiting answers are stepped first', () => {
    // Raft §5.3: the leader commits an entry once a majority has it; the put's answer needs the
    // follower answers to the append, which are delivered as events while a put waits.
    const { sim, etcd } = cluster(4);
    sim.run({ until: 10 });
    const leader = etcd.leader()!;
    const commitBefore = etcd.view(leader).commitIndex;
    let result: { ok: boolean } | undefined;
    etcd.put(leader).addCallback((e) => (result = e.value as { ok: boolean }));
    sim.run({ until: 11 });
    expect(result?.ok).toBe(true);
    expect(etcd.view(leader).commitIndex).toBe(commitBefore + 1);
    for (const id of IDS) expect(etcd.view(id).commitIndex).toBe(commitBefore + 1);
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
