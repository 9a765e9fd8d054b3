/**
 * `replay --execute`: runs a plan against a live cluster (or the testbed) through the API, etcd and
 * a power driver. Before changing anything it journals what the procedure must restore; each step is
 * journaled when it starts and when it is done, so a replay killed at any point resumes without
 * repeating a finished step (an unfinished one runs again: every action checks the state first and
 * does only what is still needed). Waits are watches (or polls, for etcd and power) with timeouts;
 * after each step a steady-state probe aborts the replay when the cluster is not where it should be.
 */
import { checkPlan } from '../check/check.ts';
import type { Condition, NodeRef, NodeTarget, Plan, PlanStep, Wait } from '../plan/format/types.ts';
import type { Scenario, VmRef } from '../scenario/types.ts';
import type { EtcdAccess } from './etcd.ts';
import type { Journal } from './journal.ts';
import { ApiError, type KubeClient } from './kube-client.ts';
import { scrapeMigrations } from './migration-metrics.ts';
import type { ClusterObserver, ObservedTrace } from './observed-trace.ts';
import type { PowerDriver } from './power.ts';
import { runbookStep } from './runbook.ts';
import { groupNodes, selectAddons, selectVms } from './selection.ts';
import { PATHS } from './snapshot.ts';

export interface ExecuteContext {
  readonly client: KubeClient;
  readonly etcd: EtcdAccess | null;
  readonly power: PowerDriver;
  readonly journal: Journal;
  readonly trace: ObservedTrace;
  readonly observer: ClusterObserver;
  readonly scenario: Scenario;
  readonly plan: Plan;
  /** Cluster seconds per real second (the testbed's speed; 1 on a real cluster). */
  readonly timeScale: number;
  /** Asks before each destructive step; resolves false to stop. Null = --yes. */
  readonly confirm: ((question: string) => Promise<boolean>) | null;
  readonly log: (line: string) => void;
}

export interface ExecuteResult {
  readonly ok: boolean;
  readonly failedStep: number | null;
  readonly reason: string;
}

export class StepError extends Error {}

/** Bound of waits the plan does not bound itself (a power-on, pods going away), in cluster seconds. */
const IMPLICIT_WAIT_SECONDS = 1800;
const RANCHER_PODS_GONE_SECONDS = 120;
const MIN_POLL_MS = 200;

type Obj = {
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const key = (vm: VmRef) => `${vm.namespace}/${vm.name}`;

function realMs(ctx: ExecuteContext, clusterSeconds: number): number {
  return (clusterSeconds * 1000) / ctx.timeScale;
}

// ---- preflight and the record -------------------------------------------------------------------

/** A preflight gate that does not hold: the rule it comes from and what was seen. */
export interface PreflightProblem {
  /** `preflight.node-ready`, `preflight.volume-healthy`, `preflight.etcd-leader-known`, or a `check` rule. */
  readonly rule: string;
  readonly message: string;
}

/**
 * `check` rules the adapter's own execution makes moot: it executes an `etcd.move-leader` step with
 * `method: delete-pod` as etcdctl move-leader, so the failure that rule predicts cannot happen.
 */
export const RULES_MOOT_WHEN_EXECUTED: ReadonlySet<string> = new Set([
  'etcd.delete-pod-does-not-move-leader',
]);

/**
 * The gates, all read-only: the `check` rules on the plan and the scenario (src/check/; the same
 * problems `harvester-sim check` reports, advice excluded), every node Ready, every Longhorn volume
 * healthy (or detached), the etcd leader known. `allowed` waives rules by name (`--allow-rule`).
 */
export async function preflight(
  ctx: ExecuteContext,
  allowed: ReadonlySet<string> = new Set(),
): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  for (const p of checkPlan(ctx.scenario, ctx.plan).problems)
    if (!RULES_MOOT_WHEN_EXECUTED.has(p.rule))
      problems.push({
        rule: p.rule,
        message: `${p.stepId === null ? '' : `step ${p.stepId}: `}${p.message}`,
      });
  const nodes = await ctx.client.list<Obj>(PATHS.nodes);
  for (const n of nodes) {
    const ready = ((n.status?.conditions ?? []) as { type: string; status: string }[]).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    );
    if (!ready)
      problems.push({ rule: 'preflight.node-ready', message: `node ${n.metadata.name} is not Ready` });
  }
  const volumes = await ctx.client.list<Obj>(PATHS.volumes);
  for (const v of volumes) {
    const robustness = String(v.status?.robustness ?? 'unknown');
    const state = String(v.status?.state ?? 'unknown');
    if (robustness !== 'healthy' && state !== 'detached')
      problems.push({
        rule: 'preflight.volume-healthy',
        message: `volume ${v.metadata.name} is ${robustness}`,
      });
  }
  if (ctx.etcd === null)
    problems.push({
      rule: 'preflight.etcd-leader-known',
      message: 'the etcd leader is unknown (no etcd endpoints)',
    });
  else {
    const view = await ctx.etcd.view();
    if (view.leader === null)
      problems.push({ rule: 'preflight.etcd-leader-known', message: 'etcd has no leader' });
  }
  return problems.filter((p) => !allowed.has(p.rule));
}

