import { Command } from 'commander';
import { compareBenchmark } from './compare.ts';
import { flowsBenchmark } from './flows.ts';
import { htmlReportBenchmark } from './html-report.ts';
import { kernelBenchmark } from './kernel.ts';
import { migrationValidationBenchmark } from './migration-validation.ts';
import { offlineYearBenchmark } from './offline-year.ts';
import { pendingBenchmark } from './pending.ts';
import { type ScalePlan, scaleBenchmark } from './scale.ts';
import { searchBenchmark } from './search.ts';
import { seedsBenchmark } from './seeds.ts';
import { startupBenchmark } from './startup.ts';
import { sweepBenchmark, THOUSAND_POINT_GRID } from './sweep.ts';
import { traceHashes } from './trace-hashes.ts';
import { workerStartupBenchmark } from './worker-startup.ts';

/** `npm run bench -- <name> [options]`: one JSON object per benchmark on stdout. */
const program = new Command('bench').exitOverride();
const print = (result: object) => process.stdout.write(`${JSON.stringify(result)}\n`);
const int = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive integer, found '${value}'`);
  return n;
};

program
  .command('kernel')
  .option('--processes <n>', 'processes', int, 1000)
  .option('--steps <n>', 'timeouts per process', int, 2000)
  .option('--repeat <n>', 'runs; the best is reported', int, 3)
  .action((o) => {
    print(kernelBenchmark(o));
  });
program
  .command('flows')
  .option('--links <n>', 'links', int, 100)
  .option('--flows <n>', 'flows in all', int, 10000)
  .option('--concurrent <n>', 'flows at once', int, 1000)
  .action((o) => {
    print(flowsBenchmark(o));
  });
program
  .command('pending')
  .option('--timeouts <n>', 'pending timeouts', int, 100000)
  .action((o) => {
    print(pendingBenchmark(o));
  });
program
  .command('sweep')
  .description('a 1,000-point sweep of the 40-VM evacuation (target: under 60 s on 2 cores)')
  .option('--grid <grid>', 'grid (default: 1,000 points)', THOUSAND_POINT_GRID)
  .option('--threads <n>', 'worker threads (default: one per core)', int)
  .option('--check-shards', 'also run it as 4 shards and compare the merge with the unsharded result')
  .action(async (o) => {
    print(await sweepBenchmark({ grid: o.grid, threads: o.threads, checkShards: o.checkShards === true }));
  });
program
  .command('compare')
  .description('200 seeds of two plans on seed-witness (target: under 5 s on 2 cores)')
  .option('--runs <n>', 'seeds per plan', int, 200)
  .option('--threads <n>', 'worker threads (default: one per core)', int)
  .action(async (o) => {
    print(await compareBenchmark({ runs: o.runs, threads: o.threads }));
  });
program
  .command('worker-startup')
  .description("a compare or sweep worker thread's start-up, bundled and through tsx (issues 12, 13)")
  .option('--runs <n>', 'pools started per form; medians', int, 5)
  .action(async (o) => {
    print(await workerStartupBenchmark({ runs: o.runs }));
  });
program
  .command('migration-validation')
  .description("issue 9's out-of-sample targets on the QEMU runs measured after the fit (not timed)")
  .action(() => {
    print(migrationValidationBenchmark());
  });
program
  .command('html-report')
  .description('the HTML report of a 12-node run (target: under 1 MB)')
  .option('--plan <name>', 'plan under scenarios/plans/', 'nodes-only')
  .action(async (o) => {
    print(await htmlReportBenchmark({ plan: o.plan }));
  });
program
  .command('search')
  .description('search on production-12node (target: within its 60 s default budget)')
  .option('--scenario <name>', 'scenario under scenarios/', 'production-12node')
  .option('--budget <s>', 'budget in seconds', int, 60)
  .option('--seeds <n>', 'seeds per candidate', int, 8)
  .action((o) => {
    print(searchBenchmark({ scenario: o.scenario, budgetSeconds: o.budget, seeds: o.seeds }));
  });
program
  .command('scale')
  .description('the generated cluster (30 VMs, 60 volumes per node) under the KB plan or a drain (issue 10)')
  .option(
    '--nodes <list>',
    'node counts, comma-separated (each in its own process, with the growth fit)',
    '100',
  )
  .option(
    '--plan <plan>',
    'kb (scenarios/plans/kb-shutdown-restart.yaml as shipped) or drain (maintenance of one worker)',
    'kb',
  )
  .option('--seed <n>', 'root seed', int, 1234567)
  .action((o) => {
    const nodes = String(o.nodes).split(',').map(int);
    if (o.plan !== 'kb' && o.plan !== 'drain')
      throw new Error(`--plan: expected kb or drain, found '${o.plan}'`);
    print(scaleBenchmark({ nodes, plan: o.plan as ScalePlan, seed: o.seed }));
  });
program
  .command('startup')
  .description('--help, evaluate and migrate as whole processes, built and from sources (issue 10)')
  .option('--runs <n>', 'runs of each command', int, 5)
  .option('--built-only', 'time the built CLI only, not the sources through tsx')
  .option('--cli <file>', 'built executable to time (default dist/cli/harvester-sim.js)')
  .action((o) => {
    print(startupBenchmark({ runs: o.runs, builtOnly: o.builtOnly === true, cli: o.cli }));
  });
program
  .command('seeds')
  .description('seed-witness under the KB plan over many seeds in one process (issue 10)')
  .option('--runs <n>', 'seeds', int, 200)
  .action((o) => {
    print(seedsBenchmark({ runs: o.runs }));
  });
program
  .command('offline-year')
  .description('seed-witness powered off for a year, run and evaluated (target: well under 1 s a run)')
  .option('--runs <n>', 'seeds', int, 10)
  .action((o) => {
    print(offlineYearBenchmark({ runs: o.runs }));
  });
program
  .command('trace-hashes')
  .description(
    'SHA-256 of the records and report of every shipped scenario x plan: one JSON line each, to diff before and after a speed change',
  )
  .action(() => {
    for (const hash of traceHashes()) print(hash);
  });
program
  .command('all')
  .description('every benchmark with its default size')
  .action(() => {
    print(kernelBenchmark({ processes: 1000, steps: 2000 }));
    print(flowsBenchmark({ links: 100, flows: 10000, concurrent: 1000 }));
    print(pendingBenchmark({ timeouts: 100000 }));
  });

try {
  program.parse(process.argv);
} catch (error) {
  if ((error as { code?: string }).code?.startsWith('commander.')) process.exit(1);
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(1);
}
