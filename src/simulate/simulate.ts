/**
 * The one-call API: load a scenario and a plan (objects, or YAML file paths), run the plan on the
 * simulated cluster, evaluate the trace. `simulateMany` does the same over many seeds.
 */
import type { TraceSink } from '../../sim/index.ts';
import { type Evaluation, evaluate } from '../evaluate/evaluate.ts';
import { checkPlanAgainstScenario } from '../plan/format/check-against-scenario.ts';
import { loadPlan } from '../plan/format/load.ts';
import type { Plan, PlanStep } from '../plan/format/types.ts';
import { type PlanRun, runPlan } from '../plan/runner/runner.ts';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Trace } from '../trace/record.ts';
import { seedsOf } from './seeds.ts';

export { seedsOf };

export interface SimulateOptions {
  /** Root seed of every random stream (default `DEFAULT_SEED`, 1234567). */
  readonly seed?: number | string;
  /** Extra trace sinks (a JSON-lines file, a hash). */
  readonly sinks?: TraceSink[];
  /** Hard limits of the run (defaults: 90 simulated days, 50,000,000 events). */
  readonly maxSimulatedSeconds?: number;
  readonly maxEvents?: number;
  /** Called after each step, for progress on long runs. */
  readonly onStep?: (step: PlanStep, index: number, total: number) => void;
}

export interface SimulationResult {
  readonly evaluation: Evaluation;
  /** Every record of the traced run, in trace time. */
  readonly trace: Trace;
  /** The run itself, with the world it ran on (for inspection; evaluation reads only `trace`). */
  readonly run: PlanRun;
}

/** A scenario and a plan as objects, or as paths of their YAML files. */
export type ScenarioInput = Scenario | string;
export type PlanInput = Plan | string;

export function resolveInputs(scenario: ScenarioInput, plan: PlanInput): { scenario: Scenario; plan: Plan } {
  const s = typeof scenario === 'string' ? loadScenario(scenario) : scenario;
  const p = typeof plan === 'string' ? loadPlan(plan) : plan;
  checkPlanAgainstScenario(p, s);
  return { scenario: s, plan: p };
}

/** Loads (if given paths), checks the plan against the scenario, runs it and evaluates the trace. */
export function simulate(
  scenario: ScenarioInput,
  plan: PlanInput,
  options: SimulateOptions = {},
): SimulationResult {
  const inputs = resolveInputs(scenario, plan);
  const run = runPlan(inputs.scenario, inputs.plan, options);
  return { evaluation: evaluate(run.records), trace: run.records, run };
}

export interface SimulateManyOptions extends Omit<SimulateOptions, 'seed' | 'sinks' | 'onStep'> {
  /** The seeds to run; or `runs` seeds counted up from `seed` (numbers) or `seed-0`, `seed-1`, ... (words). */
  readonly seeds?: readonly (number | string)[];
  readonly runs?: number;
  readonly seed?: number | string;
  /** Called after each run. */
  readonly onRun?: (evaluation: Evaluation, index: number, total: number) => void;
}

/**
 * Runs one plan over many seeds and returns each run's evaluation, in seed order. Traces are not
 * kept (memory stays bounded by one run); replay one with `simulate(scenario, plan, { seed })`.
 */
export function simulateMany(
  scenario: ScenarioInput,
  plan: PlanInput,
  options: SimulateManyOptions = {},
): Evaluation[] {
  const inputs = resolveInputs(scenario, plan);
  const seeds = seedsOf(options);
  return seeds.map((seed, index) => {
    const run = runPlan(inputs.scenario, inputs.plan, {
      seed,
      maxEvents: options.maxEvents,
      maxSimulatedSeconds: options.maxSimulatedSeconds,
    });
    const evaluation = evaluate(run.records);
    options.onRun?.(evaluation, index, seeds.length);
    return evaluation;
  });
}
