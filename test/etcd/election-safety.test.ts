/**
 * Raft §5.2 / Figure 3 "Election Safety: at most one leader can be elected in a given term", checked
 * over random fault schedules (as data, so fast-check shrinks them). A failure prints fast-check's
 * seed and path; rerun with `npx vitest run test/etcd/election-safety.test.ts` after putting them in
 * the `fc.assert` options.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../sim/index.ts';
import { EtcdCluster, etcdDefaults, type MemberId } from '../../src/etcd/index.ts';

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
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(step, { maxLength: 12 }),
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
