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
  type RunCase,
  replicaAntiAffinityKept,
  vmsEndAsPlanned,
} from '../../src/testing/invariants.ts';
import { writeCounterExample } from '../../src/testing/property.ts';
import { select } from '../../src/trace/record.ts';
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

/**
 * Every VM ends in a state the plan explains: when the plan completed, as `vmsEndAsPlanned` says,
 * except a VM left Pending for which the scheduler said why (schedule.failed), or still Stopping
 * after a vm.stop step.
 */
function vmsExplained(run: RunCase): string[] {
  if (!run.result.run.ok) return [];
  const unschedulable = new Set(
    select(run.result.trace, 'kube', 'schedule.failed').map((r) => r.data.object.replace(/^vmi\//, '')),
  );
  // A vm.stop step does not wait for the guest to power off, so a VM may end Stopping.
  const stops = run.plan.steps.some((s) => s.action.type === 'vm.stop');
  return vmsEndAsPlanned
    .check(run)
    .filter((v) => !(v.endsWith(' ends Pending') && unschedulable.has(v.split(' ')[0])))
    .filter((v) => !(stops && v.endsWith(' ends Stopping')));
}

/**
 * No write is accepted with zero healthy replicas, checked at the end of each instant: a volume that
 * attaches writes its rate and its new robustness at one simulated time, in that order, so the
 * testing kit's record-by-record `noWriteWithoutReplica` sees the detached volume's 0 replicas with
 * the new write rate (reported to the kit's owners).
 */
function noWriteWithoutReplicaAtInstantEnd({ result }: RunCase): string[] {
  const healthy = new Map<string, number>();
  const writing = new Map<string, number>();
  const touched = new Set<string>();
  const violations: string[] = [];
  const flush = (t: number) => {
    for (const volume of touched)
      if (healthy.get(volume) === 0 && (writing.get(volume) ?? 0) > 0)
        violations.push(
          `at ${t.toFixed(1)} s: ${volume} takes ${writing.get(volume)} B/s with no healthy replica`,
        );
    touched.clear();
  };
  let now = Number.NEGATIVE_INFINITY;
  for (const r of result.trace) {
    if (r.timeSeconds !== now) flush(now);
    now = r.timeSeconds;
    if (r.subsystem !== 'longhorn') continue;
    if (r.kind === 'volume.robustness') healthy.set(r.data.volume, r.data.healthyReplicas);
    else if (r.kind === 'volume.writes') writing.set(r.data.volume, r.data.bytesPerSecond);
    else continue;
    touched.add(r.data.volume);
  }
  flush(now);
  return violations;
}

const invariants: readonly { name: string; check: (run: RunCase) => string[] }[] = [
  { name: 'time-monotonic', check: timeMonotonic },
  { name: 'vms-explained', check: vmsExplained },
  etcdWritesKept,
  replicaAntiAffinityKept,
  migrationLimitsKept,
  { name: 'no-write-without-replica', check: noWriteWithoutReplicaAtInstantEnd },
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
  const why = new Map<string, string[]>();
  const property = fc.property(
    swarmCase(),
    fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    (input, simulationSeed) => {
      const found = swarmViolations(input, simulationSeed);
      if (!shrinking) options.onRun?.(++done);
      if (found.length > 0) {
        shrinking = true;
        why.set(JSON.stringify([input, simulationSeed]), found);
      }
      return found.length === 0;
    },
  );
  const details = fc.check(property, {
    seed: options.seed,
    numRuns: options.runs,
    interruptAfterTimeLimit: options.shrinkTimeLimitMs ?? 120_000,
    markInterruptAsFailure: false,
  });
  if (!details.failed || details.counterexample === null) return { ok: true, runs: details.numRuns };
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
