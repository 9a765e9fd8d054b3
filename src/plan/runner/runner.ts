import {
  DEFAULT_SEED,
  type Event,
  Interrupt,
  LimitExceeded,
  type ProcessGenerator,
  type TraceSink,
} from '../../../sim/index.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { Trace } from '../../trace/record.ts';
import { Recorder, RecordSink } from '../../trace/recorder.ts';
import { buildWorld, type WorldExtension } from '../../world/build-world.ts';
import type { World } from '../../world/world.ts';
import type { Plan, PlanStep, Wait } from '../format/types.ts';
import { perform } from './actions.ts';
import { observe, type StorageView } from './conditions.ts';
import { scheduleFaults } from './faults.ts';
import { ResolveError, resolveTarget } from './resolve.ts';
import { StepFailure } from './step-failure.ts';

export interface PlanRunOptions {
  seed?: number | string;
  /** Extra sinks for the trace (a JSON-lines file, a hash). */
  sinks?: TraceSink[];
  /** Optional models added to the world before it starts (the standard ones are always there). */
  extensions?: (world: World) => readonly WorldExtension[];
  /** Hard limits of the run. */
  maxSimulatedSeconds?: number;
  maxEvents?: number;
  /** Called after each step, for progress on long runs. */
  onStep?: (step: PlanStep, index: number, total: number) => void;
}

export interface PlanRun {
  readonly world: World;
  readonly records: Trace;
  readonly ok: boolean;
  readonly failedStep: number | null;
  readonly reason: string;
  /** Simulated time the plan started (after the cluster settled) and ended. */
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** Warm-up bound: the cluster must elect an etcd leader and serve the API within this. */
const WARM_UP_LIMIT_SECONDS = 300;

/**
 * Runs a plan on a scenario: builds the world, lets it settle (etcd elects, the API serves), then
 * executes the steps in order. A false precondition, a failed action or a wait past its timeout ends
 * the plan; the trace says which and why.
 */
export function runPlan(scenario: Scenario, plan: Plan, options: PlanRunOptions = {}): PlanRun {
  const { world, extensions } = buildWorld(scenario, { seed: options.seed, extensions: options.extensions });
  const storage: StorageView = world.longhorn;
  world.start();
  const sim = world.sim;
  while (!world.apiAvailable() && sim.now < WARM_UP_LIMIT_SECONDS) sim.run({ until: sim.now + 0.5 });
  if (!world.apiAvailable())
    throw new Error(`the cluster did not serve the API within ${WARM_UP_LIMIT_SECONDS} s of start`);
  const memory = sim.trace.addSink(new RecordSink());
  for (const sink of options.sinks ?? []) sim.trace.addSink(sink);
  const runRecord = new Recorder(sim, 'run');
  runRecord.emit('run.start', {
    scenario: scenario.name,
    plan: plan.name,
    seed: options.seed ?? DEFAULT_SEED,
    harvesterVersion: scenario.harvesterVersion,
    components: { ...scenario.profile.components },
    nodes: scenario.nodes.map((n) => ({ name: n.name, role: n.role })),
    vip: scenario.vip.address,
    warnings: [...scenario.warnings],
  });
  world.traceStarted();
  for (const extension of extensions) extension.start?.();
  const record = new Recorder(sim, 'plan');
  const startSeconds = sim.now;
  const outcome = { ok: true, failedStep: null as number | null, reason: 'completed' };

  const steps = new StepTracker(sim);
  const body = function* (): ProcessGenerator<void> {
    record.emit('plan.start', { plan: plan.name, scenario: scenario.name, steps: plan.steps.length });
    scheduleFaults(world, record, plan.faults ?? [], (id) => steps.started(id));
    for (const step of plan.steps) {
      if (step.background === true) {
        // Runs beside the next steps; a later `steps-done` wait joins it (and fails if it failed).
        const done = sim.process(runStep(world, storage, record, step, steps), `background ${step.id}`);
        steps.running(step.id, done);
        // Let it check its preconditions and write step.start before the next step does.
        yield steps.entered(step.id);
        options.onStep?.(step, step.index, plan.steps.length);
        continue;
      }
      const failure = yield* runStep(world, storage, record, step, steps);
      options.onStep?.(step, step.index, plan.steps.length);
      if (failure !== null) {
        outcome.ok = false;
        outcome.failedStep = step.index;
        outcome.reason = failure;
        break;
      }
    }
    // The plan ends at the end of its last instant, not in the middle of it: what the last steps
    // set going at this instant (a VM's shutdown process, the first step of a boot) runs first, so
    // the end state is the instant's (swarm seed 102: a stop at the last instant was never seen).
    while (sim.peek() === sim.now) yield sim.timeout(0);
    world.finish();
    for (const extension of extensions) extension.finish?.();
    record.emit('plan.end', {
      plan: plan.name,
      ok: outcome.ok,
      failedStep: outcome.failedStep,
      reason: outcome.reason,
    });
    runRecord.emit('run.end', { endSeconds: sim.now });
    sim.stop();
  };
  sim.process(body(), `plan ${plan.name}`);
  // An `offline` step's interval is idle (every node off: the world waits on a power event), so it
  // adds to the limit rather than counting against it: a year powered off runs (issue 15 §4).
  const offlineSeconds = plan.steps.reduce(
    (sum, step) => sum + (step.action.type === 'offline' ? step.action.durationSeconds : 0),
    0,
  );
  const until = startSeconds + (options.maxSimulatedSeconds ?? 90 * 24 * 3600) + offlineSeconds;
  const result = sim.run({ until, maxEvents: options.maxEvents ?? 50_000_000 });
  if (result.outcome !== 'stopped') {
    throw new LimitExceeded(
      `plan '${plan.name}' did not finish within ${until - startSeconds} simulated seconds`,
      'time',
    );
  }
  return { world, records: memory.records, ...outcome, startSeconds, endSeconds: sim.now };
}

/** Which steps have started and how background steps ended: for faults and `steps-done` waits. */
class StepTracker {
  private readonly starts = new Map<string, Event<void>>();
  private readonly background = new Map<string, Event<string | null>>();
  private readonly entries = new Map<string, Event<void>>();
  constructor(private readonly sim: World['sim']) {}

