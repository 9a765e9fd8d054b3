/**
 * The worker side of a comparison: runs seeds of one plan and returns their `SeedOutcome`s. Loaded
 * by piscina (src/simulate/worker-file.ts: a bundle of `runSeedBatch`, or worker-entry.mjs under
 * tsx); the scenario and plan files are read once per worker.
 */
import { evaluate } from '../evaluate/evaluate.ts';
import { runPlan } from '../plan/runner/runner.ts';
import { resolveInputs } from '../simulate/simulate.ts';
import { type SeedOutcome, seedOutcome } from './seed-outcome.ts';

export interface SeedTask {
  readonly scenarioPath: string;
  readonly planPath: string;
  readonly seed: number | string;
}

const inputs = new Map<string, ReturnType<typeof resolveInputs>>();

export function runSeed(task: SeedTask): SeedOutcome {
  const key = `${task.scenarioPath}\u0000${task.planPath}`;
  let resolved = inputs.get(key);
  if (resolved === undefined) {
    resolved = resolveInputs(task.scenarioPath, task.planPath);
    inputs.set(key, resolved);
  }
  try {
    const run = runPlan(resolved.scenario, resolved.plan, { seed: task.seed });
    return seedOutcome(evaluate(run.records), task.seed);
  } catch (error) {
    // Name the run, so that one line on stderr says what to replay.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${task.planPath} with seed ${task.seed}: ${message}`);
  }
}

/** Seeds of one plan run in one task, so that a message crosses the thread boundary per batch. */
export interface SeedBatch {
  readonly scenarioPath: string;
  readonly planPath: string;
  readonly seeds: readonly (number | string)[];
}

export function runSeedBatch(batch: SeedBatch): SeedOutcome[] {
  return batch.seeds.map((seed) =>
    runSeed({ scenarioPath: batch.scenarioPath, planPath: batch.planPath, seed }),
  );
}

export default runSeedBatch;
