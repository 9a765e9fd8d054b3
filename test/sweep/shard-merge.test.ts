import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseGrid } from '../../src/sweep/grid.ts';
import { mergeShards } from '../../src/sweep/merge.ts';
import { runPoints } from '../../src/sweep/pool.ts';
import { parseShard, runShard, shardPoints } from '../../src/sweep/shard.ts';
import { sweepSpec } from '../../src/sweep/spec.ts';

const SCENARIO = 'scenarios/evacuation-40vm.yaml';
const GRID = 'parallelOutboundMigrationsPerNode=1,2;bandwidthPerMigration=0,1Gi';
const spec = sweepSpec({
  scenario: { fileName: 'evacuation-40vm.yaml', text: readFileSync(SCENARIO, 'utf8') },
  workload: { kind: 'evacuate', node: 'busiest' },
  axes: parseGrid(GRID),
  runs: 1,
});
const inThread = (indices: readonly number[]) => runPoints(spec, indices, { threads: 1 });

describe('sweep shards', () => {
  it('shard i of n holds the points whose index is i modulo n', () => {
    expect(shardPoints(spec, 1, 3)).toEqual([1]);
    expect(shardPoints(spec, 0, 3)).toEqual([0, 3]);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('4/4')).toThrow(/0 ≤ i < n/);
  });

  it('4 shards merged equal the unsharded sweep (the issue’s target)', async () => {
    const unsharded = mergeShards([await runShard(spec, 0, 1, inThread)]);
    const shards = [];
    for (const i of [3, 1, 0, 2]) shards.push(await runShard(spec, i, 4, inThread));
    expect(mergeShards(shards)).toEqual(unsharded);
    expect(unsharded.points.map((p) => p.index)).toEqual([0, 1, 2, 3]);
  }, 120_000);

  it('refuses a merge with a shard missing or from another sweep', async () => {
    const shard = await runShard(spec, 0, 4, async () => []);
    expect(() => mergeShards([shard])).toThrow(/missing shard\(s\) 1\/4, 2\/4, 3\/4/);
    const other = { ...shard, digest: 'another', shard: { index: 1, count: 4 } };
    expect(() => mergeShards([shard, other])).toThrow(/of sweep another/);
  });

  it('worker threads give the points this thread gives', async () => {
    const [a, b] = [await runPoints(spec, [0, 3], { threads: 2 }), await inThread([0, 3])];
    expect(a).toEqual(b);
  }, 180_000);
});

describe('harvester-sim sweep merge', () => {
  it('prints, from the shard files of --shard i/n, the --json an unsharded sweep prints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    const grid = 'bandwidthPerMigration=0,1Gi';
    const common = ['node', 'harvester-sim', 'sweep', SCENARIO, '--evacuate', 'busiest', '--grid', grid];
    const out = (name: string) => join(dir, name);
    expect(await main([...common, '--threads', '1', '--json', '--output', out('whole.json')])).toBe(0);
    for (const i of [0, 1])
      expect(
        await main([...common, '--threads', '1', '--shard', `${i}/2`, '--output', out(`s${i}.json`)]),
      ).toBe(0);
    expect(
      await main([
        'node',
        'harvester-sim',
        'sweep',
        'merge',
        out('s1.json'),
        out('s0.json'),
        '--json',
        '--output',
        out('merged.json'),
      ]),
    ).toBe(0);
    const whole = JSON.parse(readFileSync(out('whole.json'), 'utf8'));
    expect(JSON.parse(readFileSync(out('merged.json'), 'utf8'))).toEqual(whole);
    expect(whole.points).toHaveLength(2);
    expect(whole.recommendation.kubevirtYaml).toMatch(/\n {4}migrations:\n {6}bandwidthPerMigration: /);
  }, 120_000);
});