/** Journals everything the procedure must restore, before anything changes. Idempotent. */
export async function recordState(ctx: ExecuteContext): Promise<void> {
  const recorded = ctx.journal.recorded();
  const write = (k: string, value: string) => {
    if (recorded.has(k)) return;
    ctx.journal.append({ type: 'recorded', key: k, value });
    ctx.trace.emit('plan', 'plan.recorded', { key: k, value });
    recorded.set(k, value);
  };
  const rancher = await ctx.client.find<Obj>(PATHS.deployment('rancher'));
  if (rancher !== null) {
    write('scale-available', rancher.metadata.annotations?.['management.cattle.io/scale-available'] ?? '');
    write('rancher.replicas', String(rancher.spec?.replicas ?? 0));
  }
  const agent = await ctx.client.find<Obj>(PATHS.deployment('cattle-cluster-agent'));
  if (agent !== null) write('cattle-cluster-agent.replicas', String(agent.spec?.replicas ?? 0));
  for (const vm of await ctx.client.list<Obj>(PATHS.vms)) {
    const strategy = String(vm.spec?.runStrategy ?? (vm.spec?.running === true ? 'Always' : 'Halted'));
    write(`vm/${vm.metadata.namespace}/${vm.metadata.name}.runStrategy`, strategy);
  }
  for (const addon of await ctx.client.list<Obj>(PATHS.addons))
    write(
      `addon/${addon.metadata.namespace}/${addon.metadata.name}.enabled`,
      String(addon.spec?.enabled === true),
    );
  if (ctx.etcd !== null) {
    const view = await ctx.etcd.view();
    if (view.leader !== null) write('etcd.leader', view.leader);
  }
}

/** Journals a value a step is about to change, once (a resumed step keeps the first value). */
function recordOnce(ctx: ExecuteContext, k: string, value: string): string {
  const known = ctx.journal.recorded().get(k);
  if (known !== undefined) return known;
  ctx.journal.append({ type: 'recorded', key: k, value });
  ctx.trace.emit('plan', 'plan.recorded', { key: k, value });
  return value;
}

function requireRecorded(ctx: ExecuteContext, k: string, what: string): string {
  const value = ctx.journal.recorded().get(k);
  if (value === undefined)
    throw new StepError(`refusing to ${what}: ${k} was not recorded, so it could not be undone`);
  return value;
}

// ---- node references ------------------------------------------------------------------------

async function leaderNode(ctx: ExecuteContext): Promise<string | null> {
  return ctx.etcd === null ? null : (await ctx.etcd.view(1)).leader;
}

/** Resolves a step's node target when it starts, and journals the result so a resumed step picks the same nodes. */
async function resolveTarget(ctx: ExecuteContext, step: PlanStep, target: NodeTarget): Promise<string[]> {
  const k = `step.${step.index}.nodes`;
  const known = ctx.journal.recorded().get(k);
  if (known !== undefined) return JSON.parse(known) as string[];
  let nodes: string[];
  if (target.kind === 'group') nodes = groupNodes(ctx.scenario, target.group);
  else {
    nodes = [];
    for (const ref of target.nodes) nodes.push(await resolveRef(ctx, ref, new Set(nodes)));
  }
  ctx.journal.append({ type: 'recorded', key: k, value: JSON.stringify(nodes) });
  return nodes;
}

async function resolveRef(ctx: ExecuteContext, ref: NodeRef, taken: ReadonlySet<string>): Promise<string> {
  switch (ref.kind) {
    case 'name':
      return ref.name;
    case 'witness': {
      const w = ctx.scenario.nodes.find((n) => n.role === 'witness');
      if (w === undefined) throw new StepError('the scenario has no witness node');
      return w.name;
    }
    case 'last-shut-down': {
      const last = ctx.journal.lastPoweredOff();
      if (last === null) throw new StepError('no node was shut down by this replay');
      return last;
    }
    case 'etcd-leader': {
      const leader = (await leaderNode(ctx)) ?? ctx.journal.recorded().get('etcd.leader') ?? null;
      if (leader === null) throw new StepError('etcd has no leader and none was recorded');
      return leader;
    }
    case 'etcd-follower': {
      const leader = await leaderNode(ctx);
      const members = ctx.scenario.nodes.filter(
        (n) => n.role !== 'worker' && n.name !== leader && !taken.has(n.name),
      );
      const on: string[] = [];
      for (const m of members) if ((await ctx.power.state(m.name)) !== 'off') on.push(m.name);
      const pick = on[0] ?? members[0]?.name;
      if (pick === undefined) throw new StepError('no etcd follower left to pick');
      return pick;
    }
  }
}

// ---- conditions -------------------------------------------------------------------------------

/** The nodes a condition names, resolved now (not journaled: a condition only looks). */
async function conditionNodes(ctx: ExecuteContext, target: NodeTarget): Promise<string[]> {
  if (target.kind === 'group') return groupNodes(ctx.scenario, target.group);
  const nodes: string[] = [];
  for (const ref of target.nodes) nodes.push(await resolveRef(ctx, ref, new Set(nodes)));
  return nodes;
}

async function listOrNull(ctx: ExecuteContext, path: string): Promise<Obj[] | null> {
  try {
    return await ctx.client.list<Obj>(path);
  } catch {
    return null;
  }
}

function wantedRunning(ctx: ExecuteContext, vms: readonly VmRef[]): VmRef[] {
  const recorded = ctx.journal.recorded();
  return vms.filter((vm) => (recorded.get(`vm/${key(vm)}.runStrategy`) ?? 'Always') !== 'Halted');
}

