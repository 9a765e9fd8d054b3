/**
 * Raft §5.2 / Figure 3 "Election Safety: at most one leader can be elected in a given term", checked
 * over random fault schedules (as data, so fast-check shrinks them). A failure prints the seed,
 * fast-check's path and the command that replays it (`FC_SEED=<seed> npx vitest run …`,
 * test/fast-check-seed.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../sim/index.ts';
import { EtcdCluster, etcdDefaults, type MemberId, RaftNode } from '../../src/etcd/index.ts';
import type { Message } from '../../src/etcd/raft/message.ts';
import { assertProperty } from '../fast-check-seed.ts';

const IDS: MemberId[] = ['m1', 'm2', 'm3'];
type Fault = 'power-loss' | 'stop-graceful' | 'start' | 'move-leader';

const step = fc.record({
  atMs: fc.integer({ min: 0, max: 20_000 }),
  member: fc.constantFrom(...IDS),
  fault: fc.constantFrom<Fault>('power-loss', 'stop-graceful', 'start', 'move-leader'),
});

function run(
  seed: number,
  schedule: { atMs: number; member: MemberId; fault: Fault }[],
  version: string,
  rttMs: number,
) {
  const sim = new Simulation({ seed });
  const sink = sim.trace.addSink(new MemorySink());
  const etcd = new EtcdCluster(sim, {
    members: IDS.map((id) => ({ id, node: id })),
    defaults: etcdDefaults(version, 'upstream'),
    networkRoundTripMs: rttMs,
  });
  for (const s of [...schedule].sort((a, b) => a.atMs - b.atMs)) {
    sim.run({ until: s.atMs / 1000, maxEvents: 1_000_000 });
    const status = etcd.view(s.member).status;
    if (s.fault === 'start' && status === 'down') etcd.start(s.member);
    else if (s.fault === 'power-loss' && status !== 'down') etcd.powerLoss(s.member);
    else if (s.fault === 'stop-graceful' && status !== 'down') etcd.stopGraceful(s.member);
    else if (s.fault === 'move-leader') etcd.moveLeader(s.member);
  }
  // Everyone back, so the run also ends with a leader.
  sim.run({ until: 21, maxEvents: 1_000_000 });
  for (const id of IDS) if (etcd.view(id).status === 'down') etcd.start(id);
  sim.run({ until: 40, maxEvents: 2_000_000 });
  return { etcd, records: sink.records };
}

describe('election safety over random fault schedules (Raft §5.2, Figure 3)', () => {
  it('at most one leader per term, and a leader again once every member is back', () => {
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(step, { maxLength: 12, size: 'max' }),
        fc.constantFrom('3.4.23', '3.5.9'),
        fc.constantFrom(0, 2, 30),
        (seed, schedule, version, rttMs) => {
          const { etcd, records } = run(seed, schedule, version, rttMs);
          const leaderOfTerm = new Map<number, MemberId>();
          for (const r of records) {
            if (r.kind !== 'leader-elected') continue;
            const { term, member } = r.data as { term: number; member: MemberId };
            const previous = leaderOfTerm.get(term);
            expect(
              previous === undefined || previous === member,
              `term ${term}: ${previous} and ${member}`,
            ).toBe(true);
            leaderOfTerm.set(term, member);
          }
          expect(etcd.leader()).not.toBeNull();
          expect(etcd.canWrite()).toBe(true);
        },
      ),
      { seed: 20_261_125, numRuns: 60 },
    );
  });
});

describe('safety of the pure state machine under any delivery order, loss and ticking (Raft Figure 3)', () => {
  const action = fc.record({
    kind: fc.constantFrom('tick', 'tick', 'deliver', 'deliver', 'deliver', 'drop', 'propose', 'transfer'),
    node: fc.integer({ min: 0, max: 2 }),
    pick: fc.nat(),
  });

  it('Election Safety and State Machine Safety: one leader per term; committed entries agree', () => {
    assertProperty(
      fc.property(
        fc.array(action, { minLength: 200, maxLength: 600, size: 'max' }),
        fc.boolean(),
        fc.boolean(),
        (actions, preVote, checkQuorum) => {
          let draw = 0;
          const nodes = IDS.map(
            (id, i) =>
              new RaftNode({
                id,
                voters: IDS,
                electionTick: 3,
                heartbeatTick: 1,
                preVote,
                checkQuorum,
                randomBelow: (n) => (draw++ * 7 + i * 5) % n,
              }),
          );
          const queue: Message[] = [];
          const leaderOfTerm = new Map<number, MemberId>();
          for (const a of actions) {
            const node = nodes[a.node];
            if (a.kind === 'tick') node.tick();
            else if (a.kind === 'propose') node.propose('put', a.pick);
            else if (a.kind === 'transfer') node.transferLeadership(IDS[a.pick % 3]);
            else if (queue.length > 0) {
              const [m] = queue.splice(a.pick % queue.length, 1);
              if (a.kind === 'deliver') nodes[IDS.indexOf(m.to)].step(m);
            }
            for (const n of nodes) queue.push(...n.ready().messages);
            for (const n of nodes) {
              if (n.role !== 'leader') continue;
              const previous = leaderOfTerm.get(n.term);
              if (previous !== undefined && previous !== n.id) {
                throw new Error(`Election Safety: term ${n.term} has leaders ${previous} and ${n.id}`);
              }
              leaderOfTerm.set(n.term, n.id);
            }
            // State Machine Safety on the newest commonly committed index each step; the whole
            // prefix at the end (Log Matching makes the prefix agree once the last index does).
            for (const x of nodes) {
              for (const y of nodes) {
                const upTo = Math.min(x.log.committed, y.log.committed);
                if (upTo > 0 && x.log.term(upTo) !== y.log.term(upTo)) {
                  throw new Error(
                    `State Machine Safety: ${x.id} and ${y.id} differ at committed index ${upTo}`,
                  );
                }
              }
            }
          }
          for (const x of nodes) {
            for (const y of nodes) {
              const upTo = Math.min(x.log.committed, y.log.committed);
              for (let i = 1; i <= upTo; i++) expect(x.log.term(i)).toBe(y.log.term(i));
            }
          }
        },
      ),
      { seed: 3_141_592, numRuns: 150 },
    );
  });
});
