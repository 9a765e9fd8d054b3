import { Command, CommanderError } from 'commander';
import { registerDemo } from './commands/demo.ts';
import { registerEvaluate } from './commands/evaluate.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerReport } from './commands/report.ts';

/** Builds the command tree. Each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('harvester-sim')
    .description('Simulate Harvester clusters: shutdown orderings, live migration, storage rebuilds')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerEvaluate(program);
  registerReport(program);
  registerDemo(program);
  registerMigrate(program);
  return program;
}

/** Runs the CLI; returns the exit code. Errors end in one clear line on stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`harvester-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
