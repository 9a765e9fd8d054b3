/**
 * The sweep targets (issue 13): a 1,000-point sweep of the 40-VM node evacuation
 * (scenarios/evacuation-40vm.yaml) under 60 s on the project's 2-core machine; and the same sweep in
 * 4 shards, merged, identical to the unsharded result (with `checkShards`, which runs it twice).
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parseGrid, pointCount } from '../src/sweep/grid.ts';
import { mergeShards } from '../src/sweep/merge.ts';
import { defaultThreads, runPoints } from '../src/sweep/pool.ts';
import { runShard } from '../src/sweep/shard.ts';
import { sweepSpec } from '../src/sweep/spec.ts';

/** 5 × 5 × 5 × 2 × 2 × 2 = 1,000 points. */
export const THOUSAND_POINT_GRID =
  'bandwidthPerMigration=0,256Mi,512Mi,1Gi,2Gi;parallelOutboundMigrationsPerNode=1,2,3,4,5;' +
  'parallelMigrationsPerCluster=1,2,5,10,20;allowAutoConverge=false,true;allowPostCopy=false,true;' +
  'completionTimeoutPerGiB=150,800';

const SCENARIO = new URL('../scenarios/evacuation-40vm.yaml', import.meta.url);

export async function sweepBenchmark(options: { grid: string; threads?: number; checkShards: boolean }) {
  const spec = sweepSpec({
    scenario: { fileName: 'evacuation-40vm.yaml', text: readFileSync(SCENARIO, 'utf8') },
    workload: { kind: 'evacuate', node: 'busiest' },
    axes: parseGrid(options.grid),
    runs: 1,
  });
  const threads = options.threads ?? defaultThreads();
  const run = (indices: readonly number[]) => runPoints(spec, indices, { threads });
  const started = performance.now();
  // Process CPU time counts every thread (getrusage): on a shared machine it says what the sweep cost,
  // whatever else ran; divided by the threads it is the wall time on as many idle cores.
  const cpuBefore = process.cpuUsage();
  const unsharded = mergeShards([await runShard(spec, 0, 1, run)]);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  let shardsIdentical: boolean | null = null;
  if (options.checkShards) {
    const shards = [];
    for (let i = 0; i < 4; i++) shards.push(await runShard(spec, i, 4, run));
    shardsIdentical = isDeepStrictEqual(mergeShards(shards), unsharded);
  }
  return {
    benchmark: 'sweep',
    scenario: 'evacuation-40vm',
    points: pointCount(spec.axes),
    runsPerPoint: spec.runs,
    threads,
    seconds: Number(seconds.toFixed(1)),
    pointsPerSecond: Number((pointCount(spec.axes) / seconds).toFixed(2)),
    cpuSeconds: Number(cpuSeconds.toFixed(1)),
    cpuMillisecondsPerPoint: Math.round((1000 * cpuSeconds) / pointCount(spec.axes)),
    /** Wall seconds on `threads` idle cores at this CPU cost. */
    idleCoresSeconds: Number((cpuSeconds / threads).toFixed(1)),
    targetSeconds: 60,
    met: seconds < 60,
    shardsIdentical,
  };
}