/** Whether a condition holds now, as the API, etcd and the power driver show it. */
export async function observeCondition(
  ctx: ExecuteContext,
  condition: Condition,
): Promise<{ holds: boolean; seen: string }> {
  switch (condition.kind) {
    case 'steps-done':
      // The adapter runs a `background: true` step in the foreground: by now it has finished.
      return { holds: true, seen: `${condition.steps.join(', ')} finished (run in order)` };
    case 'no-vmis': {
      const vmis = await listOrNull(ctx, PATHS.vmis);
      if (vmis === null) return { holds: false, seen: 'API unavailable' };
      return { holds: vmis.length === 0, seen: `${vmis.length} VMIs` };
    }
    case 'volumes-detached': {
      const volumes = await listOrNull(ctx, PATHS.volumes);
      if (volumes === null) return { holds: false, seen: 'API unavailable' };
      const attached = volumes.filter((v) => v.status?.state !== 'detached').map((v) => v.metadata.name);
      return {
        holds: attached.length === 0,
        seen: attached.length === 0 ? 'all detached' : `attached: ${attached.join(', ')}`,
      };
    }
    case 'nodes-ready': {
      const nodes = await conditionNodes(ctx, condition.nodes);
      const objects = await listOrNull(ctx, PATHS.nodes);
      if (objects === null) return { holds: false, seen: 'API unavailable' };
      const notReady = nodes.filter((n) => {
        const o = objects.find((x) => x.metadata.name === n);
        return !((o?.status?.conditions ?? []) as { type: string; status: string }[]).some(
          (c) => c.type === 'Ready' && c.status === 'True',
        );
      });
      return {
        holds: notReady.length === 0,
        seen: notReady.length === 0 ? 'all Ready' : `not Ready: ${notReady.join(', ')}`,
      };
    }
    case 'nodes-down': {
      const nodes = await conditionNodes(ctx, condition.nodes);
      const up: string[] = [];
      for (const n of nodes) if ((await ctx.power.state(n)) !== 'off') up.push(n);
      return { holds: up.length === 0, seen: up.length === 0 ? 'all off' : `still up: ${up.join(', ')}` };
    }
    case 'etcd-leader': {
      const leader = await leaderNode(ctx).catch(() => null);
      if (leader === null) return { holds: false, seen: 'no leader' };
      if (condition.on !== null && leader !== (await resolveRef(ctx, condition.on, new Set())))
        return { holds: false, seen: `leader ${leader}` };
      const noWitness =
        condition.notOn?.kind === 'witness' && !ctx.scenario.nodes.some((n) => n.role === 'witness');
      if (
        condition.notOn !== null &&
        !noWitness &&
        leader === (await resolveRef(ctx, condition.notOn, new Set()))
      )
        return { holds: false, seen: `leader ${leader}` };
      return { holds: true, seen: `leader ${leader}` };
    }
    case 'vip-bound': {
      const svc = await ctx.client.find<Obj>(PATHS.ingressExpose).catch(() => null);
      const ip = ((svc?.status?.loadBalancer as { ingress?: { ip?: string }[] } | undefined)?.ingress ??
        [])[0]?.ip;
      return {
        holds: ip === ctx.scenario.vip.address,
        seen: ip === undefined ? 'no EXTERNAL-IP' : `EXTERNAL-IP ${ip}`,
      };
    }
    case 'vms-running': {
      const wanted = wantedRunning(ctx, selectVms(ctx.scenario, condition.vms));
      const vmis = await listOrNull(ctx, PATHS.vmis);
      if (vmis === null) return { holds: false, seen: 'API unavailable' };
      const notRunning = wanted.filter(
        (vm) =>
          !vmis.some(
            (v) =>
              v.metadata.namespace === vm.namespace &&
              v.metadata.name === vm.name &&
              v.status?.phase === 'Running',
          ),
      );
      return {
        holds: notRunning.length === 0,
        seen: notRunning.length === 0 ? 'all Running' : `not Running: ${notRunning.map(key).join(', ')}`,
      };
    }
    case 'system-pods-healthy': {
      const namespaces = ['kube-system', 'cattle-system', 'longhorn-system', 'harvester-system'];
      const bad: string[] = [];
      for (const ns of namespaces) {
        const pods = await listOrNull(ctx, `/api/v1/namespaces/${ns}/pods`);
        if (pods === null) return { holds: false, seen: 'API unavailable' };
        for (const p of pods) if (p.status?.phase === 'Failed') bad.push(`${ns}/${p.metadata.name}`);
      }
      return { holds: bad.length === 0, seen: bad.length === 0 ? 'healthy' : `failing: ${bad.join(', ')}` };
    }
    case 'addons-settled': {
      const wanted = condition.enabled ? 'AddonDeploySuccessful' : 'AddonDisabled';
      const objects = await listOrNull(ctx, PATHS.addons);
      if (objects === null) return { holds: false, seen: 'API unavailable' };
      const selected = addonsToTouch(ctx, condition.addons, condition.enabled);
      const pending = selected.filter(
        (a) =>
          !objects.some(
            (o) =>
              o.metadata.namespace === a.namespace &&
              o.metadata.name === a.name &&
              o.status?.status === wanted,
          ),
      );
      return {
        holds: pending.length === 0,
        seen:
          pending.length === 0
            ? wanted
            : `pending: ${pending.map((a) => `${a.namespace}/${a.name}`).join(', ')}`,
      };
    }
  }
}

/** Addons a step touches: those selected that were enabled when recorded (never enable one that was off). */
function addonsToTouch(ctx: ExecuteContext, selector: Parameters<typeof selectAddons>[1], _enable: boolean) {
  const recorded = ctx.journal.recorded();
  return selectAddons(ctx.scenario, selector).filter(
    (a) => recorded.get(`addon/${a.namespace}/${a.name}.enabled`) !== 'false',
  );
}

