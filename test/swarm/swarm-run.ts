/**
 * Runs swarm cases with invariants and reports a failure with its seed, the commands that replay it
 * and the shrunk scenario and plan as YAML.
 */

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { LimitExceeded } from '../../sim/index.ts';
import { planFromData } from '../../src/plan/format/load.ts';
import { scenarioFromData } from '../../src/scenario/load.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import {
  etcdWritesKept,
  migrationLimitsKept,
  noWriteWithoutReplica,
  type RunCase,
  replicaAntiAffinityKept,
  replicaCountKept,
  vmsEndAsPlanned,
} from '../../src/testing/invariants.ts';
import { writeCounterExample } from '../../src/testing/property.ts';
import { type SwarmCase, swarmCase } from './cases.ts';

/** Limits of one swarm run: generated plans sleep at most an hour a step, so a day is ample. */
export const SWARM_LIMITS = { maxEvents: 5_000_000, maxSimulatedSeconds: 24 * 3600 } as const;

/** Time never goes backwards: trace records are in time order. */
function timeMonotonic({ result }: RunCase): string[] {
  let last = Number.NEGATIVE_INFINITY;
  for (const r of result.trace) {
    if (r.timeSeconds < last)
      return [`time went backwards: ${r.subsystem}/${r.kind} at ${r.timeSeconds} s after ${last} s`];
    last = r.timeSeconds;
  }
  return [];
}

/** The testing kit's invariants (src/testing/invariants.ts) and time's order. */
const invariants: readonly { name: string; check: (run: RunCase) => string[] }[] = [
  { name: 'time-monotonic', check: timeMonotonic },
  vmsEndAsPlanned,
  etcdWritesKept,
  replicaAntiAffinityKept,
  replicaCountKept,
  migrationLimitsKept,
  noWriteWithoutReplica,
];

/** The violations of one case on one simulation seed; an exception is one too (with its kind). */
export function swarmViolations(input: SwarmCase, simulationSeed: number): string[] {
  let run: RunCase;
  try {
    const scenario = scenarioFromData(input.scenario, 'scenario.yaml');
    const plan = planFromData(input.plan, 'plan.yaml');
    run = { result: simulate(scenario, plan, { seed: simulationSeed, ...SWARM_LIMITS }), scenario, plan };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof LimitExceeded) return [`run-within-limits: ${message}`];
    return [`no-internal-error: ${error instanceof Error ? error.name : 'throw'}: ${message}`];
  }
  return invariants.flatMap((inv) => inv.check(run).map((v) => `${inv.name}: ${v}`));
}

export interface SwarmOptions {
  readonly seed: number;
  readonly runs: number;
  /** Called after each run (not during shrinking). */
  readonly onRun?: (done: number) => void;
  /** Stop shrinking after this long (default 120 s). */
  readonly shrinkTimeLimitMs?: number;
}

export type SwarmOutcome =
  | { readonly ok: true; readonly runs: number }
  | { readonly ok: false; readonly report: string };

/** `runs` cases from `seed`; on a failure, the shrunk case and how to replay it. */
export function runSwarm(options: SwarmOptions): SwarmOutcome {
  let done = 0;
  let shrinking = false;
  // Only shrinking is bounded in time: a time limit on the whole check (fast-check's
  // interruptAfterTimeLimit) would end a long swarm early and call the runs it made a pass.
  let shrinkDeadline = Number.POSITIVE_INFINITY;
  const shrinkLimitMs = options.shrinkTimeLimitMs ?? 120_000;
  const why = new Map<string, string[]>();
  const property = fc.property(
    swarmCase(),
    fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    (input, simulationSeed) => {
      // Shrinking time is up: every further candidate "passes", so the smallest failure found stays.
      if (shrinking && Date.now() > shrinkDeadline) return true;
      const found = swarmViolations(input, simulationSeed);
      if (!shrinking) {
        done++;
        options.onRun?.(done);
      }
      if (found.length > 0) {
        if (!shrinking) shrinkDeadline = Date.now() + shrinkLimitMs;
        shrinking = true;
        why.set(JSON.stringify([input, simulationSeed]), found);
      }
      return found.length === 0;
    },
  );
  const details = fc.check(property, { seed: options.seed, numRuns: options.runs });
  if (!details.failed || details.counterexample === null) return { ok: true, runs: done };
  const [input, simulationSeed] = details.counterexample;
  const files = writeCounterExample(join(tmpdir(), `harvester-sim-swarm-${options.seed}`), input);
  const reasons = why.get(JSON.stringify([input, simulationSeed])) ?? [String(details.errorInstance)];
  const documents = (['scenario', 'plan'] as const).flatMap((kind) => [
    `--- ${files[kind]}${kind === 'scenario' ? ' (shrunk)' : ''}`,
    stringify(input[kind], { aliasDuplicateObjects: false }).trimEnd(),
  ]);
  const report = [
    `swarm failed at run ${details.numRuns} of ${options.runs} (seed ${options.seed}), shrunk ${details.numShrinks} time(s)`,
    `replay the swarm:  npm run swarm -- --seed ${options.seed} --runs ${details.numRuns}`,
    `replay the run:    npx harvester-sim evaluate ${files.scenario} ${files.plan} --seed ${simulationSeed} --max-events ${SWARM_LIMITS.maxEvents} --max-simulated-time ${SWARM_LIMITS.maxSimulatedSeconds}s`,
    '',
    'violations:',
    ...reasons.map((r) => `  ${r}`),
    '',
    ...documents,
  ].join('\n');
  return { ok: false, report };
}
