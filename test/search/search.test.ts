/**
 * `harvester-sim search`: identical nodes as one class, candidates pruned by check before they run,
 * and on seed-witness a plan that never strands the etcd leader on the witness where the KB plan's
 * `kubectl delete pod etcd-<witness>` does (controlplane.md §8 S1: etcd is a static pod).
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check.ts';
import { loadPlan, parsePlan } from '../../src/plan/format/load.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { candidateYaml, KB_CANDIDATE, OFF_WITNESS } from '../../src/search/candidate.ts';
import { nodeClasses } from '../../src/search/node-classes.ts';
import { searchPlan } from '../../src/search/search.ts';

const root = new URL('../../', import.meta.url).pathname;
const witness = loadScenario(`${root}scenarios/seed-witness.yaml`);
const kbPlan = loadPlan(`${root}scenarios/plans/kb-shutdown-restart.yaml`);

describe('search: identical nodes as one class', () => {
  it('production-12node: 3 management nodes of one hardware are one class, 9 workers another', () => {
    const classes = nodeClasses(loadScenario(`${root}scenarios/production-12node.yaml`));
    expect(classes.map((c) => [c.role, c.nodes.length])).toEqual([
      ['management', 3],
      ['worker', 9],
    ]);
  });

  it('seed-witness: harv41 and harv42 (16 cores, 64 GiB, 1 TiB SSD) are one class; witness and worker differ', () => {
    expect(nodeClasses(witness).map((c) => c.nodes)).toEqual([['harv41', 'harv42'], ['harv43'], ['harv2']]);
  });
});

describe('search: candidates follow the KB skeleton and check prunes what the KB forbids', () => {
  it("the KB's choices with etcdctl give the KB plan's steps, in its order, and pass check", () => {
    const yaml = candidateYaml(witness, { ...KB_CANDIDATE, leaderMethod: 'etcdctl' }, 'kb-like', []);
    const plan = parsePlan(yaml, 'kb-like.yaml');
    expect(plan.steps.map((s) => s.action.type)).toEqual(kbPlan.steps.map((s) => s.action.type));
    expect(checkPlan(witness, plan).problems).toEqual([]);
  });

  it('"kubectl delete pod etcd-<witness>" and a leader moved onto the witness are pruned before any run', () => {
    const rulesOf = (candidate: typeof KB_CANDIDATE) =>
      checkPlan(witness, parsePlan(candidateYaml(witness, candidate, 'c', []), 'c.yaml')).problems.map(
        (p) => p.rule,
      );
    expect(rulesOf(KB_CANDIDATE)).toEqual(['etcd.delete-pod-does-not-move-leader']);
    expect(rulesOf({ ...KB_CANDIDATE, leaderMethod: 'etcdctl', leaderTo: 'harv43' })).toContain(
      'etcd.leader-to-witness',
    );
    expect(OFF_WITNESS).toBe('off-witness');
  });
});

describe('search on seed-witness', () => {
  // Seeds 1234572 and 1234574 elect the witness, and the KB plan's pod delete leaves it leading.
  const seeds = [1234572, 1234574, 1234567];
  let clock = 0;
  const result = searchPlan(witness, {
    seeds,
    objective: 'duration',
    budgetMs: 1e9,
    nowMs: () => clock++,
    maxCandidates: 2,
    baseline: kbPlan,
  });

  it('the KB plan strands the leader on the witness in the seeds that elect it', () => {
    expect(result.baseline?.score.stranded).toBe(2);
    expect(result.baseline?.score.completed).toBe(1);
  });

  it('finds a plan that never strands the leader on the witness and completes on every seed it scores', () => {
    expect(result.best.score.stranded).toBe(0);
    expect(result.best.score.completed).toBe(seeds.length);
    expect(result.best.candidate.leaderMethod).toBe('etcdctl');
    expect(checkPlan(witness, result.best.plan).problems).toEqual([]);
  });

  it('prunes the KB choices (the pod delete) first, so the witness fix is the first thing it tries', () => {
    expect(result.pruned[0].candidate).toEqual(KB_CANDIDATE);
    expect(result.pruned[0].problems.map((p) => p.rule)).toEqual(['etcd.delete-pod-does-not-move-leader']);
  });
});
