import type { Command } from 'commander';
import { runKernelDemo } from '../../../sim/demo.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the kernel demo: processes sharing a link and a resource')
    .option('--seed <n>', 'root seed', '1234567')
    .action((options: { seed: string }) => {
      process.stdout.write(runKernelDemo(Number(options.seed)));
    });
}
