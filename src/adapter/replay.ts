/**
 * The replay: a dry run (simulate the plan on the scenario, print the prediction and the runbook),
 * `--execute` with a journal, `--resume` and `--restore`. Files beside the journal: the scenario it
 * ran on (`<journal>.scenario.yaml` when imported), the prediction (`<journal>.predicted.jsonl`) and
 * the observed trace (`<journal>.observed.jsonl`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type Evaluation, evaluate } from '../evaluate/evaluate.ts';
import { checkPlanAgainstScenario } from '../plan/format/check-against-scenario.ts';
import { loadPlan } from '../plan/format/load.ts';
import type { Plan } from '../plan/format/types.ts';
import { runPlan } from '../plan/runner/runner.ts';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Trace } from '../trace/record.ts';
import { EtcdAccess } from './etcd.ts';
import {
  type ExecuteContext,
  type ExecuteResult,
  executePlan,
  preflight,
  recordState,
  restoreRecorded,
} from './execute.ts';
import { scenarioFromSnapshot } from './import.ts';
import { Journal } from './journal.ts';
import { KubeClient } from './kube-client.ts';
import { ClusterObserver, ObservedTrace } from './observed-trace.ts';
import { CommandPower, ManualPower, type PowerDriver, TestbedPower } from './power.ts';
import { type RunbookStep, runbook } from './runbook.ts';
import { etcdEndpoints, PATHS, readSnapshot } from './snapshot.ts';

export interface ConnectOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly etcdEndpoints?: readonly string[];
}

export interface DryRun {
  readonly scenario: Scenario;
  readonly plan: Plan;
  readonly evaluation: Evaluation;
  readonly trace: Trace;
  readonly runbook: readonly RunbookStep[];
}

/** Reads the cluster into a scenario file; returns its path. */
export async function importScenario(
  connect: ConnectOptions,
  path: string,
): Promise<{ path: string; unknowns: readonly string[] }> {
  const client = KubeClient.load(connect);
  const result = scenarioFromSnapshot(await readSnapshot(client, { etcdEndpoints: connect.etcdEndpoints }));
  writeFileSync(path, result.yaml);
  return { path, unknowns: result.unknowns };
}

export function dryRun(scenario: Scenario, plan: Plan, seed?: number | string): DryRun {
  checkPlanAgainstScenario(plan, scenario);
  const run = runPlan(scenario, plan, { seed });
  return {
    scenario,
    plan,
    evaluation: evaluate(run.records),
    trace: run.records,
    runbook: runbook(scenario, plan),
  };
}

export function writeTrace(path: string, trace: Trace): void {
  writeFileSync(path, trace.map((r) => `${JSON.stringify(sortKeys(r))}\n`).join(''));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}

export type PowerKind = 'manual' | 'testbed' | 'command';

export interface ExecuteOptions extends ConnectOptions {
  readonly power?: PowerKind;
  readonly powerOnCommand?: string;
  readonly powerOffCommand?: string;
  readonly powerStatusCommand?: string;
  /** Cluster seconds per real second; default: the testbed's speed when it publishes one, else 1. */
  readonly timeScale?: number;
  readonly yes?: boolean;
  readonly seed?: number | string;
  readonly log?: (line: string) => void;
  /** Preflight gates waived by rule name (`--allow-rule`). */
  readonly allowRules?: readonly string[];
  /** Skip the preflight gates (the journal still records everything first). */
  readonly skipPreflight?: boolean;
}

async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new Error('a destructive step needs confirmation at a terminal; pass --yes to run unattended');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((done) => rl.question(question, done));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function powerDriver(options: ExecuteOptions, client: KubeClient): PowerDriver {
  switch (options.power ?? 'manual') {
    case 'testbed':
      return new TestbedPower(client);
    case 'command':
      if (options.powerOnCommand === undefined || options.powerOffCommand === undefined)
        throw new Error('--power command needs --power-on-command and --power-off-command');
      return new CommandPower({
        on: options.powerOnCommand,
        off: options.powerOffCommand,
        status: options.powerStatusCommand,
      });
    case 'manual':
      return new ManualPower();
  }
}

async function timeScaleOf(client: KubeClient, given: number | undefined): Promise<number> {
  if (given !== undefined) return given;
  const cm = await client.find<{ data?: Record<string, string> }>(
    PATHS.configMap('kube-system', 'harvester-sim-testbed'),
  );
  const speed = Number(cm?.data?.speed);
  return Number.isFinite(speed) && speed > 0 ? speed : 1;
}

