import { Command, CommanderError } from 'commander';
import { registerCalibrate } from './commands/calibrate.ts';
import { registerCheck } from './commands/check.ts';
import { registerCompare } from './commands/compare.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEvaluate } from './commands/evaluate.ts';
import { registerImport } from './commands/import.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerReplay } from './commands/replay.ts';
import { registerReport } from './commands/report.ts';
import { registerSearch } from './commands/search.ts';
import { registerSweep } from './commands/sweep.ts';
import { registerTestbed } from './commands/testbed.ts';
import { registerValidate } from './commands/validate.ts';
import { takeExitStatus } from './exit-status.ts';
import { programExitStatusHelp } from './options/run-verdict.ts';
import { packageVersion } from './package-paths.ts';

/** Builds the command tree. Each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('harvester-sim')
    .description('Simulate Harvester clusters: shutdown orderings, live migration, storage rebuilds')
    .version(packageVersion(), '--version', 'print the version')
    .addHelpText('after', programExitStatusHelp)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerEvaluate(program);
  registerReport(program);
  registerCompare(program);
  registerDemo(program);
  registerMigrate(program);
  registerValidate(program);
  registerSweep(program);
  registerTestbed(program);
  registerImport(program);
  registerReplay(program);
  registerCalibrate(program);
  registerCheck(program);
  registerSearch(program);
  return program;
}

/** Whether an error is a write to a pipe whose reader has gone (`evaluate --json | head`). */
function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

/**
 * Output piped into `head` ends quietly when the reader goes away, as other command-line tools do:
 * no stack trace. Installed once by the executable (src/cli/harvester-sim.js).
 */
export function endQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (!isBrokenPipe(error)) throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
}

/** Runs the CLI; returns the exit code. Errors end in one clear line on stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    takeExitStatus();
    await buildProgram().parseAsync(argv as string[]);
    return takeExitStatus();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isBrokenPipe(error)) return 0;
    process.stderr.write(`harvester-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
