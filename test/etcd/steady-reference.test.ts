/**
 * The steady path (quiet follower ticks counted, quiet leader answers held, listeners only when what
 * they read moved) against the reference (`steadyState: false`: every tick and answer a kernel event,
 * every Ready calling the listeners, as etcd's `raftNode.start` loop handles each tick and message):
 * the same seed and the same operations give the same records, record for record, and the same
 * member views, under the faults main gained since the steady path was written: a network partition
 * (etcd-io/etcd rafthttp drops what it cannot deliver, so a cut link is a dropped message), checkQuorum
 * and pre-vote (etcd raft `tickHeartbeat` / `Step` MsgPreVote), the cluster's write load appended at
 * the leader's ticks, client puts.
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../sim/index.ts';
import { EtcdCluster, etcdDefaults, type MemberId } from '../../src/etcd/index.ts';

const IDS: MemberId[] = ['m1', 'm2', 'm3'];

type Op = (etcd: EtcdCluster) => void;

interface Twin {
  readonly sim: Simulation;
  readonly sink: MemorySink;
  readonly etcd: EtcdCluster;
}

function twin(seed: number, version: string, steadyState: boolean, roundTripMs: number): Twin {
  const sim = new Simulation({ seed });
  const sink = sim.trace.addSink(new MemorySink());
  const etcd = new EtcdCluster(sim, {
    members: IDS.map((id, i) => ({ id, node: `node${i + 1}` })),
    defaults: etcdDefaults(version, 'upstream'),
    networkRoundTripMs: roundTripMs,
    // The API's steady writes (issue 15 §1): appended at the leader's ticks, replicated by appends.
    writesPerSecond: () => 50,
    steadyState,
  });
  return { sim, sink, etcd };
}

/** Cut `side` off from the other members (both directions), as world.partition does. */
function isolate(side: readonly MemberId[]): Op {
  return (etcd) => etcd.setPartition((from, to) => side.includes(from) !== side.includes(to));
}
const heal: Op = (etcd) => etcd.setPartition(null);

/**
 * Runs both twins through `schedule` ([time s, operation]) and returns, for each, the records and
 * the member views read at every `checkAt` time (a read itself must change nothing).
 */
function runBoth(
  seed: number,
  version: string,
  schedule: readonly [number, Op][],
  checkAt: readonly number[],
  endSeconds: number,
  roundTripMs = 0.2,
) {
  return [true, false].map((steadyState) => {
    const t = twin(seed, version, steadyState, roundTripMs);
    const views: unknown[] = [];
    for (const [at, op] of schedule) t.sim.timeoutAt(at).addCallback(() => op(t.etcd));
    for (const at of checkAt)
      t.sim.timeoutAt(at).addCallback(() => views.push([at, ...IDS.map((id) => t.etcd.view(id))]));
    t.sim.run({ until: endSeconds });
    const records = t.sink.records.map((r) => [r.timeSeconds, r.kind, r.data]);
    return { records, views, events: t.sim.eventCount, leader: t.etcd.leader() };
  });
}

function expectSame(
  seed: number,
  version: string,
  schedule: readonly [number, Op][],
  end: number,
  rttMs?: number,
) {
  const checks = Array.from({ length: Math.floor(end / 0.25) }, (_, i) => 0.25 * (i + 1) + 0.0001);
  const [steady, reference] = runBoth(seed, version, schedule, checks, end, rttMs);
  expect(steady.records.length).toBeGreaterThan(0);
  expect(steady.records).toEqual(reference.records);
  expect(steady.views).toEqual(reference.views);
  // The comparison is of two different schedules of kernel events, not of one run twice.
  expect(steady.events).toBeLessThan(reference.events);
  return { steady, reference };
}