  /** An event that succeeds when the step starts (at once if it has). */
  started(id: string): Event<void> {
    let event = this.starts.get(id);
    if (event === undefined) {
      event = this.sim.event<void>();
      this.starts.set(id, event);
    }
    return event;
  }

  markStarted(id: string): void {
    const event = this.started(id);
    if (!event.triggered) event.succeed();
  }

  /** Succeeds when the step's process has begun (its preconditions checked, step.start written). */
  entered(id: string): Event<void> {
    let event = this.entries.get(id);
    if (event === undefined) {
      event = this.sim.event<void>();
      this.entries.set(id, event);
    }
    return event;
  }

  markEntered(id: string): void {
    const event = this.entered(id);
    if (!event.triggered) event.succeed();
  }

  running(id: string, done: Event<string | null>): void {
    this.background.set(id, done);
  }

  /** Whether the background steps have finished; a failure of one is returned as `failed`. */
  observe(ids: readonly string[]): { holds: boolean; seen: string; failed: string | null } {
    const pending: string[] = [];
    for (const id of ids) {
      const done = this.background.get(id);
      if (done === undefined || !done.processed) {
        pending.push(id);
        continue;
      }
      if (done.value !== null)
        return { holds: false, seen: `${id} failed`, failed: `background step ${id} failed: ${done.value}` };
    }
    return pending.length === 0
      ? { holds: true, seen: 'finished', failed: null }
      : { holds: false, seen: `still running: ${pending.join(', ')}`, failed: null };
  }
}

/** Runs one step; returns null on success or why it failed. */
function* runStep(
  world: World,
  storage: StorageView,
  record: Recorder<'plan'>,
  step: PlanStep,
  steps: StepTracker,
): ProcessGenerator<string | null> {
  for (const condition of step.preconditions) {
    const holds =
      condition.kind === 'steps-done'
        ? steps.observe(condition.steps).holds
        : observe(world, storage, condition).holds;
    if (!holds) {
      record.emit('precondition.failed', { index: step.index, condition: condition.kind });
      steps.markEntered(step.id);
      return `precondition ${condition.kind} does not hold before step ${step.id}`;
    }
  }
  const nodes: string[] = [];
  record.emit('step.start', { index: step.index, id: step.id, type: step.action.type, note: step.note });
  steps.markStarted(step.id);
  steps.markEntered(step.id);
  let failure: string | null = null;
  const timeoutSeconds = stepTimeoutSeconds(world, step);
  const timeout = watchStep(world, timeoutSeconds);
  try {
    yield* perform({ world, record, stepIndex: step.index, nodes }, step.action);
  } catch (error) {
    if (error instanceof Interrupt && error.cause === timeout) {
      record.emit('step.timeout', {
        index: step.index,
        id: step.id,
        type: step.action.type,
        timeoutSeconds: timeoutSeconds as number,
      });
      failure = `step ${step.id} did not finish within its timeout of ${timeoutSeconds} s`;
    } else if (error instanceof StepFailure) failure = error.message;
    else throw error;
  } finally {
    timeout.done = true;
  }
  const waits = step.action.type === 'wait-for' ? [step.action.wait, ...step.waits] : step.waits;
  for (const wait of failure === null ? waits : []) {
    failure = yield* waitFor(world, storage, record, step.index, wait, steps);
    if (failure !== null) break;
  }
  record.emit('step.end', {
    index: step.index,
    id: step.id,
    type: step.action.type,
    ok: failure === null,
    detail: failure ?? (nodes.length > 0 ? nodes.join(', ') : 'done'),
  });
  return failure;
}

/**
 * The step's timeout: a per-node default (`timeoutPerNode`) counts once per node the step names, as
 * they resolve when it starts (a reference that does not resolve fails the step in its action).
 */
function stepTimeoutSeconds(world: World, step: PlanStep): number | null {
  const { action } = step;
  if (step.timeoutSeconds === null || step.timeoutPerNode !== true) return step.timeoutSeconds;
  if (action.type !== 'node.shutdown' && action.type !== 'node.power-on') return step.timeoutSeconds;
  try {
    return step.timeoutSeconds * Math.max(1, resolveTarget(world, action.nodes).length);
  } catch (error) {
    if (error instanceof ResolveError) return step.timeoutSeconds;
    throw error;
  }
}

/**
 * Bounds a step's action by its timeout: when it runs out first, the plan's process is interrupted
 * where it waits (the action is left to the cluster, as an operator would leave it), and the step
 * fails. The action runs inline, so a step that finishes in time runs exactly as without a watch.
 */
function watchStep(world: World, timeoutSeconds: number | null): { done: boolean } {
  const watch = { done: false };
  const plan = world.sim.activeProcess;
  if (timeoutSeconds === null || plan === null) return watch;
  world.sim.timeout(timeoutSeconds).addCallback(() => {
    if (!watch.done && plan.isAlive) plan.interrupt(watch);
  });
  return watch;
}

function* waitFor(
  world: World,
  storage: StorageView,
  record: Recorder<'plan'>,
  index: number,
  wait: Wait,
  steps: StepTracker,
): ProcessGenerator<string | null> {
  // The deadline is computed once: a remainder recomputed from `timeout - waited` shrinks below the
  // clock's resolution and stops time (issue 11, seed 24).
  const started = world.sim.now;
  const deadline = started + wait.timeoutSeconds;
  for (;;) {
    const condition = wait.condition;
    const seen =
      condition.kind === 'steps-done'
        ? steps.observe(condition.steps)
        : { ...observe(world, storage, condition), failed: null };
    const waitedSeconds = world.sim.now - started;
    if (seen.holds || seen.failed !== null || world.sim.now >= deadline) {
      record.emit('wait.end', {
        index,
        condition: wait.condition.kind,
        ok: seen.holds,
        waitedSeconds,
        timeoutSeconds: wait.timeoutSeconds,
      });
      if (seen.failed !== null) return seen.failed;
      return seen.holds
        ? null
        : `timed out after ${wait.timeoutSeconds} s waiting for ${wait.condition.kind} (${seen.seen})`;
    }
    yield world.sim.timeout(Math.min(wait.pollSeconds, deadline - world.sim.now));
  }
}
