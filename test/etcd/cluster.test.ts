/**
 * The etcd host on the kernel: ticks, delivery, start/stop, publish and the queries. Rules cite
 * etcd-io/etcd and the knowledge base (harvester/harvesterhci.io kb/2024-07-22, "KB").
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation, type TraceRecord } from '../../sim/index.ts';
import { EtcdCluster, type EtcdDefaults, etcdDefaults, type MemberId } from '../../src/etcd/index.ts';

const IDS: MemberId[] = ['m1', 'm2', 'm3'];

function cluster(
  seed: number,
  defaults: EtcdDefaults = etcdDefaults('3.4.23', 'upstream'),
  networkRoundTripMs = 0,
) {
  const sim = new Simulation({ seed });
  const sink = sim.trace.addSink(new MemorySink());
  const etcd = new EtcdCluster(sim, {
    members: IDS.map((id, i) => ({ id, node: `node${i + 1}`, address: `192.168.122.${141 + i}` })),
    defaults,
    networkRoundTripMs,
  });
  const runTo = (seconds: number) => sim.run({ until: seconds, maxEvents: 2_000_000 });
  const records = (kind: string, fromSeconds = 0): TraceRecord<string, any>[] =>
    sink.records.filter((r) => r.kind === kind && r.timeSeconds >= fromSeconds);
  return { sim, etcd, runTo, records };
}

describe('forming and serving', () => {
  it('a fresh 3-member cluster elects one leader and every member publishes itself and serves', () => {
    const { etcd, runTo, records } = cluster(1);
    runTo(5);
    expect(etcd.leader()).not.toBeNull();
    expect(etcd.hasQuorum()).toBe(true);
    expect(etcd.canWrite()).toBe(true);
    expect(IDS.map((id) => etcd.view(id).ready)).toEqual([true, true, true]);
    expect(records('leader-elected')).toHaveLength(1);
    expect(records('member-ready')).toHaveLength(3);
    expect(etcd.memberOn('node2')).toBe('m2');
    expect(etcd.memberOn('worker')).toBeNull();
  });

  it('a put through any member commits through the leader', () => {
    const { sim, etcd, runTo } = cluster(2);
    runTo(5);
    let result: unknown;
    etcd.put('m3').addCallback((e) => (result = e.value));
    runTo(6);
    expect(result).toMatchObject({ ok: true, term: etcd.view(etcd.leader()!).term });
    expect(sim.now).toBe(6);
  });
});

describe('power loss', () => {
  it("at RKE2's 500/5000 ms timing: a new leader after [10, 20) ticks of 500 ms less one tick of phase (etcd raft resetRandomizedElectionTimeout: electionTimeout + rand.Intn(electionTimeout))", () => {
    // k3s-io/k3s:pkg/etcd/etcd.go sets heartbeat-interval 500 and election-timeout 5000: 10 ticks,
    // randomized to [10, 19] ticks = 5.0-9.5 s, the first tick of the count falling up to one
    // tick (0.5 s) after the loss: the election starts between 4.5 s and 10 s after it.
    const defaults = etcdDefaults('3.5.9', 'rke2');
    expect(defaults.timing).toMatchObject({ heartbeatIntervalMs: 500, electionTimeoutMs: 5000 });
    const seen: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const { etcd, runTo, records } = cluster(seed, defaults);
      runTo(30);
      expect(etcd.leader()).not.toBeNull();
      etcd.powerLoss(etcd.leader()!);
      runTo(50);
      const first = records('election-start', 30)[0];
      seen.push(first.timeSeconds - 30);
      expect(first.timeSeconds - 30).toBeGreaterThan(4.5);
      expect(first.timeSeconds - 30).toBeLessThan(10);
      expect(etcd.leader()).not.toBeNull();
    }
    // The randomisation spreads them: not all in one tick.
    expect(new Set(seen.map((s) => Math.floor(s / 0.5))).size).toBeGreaterThan(1);
  });

  it('of the leader: a new leader after one randomized election timeout, [10, 20) ticks of 100 ms less one tick of phase (etcd raft tickElection)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { etcd, runTo, records } = cluster(seed);
      runTo(5);
      etcd.powerLoss(etcd.leader()!);
      runTo(12);
      const first = records('election-start', 5)[0];
      expect(first.timeSeconds - 5).toBeGreaterThan(0.8);
      expect(first.timeSeconds - 5).toBeLessThan(2.0);
      expect(etcd.leader()).not.toBeNull();
    }
  });

  it('with RKE2 timing (500/5000 ms) the first election starts 4.5-10 s after the leader is lost (research: 5.0-9.5 s)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { etcd, runTo, records } = cluster(seed, etcdDefaults('3.5.9', 'rke2'));
      runTo(20);
      const leader = etcd.leader()!;
      etcd.powerLoss(leader);
      runTo(40);
      const first = records('election-start', 20)[0];
      expect(first.timeSeconds - 20).toBeGreaterThan(4.0);
      expect(first.timeSeconds - 20).toBeLessThan(10.0);
      expect(etcd.leader()).not.toBe(leader);
    }
  });

  it('of a follower: no election, the leader keeps its quorum (check-quorum counts the other follower)', () => {
    const { etcd, runTo, records } = cluster(3);
    runTo(5);
    const leader = etcd.leader()!;
    etcd.powerLoss(IDS.find((id) => id !== leader)!);
    runTo(15);
    expect(etcd.leader()).toBe(leader);
    expect(records('election-start', 5)).toEqual([]);
    expect(etcd.canWrite()).toBe(true);
  });

  it('of two members: quorum lost at once; the lone leader steps down within two election timeouts', () => {
    const { etcd, runTo, records } = cluster(4);
    runTo(5);
    const leader = etcd.leader()!;
    for (const id of IDS.filter((x) => x !== leader)) etcd.powerLoss(id);
    expect(etcd.hasQuorum()).toBe(false);
    expect(records('quorum-lost', 5)).toHaveLength(1);
    runTo(7.1);
    const [down] = records('leader-step-down', 5);
    expect(down.data.message).toBe(`${leader} stepped down to follower since quorum is not active`);
    expect(etcd.canServeSerializable(leader)).toBe(true);
    expect(etcd.canServeLinearizable(leader)).toBe(false);
  });
});

describe('graceful stop and move-leader (etcd server.go Stop → TransferLeadership, MoveLeader)', () => {
  it('a stopping leader hands leadership to the longest-connected voter, then exits at the next poll, one heartbeat later', () => {
    const { sim, etcd, runTo, records } = cluster(5);
    runTo(3);
    // Restart one follower so the other one is the longest connected.
    const leader = etcd.leader()!;
    const [young, old] = IDS.filter((id) => id !== leader);
    etcd.powerLoss(young);
    etcd.start(young);
    runTo(6);
    let exitedAt = 0;
    etcd.stopGraceful(leader).addCallback(() => (exitedAt = sim.now));
    runTo(7);
    const [elected] = records('leader-elected', 6);
    expect(elected.data.member).toBe(old);
    expect(elected.timeSeconds - 6).toBeLessThan(0.02);
    expect(exitedAt - 6).toBeCloseTo(0.1, 6);
    // No leader only while the vote is in flight: milliseconds, not an outage.
    const lost = records('quorum-lost', 6);
    const regained = records('quorum-regained', 6);
    expect(lost.length).toBeLessThanOrEqual(1);
    if (lost.length === 1) expect(regained[0].timeSeconds - lost[0].timeSeconds).toBeLessThan(0.02);
  });

  it('a stopping follower exits at once, without an election', () => {
    const { sim, etcd, runTo, records } = cluster(6);
    runTo(3);
    const follower = IDS.find((id) => id !== etcd.leader())!;
    let exitedAt = -1;
    etcd.stopGraceful(follower).addCallback(() => (exitedAt = sim.now));
    runTo(6);
    expect(exitedAt).toBe(3);
    expect(records('election-start', 3)).toEqual([]);
  });

  it('move-leader makes the target leader within milliseconds on loopback', () => {
    const { etcd, runTo } = cluster(7);
    runTo(3);
    const target = IDS.find((id) => id !== etcd.leader())!;
    let result: any;
    etcd.moveLeader(target).addCallback((e) => (result = e.value));
    runTo(4);
    expect(etcd.leader()).toBe(target);
    expect(result).toMatchObject({ ok: true, to: target });
  });

  it('a network round trip adds to the transfer: MsgTimeoutNow one way plus a vote round trip', () => {
    const { etcd, runTo, records } = cluster(8, etcdDefaults('3.4.23', 'upstream'), 40);
    runTo(5);
    const target = IDS.find((id) => id !== etcd.leader())!;
    etcd.moveLeader(target);
    runTo(6);
    const start = records('transfer-start', 5)[0].timeSeconds;
    const took = records('leader-elected', 5)[0].timeSeconds - start;
    // 20 ms + 40 ms of network, plus loopback and WAL sync (2.5-7 ms).
    expect(took).toBeGreaterThan(0.06);
    expect(took).toBeLessThan(0.075);
  });
});

describe('lone member (KB §5.1: "The etcd is waiting for the other two members to be online")', () => {
  function lone(seed: number, defaults: EtcdDefaults) {
    const c = cluster(seed, defaults);
    // KB §4: move the leader to m1, stop the non-leaders first and the leader last; then the last
    // one stopped starts alone.
    c.etcd.moveLeader('m1');
    c.runTo(5);
    for (const [i, id] of ['m3', 'm2', 'm1'].entries()) {
      c.etcd.stopGraceful(id, { thenPowerOff: true });
      c.runTo(5 + (i + 1) / 3);
    }
    const termBefore = c.etcd.view('m1').term;
    c.etcd.start('m1');
    c.runTo(36);
    return { ...c, termBefore };
  }

  it('etcd 3.4 (pre-vote off): never leader, one election per randomized timeout, its term climbing', () => {
    const { etcd, records, termBefore } = lone(11, etcdDefaults('3.4.23', 'upstream'));
    expect(records('leader-elected', 6)).toEqual([]);
    const elections = records('election-start', 6).length;
    // 30 s of randomized timeouts of 1.0-1.9 s: between 15 and 30 elections.
    expect(elections).toBeGreaterThanOrEqual(15);
    expect(elections).toBeLessThanOrEqual(30);
    expect(etcd.view('m1').term - termBefore).toBe(elections);
  });

  it('etcd 3.5 (pre-vote on): the term stays; it logs the KB\'s "sent MsgPreVote request to <peer> at term T"', () => {
    const { etcd, records, termBefore } = lone(12, etcdDefaults('3.5.9', 'upstream'));
    expect(records('leader-elected', 6)).toEqual([]);
    expect(etcd.view('m1').term).toBe(termBefore);
    const requests = records('vote-request', 6).filter((r) => r.data.member === 'm1');
    expect(requests.length).toBeGreaterThan(10);
    expect(requests[0].data.message).toMatch(
      new RegExp(
        `^m1 \\[logterm: \\d+, index: \\d+\\] sent MsgPreVote request to m[23] at term ${termBefore + 1}$`,
      ),
    );
  });

  it('the prober logs the KB\'s "prober detected unhealthy status" every 5 s per unreachable peer', () => {
    const { records } = lone(13, etcdDefaults('3.5.9', 'rke2'));
    const logged = records('prober-unhealthy', 6).filter(
      (r) => r.data.member === 'm1' && r.data.remotePeerId === 'm2',
    );
    // Raft runs from about 6.1 s: checks at about 11, 16, 21, 26 and 31 s.
    expect(logged.length).toBe(5);
    expect(logged[0].data).toEqual({
      member: 'm1',
      remotePeerId: 'm2',
      roundTripperName: 'ROUND_TRIPPER_RAFT_MESSAGE',
      rtt: '0s',
      error: 'dial tcp 192.168.122.142:2380: connect: no route to host',
      message: 'prober detected unhealthy status',
    });
    expect(logged[1].timeSeconds - logged[0].timeSeconds).toBeCloseTo(5, 6);
  });

  it('serves no client, not even a serializable read: publish needs quorum (etcd embed/serve.go waits on ReadyNotify)', () => {
    const { etcd } = lone(14, etcdDefaults('3.4.23', 'upstream'));
    expect(etcd.view('m1').status).toBe('running');
    expect(etcd.canServeSerializable('m1')).toBe(false);
    expect(etcd.canServeLinearizable('m1')).toBe(false);
    expect(etcd.canWrite()).toBe(false);
  });

  it('a second member brings quorum back, then both serve', () => {
    const { sim, etcd, runTo, records } = lone(15, etcdDefaults('3.4.23', 'upstream'));
    let quorumAt = 0;
    let readyAt = 0;
    etcd.whenQuorum().addCallback(() => (quorumAt = sim.now));
    etcd.whenReady('m1').addCallback(() => (readyAt = sim.now));
    etcd.start('m2');
    runTo(40);
    expect(records('quorum-regained', 36)).toHaveLength(1);
    expect(quorumAt).toBe(records('quorum-regained', 36)[0].timeSeconds);
    expect(readyAt).toBe(records('member-ready', 36).find((r) => r.data.member === 'm1')!.timeSeconds);
    expect(etcd.canServeSerializable('m1')).toBe(true);
    expect(etcd.canServeSerializable('m2')).toBe(true);
    expect(etcd.canWrite()).toBe(true);
  });
});

describe('restart order decides when quorum returns (KB: start the last node shut down first)', () => {
  /** Stop m3, then m2, then m1 with writes between; restart `first`, then `second` 1 s later. */
  function restart(seed: number, first: MemberId, second: MemberId) {
    const c = cluster(seed);
    c.runTo(3);
    const writer = c.sim.process(
      (function* () {
        for (let i = 0; i < 300; i++) {
          const via = IDS.find((id) => c.etcd.canServeSerializable(id));
          if (via !== undefined) c.etcd.put(via, { timeoutMs: 500 });
          yield c.sim.timeout(0.02);
        }
      })(),
      'writer',
    );
    for (const [i, id] of ['m3', 'm2', 'm1'].entries()) {
      c.runTo(4 + 2 * i);
      c.etcd.stopGraceful(id);
    }
    c.runTo(10);
    expect(writer.triggered).toBe(true);
    c.etcd.start(first);
    c.runTo(11);
    c.etcd.start(second);
    c.runTo(25);
    const elected = c.records('leader-elected', 11)[0];
    return { atSeconds: elected.timeSeconds - 11, leader: elected.data.member as MemberId };
  }

  it('last stopped first: its log is the most up-to-date, the second grants at once', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = restart(seed, 'm1', 'm2');
      expect(r.leader).toBe('m1');
      expect(r.atSeconds).toBeLessThan(1.2);
    }
  });

  it('first stopped first: its votes are refused (§5.4.1), the second must time out itself, at least one election timeout after it runs', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = restart(seed, 'm3', 'm2');
      expect(r.leader).toBe('m2');
      expect(r.atSeconds).toBeGreaterThan(1.0);
    }
  });
});