describe('the steady path equals the reference under partitions, pre-vote, write load and puts', () => {
  for (const version of ['3.4.23', '3.5.9']) {
    const preVote = version === '3.5.9';
    it(`a follower cut off for 4 s campaigns when its own election timer fires and rejoins (etcd ${version}, pre-vote ${preVote})`, () => {
      // etcd raft tickElection: a follower that hears nothing counts to randomizedElectionTimeout
      // and campaigns (MsgPreVote from 3.5: its term stays); its skipped ticks must fire then, cut off
      // or not. Without pre-vote its term grows and the healed leader steps down (Raft §5.1).
      for (const seed of [1, 2, 3]) {
        const { steady } = expectSame(
          seed,
          version,
          [
            [6, isolate(['m1'])],
            [10, heal],
          ],
          16,
        );
        const kinds = steady.records.filter((r) => (r[0] as number) >= 6).map((r) => r[1]);
        expect(kinds).toContain('election-start');
      }
    });

    it(`a leader cut off from both followers steps down by checkQuorum; the majority elects (etcd ${version})`, () => {
      // etcd raft tickHeartbeat: with CheckQuorum the leader steps down once an election timeout
      // passes without a majority active (`leader-step-down`).
      for (const seed of [1, 2, 3]) {
        const probe = twin(seed, version, true, 0.2);
        probe.sim.run({ until: 6 });
        const leader = probe.etcd.leader();
        expect(leader).not.toBeNull();
        const { steady } = expectSame(
          seed,
          version,
          [
            [6, isolate([leader as MemberId])],
            [11, heal],
          ],
          16,
        );
        expect(steady.records.map((r) => r[1])).toContain('leader-step-down');
        expect(steady.leader).not.toBeNull();
      }
    });
  }

  it('answers on the wire when the cut comes are dropped: the cut-off leader commits none of them', () => {
    // host.ts deliver: "A partition that began while the message was on the wire drops it too."
    // With a 40 ms round trip each append answer is 20 ms on the wire; cuts every 7 ms across a
    // 100 ms beat fall while some are. A held answer stepped after the cut would move the cut-off
    // leader's commit index (Raft §5.3: commit once a majority has the entry) where the reference
    // drops it.
    for (let i = 0; i < 15; i++) {
      const cutAt = 6 + i * 0.007;
      const probe = twin(4, '3.5.9', true, 40);
      probe.sim.run({ until: 6 });
      const leader = probe.etcd.leader() as MemberId;
      const [steady, reference] = runBoth(
        4,
        '3.5.9',
        [[cutAt, isolate([leader])]],
        [cutAt + 0.05, cutAt + 0.5, cutAt + 1.5],
        cutAt + 3,
        40,
      );
      expect(steady.views).toEqual(reference.views);
      expect(steady.records).toEqual(reference.records);
    }
  });

  it('puts while a follower is cut off commit through the majority, at the same times', () => {
    // Raft §5.3: an entry commits once a majority has it; the cut-off follower is not needed.
    const puts: [number, Op][] = [];
    for (let k = 0; k < 12; k++) puts.push([6.5 + k * 0.31, (etcd) => void etcd.put(IDS[k % 3])]);
    expectSame(5, '3.5.9', [[6, isolate(['m2'])], ...puts, [9, heal]], 14);
  });

  it('power loss and restart of each member in turn, with a partition in between', () => {
    expectSame(
      6,
      '3.5.9',
      [
        [5, (etcd) => etcd.powerLoss('m1')],
        [7, (etcd) => etcd.start('m1')],
        [9, isolate(['m3'])],
        [9.5, (etcd) => void etcd.moveLeader('m2')],
        [12, heal],
        [13, (etcd) => etcd.powerLoss('m2')],
        [15, (etcd) => etcd.start('m2')],
      ],
      20,
    );
  });
  it('40 seeded random schedules of cuts, heals, power losses, restarts, graceful stops, puts and moves', () => {
    // Whatever the order of operations, skipping quiet ticks and holding quiet answers must change no
    // record: each operation touches the members only through the paths that catch them up first.
    for (let seed = 1; seed <= 40; seed++) {
      let x = seed * 2654435761;
      const next = (n: number) => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return x % n;
      };
      const schedule: [number, Op][] = [];
      for (let k = 0; k < 12; k++) {
        const at = 3 + next(20_000) / 1000;
        const id = IDS[next(3)];
        const ops: Op[] = [
          isolate([id]),
          heal,
          (etcd) => etcd.view(id).status === 'running' && etcd.powerLoss(id),
          (etcd) => etcd.view(id).status === 'down' && etcd.start(id),
          (etcd) => etcd.view(id).status === 'running' && void etcd.stopGraceful(id),
          (etcd) => void etcd.put(id),
          (etcd) => void etcd.moveLeader(id),
        ];
        schedule.push([at, ops[next(ops.length)]]);
      }
      const rtt = seed % 2 === 0 ? 40 : 0.2;
      const end = 26;
      const checks = Array.from({ length: 12 }, (_, i) => 3 + i * 1.9 + 0.0003);
      const [steady, reference] = runBoth(
        seed,
        seed % 3 === 0 ? '3.4.23' : '3.5.9',
        schedule,
        checks,
        end,
        rtt,
      );
      expect(steady.records).toEqual(reference.records);
      expect(steady.views).toEqual(reference.views);
    }
  });
});
