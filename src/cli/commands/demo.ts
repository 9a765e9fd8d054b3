import type { Command } from 'commander';
import { DEFAULT_SEED } from '../../../sim/random.ts';
import { parseSeed } from '../seed-option.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the kernel demo: processes sharing a link and a resource')
    .option('--seed <n>', 'root seed: a number, or a word (hashed)', String(DEFAULT_SEED))
    .action(async (options: { seed: string }) => {
      const { runKernelDemo } = await import('../../../sim/demo.ts');
      process.stdout.write(runKernelDemo(parseSeed(options.seed)));
    });
}
