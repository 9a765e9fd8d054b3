/**
 * The short swarm `npm test` runs (about a minute): random valid clusters and plans from one fixed
 * seed, each with the invariants of test/swarm/swarm-run.ts. A longer one: `npm run swarm -- --seed S
 * --runs N` (docs/testing.md). SWARM_SEED and SWARM_RUNS override the seed and the count here.
 */
import { describe, expect, it } from 'vitest';
import { runSwarm } from './swarm-run.ts';

const seed = Number(process.env.SWARM_SEED ?? 20261203);
const runs = Number(process.env.SWARM_RUNS ?? 30);

describe('the seeded swarm', () => {
  it(`${runs} random clusters and plans from seed ${seed} keep every invariant (no internal error, within limits, time monotonic, VMs explained, etcd writes kept, replica anti-affinity, no write without a replica)`, {
    timeout: 600_000,
  }, () => {
    const outcome = runSwarm({ seed, runs, shrinkTimeLimitMs: 60_000 });
    // On failure the report holds the seed, the replay commands and the shrunk YAML.
    expect(outcome.ok ? '' : outcome.report).toBe('');
    // Every run was made: nothing ends the swarm early and calls it a pass.
    expect(outcome.ok && outcome.runs).toBe(runs);
  });
});
