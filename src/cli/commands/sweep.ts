/**
 * `harvester-sim sweep`: run a node evacuation (or a plan) at every point of a grid of KubeVirt
 * migration settings, rank the points, recommend one (docs/sweep.md). `sweep export-job` writes the
 * same sweep as a Kubernetes Indexed Job; `sweep merge` reduces shard files to the sweep's result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { DEFAULT_SEED } from '../../../sim/random.ts';
import type * as Load from '../../scenario/load.ts';
import { chartSvg } from '../../sweep/chart.ts';
import { parseGrid } from '../../sweep/grid.ts';
import type * as JobManifest from '../../sweep/job-manifest.ts';
import type * as Merge from '../../sweep/merge.ts';
import type { SweepResult } from '../../sweep/merge.ts';
import type * as Pool from '../../sweep/pool.ts';
import { DEFAULT_OBJECTIVE, parseObjective } from '../../sweep/ranking.ts';
import type * as Recommendation from '../../sweep/recommendation.ts';
import type * as Shard from '../../sweep/shard.ts';
import type * as Spec from '../../sweep/spec.ts';
import type { SweepSpec } from '../../sweep/spec.ts';
import { sweepCsv, sweepTable } from '../../sweep/table.ts';
import { loadCliProgress } from '../load-cli-progress.ts';
import { parseCount } from '../options/plain-numbers.ts';
import { packageRoot } from '../package-paths.ts';
import { parseSeed } from '../seed-option.ts';

// The sweep's modules (the scenario and plan loaders, the simulation, the worker pool) are loaded when
// a sweep command runs, not at start-up: `--help` and the other commands need none of them (issue 10).
let readDocumentFile: typeof Load.readDocumentFile;
let jobManifest: typeof JobManifest.jobManifest;
let asShard: typeof Merge.asShard;
let mergeShards: typeof Merge.mergeShards;
let runPoints: typeof Pool.runPoints;
let recommendationFor: typeof Recommendation.recommendationFor;
let parseShard: typeof Shard.parseShard;
let runShard: typeof Shard.runShard;
let shardPoints: typeof Shard.shardPoints;
let prepareSweep: typeof Spec.prepareSweep;
let sweepSpec: typeof Spec.sweepSpec;

async function loadSweepModules(): Promise<void> {
  ({ readDocumentFile } = await import('../../scenario/load.ts'));
  ({ jobManifest } = await import('../../sweep/job-manifest.ts'));
  ({ asShard, mergeShards } = await import('../../sweep/merge.ts'));
  ({ runPoints } = await import('../../sweep/pool.ts'));
  ({ recommendationFor } = await import('../../sweep/recommendation.ts'));
  ({ parseShard, runShard, shardPoints } = await import('../../sweep/shard.ts'));
  ({ prepareSweep, sweepSpec } = await import('../../sweep/spec.ts'));
}

interface SweepOptions {
  evacuate?: string;
  plan?: string;
  grid?: string;
  runs: string;
  seed: string;
  objective?: string;
  threads?: string;
  shard?: string;
  json?: boolean;
  csv?: string;
  svg?: string;
  output?: string;
  top: string;
}

interface ExportOptions extends SweepOptions {
  shards: string;
  parallelism?: string;
  image?: string;
  package?: string;
  name?: string;
  namespace?: string;
  pvc?: string;
}

interface ReportOptions {
  json?: boolean;
  csv?: string;
  svg?: string;
  output?: string;
  objective?: string;
  top: string;
}

/** The options `sweep` and `sweep export-job` share: what defines the sweep. */
function sweepDefinition(command: Command): Command {
  return command
    .argument('<scenario>', 'scenario YAML')
    .addOption(
      new Option('--evacuate <node>', 'evacuate this node (maintenance mode), or "busiest"').conflicts(
        'plan',
      ),
    )
    .option('--plan <file>', 'run this plan YAML instead of an evacuation')
    .option(
      '--grid <grid>',
      "settings and their values: 'bandwidthPerMigration=0,512Mi;allowAutoConverge=false,true' (a path under networks. sweeps the network; policy.<name>.<field> a MigrationPolicy of the scenario)",
    )
    .option('--runs <n>', 'seeds per grid point', '1')
    .option('--seed <n>', 'first seed (the others count up from it)', String(DEFAULT_SEED))
    .option('--threads <n>', 'worker threads (default: one per core)');
}

function reportOptions(command: Command): Command {
  return command
    .option('--objective <list>', `rank by these, in order (default ${DEFAULT_OBJECTIVE.join(',')})`)
    .option('--json', 'print the result as JSON: { points, ranking, pareto, recommended, recommendation }')
    .option('--csv <file>', 'write one row per grid point')
    .option('--svg <file>', 'write a chart: makespan against p99 downtime, one point per grid point')
    .option('--output <file>', 'write what would go to stdout to this file')
    .option('--top <n>', 'rows of the ranked table', '20');
}

