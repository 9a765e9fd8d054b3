/**
 * A sweep, as data: the scenario and plan texts, the grid, the seeds. It is all a shard needs
 * (a shard is a pure function of the spec, its index and the shard count), travels to worker threads
 * as is, and its digest ties shard files to the sweep they belong to.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_SEED } from '../../sim/index.ts';
import { checkPlanAgainstScenario } from '../plan/format/check-against-scenario.ts';
import { parsePlan, planFromData } from '../plan/format/load.ts';
import type { Plan } from '../plan/format/types.ts';
import { DocumentError } from '../scenario/document-error.ts';
import { scenarioFromData } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import { readYaml } from '../scenario/yaml-source.ts';
import { applyPoint, type GridAxis, type GridPoint, pointAt, pointCount } from './grid.ts';

/** The evacuation of one node (`--evacuate`), or a plan file (`--plan`). */
export type SweepWorkload =
  | { readonly kind: 'evacuate'; readonly node: string }
  | { readonly kind: 'plan'; readonly fileName: string; readonly text: string };

export interface SweepSpec {
  readonly scenario: { readonly fileName: string; readonly text: string };
  readonly workload: SweepWorkload;
  readonly axes: readonly GridAxis[];
  /** Seeds per grid point; the same seeds at every point (common random numbers). */
  readonly runs: number;
  readonly seed: number | string;
}

/** `--evacuate busiest`: the node with the most VMs placed on it in the scenario. */
export const BUSIEST = 'busiest';

export function sweepSpec(options: {
  scenario: { fileName: string; text: string };
  workload: SweepWorkload;
  axes: readonly GridAxis[];
  runs?: number;
  seed?: number | string;
}): SweepSpec {
  const runs = options.runs ?? 1;
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`--runs: expected a whole number ≥ 1, found ${runs}`);
  return {
    scenario: options.scenario,
    workload: options.workload,
    axes: options.axes,
    runs,
    seed: options.seed ?? DEFAULT_SEED,
  };
}

/** A short, stable name of the spec: the first 12 hex digits of SHA-256 of its JSON. */
export function specDigest(spec: SweepSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 12);
}

/** The seeds every grid point runs, counted up from `seed` like `simulateMany`. */
export function sweepSeeds(spec: SweepSpec): (number | string)[] {
  return Array.from({ length: spec.runs }, (_, i) =>
    typeof spec.seed === 'number' ? spec.seed + i : `${spec.seed}-${i}`,
  );
}

/** The spec's scenario and workload, parsed once and reused for every point. */
export interface PreparedSweep {
  readonly spec: SweepSpec;
  readonly document: unknown;
  readonly base: Scenario;
  readonly plan: Plan;
  readonly points: number;
}

export function prepareSweep(spec: SweepSpec): PreparedSweep {
  const read = readYaml(spec.scenario.text, spec.scenario.fileName);
  if ('issues' in read) throw new DocumentError('scenario', read.issues);
  const document = read.source.data;
  const base = scenarioFromData(document, spec.scenario.fileName);
  const plan =
    spec.workload.kind === 'plan'
      ? parsePlan(spec.workload.text, spec.workload.fileName)
      : evacuationPlan(evacuatedNode(base, spec.workload.node));
  checkPlanAgainstScenario(plan, base);
  // Every value of every axis alone, so that a bad value is named before any run.
  for (const axis of spec.axes)
    for (const value of axis.values)
      scenarioFromData(applyPoint(document, { [axis.setting]: value }), spec.scenario.fileName);
  return { spec, document, base, plan, points: pointCount(spec.axes) };
}

/** The scenario of grid point `index`. */
export function pointScenario(
  prepared: PreparedSweep,
  index: number,
): { point: GridPoint; scenario: Scenario } {
  const point = pointAt(prepared.spec.axes, index);
  return {
    point,
    scenario: scenarioFromData(applyPoint(prepared.document, point), prepared.spec.scenario.fileName),
  };
}

/** The node `--evacuate` names; `busiest` is the one with the most VMs that run there (ties: scenario order). */
export function evacuatedNode(scenario: Scenario, node: string): string {
  if (node !== BUSIEST) {
    if (!scenario.nodes.some((n) => n.name === node))
      throw new Error(
        `--evacuate: expected a node of ${scenario.fileName} (${scenario.nodes.map((n) => n.name).join(', ')}) or "${BUSIEST}", found "${node}"`,
      );
    return node;
  }
  const counts = scenario.nodes.map(
    (n) => scenario.vms.filter((vm) => vm.nodeName === n.name && vm.runStrategy !== 'Halted').length,
  );
  const most = Math.max(0, ...counts);
  if (most === 0)
    throw new Error(
      `--evacuate ${BUSIEST}: no VM of ${scenario.fileName} names its node (vms[].node); name the node to evacuate`,
    );
  return scenario.nodes[counts.indexOf(most)].name;
}

/** Harvester maintenance mode on the node: every VM on it is live-migrated (or stopped, as its labels say). */
export function evacuationPlan(node: string): Plan {
  return planFromData(
    {
      name: `evacuate-${node}`,
      description: `Maintenance mode on ${node}: its VMs are live-migrated under the migration settings`,
      steps: [{ step: 'node.maintenance', node, action: 'enable' }],
    },
    `(--evacuate ${node})`,
  );
}
