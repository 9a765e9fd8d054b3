/**
 * The testbed's live cluster: the simulated world running at `speed` times real time, a real etcd
 * member per etcd node powered with its node, and what clients wrote. Reads project the world into
 * Kubernetes objects (objects.ts); writes call the models.
 */
import type { Event } from '../../sim/index.ts';
import type { Scenario } from '../scenario/types.ts';
import type { ShutdownMode } from '../trace/nodes.ts';
import { buildWorld } from '../world/build-world.ts';
import type { World } from '../world/world.ts';
import { EtcdMembers } from './etcd-members.ts';
import {
  type KubeObject,
  MAINTENANCE_ANNOTATIONS,
  type MaintenanceObject,
  type MigrationObject,
  type Overlay,
  projectObjects,
} from './objects.ts';
import { ObjectStore } from './store.ts';
import { virtHandlerMetrics } from './virt-handler-metrics.ts';

/** The cluster must elect an etcd leader and serve the API within this many simulated seconds. */
const WARM_UP_LIMIT_SECONDS = 300;
/** Real milliseconds between clock advances and object refreshes. */
export const TICK_MS = 100;
/**
 * Simulated seconds a support bundle takes to generate: the plan runner's figure
 * (src/plan/runner/actions.ts `actionDefaults.supportBundleSeconds`, unverified: a few minutes on a
 * small cluster), so the testbed and the prediction agree.
 */
export const SUPPORT_BUNDLE_SECONDS = 120;
/** Events one tick may process (a bound, not a target). */
const MAX_EVENTS_PER_TICK = 2_000_000;

export interface TestbedClusterOptions {
  readonly speed: number;
  readonly seed?: number | string;
  /** Start real etcd members (default true); false serves leadership from the model. */
  readonly realEtcd?: boolean;
}

export class WriteRefused extends Error {
  constructor(
    message: string,
    readonly status = 422,
  ) {
    super(message);
  }
}

export class TestbedCluster {
  readonly world: World;
  readonly store = new ObjectStore();
  readonly overlay: Overlay = {
    annotations: new Map(),
    labels: new Map(),
    runStrategy: new Map(),
    settings: new Map(),
    migrations: new Map(),
    supportBundles: new Map(),
    maintenance: new Map(),
  };
  private readonly createdAt = new Date().toISOString();
  private realStartMs = Date.now();
  private simStartSeconds = 0;
  private timer: NodeJS.Timeout | null = null;
  private etcdLeader: string | null = null;
  private leaderPoll: Promise<void> | null = null;
  private readonly migrationEvents = new Map<string, Event<unknown>>();
  private migrationCount = 0;

  private constructor(
    readonly scenario: Scenario,
    readonly speed: number,
    readonly etcd: EtcdMembers | null,
    seed: number | string | undefined,
  ) {
    this.world = buildWorld(scenario, { seed }).world;
  }

  static async start(scenario: Scenario, options: TestbedClusterOptions): Promise<TestbedCluster> {
    if (!(options.speed > 0)) throw new Error(`--speed: expected a number > 0, found ${options.speed}`);
    const members = scenario.nodes.filter((n) => n.role !== 'worker').map((n) => n.name);
    const etcd = options.realEtcd === false ? null : await EtcdMembers.create(members);
    const cluster = new TestbedCluster(scenario, options.speed, etcd, options.seed);
    const world = cluster.world;
    world.start();
    while (!world.apiAvailable() && world.sim.now < WARM_UP_LIMIT_SECONDS)
      world.sim.run({ until: world.sim.now + 0.5 });
    if (!world.apiAvailable())
      throw new Error(`the simulated cluster did not serve the API within ${WARM_UP_LIMIT_SECONDS} s`);
    cluster.simStartSeconds = world.sim.now;
    cluster.realStartMs = Date.now();
    cluster.syncEtcd();
    if (etcd !== null) await cluster.waitForEtcdLeader(20_000);
    cluster.refresh();
    cluster.timer = setInterval(() => cluster.tick(), TICK_MS);
    return cluster;
  }

  /** Simulated seconds since the testbed started serving. */
  get nowSeconds(): number {
    return this.world.sim.now - this.simStartSeconds;
  }

  leader(): string | null {
    return this.etcd === null ? this.world.etcd.leader() : this.etcdLeader;
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.leaderPoll;
    await this.etcd?.close();
  }