async function waitFor(ctx: ExecuteContext, step: PlanStep, wait: Wait): Promise<void> {
  const started = Date.now();
  const deadline = started + realMs(ctx, wait.timeoutSeconds);
  const pollMs = Math.max(MIN_POLL_MS, realMs(ctx, wait.pollSeconds));
  const watched: Partial<Record<Condition['kind'], string>> = {
    'no-vmis': PATHS.vmis,
    'volumes-detached': PATHS.volumes,
    'vms-running': PATHS.vmis,
    'addons-settled': PATHS.addons,
  };
  let seen = { holds: false, seen: '' };
  for (;;) {
    seen = await observeCondition(ctx, wait.condition);
    if (seen.holds || Date.now() >= deadline) break;
    const path = watched[wait.condition.kind];
    const remaining = deadline - Date.now();
    if (path !== undefined) {
      // A watch wakes the wait at the next change of the collection; the condition is re-checked then.
      let changes = 0;
      await ctx.client
        .watchUntil(path, () => ++changes > 1, Math.min(remaining, 30_000))
        .catch(() => undefined);
    } else await sleep(Math.min(pollMs, remaining));
  }
  const waitedSeconds = ((Date.now() - started) / 1000) * ctx.timeScale;
  ctx.trace.emit('plan', 'wait.end', {
    index: step.index,
    condition: wait.condition.kind,
    ok: seen.holds,
    waitedSeconds: Math.round(waitedSeconds * 1000) / 1000,
    timeoutSeconds: wait.timeoutSeconds,
  });
  if (!seen.holds)
    throw new StepError(
      `timed out after ${wait.timeoutSeconds} s waiting for ${wait.condition.kind} (${seen.seen})`,
    );
}

