/**
 * `scale`: the generated cluster of bench/scale-cluster.ts (3 management nodes + workers, 30 VMs per
 * node, 2 Longhorn volumes per VM, 6 data disks per node) under the knowledge-base plan
 * (scenarios/plans/kb-shutdown-restart.yaml) or a maintenance drain of the first worker (its 30 VMs
 * live-migrate). One size runs in this process; a list of sizes runs each in its own process (so the
 * peak memory is that size's) and fits the growth exponent of the simulation time.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { loadPlan, planFromData } from '../src/plan/format/load.ts';
import type { Plan } from '../src/plan/format/types.ts';
import { runPlan } from '../src/plan/runner/runner.ts';
import { scenarioFromData } from '../src/scenario/load.ts';
import { nodeName, scaleClusterDocument } from './scale-cluster.ts';

export type ScalePlan = 'kb' | 'drain';

export interface ScaleOptions {
  readonly nodes: readonly number[];
  readonly plan: ScalePlan;
  readonly seed: number;
}

export interface ScaleResult {
  readonly nodes: number;
  readonly vms: number;
  readonly volumes: number;
  readonly plan: ScalePlan;
  readonly ok: boolean;
  /** Why the plan stopped, when it did not complete. */
  readonly failedStep: string | null;
  /** Generating and validating the scenario (not part of the simulation). */
  readonly loadSeconds: number;
  /** runPlan: building the world, settling, the plan's steps. */
  readonly simulationSeconds: number;
  readonly simulationCpuSeconds: number;
  readonly events: number;
  readonly records: number;
  /** The process's peak resident set (each size runs in its own process). */
  readonly peakRssBytes: number;
  /** The largest heap seen after a plan step. */
  readonly peakHeapBytes: number;
  /** Issue 10's target for this size and plan (simulation seconds), null when it sets none. */
  readonly targetSeconds: number | null;
  /** SHA-256 of every record as JSON, one per line (as trace-hashes): equal before and after a speed change. */
  readonly recordsSha256: string;
}

/** Issue 10: 100 nodes under the KB plan in 2 s, 500 nodes in 15 s, a 30-VM drain on 100 nodes in 1 s. */
function targetSeconds(nodes: number, plan: ScalePlan): number | null {
  if (plan === 'drain') return nodes === 100 ? 1 : null;
  return nodes === 100 ? 2 : nodes === 500 ? 15 : null;
}

const kbPlanPath = fileURLToPath(new URL('../scenarios/plans/kb-shutdown-restart.yaml', import.meta.url));

function drainPlan(): Plan {
  const node = nodeName(3);
  return planFromData(
    {
      name: 'scale-drain',
      description: `Maintenance mode on ${node}: its 30 VMs live-migrate`,
      steps: [
        { step: 'node.maintenance', node, action: 'enable' },
        { step: 'node.maintenance', node, action: 'disable' },
      ],
    },
    '(scale drain)',
  );
}

/** One size, in this process. */
export function scaleOnce(nodes: number, plan: ScalePlan, seed: number): ScaleResult {
  let t = performance.now();
  const document = scaleClusterDocument(nodes);
  const scenario = scenarioFromData(document, `(scale ${nodes})`);
  const loadSeconds = (performance.now() - t) / 1000;
  const steps = plan === 'kb' ? loadPlan(kbPlanPath) : drainPlan();
  // heapUsed without process.memoryUsage(), which also reads the resident set from /proc on every
  // call (about 2 % of the 100-node run's CPU when called after each plan step).
  let peakHeap = getHeapStatistics().used_heap_size;
  const cpu = process.cpuUsage();
  t = performance.now();
  const run = runPlan(scenario, steps, {
    seed,
    onStep: () => {
      peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
    },
  });
  const simulationSeconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  return {
    nodes,
    vms: scenario.vms.length,
    volumes: scenario.volumes.length,
    plan,
    ok: run.ok,
    failedStep: run.failedStep === null ? null : run.reason,
    loadSeconds: round(loadSeconds),
    simulationSeconds: round(simulationSeconds),
    simulationCpuSeconds: round((used.user + used.system) / 1e6),
    events: run.world.sim.eventCount,
    records: run.records.length,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapBytes: peakHeap,
    targetSeconds: targetSeconds(nodes, plan),
    recordsSha256: recordsHash(run.records),
  };
}

function recordsHash(records: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const r of records) hash.update(JSON.stringify(r)).update('\n');
  return hash.digest('hex');
}

/** Each size in its own process (`node --import tsx bench/run.ts scale --nodes N`), then the fit. */
export function scaleBenchmark(options: ScaleOptions): object {
  if (options.nodes.length === 1) return scaleOnce(options.nodes[0], options.plan, options.seed);
  const runner = fileURLToPath(new URL('./run.ts', import.meta.url));
  const sizes: ScaleResult[] = options.nodes.map((n) => {
    const out = execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        runner,
        'scale',
        '--nodes',
        String(n),
        '--plan',
        options.plan,
        '--seed',
        String(options.seed),
      ],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    return JSON.parse(out) as ScaleResult;
  });
  const from25 = sizes.filter((s) => s.nodes >= 25 && s.nodes <= 200);
  return {
    benchmark: 'scale',
    plan: options.plan,
    seed: options.seed,
    sizes,
    /**
     * Least-squares slope of log(simulation CPU seconds) over log(nodes): 1 is linear, 3 cubic. CPU,
     * not wall time: on a shared machine the wall time mostly measures the other processes.
     */
    growthExponent: growthExponent(sizes),
    growthExponent25to200: from25.length >= 2 ? growthExponent(from25) : null,
    wallGrowthExponent: growthExponent(sizes, 'simulationSeconds'),
    /** What N log N would give over the same range, for comparison. */
    nLogNExponent25to200: from25.length >= 2 ? nLogNExponent(from25.map((s) => s.nodes)) : null,
  };
}

/** Slope of log(time) against log(nodes). */
export function growthExponent(
  sizes: readonly ScaleResult[],
  time: 'simulationCpuSeconds' | 'simulationSeconds' = 'simulationCpuSeconds',
): number {
  return round(slope(sizes.map((s) => [Math.log(s.nodes), Math.log(s[time])])));
}

/** The exponent an N log N curve shows over these sizes (log-log slope of n·ln n). */
function nLogNExponent(nodes: readonly number[]): number {
  return round(slope(nodes.map((n) => [Math.log(n), Math.log(n * Math.log(n))])));
}

function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