async function context(
  journal: Journal,
  scenario: Scenario,
  plan: Plan,
  options: ExecuteOptions,
): Promise<ExecuteContext> {
  const begin = journal.begin();
  const client = KubeClient.load(options);
  const endpoints = begin.etcdEndpoints;
  const etcd =
    endpoints === null
      ? null
      : new EtcdAccess(
          endpoints,
          scenario.nodes.map((n) => n.name),
        );
  const trace = new ObservedTrace(begin.trace, begin.startedAtMs, begin.timeScale);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const observerClient = KubeClient.load({ ...options, attempts: 1, requestTimeoutMs: 3000 });
  return {
    client,
    etcd,
    power: powerDriver(options, client),
    journal,
    trace,
    observer: new ClusterObserver(trace, observerClient, etcd),
    scenario,
    plan,
    timeScale: begin.timeScale,
    confirm: options.yes ? null : confirmOnTerminal,
    log,
  };
}

async function run(ctx: ExecuteContext): Promise<ExecuteResult> {
  ctx.observer.start();
  try {
    return await executePlan(ctx);
  } finally {
    await ctx.observer.stop();
  }
}

/** `replay --execute`: preflight, record, then the steps. */
export async function executeReplay(
  planFile: string,
  scenarioFile: string,
  journalPath: string,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const plan = loadPlan(planFile);
  const scenario = loadScenario(scenarioFile);
  checkPlanAgainstScenario(plan, scenario);
  const client = KubeClient.load(options);
  const journal = Journal.create(journalPath);
  try {
    journal.append({
      type: 'begin',
      plan: plan.name,
      planFile: resolve(planFile),
      scenarioFile: resolve(scenarioFile),
      server: client.server,
      trace: resolve(`${journalPath}.observed.jsonl`),
      timeScale: await timeScaleOf(client, options.timeScale),
      startedAtMs: Date.now(),
      etcdEndpoints: await etcdEndpoints(client, options.etcdEndpoints ?? null),
    });
    const ctx = await context(journal, scenario, plan, options);
    ctx.trace.emit('run', 'run.start', {
      scenario: scenario.name,
      plan: plan.name,
      seed: null,
      harvesterVersion: scenario.harvesterVersion,
      components: { ...scenario.profile.components },
      nodes: scenario.nodes.map((n) => ({ name: n.name, role: n.role })),
      vip: scenario.vip.address,
    });
    ctx.trace.emit('plan', 'plan.start', {
      plan: plan.name,
      scenario: scenario.name,
      steps: plan.steps.length,
    });
    if (!options.skipPreflight) {
      const problems = await preflight(ctx, new Set(options.allowRules ?? []));
      if (problems.length > 0) {
        const reason = `preflight: ${problems.map((p) => `[${p.rule}] ${p.message}`).join('; ')}`;
        journal.append({ type: 'plan.done', ok: false, reason });
        ctx.trace.emit('plan', 'plan.end', { plan: plan.name, ok: false, failedStep: null, reason });
        ctx.trace.emit('run', 'run.end', { endSeconds: ctx.trace.nowSeconds });
        return { ok: false, failedStep: null, reason };
      }
    }
    await recordState(ctx);
    return await run(ctx);
  } finally {
    journal.close();
  }
}

/** `replay --resume <journal>`: continues after the last finished step. */
export async function resumeReplay(journalPath: string, options: ExecuteOptions): Promise<ExecuteResult> {
  const journal = Journal.open(journalPath);
  try {
    const begin = journal.begin();
    if (journal.planDone()) {
      const last = journal
        .all()
        .filter((e) => e.type === 'plan.done')
        .at(-1);
      return {
        ok: last?.type === 'plan.done' ? last.ok : true,
        failedStep: null,
        reason: 'the plan had already ended',
      };
    }
    const plan = loadPlan(begin.planFile);
    if (plan.name !== begin.plan)
      throw new Error(`${begin.planFile}: the plan is now '${plan.name}', the journal ran '${begin.plan}'`);
    const scenario = loadScenario(begin.scenarioFile);
    const ctx = await context(journal, scenario, plan, options);
    // Killed before the first step: the record may be incomplete (nothing was changed yet).
    if (!journal.all().some((e) => e.type === 'step.start')) await recordState(ctx);
    return await run(ctx);
  } finally {
    journal.close();
  }
}

/** `replay --restore <journal>`: puts back every recorded value. */
export async function restoreReplay(journalPath: string, options: ExecuteOptions): Promise<string[]> {
  const journal = Journal.open(journalPath);
  try {
    const begin = journal.begin();
    const plan = loadPlan(begin.planFile);
    const scenario = loadScenario(begin.scenarioFile);
    const ctx = await context(journal, scenario, plan, { ...options, yes: true });
    return await restoreRecorded(ctx);
  } finally {
    journal.close();
  }
}

/** The predicted trace kept beside a journal, if any. */
export function predictedTracePath(journalPath: string): string {
  return `${journalPath}.predicted.jsonl`;
}

export function readIfExists(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}
