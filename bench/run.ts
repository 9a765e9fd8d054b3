import { Command } from 'commander';
import { flowsBenchmark } from './flows.ts';
import { kernelBenchmark } from './kernel.ts';
import { pendingBenchmark } from './pending.ts';

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
