import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { METRIC_KEYS } from '../../src/compare/metrics.ts';

const cli = new URL('../../src/cli/harvester-sim.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync('node', [cli, ...args], { encoding: 'utf8' });

describe('harvester-sim compare', () => {
  it('--json: per plan completionRate, p50/p95/max per metric, findings by kind, failing seeds; silent when piped', () => {
    const result = run(
      'compare',
      'scenarios/seed-witness.yaml',
      'scenarios/plans/wrong-restart-order.yaml',
      'scenarios/plans/leader-on-witness.yaml',
      '--runs',
      '2',
      '--json',
    );
    expect(result.status).toBe(0);
    // stderr is a pipe here: no progress bar.
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout);
    expect(out.seeds).toEqual([1234567, 1234568]);
    expect(out.plans.map((p: { plan: string }) => p.plan)).toEqual([
      'wrong-restart-order',
      'leader-on-witness',
    ]);
    const contrast = out.plans[1];
    expect(contrast.completionRate).toBe(0);
    for (const key of METRIC_KEYS)
      expect(Object.keys(contrast.metrics[key])).toEqual(expect.arrayContaining(['p50', 'p95', 'max']));
    expect(
      contrast.findingGroups.find((g: { rule: string }) => g.rule === 'etcd.last-member-is-witness').seeds,
    ).toBe(2);
    expect(contrast.failedSeeds.map((f: { replay: string }) => f.replay)).toEqual([
      'harvester-sim evaluate scenarios/seed-witness.yaml scenarios/plans/leader-on-witness.yaml --seed 1234567',
      'harvester-sim evaluate scenarios/seed-witness.yaml scenarios/plans/leader-on-witness.yaml --seed 1234568',
    ]);
  }, 120_000);

  it('evaluate --runs N gives the same for one plan, for people and as Markdown', () => {
    const text = run(
      'evaluate',
      'scenarios/seed-witness.yaml',
      'scenarios/plans/leader-on-witness.yaml',
      '--runs',
      '2',
      '--threads',
      '0',
    );
    // As for one run: exit 2 when a seed's plan stopped.
    expect(text.status).toBe(2);
    expect(text.stdout).toMatch(/^leader-on-witness on seed-witness over 2 seeds \(1234567 … 1234568\)\n/);
    expect(text.stdout).toMatch(/\n {2}leader-on-witness {2}0\/2 seeds \(0 %\)\n/);
    expect(text.stdout).toMatch(/\n {4}\[warning\] etcd\.last-member-is-witness {2}2\/2 seeds/);
    expect(text.stdout).toMatch(
      /\n {6}harvester-sim evaluate scenarios\/seed-witness\.yaml scenarios\/plans\/leader-on-witness\.yaml --seed 1234568\n/,
    );
    const markdown = run(
      'evaluate',
      'scenarios/seed-witness.yaml',
      'scenarios/plans/leader-on-witness.yaml',
      '--runs',
      '2',
      '--threads',
      '0',
      '--markdown',
    );
    expect(markdown.stdout).toMatch(/^## leader-on-witness on seed-witness\n/);
    expect(markdown.stdout).toMatch(/\n\| completed \| 0\/2 \(0 %\) \|\n/);
  }, 120_000);

  it('rejects a bad --runs with one clear line', () => {
    const result = run(
      'compare',
      'scenarios/seed-witness.yaml',
      'scenarios/plans/nodes-only.yaml',
      '--runs',
      '0',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("harvester-sim: --runs: expected a whole number ≥ 1, found '0'\n");
  }, 60_000);
});
