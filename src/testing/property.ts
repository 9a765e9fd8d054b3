/**
 * `assertSimulationProperty`: a fast-check property over generated scenarios and plans, each run on
 * the simulated cluster with a generated seed. On failure the error gives the fast-check seed, the
 * command that replays the property, the shrunk counter-example as scenario and plan YAML (also
 * written to files) and the `harvester-sim evaluate … --seed` command that replays that one run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { planFromData } from '../plan/format/load.ts';
import { scenarioFromData } from '../scenario/load.ts';
import { simulate } from '../simulate/simulate.ts';
import type { PlanDocument, ScenarioDocument } from './arbitraries.ts';
import type { RunCase } from './invariants.ts';
import { seedFromEnvironment } from './seed.ts';

export interface SimulationCase {
  readonly scenario: ScenarioDocument;
  readonly plan: PlanDocument;
}

/**
 * What the property says about one run: throw (e.g. a failed `expect`), return false, or return
 * violation lines (`violations(run)`); true, undefined or an empty list means it held.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a predicate that only calls expect() returns void
export type SimulationPredicate = (run: RunCase) => boolean | void | readonly string[];

export interface PropertyOptions {
  /** Runs (default 10: each is a whole simulated cluster). */
  readonly numRuns?: number;
  /** fast-check seed; default FC_SEED from the environment, else a random one (printed on failure). */
  readonly seed?: number;
  /** Stops shrinking after this long and reports the smallest counter-example so far (default 120 s). */
  readonly timeLimitMs?: number;
  /** The command that reruns this property, given the seed (default: `FC_SEED=<seed> <this command line>`). */
  readonly replay?: (seed: number) => string;
  /** Where the counter-example's YAML is written (default: a folder under the OS temporary folder). */
  readonly counterExampleDir?: string;
  /**
   * Simulated seconds a run may take (default 7200): a run past it fails the property with
   * "did not finish within …" (a non-converging evacuation retries for a simulated day otherwise).
   */
  readonly maxSimulatedSeconds?: number;
  /** Simulation seeds drawn from (default 1 … 2³¹−1). */
  readonly simulationSeeds?: fc.Arbitrary<number>;
}

export class PropertyFailure extends Error {
  constructor(
    message: string,
    readonly seed: number,
    readonly counterExample: SimulationCase & { readonly simulationSeed: number },
    readonly files: { readonly scenario: string; readonly plan: string },
  ) {
    super(message);
    this.name = 'PropertyFailure';
  }
}

/** Runs one case: the documents validated, then simulated. */
export const DEFAULT_MAX_SIMULATED_SECONDS = 7200;

export function runCase(
  input: SimulationCase,
  simulationSeed: number,
  maxSimulatedSeconds = DEFAULT_MAX_SIMULATED_SECONDS,
): RunCase {
  const scenario = scenarioFromData(input.scenario, 'scenario.yaml');
  const plan = planFromData(input.plan, 'plan.yaml');
  return { result: simulate(scenario, plan, { seed: simulationSeed, maxSimulatedSeconds }), scenario, plan };
}

function held(outcome: ReturnType<SimulationPredicate>): { ok: boolean; why: readonly string[] } {
  if (outcome === false) return { ok: false, why: ['the predicate returned false'] };
  if (Array.isArray(outcome)) return { ok: outcome.length === 0, why: outcome as readonly string[] };
  return { ok: true, why: [] };
}

/** The YAML files a counter-example replays from. */
export function writeCounterExample(dir: string, input: SimulationCase): { scenario: string; plan: string } {
  mkdirSync(dir, { recursive: true });
  const files = { scenario: join(dir, 'scenario.yaml'), plan: join(dir, 'plan.yaml') };
  writeFileSync(files.scenario, stringify(input.scenario, { aliasDuplicateObjects: false }));
  writeFileSync(files.plan, stringify(input.plan, { aliasDuplicateObjects: false }));
  return files;
}

/**
 * Checks `predicate` on runs of generated cases; throws a PropertyFailure naming the seed, the
 * replay commands and the shrunk counter-example as YAML when it does not hold.
 */
export function assertSimulationProperty(
  cases: fc.Arbitrary<SimulationCase>,
  predicate: SimulationPredicate,
  options: PropertyOptions = {},
): void {
  const seed = seedFromEnvironment() ?? options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const why = new Map<string, readonly string[]>();
  const property = fc.property(
    cases,
    options.simulationSeeds ?? fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    (input, simulationSeed) => {
      const outcome = held(predicate(runCase(input, simulationSeed, options.maxSimulatedSeconds)));
      if (!outcome.ok) why.set(JSON.stringify([input, simulationSeed]), outcome.why);
      return outcome.ok;
    },
  );
  const details = fc.check(property, {
    seed,
    numRuns: options.numRuns ?? 10,
    interruptAfterTimeLimit: options.timeLimitMs ?? 120_000,
    markInterruptAsFailure: false,
  });
  if (!details.failed || details.counterexample === null) return;
  const [input, simulationSeed] = details.counterexample;
  const dir = options.counterExampleDir ?? join(tmpdir(), `harvester-sim-counterexample-${seed}`);
  const files = writeCounterExample(dir, input);
  const replay = options.replay?.(seed) ?? `FC_SEED=${seed} ${process.argv.slice(1).join(' ')}`;
  const reasons =
    why.get(JSON.stringify([input, simulationSeed])) ??
    (details.errorInstance instanceof Error ? [details.errorInstance.message] : []);
  const message = [
    `property failed after ${details.numRuns} run(s), ${details.numShrinks} shrink(s); fast-check seed ${seed}` +
      (details.counterexamplePath === null ? '' : `, path "${details.counterexamplePath}"`),
    `replay the property:  ${replay}`,
    `replay the run:       harvester-sim evaluate ${files.scenario} ${files.plan} --seed ${simulationSeed}`,
    '',
    'why:',
    ...reasons.map((r) => `  ${r}`),
    '',
    `--- ${files.scenario} (shrunk)`,
    stringify(input.scenario, { aliasDuplicateObjects: false }).trimEnd(),
    `--- ${files.plan}`,
    stringify(input.plan, { aliasDuplicateObjects: false }).trimEnd(),
  ].join('\n');
  throw new PropertyFailure(message, seed, { ...input, simulationSeed }, files);
}
