import { describe, expect, it } from 'vitest';
import { comparePlans } from '../../src/compare/compare.ts';
import { simulate } from '../../src/simulate/simulate.ts';

const scenarios = new URL('../../scenarios/', import.meta.url).pathname;
const scenario = `${scenarios}seed-witness.yaml`;
const kb = `${scenarios}plans/kb-shutdown-restart.yaml`;
const leaderOnWitness = `${scenarios}plans/leader-on-witness.yaml`;

/**
 * Issue 12: "the knowledge-base plan on the knowledge base's own cluster fails in some seeds (the
 * witness is elected leader and the KB's `delete pod` does not move it)"; compare must show that.
 * seed-witness's witness is harv43.
 */
describe('compare on seed-witness, on worker threads', () => {
  it('shows the KB plan failing on the seeds where the witness holds leadership, each with its replay', async () => {
    const comparison = await comparePlans(scenario, [kb, leaderOnWitness], { runs: 20, threads: 2 });
    const [plan, contrast] = comparison.plans;
    expect(plan.plan).toBe('kb-shutdown-restart');
    expect(plan.completionRate).toBeGreaterThan(0);
    expect(plan.completionRate).toBeLessThan(1);
    expect(plan.failedSeeds.length).toBe(plan.runs - plan.completed);
    for (const f of plan.failedSeeds) {
      expect(f.reason).toMatch(/waiting for etcd-leader \(leader harv43\)/);
      expect(f.replay).toBe(`harvester-sim evaluate ${scenario} ${kb} --seed ${f.seed}`);
    }
    const deletePod = plan.findingGroups.find((g) => g.rule === 'etcd.delete-pod-no-effect');
    expect(deletePod?.seeds).toBe(plan.failedSeeds.length);
    // The contrast plan leaves the leader on the witness by design: it fails on every seed.
    expect(contrast.completionRate).toBe(0);

    // The replay command's run fails the same way on its own.
    const replayed = simulate(scenario, kb, { seed: plan.failedSeeds[0].seed });
    expect(replayed.evaluation.ok).toBe(false);
  }, 120_000);

  it('a seed gives the same outcome on a worker thread as on this one', async () => {
    const threaded = await comparePlans(scenario, [kb], { runs: 3, threads: 2 });
    const here = await comparePlans(scenario, [kb], { runs: 3, threads: 0 });
    expect(threaded).toEqual(here);
  }, 60_000);
});
