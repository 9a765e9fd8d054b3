/**
 * What a comparison's worker threads run: the scenario and a plan, loaded and checked against each
 * other once on the calling thread. They cross to the workers as a structured clone, so a worker
 * parses no YAML and validates no schema (before, each worker loaded the scenario once per plan).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Plan } from '../plan/format/types.ts';
import type { Scenario } from '../scenario/types.ts';

export interface RunInputs {
  readonly scenario: Scenario;
  readonly plan: Plan;
}

/**
 * `inputs` if a structured clone of them is deep-strictly equal to them (plain data: what the loaders
 * return), so that a worker runs exactly what this thread would; throws otherwise (a class instance
 * would lose its prototype, a function cannot be cloned).
 */
export function plainInputs(inputs: RunInputs, planPath: string): RunInputs {
  let copy: unknown;
  try {
    copy = structuredClone(inputs);
  } catch (error) {
    throw new Error(
      `compare: the loaded scenario and plan ${planPath} cannot be sent to a worker thread (${error})`,
    );
  }
  if (!isDeepStrictEqual(copy, inputs))
    throw new Error(
      `compare: the loaded scenario and plan ${planPath} are not plain data; a worker thread would not get them whole`,
    );
  return inputs;
}