/** Polls until `check` holds or the bound passes. */
async function until(
  ctx: ExecuteContext,
  what: string,
  clusterSeconds: number,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + realMs(ctx, clusterSeconds);
  for (;;) {
    let ok = false;
    try {
      ok = await check();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (Date.now() >= deadline)
      throw new StepError(`timed out after ${clusterSeconds} s waiting until ${what}`);
    await sleep(Math.max(MIN_POLL_MS, realMs(ctx, 2)));
  }
}

// ---- migration metrics ----------------------------------------------------------------------------

/** Namespace of KubeVirt (and its virt-handler pods) on Harvester. */
const KUBEVIRT_NAMESPACE = 'harvester-system';

/**
 * The metrics of one migration the replay started: each scrape that finds the VMI writes a
 * `kubevirt.migration/progress` record; at the end, with at least one sample, `kubevirt/
 * migration.finished` with what was observed (bytes sent, duration) and zeros, named in its reason,
 * for what the metrics do not show (downtime, passes, throttle, post-copy).
 */
class MigrationWatcher {
  private processedBytes = 0;
  private samples = 0;

  constructor(
    private readonly ctx: ExecuteContext,
    private readonly vmi: string,
  ) {}

  async sample(vm: VmRef): Promise<void> {
    const found = (await scrapeMigrations(this.ctx.client, KUBEVIRT_NAMESPACE)).find(
      (s) => s.namespace === vm.namespace && s.name === vm.name,
    );
    if (found === undefined) return;
    this.samples++;
    this.processedBytes = Math.max(this.processedBytes, found.dataProcessedBytes ?? 0);
    this.ctx.trace.emit('kubevirt.migration', 'progress', {
      migration: this.vmi,
      dataRemainingBytes: found.dataRemainingBytes ?? 0,
      dataProcessedBytes: found.dataProcessedBytes ?? 0,
      dirtyRateBytesPerSecond: found.dirtyRateBytesPerSecond ?? 0,
      transferRateBytesPerSecond: found.transferRateBytesPerSecond ?? 0,
    });
  }

  finished(ok: boolean, state: { sourceNode?: string; targetNode?: string }, seconds: number): void {
    if (this.samples === 0) return;
    this.ctx.trace.emit('kubevirt', 'migration.finished', {
      vm: this.vmi,
      source: state.sourceNode ?? '',
      target: state.targetNode ?? '',
      outcome: ok ? 'completed' : 'failed',
      reason: `observed: VMIM ${ok ? 'Succeeded' : 'Failed'}; ${this.samples} metric samples; downtime, passes, iterations, throttle and post-copy not observed (0)`,
      seconds: Math.round(seconds * 1000) / 1000,
      downtimeMs: 0,
      guestDowntimeMs: 0,
      passes: 0,
      iterations: 0,
      transferredBytes: this.processedBytes,
      maxThrottlePercent: 0,
      postCopySeconds: 0,
      policy: null,
    });
  }
}

// ---- actions ----------------------------------------------------------------------------------

async function scaleTo(ctx: ExecuteContext, name: string, replicas: number): Promise<void> {
  const current = await ctx.client.get<Obj>(PATHS.deployment(name));
  if (current.spec?.replicas === replicas) return;
  await ctx.client.patch(PATHS.scale(name), { spec: { replicas } });
}

async function annotateScaleAvailable(ctx: ExecuteContext, value: string): Promise<void> {
  const current = await ctx.client.get<Obj>(PATHS.deployment('rancher'));
  if (current.metadata.annotations?.['management.cattle.io/scale-available'] === value) return;
  await ctx.client.patch(PATHS.deployment('rancher'), {
    metadata: { annotations: { 'management.cattle.io/scale-available': value } },
  });
}

async function vmAction(ctx: ExecuteContext, vm: VmRef, action: 'start' | 'stop'): Promise<void> {
  const current = await ctx.client.find<Obj>(PATHS.vm(vm.namespace, vm.name));
  if (current === null) throw new StepError(`VirtualMachine ${key(vm)} not found`);
  const strategy = current.spec?.runStrategy;
  // Halted with the VMI gone is stopped; Halted with a VMI (something started it again) is stopped again.
  if (action === 'stop' && strategy === 'Halted' && current.status?.printableStatus === 'Stopped') return;
  if (action === 'start' && strategy !== 'Halted' && current.status?.printableStatus === 'Running') return;
  try {
    await ctx.client.put(PATHS.vmSubresource(vm.namespace, vm.name, action), {});
  } catch (error) {
    // KubeVirt answers 409 when the VM already is in the state asked for.
    if (!(error instanceof ApiError && error.status === 409)) throw error;
  }
}

async function setAddon(
  ctx: ExecuteContext,
  namespace: string,
  name: string,
  enabled: boolean,
): Promise<void> {
  const current = await ctx.client.get<Obj>(PATHS.addon(namespace, name));
  if (current.spec?.enabled === enabled) return;
  await ctx.client.patch(PATHS.addon(namespace, name), { spec: { enabled } });
}

async function powerOff(
  ctx: ExecuteContext,
  node: string,
  mode: 'graceful' | 'power-loss',
  waitDown: boolean,
): Promise<void> {
  if (!ctx.journal.poweredOff().includes(node)) ctx.journal.append({ type: 'node.off', node });
  const state = await ctx.power.state(node);
  if (state !== 'off' && state !== 'shutting-down') {
    ctx.trace.emit('nodes', 'node.power', {
      node,
      from: state === 'unknown' ? 'running' : state,
      to: 'shutting-down',
      mode,
    });
    await ctx.power.off(node, mode);
  }
  if (waitDown)
    await until(
      ctx,
      `${node} is off`,
      IMPLICIT_WAIT_SECONDS,
      async () => (await ctx.power.state(node)) === 'off',
    );
}

async function powerOn(ctx: ExecuteContext, node: string, waitRunning: boolean): Promise<void> {
  const state = await ctx.power.state(node);
  if (state === 'off') {
    ctx.trace.emit('nodes', 'node.power', { node, from: 'off', to: 'booting' });
    await ctx.power.on(node);
  }
  ctx.journal.append({ type: 'node.on', node });
  if (waitRunning)
    await until(
      ctx,
      `${node} runs`,
      IMPLICIT_WAIT_SECONDS,
      async () => (await ctx.power.state(node)) === 'running',
    );
}

// ---- support bundles and maintenance mode (Harvester) ---------------------------------------

/** Namespace of Harvester's SupportBundle CRs and settings' controllers. */
const HARVESTER_NAMESPACE = 'harvester-system';
/** Harvester's `support-bundle-timeout` default: 10 minutes (harvester/harvester:pkg/settings/settings.go). */
const SUPPORT_BUNDLE_TIMEOUT_SECONDS = 600;
const NAMESPACES_SETTING = 'support-bundle-namespaces';

/** Node annotations Harvester's maintenance mode reads and writes (harvester/harvester:pkg/api/node/handler.go). */
export const MAINTENANCE = {
  drainRequested: 'harvesterhci.io/drain-requested',
  drainForced: 'harvesterhci.io/drain-forced',
  maintainStatus: 'harvesterhci.io/maintain-status',
  /** The taint the drain adds; disableMaintenanceMode removes it. */
  drainTaint: 'kubevirt.io/drain',
  /** The testbed's report of a maintenance that did not complete. */
  testbedError: 'harvester-sim.io/maintenance-error',
} as const;

/**
 * A SupportBundle CR, as the UI's "Generate Support Bundle" creates it, after adding the step's extra
 * namespaces to `support-bundle-namespaces` (recorded first, put back when the bundle is ready);
 * waits until `status.state` is ready. The bundle stays in the cluster for download.
 */
async function supportBundle(ctx: ExecuteContext, step: PlanStep, extra: readonly string[]): Promise<string> {
  const name = recordOnce(
    ctx,
    `step.${step.index}.supportbundle`,
    `harvester-sim-${step.index}-${Date.now().toString(36)}`,
  );
  let restoreTo: string | null = null;
  if (extra.length > 0) {
    const setting = await ctx.client.get<Obj & { value?: string; default?: string }>(
      PATHS.setting(NAMESPACES_SETTING),
    );
    const effective = (setting.value || setting.default || '').split(',').filter((n) => n !== '');
    const wanted = [...new Set([...effective, ...extra])];
    if (wanted.length > effective.length || ctx.journal.recorded().has(`setting/${NAMESPACES_SETTING}`)) {
      restoreTo = recordOnce(ctx, `setting/${NAMESPACES_SETTING}`, setting.value ?? '');
      if (setting.value !== wanted.join(','))
        await ctx.client.patch(PATHS.setting(NAMESPACES_SETTING), { value: wanted.join(',') });
    }
  }
  if ((await ctx.client.find<Obj>(PATHS.supportBundle(HARVESTER_NAMESPACE, name))) === null) {
    try {
      await ctx.client.post(PATHS.supportBundles(HARVESTER_NAMESPACE), {
        apiVersion: 'harvesterhci.io/v1beta1',
        kind: 'SupportBundle',
        metadata: { name, namespace: HARVESTER_NAMESPACE },
        spec: { description: `harvester-sim replay: ${ctx.plan.name}, step ${step.id}`, issueURL: '' },
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
    }
  }
  let state = '';
  await until(ctx, `support bundle ${name} is ready`, SUPPORT_BUNDLE_TIMEOUT_SECONDS, async () => {
    const bundle = await ctx.client.get<Obj>(PATHS.supportBundle(HARVESTER_NAMESPACE, name));
    state = String(bundle.status?.state ?? '');
    return state === 'ready' || state === 'error';
  });
  if (restoreTo !== null) await ctx.client.patch(PATHS.setting(NAMESPACES_SETTING), { value: restoreTo });
  if (state !== 'ready') throw new StepError(`support bundle ${name}: state ${state}`);
  return `${HARVESTER_NAMESPACE}/${name} ready (download it from the Harvester UI)`;
}

/** A node's maintenance state: '' (none), running or completed. */
function maintenanceOf(node: Obj): string {
  return node.metadata.annotations?.[MAINTENANCE.maintainStatus] ?? '';
}

/**
 * Enables maintenance mode as the Harvester UI's action does (`enableMaintenanceMode` sets
 * `drain-requested` on the node; Harvester's node controller drains it and writes `maintain-status`
 * running, then completed once no VMI is left), and waits for completed.
 */
async function enableMaintenance(ctx: ExecuteContext, node: string): Promise<string> {
  const current = await ctx.client.get<Obj>(PATHS.node(node));
  const annotations = current.metadata.annotations ?? {};
  if (maintenanceOf(current) === '' && annotations[MAINTENANCE.drainRequested] !== 'true')
    await ctx.client.patch(PATHS.node(node), {
      metadata: { annotations: { [MAINTENANCE.drainRequested]: 'true' } },
    });
  let seen = '';
  let failure: string | undefined;
  await until(ctx, `${node} is in maintenance mode`, IMPLICIT_WAIT_SECONDS, async () => {
    const n = await ctx.client.get<Obj>(PATHS.node(node));
    failure = n.metadata.annotations?.[MAINTENANCE.testbedError];
    seen = maintenanceOf(n);
    return seen === 'completed' || failure !== undefined;
  }).catch((error: unknown) => {
    throw new StepError(
      `${error instanceof Error ? error.message : error} (maintain-status ${seen || 'unset'})`,
    );
  });
  if (failure !== undefined) throw new StepError(`maintenance of ${node} did not complete: ${failure}`);
  return `${node} in maintenance`;
}

/** Disables maintenance mode as `disableMaintenanceMode` does: uncordon, drop the drain taint and annotations. */
async function disableMaintenance(ctx: ExecuteContext, node: string): Promise<void> {
  const current = await ctx.client.get<Obj>(PATHS.node(node));
  const annotations = current.metadata.annotations ?? {};
  const taints = ((current.spec?.taints ?? []) as { key: string }[]).filter(
    (t) => t.key !== MAINTENANCE.drainTaint,
  );
  const keys = [
    MAINTENANCE.maintainStatus,
    MAINTENANCE.drainRequested,
    MAINTENANCE.drainForced,
    MAINTENANCE.testbedError,
  ];
  const present = keys.filter((k) => annotations[k] !== undefined);
  const tainted = taints.length !== ((current.spec?.taints ?? []) as unknown[]).length;
  if (present.length === 0 && current.spec?.unschedulable !== true && !tainted) return;
  await ctx.client.patch(PATHS.node(node), {
    metadata: { annotations: Object.fromEntries(present.map((k) => [k, null])) },
    spec: { unschedulable: false, ...(tainted ? { taints } : {}) },
  });
}

async function perform(ctx: ExecuteContext, step: PlanStep): Promise<string> {
  const a = step.action;
  switch (a.type) {
    case 'support-bundle':
      return supportBundle(ctx, step, a.extraNamespaces);
    case 'rancher.disconnect': {
      if (a.clearScaleAvailable) {
        requireRecorded(ctx, 'scale-available', 'clear scale-available');
        await annotateScaleAvailable(ctx, '');
      }
      if (a.scaleRancherToZero) {
        requireRecorded(ctx, 'rancher.replicas', 'scale rancher to 0');
        await scaleTo(ctx, 'rancher', 0);
        await until(ctx, 'the rancher pods are gone', RANCHER_PODS_GONE_SECONDS, async () => {
          const pods = await ctx.client.list<Obj>(
            '/api/v1/namespaces/cattle-system/pods?labelSelector=app%3Drancher',
          );
          return pods.length === 0;
        }).catch((error: unknown) =>
          ctx.log(
            `rancher pods: ${error instanceof Error ? error.message : error}; continuing as the KB does`,
          ),
        );
      }
      if (a.scaleClusterAgentToZero) {
        requireRecorded(ctx, 'cattle-cluster-agent.replicas', 'scale cattle-cluster-agent to 0');
        await scaleTo(ctx, 'cattle-cluster-agent', 0);
      }
      return 'done';
    }
    case 'rancher.reconnect': {
      if (a.scaleAvailable !== null)
        await annotateScaleAvailable(
          ctx,
          a.scaleAvailable === 'recorded'
            ? requireRecorded(ctx, 'scale-available', 'restore scale-available')
            : String(a.scaleAvailable),
        );
      const replicas =
        a.rancherReplicas === 'recorded'
          ? Number(requireRecorded(ctx, 'rancher.replicas', 'restore rancher'))
          : a.rancherReplicas;
      await scaleTo(ctx, 'rancher', replicas);
      return 'done';
    }
    case 'rancher.remove-import':
      throw new StepError(
        'refusing rancher.remove-import: it cannot be undone (KB: never remove the import while downstream clusters exist)',
      );
    case 'vm.stop': {
      const vms = selectVms(ctx.scenario, a.vms);
      for (const vm of vms) requireRecorded(ctx, `vm/${key(vm)}.runStrategy`, `stop ${key(vm)}`);
      for (const vm of vms) await vmAction(ctx, vm, 'stop');
      return vms.map(key).join(', ') || 'no VMs';
    }
    case 'vm.start': {
      const vms = wantedRunning(ctx, selectVms(ctx.scenario, a.vms));
      for (const vm of vms) await vmAction(ctx, vm, 'start');
      return vms.map(key).join(', ') || 'no VMs';
    }
    case 'vm.migrate': {
      const vms = selectVms(ctx.scenario, a.vms);
      for (const vm of vms) {
        const k = `step.${step.index}.vmim.${key(vm)}`;
        let name = ctx.journal.recorded().get(k);
        if (name === undefined) {
          name = `harvester-sim-${step.index}-${vm.name}`.slice(0, 63);
          ctx.journal.append({ type: 'recorded', key: k, value: name });
        }
        const existing = await ctx.client.find<Obj>(`${PATHS.vmims(vm.namespace)}/${name}`);
        if (existing === null) {
          try {
            await ctx.client.post(PATHS.vmims(vm.namespace), {
              apiVersion: 'kubevirt.io/v1',
              kind: 'VirtualMachineInstanceMigration',
              metadata: { name, namespace: vm.namespace },
              spec: { vmiName: vm.name },
            });
          } catch (error) {
            if (!(error instanceof ApiError && error.status === 409)) throw error;
          }
        }
        const vmimName = name;
        const started = Date.now();
        let phase = '';
        let state: { sourceNode?: string; targetNode?: string } = {};
        const watcher = new MigrationWatcher(ctx, key(vm));
        await until(ctx, `migration of ${key(vm)} ends`, IMPLICIT_WAIT_SECONDS, async () => {
          await watcher.sample(vm);
          const m = await ctx.client.get<Obj>(`${PATHS.vmims(vm.namespace)}/${vmimName}`);
          phase = String(m.status?.phase ?? '');
          state = (m.status?.migrationState ?? {}) as typeof state;
          return phase === 'Succeeded' || phase === 'Failed';
        });
        ctx.trace.emit('kubevirt', 'migration.phase', {
          migration: vmimName,
          vmi: key(vm),
          phase: phase as 'Succeeded',
          sourceNode: state.sourceNode ?? '',
          ...(state.targetNode ? { targetNode: state.targetNode } : {}),
        });
        watcher.finished(phase === 'Succeeded', state, ((Date.now() - started) / 1000) * ctx.timeScale);
        if (phase !== 'Succeeded')
          throw new StepError(
            `migration of ${key(vm)} ${phase} after ${Math.round(((Date.now() - started) / 1000) * ctx.timeScale)} s`,
          );
      }
      return vms.map(key).join(', ');
    }
    case 'addon.disable':
    case 'addon.enable': {
      const enable = a.type === 'addon.enable';
      const addons = addonsToTouch(ctx, a.addons, enable);
      for (const addon of addons) {
        requireRecorded(ctx, `addon/${addon.namespace}/${addon.name}.enabled`, `${a.type} ${addon.name}`);
        await setAddon(ctx, addon.namespace, addon.name, enable);
      }
      return addons.map((x) => `${x.namespace}/${x.name}`).join(', ') || 'no addons';
    }
    case 'wait-for':
      return 'done';
    case 'etcd.move-leader': {
      if (ctx.etcd === null) throw new StepError('etcd.move-leader needs etcd endpoints');
      requireRecorded(ctx, 'etcd.leader', 'move the etcd leader');
      const view = await ctx.etcd.view();
      if (view.leader === null) throw new StepError('etcd has no leader');
      let target: string;
      if (a.to.kind === 'off-witness') {
        if (ctx.scenario.nodes.find((n) => n.name === view.leader)?.role !== 'witness')
          return `leader ${view.leader} is not the witness`;
        const candidate = ctx.scenario.nodes.find(
          (n) => n.role === 'management' && view.members.some((m) => m.node === n.name),
        );
        if (candidate === undefined) throw new StepError('no management node to take leadership');
        target = candidate.name;
      } else target = await resolveRef(ctx, a.to, new Set());
      if (target === view.leader) return `leader already ${target}`;
      // The KB's `kubectl delete pod etcd-<witness>` deletes a static pod's mirror: etcd keeps running and
      // keeps leadership (controlplane.md S1). move-leader is deterministic; it is used for both methods.
      await ctx.etcd.moveLeader(target);
      return `leader ${view.leader} → ${target}`;
    }
    case 'node.shutdown': {
      const nodes = await resolveTarget(ctx, step, a.nodes);
      for (const node of nodes) await powerOff(ctx, node, a.mode, a.order === 'sequential' && a.waitEachDown);
      if (a.waitEachDown) for (const node of nodes) await powerOff(ctx, node, a.mode, true);
      return nodes.join(', ');
    }
    case 'node.power-on': {
      const nodes = await resolveTarget(ctx, step, a.nodes);
      for (const node of nodes) await powerOn(ctx, node, a.order === 'sequential');
      return nodes.join(', ');
    }
    case 'node.maintenance': {
      const [node] = await resolveTarget(ctx, step, { kind: 'nodes', nodes: [a.node] });
      const before = await ctx.client.get<Obj>(PATHS.node(node));
      recordOnce(ctx, `node/${node}.maintenance`, maintenanceOf(before));
      if (a.enable) return enableMaintenance(ctx, node);
      await disableMaintenance(ctx, node);
      return `${node} out of maintenance`;
    }
    case 'external.shutdown':
    case 'external.power-on':
      return `manual: ${a.type === 'external.shutdown' ? 'shut down' : 'power on'} ${a.system} (outside the cluster; the adapter does not)`;
    case 'offline':
    case 'sleep': {
      // A resumed sleep waits only what is left of it.
      const began = ctx.journal.all().find((e) => e.type === 'step.start' && e.index === step.index);
      const startedMs = began === undefined ? Date.now() : Date.parse(began.at);
      const left = startedMs + realMs(ctx, a.durationSeconds) - Date.now();
      if (left > 0) await sleep(left);
      return `${a.durationSeconds} s`;
    }
    default:
      throw new StepError(
        `step type ${(a as { type: string }).type} is not supported by the adapter (do it by hand, then --resume)`,
      );
  }
}

/** Steady state after a step: with every etcd node powered, etcd has a leader and the API answers. */
async function probe(ctx: ExecuteContext): Promise<void> {
  const off = ctx.journal.poweredOff();
  if (off.length > 0 || ctx.etcd === null) return;
  await until(ctx, 'etcd has a leader and the API answers (steady-state probe)', 300, async () => {
    if ((await leaderNode(ctx)) === null) return false;
    await ctx.client.get('/version');
    return true;
  });
}

/** Runs (or continues) the plan. Each finished step is journaled; a finished step never runs again. */
export async function executePlan(ctx: ExecuteContext): Promise<ExecuteResult> {
  for (const step of ctx.plan.steps) {
    if (ctx.journal.done(step.index)) continue;
    const resumed = ctx.journal.all().some((e) => e.type === 'step.start' && e.index === step.index);
    for (const condition of step.preconditions) {
      if (!(await observeCondition(ctx, condition)).holds) {
        ctx.trace.emit('plan', 'precondition.failed', { index: step.index, condition: condition.kind });
        return finish(ctx, {
          ok: false,
          failedStep: step.index,
          reason: `precondition ${condition.kind} does not hold before step ${step.id}`,
        });
      }
    }
    const book = runbookStep(ctx.scenario, step);
    if (book.destructive && ctx.confirm !== null && !resumed) {
      const go = await ctx.confirm(
        `step ${step.index + 1} ${step.id}:\n${book.commands.map((c) => `  ${c}`).join('\n')}\nrun it? [y/N] `,
      );
      if (!go) return { ok: false, failedStep: step.index, reason: `not confirmed: step ${step.id}` };
    }
    ctx.journal.append({ type: 'step.start', index: step.index, id: step.id });
    ctx.trace.emit('plan', 'step.start', {
      index: step.index,
      id: step.id,
      type: step.action.type,
      note: step.note,
    });
    ctx.log(`step ${step.index + 1}/${ctx.plan.steps.length} ${step.id}${resumed ? ' (resumed)' : ''}`);
    let detail: string;
    try {
      detail = await perform(ctx, step);
      const waits = step.action.type === 'wait-for' ? [step.action.wait, ...step.waits] : step.waits;
      for (const wait of waits) await waitFor(ctx, step, wait);
      await ctx.observer.observe(false);
      await probe(ctx);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.trace.emit('plan', 'step.end', {
        index: step.index,
        id: step.id,
        type: step.action.type,
        ok: false,
        detail: reason,
      });
      ctx.journal.append({ type: 'step.done', index: step.index, id: step.id, ok: false, detail: reason });
      return finish(ctx, { ok: false, failedStep: step.index, reason });
    }
    ctx.journal.append({ type: 'step.done', index: step.index, id: step.id, ok: true, detail });
    ctx.trace.emit('plan', 'step.end', {
      index: step.index,
      id: step.id,
      type: step.action.type,
      ok: true,
      detail,
    });
  }
  return finish(ctx, { ok: true, failedStep: null, reason: 'completed' });
}

function finish(ctx: ExecuteContext, result: ExecuteResult): ExecuteResult {
  ctx.journal.append({ type: 'plan.done', ok: result.ok, reason: result.reason });
  ctx.trace.emit('plan', 'plan.end', {
    plan: ctx.plan.name,
    ok: result.ok,
    failedStep: result.failedStep,
    reason: result.reason,
  });
  ctx.trace.emit('run', 'run.end', { endSeconds: ctx.trace.nowSeconds });
  return result;
}

/** `--restore`: powers on what the replay powered off, then puts back every recorded value. Idempotent. */
export async function restoreRecorded(ctx: ExecuteContext): Promise<string[]> {
  const done: string[] = [];
  if (!ctx.journal.all().some((e) => e.type === 'restore.start'))
    ctx.journal.append({ type: 'restore.start' });
  const restored = ctx.journal.restored();
  const mark = (k: string, value: string) => {
    if (!restored.has(k)) ctx.journal.append({ type: 'restored', key: k, value });
    done.push(`${k} = ${value}`);
  };
  for (const node of ctx.journal.poweredOff()) await powerOn(ctx, node, true);
  await until(ctx, 'the API answers', IMPLICIT_WAIT_SECONDS, async () => {
    await ctx.client.get('/version');
    return true;
  });
  for (const [k, value] of ctx.journal.recorded()) {
    if (k === 'scale-available') await annotateScaleAvailable(ctx, value);
    else if (k === 'rancher.replicas') await scaleTo(ctx, 'rancher', Number(value));
    else if (k === 'cattle-cluster-agent.replicas') await scaleTo(ctx, 'cattle-cluster-agent', Number(value));
    else if (k.startsWith('vm/') && k.endsWith('.runStrategy')) {
      const [namespace, name] = k.slice(3, -'.runStrategy'.length).split('/');
      const current = await ctx.client.get<Obj>(PATHS.vm(namespace, name));
      if (current.spec?.runStrategy !== value)
        await ctx.client.patch(PATHS.vm(namespace, name), { spec: { runStrategy: value } });
    } else if (k.startsWith('addon/') && k.endsWith('.enabled')) {
      const [namespace, name] = k.slice(6, -'.enabled'.length).split('/');
      await setAddon(ctx, namespace, name, value === 'true');
    } else if (k.startsWith('setting/')) {
      const name = k.slice('setting/'.length);
      const current = await ctx.client.get<{ value?: string }>(PATHS.setting(name));
      if ((current.value ?? '') !== value) await ctx.client.patch(PATHS.setting(name), { value });
    } else if (k.startsWith('node/') && k.endsWith('.maintenance')) {
      const node = k.slice('node/'.length, -'.maintenance'.length);
      if (value === '') await disableMaintenance(ctx, node);
      else if (maintenanceOf(await ctx.client.get<Obj>(PATHS.node(node))) === '')
        await enableMaintenance(ctx, node);
    } else if (k === 'etcd.leader') {
      if (ctx.etcd === null) throw new Error('restoring the etcd leader needs etcd endpoints');
      const etcd = ctx.etcd;
      await until(
        ctx,
        'etcd has a leader',
        IMPLICIT_WAIT_SECONDS,
        async () => (await etcd.view()).leader !== null,
      );
      await etcd.moveLeader(value);
    } else continue;
    mark(k, value);
  }
  ctx.journal.append({ type: 'restore.done' });
  return done;
}