  /** Advances the simulated clock to `speed` × the real time elapsed, then refreshes the objects. */
  tick(): void {
    const target = this.simStartSeconds + ((Date.now() - this.realStartMs) / 1000) * this.speed;
    if (target > this.world.sim.now) this.world.sim.run({ until: target, maxEvents: MAX_EVENTS_PER_TICK });
    this.syncEtcd();
    this.pollLeader();
    this.refresh();
  }

  refresh(): void {
    this.updateMigrations();
    this.store.refresh(
      projectObjects({
        world: this.world,
        overlay: this.overlay,
        etcdLeader: this.leader(),
        etcdRunning: new Set(
          this.scenario.nodes
            .filter((n) => this.etcd?.isRunning(n.name) ?? this.world.isRunning(n.name))
            .map((n) => n.name),
        ),
        etcdEndpoints: Object.fromEntries((this.etcd?.members ?? []).map((m) => [m.node, m.clientUrl])),
        createdAt: this.createdAt,
        speed: this.speed,
        supportBundleSeconds: SUPPORT_BUNDLE_SECONDS,
      }),
    );
  }

  /** virt-handler's metrics exposition on `node` now (the testbed's pod proxy serves it). */
  virtHandlerMetrics(node: string): string {
    return virtHandlerMetrics(this.world, node);
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Applies a changed object: the fields the models own go to the models, the rest to the overlay. */
  applyObjectChange(key: string, before: KubeObject, after: KubeObject): void {
    const [group, plural, namespace, name] = key.split('/');
    const annotations = (after.metadata.annotations ?? {}) as Record<string, string>;
    const labels = (after.metadata.labels ?? {}) as Record<string, string>;
    this.overlay.annotations.set(key, { ...annotations });
    this.overlay.labels.set(key, { ...labels });
    const spec = (after.spec ?? {}) as Record<string, unknown>;
    const beforeSpec = (before.spec ?? {}) as Record<string, unknown>;
    if (group === 'apps' && plural === 'deployments') {
      if (name === 'rancher') {
        const value = annotations['management.cattle.io/scale-available'];
        if (value !== undefined && value !== this.world.rancher.annotation) {
          this.world.rancher.annotation = value;
          this.world.rancher.reconcile();
        }
      }
      if (spec.replicas !== beforeSpec.replicas && typeof spec.replicas === 'number')
        this.scale(namespace, name, spec.replicas);
    } else if (group === 'kubevirt.io' && plural === 'virtualmachines') {
      const strategy = spec.runStrategy;
      if (typeof strategy === 'string' && strategy !== beforeSpec.runStrategy) {
        this.overlay.runStrategy.set(`${namespace}/${name}`, strategy);
        if (strategy === 'Halted') this.world.fleet.stop({ namespace, name }, 'virtctl');
        else if (strategy === 'Always' || strategy === 'RerunOnFailure')
          this.world.fleet.start({ namespace, name });
      }
    } else if (group === 'harvesterhci.io' && plural === 'addons') {
      const addon = this.world.addons
        .all()
        .find((a) => a.spec.namespace === namespace && a.spec.name === name);
      if (addon !== undefined && typeof spec.enabled === 'boolean' && spec.enabled !== addon.enabled)
        this.world.addons.setEnabled(addon, spec.enabled);
    } else if (group === 'harvesterhci.io' && plural === 'settings') {
      if (typeof after.value === 'string') this.overlay.settings.set(name, after.value);
    } else if (group === '' && plural === 'nodes') {
      this.nodeChange(key, name, before, after);
      const unschedulable = spec.unschedulable === true;
      if (unschedulable !== (beforeSpec.unschedulable === true)) this.world.cordon(name, unschedulable);
    }
    this.refresh();
  }

  /**
   * Maintenance mode through the node's annotations, as Harvester's node API writes them: setting
   * `drain-requested` enables it (the model's maintenance controller drains the node; the annotation
   * is consumed and `maintain-status` shows running, then completed); removing `maintain-status`
   * disables it. Annotations the model owns never stay in the overlay.
   */
  private nodeChange(key: string, node: string, before: KubeObject, after: KubeObject): void {
    const a = MAINTENANCE_ANNOTATIONS;
    const was = (before.metadata.annotations ?? {}) as Record<string, string>;
    const now = { ...((after.metadata.annotations ?? {}) as Record<string, string>) };
    if (now[a.drainRequested] === 'true' && !this.overlay.maintenance.has(node)) {
      const m: MaintenanceObject = { state: 'running', message: '' };
      this.overlay.maintenance.set(node, m);
      const result = this.world.migrations.enableMaintenance(node);
      result.addCallback(() => {
        const r = result.value;
        if (r.outcome === 'completed') m.state = 'completed';
        else {
          m.state = 'failed';
          m.message = r.outcome === 'blocked' ? r.message : 'the drain gave up';
        }
      });
    } else if (was[a.maintainStatus] !== undefined && now[a.maintainStatus] === undefined) {
      this.overlay.maintenance.delete(node);
      this.world.migrations.disableMaintenance(node);
    } else if (was[a.error] !== undefined && now[a.error] === undefined)
      this.overlay.maintenance.delete(node);
    for (const k of [a.drainRequested, a.drainForced, a.maintainStatus, a.error, 'harvester-sim.io/power'])
      delete now[k];
    this.overlay.annotations.set(key, now);
  }

  /** Creates a SupportBundle CR; it is ready SUPPORT_BUNDLE_SECONDS of simulated time later. */
  createSupportBundle(namespace: string, body: KubeObject): KubeObject {
    const spec = (body.spec ?? {}) as Record<string, unknown>;
    if (typeof spec.description !== 'string' || spec.description === '')
      throw new WriteRefused('SupportBundle.harvesterhci.io: spec.description: Required value', 422);
    const name = body.metadata.name;
    if (typeof name !== 'string' || name === '')
      throw new WriteRefused('SupportBundle.harvesterhci.io: metadata.name: Required value', 422);
    const key = `${namespace}/${name}`;
    if (this.overlay.supportBundles.has(key))
      throw new WriteRefused(`supportbundles.harvesterhci.io "${name}" already exists`, 409);
    this.overlay.supportBundles.set(key, { namespace, name, spec, createdSeconds: this.world.sim.now });
    this.refresh();
    const created = this.store.get(`harvesterhci.io/supportbundles/${namespace}/${name}`);
    if (created === undefined) throw new Error('support bundle not stored');
    return created;
  }

  deleteSupportBundle(namespace: string, name: string): void {
    this.overlay.supportBundles.delete(`${namespace}/${name}`);
    this.refresh();
  }

  /** The scale subresource of `cattle-system/rancher` and `cattle-system/cattle-cluster-agent`. */
  scale(namespace: string, name: string, replicas: number): void {
    const rancher = this.world.rancher;
    if (namespace !== 'cattle-system')
      throw new WriteRefused(`deployment ${namespace}/${name} cannot be scaled`);
    if (name === 'rancher') {
      if (replicas === 0)
        rancher.scaleDown({
          recordScaleAvailable: false,
          clearScaleAvailable: false,
          scaleRancherToZero: true,
        });
      else rancher.reconnect({ scaleAvailable: null, rancherReplicas: replicas });
    } else if (name === 'cattle-cluster-agent') {
      if (replicas === 0) rancher.scaleAgentDown();
      else rancher.agentReplicas = replicas;
    } else throw new WriteRefused(`deployment ${namespace}/${name} cannot be scaled`);
    this.refresh();
  }

  /** `virtctl start|stop`: the subresources of a VirtualMachine. */
  vmSubresource(namespace: string, name: string, action: 'start' | 'stop'): void {
    const vm = this.world.fleet.all().find((v) => v.spec.namespace === namespace && v.spec.name === name);
    if (vm === undefined) throw new WriteRefused(`virtualmachines.kubevirt.io "${name}" not found`, 404);
    const key = `${namespace}/${name}`;
    if (action === 'stop') {
      this.overlay.runStrategy.set(key, 'Halted');
      this.world.fleet.stop({ namespace, name }, 'virtctl');
    } else {
      const previous = this.overlay.runStrategy.get(key) ?? vm.spec.runStrategy;
      this.overlay.runStrategy.set(key, previous === 'Halted' ? 'Always' : previous);
      this.world.fleet.start({ namespace, name });
    }
    this.refresh();
  }

  /** Creates a VirtualMachineInstanceMigration (`virtctl migrate`). */
  createMigration(namespace: string, body: KubeObject): KubeObject {
    const vmiName = String((body.spec as { vmiName?: unknown } | undefined)?.vmiName ?? '');
    const vm = this.world.fleet.all().find((v) => v.spec.namespace === namespace && v.spec.name === vmiName);
    if (vm === undefined || vm.phase === 'Stopped')
      throw new WriteRefused(`virtualmachineinstances.kubevirt.io "${vmiName}" not found`, 404);
    const generate = (body.metadata as { generateName?: string }).generateName;
    const name = body.metadata.name ?? `${generate ?? `${vmiName}-migration-`}${++this.migrationCount}`;
    const key = `${namespace}/${name}`;
    if (this.overlay.migrations.has(key))
      throw new WriteRefused(`virtualmachineinstancemigrations "${name}" already exists`, 409);
    const migration: MigrationObject = {
      namespace,
      name,
      vmiName,
      uid: `testbed-vmim-${this.migrationCount}`,
      phase: 'Pending',
      sourceNode: vm.node,
      targetNode: null,
    };
    this.overlay.migrations.set(key, migration);
    const [done] = this.world.migrations.migrate([{ namespace, name: vmiName }], null);
    if (done === undefined) migration.phase = 'Failed';
    else this.migrationEvents.set(key, done);
    this.refresh();
    const created = this.store.get(`kubevirt.io/virtualmachineinstancemigrations/${namespace}/${name}`);
    if (created === undefined) throw new Error('migration not stored');
    return created;
  }

  deleteMigration(namespace: string, name: string): void {
    this.overlay.migrations.delete(`${namespace}/${name}`);
    this.migrationEvents.delete(`${namespace}/${name}`);
    this.refresh();
  }

  /** The power endpoint (the testbed's IPMI stand-in). */
  power(node: string, action: 'on' | 'off', mode: ShutdownMode = 'graceful'): string {
    if (!this.scenario.nodes.some((n) => n.name === node))
      throw new WriteRefused(`node "${node}" not found`, 404);
    const state = this.world.power.state(node);
    if (action === 'on' && state === 'off') this.world.powerOn(node);
    else if (action === 'off' && (state === 'running' || state === 'booting')) {
      this.world.shutdown(node, mode);
      if (mode === 'power-loss') this.etcd?.stop(node, true);
    }
    this.refresh();
    return this.world.power.state(node);
  }

  powerState(node: string): string {
    if (!this.scenario.nodes.some((n) => n.name === node))
      throw new WriteRefused(`node "${node}" not found`, 404);
    return this.world.power.state(node);
  }

  // ---- etcd ----------------------------------------------------------------------------------

  /** Each real member runs while its node runs (rke2 starts etcd at boot, stops it at shutdown). */
  private syncEtcd(): void {
    if (this.etcd === null) return;
    for (const member of this.etcd.members) {
      const state = this.world.power.state(member.node);
      if (state === 'running') this.etcd.start(member.node);
      else if (state === 'off' || state === 'shutting-down') this.etcd.stop(member.node);
    }
  }

  private pollLeader(): void {
    if (this.etcd === null || this.leaderPoll !== null) return;
    const etcd = this.etcd;
    this.leaderPoll = etcd
      .leader()
      .then((leader) => {
        this.etcdLeader = leader;
      })
      .finally(() => {
        this.leaderPoll = null;
      });
  }

  private async waitForEtcdLeader(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.etcdLeader = (await this.etcd?.leader()) ?? null;
      if (this.etcdLeader !== null) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the real etcd cluster elected no leader within ${timeoutMs / 1000} s`);
  }

  private updateMigrations(): void {
    for (const [key, event] of this.migrationEvents) {
      const migration = this.overlay.migrations.get(key);
      if (migration === undefined) continue;
      const vm = this.world.fleet
        .all()
        .find((v) => `${v.spec.namespace}/${v.spec.name}` === `${migration.namespace}/${migration.vmiName}`);
      if (!event.processed) {
        migration.phase = 'Running';
        continue;
      }
      const moved = vm !== undefined && vm.node !== null && vm.node !== migration.sourceNode;
      migration.phase = moved ? 'Succeeded' : 'Failed';
      migration.targetNode = moved ? vm.node : null;
      this.migrationEvents.delete(key);
    }
  }
}
