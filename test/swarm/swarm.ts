/**
 * `npm run swarm -- --seed S --runs N`: N random valid clusters and plans from one seed, each run
 * with invariants (test/swarm/swarm-run.ts). Exits 0 when all pass; on a failure prints the seed,
 * the replay commands and the shrunk scenario and plan as YAML, and exits 2.
 */
import { Command } from 'commander';
import { runSwarm } from './swarm-run.ts';

const program = new Command('swarm')
  .option('--seed <n>', 'root seed (default: the date as YYYYMMDD, so each day explores new cases)')
  .option('--runs <n>', 'how many cases', '100')
  .parse(process.argv);
const options = program.opts<{ seed?: string; runs: string }>();

function wholeNumber(option: string, text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new Error(`${option}: expected a whole number, found "${text}"`);
  return Number(text);
}

try {
  const seed = wholeNumber(
    '--seed',
    options.seed ?? new Date().toISOString().slice(0, 10).replaceAll('-', ''),
  );
  const runs = wholeNumber('--runs', options.runs);
  const tty = process.stderr.isTTY;
  const started = Date.now();
  const outcome = runSwarm({
    seed,
    runs,
    onRun: (done) => {
      if (tty) process.stderr.write(`\rswarm seed ${seed}: ${done}/${runs}`);
      // Piped (a long swarm in the background, CI): a line every 100 runs, so a log shows how far it got.
      else if (done % 100 === 0)
        process.stderr.write(
          `swarm seed ${seed}: ${done}/${runs} at ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
        );
    },
  });
  if (tty) process.stderr.write('\n');
  if (outcome.ok) {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    process.stdout.write(
      `swarm seed ${seed}: ${outcome.runs} run(s) passed every invariant in ${seconds} s\n`,
    );
  } else {
    process.stdout.write(`${outcome.report}\n`);
    process.exitCode = 2;
  }
} catch (error) {
  process.stderr.write(`swarm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