/** The spec from the command line, and the arguments that rebuild it elsewhere (the Job's pods). */
function specFrom(scenarioPath: string, options: SweepOptions): { spec: SweepSpec; args: string[] } {
  if ((options.evacuate === undefined) === (options.plan === undefined))
    throw new Error('sweep: expected one of --evacuate <node|busiest> or --plan <plan.yaml>');
  if (options.grid === undefined) throw new Error("sweep: expected --grid 'setting=v1,v2;...'");
  const runs = parseCount(options.runs, 1);
  const seed = parseSeed(options.seed);
  const axes = parseGrid(options.grid);
  // File names without folders: the spec (and its digest) is the same wherever the files are.
  const scenario = { fileName: basename(scenarioPath), text: readDocumentFile(scenarioPath, 'scenario') };
  const workload =
    options.plan === undefined
      ? { kind: 'evacuate' as const, node: options.evacuate as string }
      : {
          kind: 'plan' as const,
          fileName: basename(options.plan),
          text: readDocumentFile(options.plan, 'plan'),
        };
  const spec = sweepSpec({ scenario, workload, axes, runs, seed });
  const args = [
    ...(workload.kind === 'plan' ? ['--plan', workload.fileName] : ['--evacuate', workload.node]),
    '--grid',
    options.grid,
    '--runs',
    String(runs),
    '--seed',
    String(seed),
  ];
  return { spec, args };
}

/** Points done of all, with an ETA, on a terminal; nothing when stderr is piped. */
function pointProgress(total: number): { tick(): void; stop(): void } {
  if (!process.stderr.isTTY) return { tick: () => {}, stop: () => {} };
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      format: 'sweep [{bar}] {value}/{total} points  {duration_formatted} elapsed, ETA {eta_formatted}',
      stream: process.stderr,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(1), stop: () => bar.stop() };
}

function write(output: string | undefined, text: string): void {
  if (output === undefined) process.stdout.write(text);
  else writeFileSync(output, text);
}

async function report(result: SweepResult, options: ReportOptions): Promise<void> {
  const recommendation = recommendationFor(result);
  if (options.csv !== undefined) writeFileSync(options.csv, sweepCsv(result));
  if (options.svg !== undefined) writeFileSync(options.svg, await chartSvg(result));
  write(
    options.output,
    options.json
      ? `${JSON.stringify({ ...result, recommendation }, null, 2)}\n`
      : sweepTable(result, recommendation, parseCount(options.top, 1)),
  );
}

/** Reads a shard file; a pod's log may carry lines before the JSON, so the last `{` line is taken. */
function readShard(path: string) {
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const line = text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .at(-1);
    try {
      data = line === undefined ? undefined : JSON.parse(line);
    } catch {
      data = undefined;
    }
  }
  return asShard(data, path);
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string }).version;
}

export function registerSweep(program: Command): void {
  const sweep = reportOptions(
    sweepDefinition(
      program
        .command('sweep')
        .description('rank KubeVirt migration settings (and the network) over a node evacuation or a plan'),
    ),
  )
    .option('--shard <i/n>', 'run shard i of n only and print its shard file (merge with `sweep merge`)')
    .action(async (scenarioPath: string, options: SweepOptions) => {
      await loadSweepModules();
      const { spec } = specFrom(scenarioPath, options);
      const objective =
        options.objective === undefined ? DEFAULT_OBJECTIVE : parseObjective(options.objective);
      const threads = options.threads === undefined ? undefined : parseCount(options.threads, 1);
      const { index, count } =
        options.shard === undefined ? { index: 0, count: 1 } : parseShard(options.shard);
      prepareSweep(spec); // refuses a bad scenario, plan or grid value before any run
      const progress = pointProgress(shardPoints(spec, index, count).length);
      const shard = await runShard(spec, index, count, (indices) =>
        runPoints(spec, indices, { threads, onPoint: () => progress.tick() }),
      );
      progress.stop();
      if (options.shard !== undefined) {
        write(options.output, `${JSON.stringify(shard)}\n`);
        return;
      }
      await report(mergeShards([shard], objective), options);
    });

  sweepDefinition(
    sweep
      .command('export-job')
      .description(
        'write the sweep as a Kubernetes Indexed Job (one pod per shard) running the published package',
      ),
  )
    .requiredOption('--shards <n>', 'shards (Job completions)')
    .option('--parallelism <n>', 'pods at once (default: every shard)')
    .option('--image <image>', 'container image with Node ≥ 20 and npm')
    .option('--package <spec>', 'the package npx runs (default: harvester-sim@<this version>)')
    .option('--name <name>', 'Job name (default: harvester-sim-sweep-<digest>)')
    .option('--namespace <namespace>', 'namespace', 'default')
    .option('--pvc <claim>', 'write shard files to this PersistentVolumeClaim instead of the pod logs')
    .option('--output <file>', 'write the manifest to this file')
    .action(async (scenarioPath: string, _local: ExportOptions, command: Command) => {
      await loadSweepModules();
      // The parent `sweep` parses the options it shares with this command: read both.
      const options = command.optsWithGlobals<ExportOptions>();
      const { spec, args } = specFrom(scenarioPath, options);
      prepareSweep(spec);
      const threads =
        options.threads === undefined ? [] : ['--threads', String(parseCount(options.threads, 1))];
      write(
        options.output,
        jobManifest(spec, {
          shards: parseCount(options.shards, 1),
          parallelism: options.parallelism === undefined ? undefined : parseCount(options.parallelism, 1),
          image: options.image,
          packageSpec: options.package ?? `harvester-sim@${packageVersion()}`,
          name: options.name,
          namespace: options.namespace,
          pvc: options.pvc,
          sweepArgs: [...args, ...threads],
        }),
      );
    });

  reportOptions(
    sweep
      .command('merge')
      .description('merge shard files (sweep --shard i/n) into the result an unsharded sweep prints')
      .argument('<shards...>', 'shard files'),
  ).action(async (paths: string[], _local: ReportOptions, command: Command) => {
    await loadSweepModules();
    const options = command.optsWithGlobals<ReportOptions>();
    const objective = options.objective === undefined ? DEFAULT_OBJECTIVE : parseObjective(options.objective);
    await report(mergeShards(paths.map(readShard), objective), options);
  });
}
