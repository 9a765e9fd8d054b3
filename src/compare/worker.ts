/**
 * The worker side of a comparison: runs seeds of one plan and returns their `SeedOutcome`s. Loaded
 * by piscina (src/simulate/worker-file.ts: a bundle of `runSeedBatch`, or worker-entry.mjs under
 * tsx). The scenario and plan come loaded and checked by the calling thread, as plain data (a
 * structured clone, run-inputs.ts), so this module imports neither the YAML parser nor the schemas.
 */
import { evaluate } from '../evaluate/evaluate.ts';
import { runPlan } from '../plan/runner/runner.ts';
import type { RunInputs } from './run-inputs.ts';
import { type SeedOutcome, seedOutcome } from './seed-outcome.ts';

export interface SeedTask {
  readonly inputs: RunInputs;
  /** The plan's file, for error messages. */
  readonly planPath: string;
  readonly seed: number | string;
}

export function runSeed(task: SeedTask): SeedOutcome {
  try {
    const run = runPlan(task.inputs.scenario, task.inputs.plan, { seed: task.seed });
    return seedOutcome(evaluate(run.records), task.seed);
  } catch (error) {
    // Name the run, so that one line on stderr says what to replay.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${task.planPath} with seed ${task.seed}: ${message}`);
  }
}

/** Seeds of one plan run in one task, so that a message crosses the thread boundary per batch. */
export interface SeedBatch {
  readonly inputs: RunInputs;
  readonly planPath: string;
  readonly seeds: readonly (number | string)[];
}

export function runSeedBatch(batch: SeedBatch): SeedOutcome[] {
  return batch.seeds.map((seed) => runSeed({ inputs: batch.inputs, planPath: batch.planPath, seed }));
}

export default runSeedBatch;
