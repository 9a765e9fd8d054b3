/**
 * `networkPartitions` (issue 15 §5): partitions as plan data that load, strike, heal, and shrink,
 * and the Raft properties they must keep.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFromData } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { networkPartitions, type PlanPartitionDocument } from '../../src/testing/arbitraries.ts';
import { select } from '../../src/trace/record.ts';
import { assertProperty } from '../fast-check-seed.ts';

const seed = loadScenario(new URL('../../scenarios/seed-witness.yaml', import.meta.url).pathname);
const nodes = seed.nodes.map((n) => n.name);
const HORIZON_S = 60;
const MAX_FOR_S = 60;
// RKE2's etcd election timeout (5 s): after the last heal, two of them settle any election.
const SETTLE_S = 2 * 5 + 5;

function plan(faults: PlanPartitionDocument[]) {
  return planFromData(
    {
      name: 'partitions',
      steps: [{ step: 'sleep', duration: `${HORIZON_S + MAX_FOR_S + SETTLE_S}s` }],
      faults,
    },
    'partitions.yaml',
  );
}

describe('networkPartitions', () => {
  it('shrinks a failing schedule to one partition of the first node, at the plan start, for 1 s', () => {
    const result = fc.check(
      fc.property(networkPartitions(nodes, { maxPartitions: 3 }), (faults) => faults.length === 0),
      { seed: 5, numRuns: 100 },
    );
    expect(result.failed).toBe(true);
    expect(result.counterexample?.[0]).toEqual([
      { at: '0s', fault: 'node.network-partition', node: nodes[0], with: [], for: '1s' },
    ]);
  });

  it('Raft election safety and recovery: one leader per term; after the heals one leader that all follow', () => {
    // Raft (Ongaro & Ousterhout, Figure 3): "Election Safety: at most one leader can be elected in
    // a given term." Once every partition healed, the members converge on one leader and the API serves.
    assertProperty(
      fc.property(
        networkPartitions(nodes, { horizonSeconds: HORIZON_S, maxForSeconds: MAX_FOR_S }),
        (faults) => {
          const run = runPlan(seed, plan(faults));
          const leaders = new Map<number, string>();
          for (const r of select(run.records, 'etcd', 'leader-elected')) {
            expect(leaders.get(r.data.term) ?? r.data.member).toBe(r.data.member);
            leaders.set(r.data.term, r.data.member);
          }
          expect(run.world.fabric.partitioned).toBe(false);
          const leader = run.world.etcd.leader();
          expect(leader).not.toBeNull();
          for (const n of seed.nodes.filter((n) => n.role !== 'worker'))
            expect(run.world.etcd.view(n.name).lead).toBe(leader);
          expect(run.world.apiAvailable()).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  });
});
