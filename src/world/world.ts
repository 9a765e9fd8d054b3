import { type Event, Interrupt, type Process, type ProcessGenerator, Simulation } from '../../sim/index.ts';
import { Addons } from '../addons/addons.ts';
import { Fabric } from '../cluster/fabric.ts';
import type { ShutdownMode, WorldObserver } from '../cluster/observer.ts';
import { EtcdCluster, etcdDefaults } from '../etcd/index.ts';
import { GuestModel } from '../guest/model.ts';
import { expiredAtRestart } from '../kube/certificates.ts';
import { type KubeDefaults, kubeDefaults } from '../kube/defaults.ts';
import { NodeLifecycle } from '../kube/node-lifecycle.ts';
import { type NodeCapacity, type Placement, type PodRequest, place } from '../kube/scheduler.ts';
import { SystemWorkloads } from '../kube/workloads.ts';
import { ClusterMigrations } from '../kubevirt/cluster-migrations.ts';
import { VmFleet } from '../kubevirt/vm-lifecycle/fleet.ts';
import { vmPodRequest } from '../kubevirt/vm-lifecycle/requests.ts';
import { LonghornModel } from '../longhorn/model.ts';
import { type NodeDefaults, nodeDefaults } from '../nodes/defaults.ts';
import { drawSeconds } from '../nodes/duration-draw.ts';
import { NodePower } from '../nodes/power.ts';
import { clusterWriteLoadDefaults, writesPerSecond } from '../profiles/cluster-write-load-defaults.ts';
import { valuesOf } from '../profiles/sourced.ts';
import { RancherModel } from '../rancher/rancher.ts';
import type { Scenario, ScenarioNode } from '../scenario/types.ts';
import { Recorder } from '../trace/recorder.ts';
import { ApiEndpoint } from './api-endpoint.ts';
import { sampleControllerLoad } from './controller-load.ts';
import { guestOptions } from './guest-options.ts';
import { NodeCapacityTable } from './node-capacity.ts';
import { StoppedVms } from './stopped-vms.ts';

export interface WorldOptions {
  seed?: number | string;
  nodeDefaults?: NodeDefaults;
  kubeDefaults?: KubeDefaults;
  /** Round trip between nodes for etcd peer traffic (a LAN; loopback delivery is added). */
  etcdNetworkRoundTripMs?: number;
  /** etcd's steady path (default true); false runs the reference it must equal (EtcdClusterOptions.steadyState). */
  etcdSteadyState?: boolean;
}

/**
 * The whole cluster on the kernel: nodes and power, etcd, the Kubernetes API and node lifecycle,
 * Harvester's force reset, VMs and their live migrations, Longhorn, the guests' filesystems, Rancher
 * and addons, wired together. Build it with `buildWorld`. A control loop evaluates the API on a grid of
 * `apiProbeSeconds` while any node has power, skipping the probes where nothing it reads changed,
 * and the controllers every node-monitor-period while the API serves.
 */
export class World {
  readonly sim: Simulation;
  readonly fabric: Fabric;
  readonly power: NodePower;
  readonly etcd: EtcdCluster;
  readonly lifecycle: NodeLifecycle;
  readonly fleet: VmFleet;
  readonly rancher: RancherModel;
  readonly addons: Addons;
  readonly workloads: SystemWorkloads;
  readonly migrations: ClusterMigrations;
  readonly longhorn: LonghornModel;
  readonly guests: GuestModel;
  readonly kube: KubeDefaults;
  /** Models told of every change, in this order: the world's own first, then migrations, Longhorn, guests, extensions. */
  readonly observers: WorldObserver[];
  private readonly api: ApiEndpoint;
  private readonly stoppedVms: StoppedVms;
  /**
   * The scheduler's node cache: each power hook below (the only places a node's power state
   * changes), `cordon`, the fleet, the system workloads and the node lifecycle invalidate the node
   * they change.
   */
  private readonly capacityTable: NodeCapacityTable;
  private readonly nodes: Map<string, ScenarioNode>;
  private readonly runningSince = new Map<string, number>();
  /** Nodes whose apiserver has started and still runs (apiserverStartSeconds after rke2 ran). */
  private readonly apiserverServing = new Set<string>();
  private readonly apiserverStartSeconds: number;
  private readonly blockedMembers = new Set<string>();
  private readonly cordoned = new Set<string>();
  /** Nodes powered on whose readiness the observers have not heard of yet. */
  private readonly awaitingReady = new Set<string>();
  private readonly nodeRecord: Recorder<'nodes'>;
  private readonly kubeRecord: Recorder<'kube'>;
  private readonly deploymentsReady: Set<string>;
  private lastLeader: string | null = null;
  /** Why rke2 does not start on any node (its certificates stayed expired), or null. */
  private rke2Refuses: string | null = null;
  private allOffSinceSeconds: number | null = null;
  private powerSignal: Event<void>;
  /**
   * The control loop (null before `start`), its next wake (Infinity while awake or waiting for
   * power), the time its grid counts from, and whether it must wake at the next grid time.
   */
  private loop: Process<void> | null = null;
  private loopWakeSeconds = Number.POSITIVE_INFINITY;
  /** The grid time before the wake: the loop sleeps until then, then one probe step to the wake. */
  private loopHopSeconds = 0;
  private loopGridBase = 0;
  private loopDirty = false;
  /** Node names in the order they lost power in this run. */
  readonly powerOffOrder: string[] = [];
  /** Node names in the order they were powered on in this run. */
  readonly powerOnOrder: string[] = [];

  constructor(
    readonly scenario: Scenario,
    options: WorldOptions = {},
  ) {
    this.sim = new Simulation({ seed: options.seed });
    this.kube = options.kubeDefaults ?? kubeDefaults();
    this.nodes = new Map(scenario.nodes.map((n) => [n.name, n]));
    this.deploymentsReady = new Set(scenario.nodes.map((n) => n.name));
    // The world's own observer comes first: when a VM stopped, for Rancher's auto-replace.
    this.stoppedVms = new StoppedVms(
      () => this.sim.now,
      () => this.rancher.connection === 'Active',
    );
    this.observers = [this.stoppedVms];
    this.nodeRecord = new Recorder(this.sim, 'nodes');
    this.kubeRecord = new Recorder(this.sim, 'kube');
    this.powerSignal = this.sim.event<void>();
    this.fabric = new Fabric(this.sim, scenario);
    const defaults = options.nodeDefaults ?? nodeDefaults();
    for (const node of scenario.nodes) this.runningSince.set(node.name, -defaults.apiserverStartSeconds);
    for (const node of scenario.nodes) this.apiserverServing.add(node.name);
    this.apiserverStartSeconds = defaults.apiserverStartSeconds;
    this.power = new NodePower(this.sim, scenario, defaults, {
      shuttingDown: (node) => this.onShuttingDown(node),
      kubeletShutdown: (node) => this.onKubeletShutdown(node),
      servicesStopping: (node) => this.onServicesStopping(node),
      poweredOff: (node, mode) => this.onPoweredOff(node, mode),
      poweringOn: (node) => this.onPoweringOn(node),
      running: (node, changed) => this.onRunning(node, changed),
    });
    const writeRate = writesPerSecond(valuesOf(clusterWriteLoadDefaults()), {
      nodes: scenario.nodes.length,
      longhornVolumes: scenario.volumes.filter((v) => v.provisioner.kind === 'longhorn').length,
    });
    this.etcd = new EtcdCluster(this.sim, {
      members: scenario.nodes
        .filter((n) => n.role !== 'worker')
        .map((n) => ({ id: n.name, node: n.name, address: n.ip.address })),
      defaults: etcdDefaults(scenario.profile.components.etcd, 'rke2', { timing: scenario.settings.etcd }),
      networkRoundTripMs: options.etcdNetworkRoundTripMs ?? 0.2,
      // The API's steady writes (leases, heartbeats) reach etcd only while it serves (issue 15 §1).
      writesPerSecond: () => (this.api.available ? writeRate : 0),
      steadyState: options.etcdSteadyState ?? true,
    });
    this.api = new ApiEndpoint(
      scenario,
      {
        isRunning: (node) => this.isRunning(node),
        apiserverServing: (node) => this.apiserverServing.has(node),
        etcdCanWrite: () => this.etcd.canWrite(),
        etcdHasQuorum: () => this.etcd.hasQuorum(),
        onApiSide: (node) => this.onApiSide(node),
      },
      this.kubeRecord,
    );
    // The API follows etcd at every change, not at the control loop's probe (issue 15 §2).
    this.etcd.onChange(() => this.updateApi());
    this.lifecycle = new NodeLifecycle(
      scenario.nodes.map((n) => n.name),
      scenario.settings.kubernetes,
      scenario.settings.harvester,
      this.nodeRecord,
      this.kubeRecord,
      {
        outOfService: (node) => {
          // A node cut off by a partition still runs its guests: deleting their VMIs splits the brain.
          if (this.fabric.isCutOff(node) && this.isRunning(node)) this.fleet.orphanRunning(node);
          this.fleet.forceReset(node);
        },
        ready: (node) => this.onReady(node),
        conditionChanged: (node) => this.capacityTable.invalidate(node),
      },
    );
    this.workloads = new SystemWorkloads(scenario, this.kube, this.kubeRecord, (node) =>
      this.capacityTable.invalidate(node),
    );
    this.fleet = new VmFleet(
      this.sim,
      scenario,
      {
        apiAvailable: () => this.apiAvailable(),
        nodeRunning: (node) => this.power.state(node) === 'running',
        place: (request) => this.place(request),
        capacities: () => this.capacities(),
        requestsChanged: (node) => this.capacityTable.invalidate(node),
      },
      this.observers,
    );
    this.capacityTable = new NodeCapacityTable({
      scenario,
      workloads: this.workloads,
      fleet: this.fleet,
      lifecycle: this.lifecycle,
      cordoned: this.cordoned,
      isRunning: (node) => this.isRunning(node),
    });
    this.rancher = new RancherModel(
      scenario,
      {
        apiAvailable: () => this.apiAvailable(),
        matchingNodes: () => scenario.nodes.filter((n) => n.role === 'management').length,
        anyManagementNodeRunning: () =>
          scenario.nodes.some((n) => n.role === 'management' && this.isRunning(n.name)),
        stopped: (vm) => this.stoppedVms.stopped(vm),
        replaceMachine: (vm) => {
          const [namespace, name] = vm.split('/');
          this.fleet.start({ namespace, name });
        },
      },
      new Recorder(this.sim, 'rancher'),
      () => this.sim.now,
    );
    this.addons = new Addons(this.sim, scenario, this.kube.addonTransitionSeconds, () => this.apiAvailable());
    this.migrations = new ClusterMigrations({
      sim: this.sim,
      scenario,
      fabric: this.fabric,
      runningOn: (node) => this.fleet.runningOn(node).map((vm) => vm.spec),
      nodeOf: (vm) => {
        const runtime = this.fleet.get(vm);
        return runtime.phase === 'Running' && !runtime.lost ? runtime.node : null;
      },
      placeTarget: (vm, exclude) => {
        const spec = this.fleet.get(vm).spec;
        const capacities = this.capacities().filter((c) => c.name !== exclude);
        return place(vmPodRequest(spec, scenario.settings.harvester), capacities).node;
      },
      stop: (vm) => this.fleet.stop(vm, 'virtctl'),
      start: (vm) => {
        this.fleet.start(vm);
      },
      cordon: (node, cordoned) => this.cordon(node, cordoned),
      drained: (node) => {
        for (const o of this.observers) o.nodeDrained?.(node);
      },
      migrated: (vm, to) => this.fleet.migrated(vm, to),
      // An evicted launcher pod: the guest is shut down; runStrategy Always brings the VM back elsewhere.
      evict: (vm, grace) => this.fleet.evict(vm, grace),
      startedReplicaNodes: (volume) =>
        this.longhorn
          .replicas(volume)
          .filter(
            (r) => r.failedAtSeconds === null && (r.mode === 'RW' || r.mode === 'WO') && r.node !== null,
          )
          .map((r) => r.node as string),
      isCordoned: (node) => this.cordoned.has(node),
      pdbVolumes: (node) => this.longhorn.pdbVolumes(node),
      schedulableForLonghorn: (node) => this.isRunning(node) && !this.cordoned.has(node),
      readyAndSchedulable: (node) =>
        this.isRunning(node) && this.lifecycle.isReady(node) && !this.cordoned.has(node),
    });
    this.observers.push(this.migrations);
    this.longhorn = new LonghornModel({
      sim: this.sim,
      fabric: this.fabric,
      scenario,
      options: {
        nodeIsRunning: (node) => this.isRunning(node),
        controlPlaneAvailable: () => this.apiAvailable(),
        onIoFailing: (volume, vms, failing) => this.guests.volumeIoFailing(volume, vms, failing),
        ...(scenario.calibration.longhornRebuildStreamBytesPerSecond === null
          ? {}
          : { rebuildStreamBytesPerSecond: scenario.calibration.longhornRebuildStreamBytesPerSecond }),
      },
    });
    this.guests = new GuestModel({
      sim: this.sim,
      scenario,
      storage: this.longhorn,
      options: guestOptions(scenario),
    });
    this.observers.push(this.longhorn, this.guests);
  }

  /** Places the initial VMs and starts the control loop; call once, after extensions are added. */
  start(): void {
    this.fleet.placeInitial();
    this.loop = this.sim.process(this.controlLoop(), 'control-loop');
  }

  /** Tracing started (the cluster settled): models write their starting state. */
  traceStarted(): void {
    this.longhorn.recordState();
    this.fleet.recordState();
  }

  /** The plan ended: models close what is still open (at-risk periods, running rebuilds). */
  finish(): void {
    this.etcd.finish();
    this.longhorn.finish();
  }

  node(name: string): ScenarioNode {
    const node = this.nodes.get(name);
    if (node === undefined) throw new Error(`unknown node '${name}'`);
    return node;
  }

  isRunning(node: string): boolean {
    return this.power.state(node) === 'running';
  }

  /** The API serves iff etcd has quorum and an apiserver runs on a running management node. */
  apiAvailable(): boolean {
    return this.api.available;
  }

  /** The node holding the VIP, or null. */
  vipHolder(): string | null {
    return this.api.vipHolder;
  }

  shutdown(node: string, mode: ShutdownMode): Event<void> {
    return this.power.shutdown(node, mode);
  }

  powerOn(node: string): Event<void> {
    return this.power.powerOn(node);
  }

  /**
   * A `node.network-partition` fault: `nodes` are cut off from every other node on the management
   * network while they keep power. etcd drops the messages across the cut, kubelets there stop
   * renewing their leases, the API and the VIP stay with the side that has etcd's leader. Returns
   * the side's number for `healPartition`.
   */
  partition(nodes: readonly string[]): number {
    const side = this.fabric.partition(nodes);
    this.nodeRecord.emit('node.partitioned', { side, nodes: [...nodes] });
    this.applyPartition();
    return side;
  }

  /** The partition of `side` heals; returns its nodes. */
  healPartition(side: number): string[] {
    const nodes = this.fabric.heal(side);
    this.nodeRecord.emit('node.partition-healed', { side, nodes });
    this.applyPartition();
    return nodes;
  }

  /**
   * Whether the node reaches the side of the network that holds etcd's leader (every node does
   * without a partition, or while no leader runs).
   */
  onApiSide(node: string): boolean {
    if (!this.fabric.partitioned) return true;
    const leader = this.etcd.leader();
    // etcd member ids are the names of their nodes (see the constructor).
    return leader === null || this.fabric.reachable(node, leader);
  }

  private applyPartition(): void {
    const fabric = this.fabric;
    // etcd member ids are the names of their nodes: the cut is between their hosts.
    this.etcd.setPartition(fabric.partitioned ? (from, to) => !fabric.reachable(from, to) : null);
    this.pokeControlLoop();
    this.updateApi();
    for (const o of this.observers) o.networkChanged?.();
  }

  /** Every deployment on running nodes is ready and the API serves (KB restart step 5). */
  systemPodsHealthy(): boolean {
    return (
      this.api.available &&
      this.scenario.nodes.every((n) => !this.isRunning(n.name) || this.deploymentsReady.has(n.name))
    );
  }

  /** What the scheduler sees of every node, in scenario order (the table's own array: read, do not keep). */
  capacities(): readonly NodeCapacity[] {
    return this.capacityTable.current();
  }

  /** Whether the node is cordoned (spec.unschedulable). */
  isCordoned(node: string): boolean {
    return this.cordoned.has(node);
  }

  /** Cordon (maintenance, drain) or uncordon a node. */
  cordon(node: string, cordoned: boolean): void {
    if (cordoned === this.cordoned.has(node)) return;
    if (cordoned) this.cordoned.add(node);
    else this.cordoned.delete(node);
    this.capacityTable.invalidate(node);
    for (const o of this.observers) o.nodeCordoned?.(node, cordoned);
  }

  place(request: PodRequest): Placement {
    return this.capacityTable.place(request);
  }

  /**
   * The control loop wakes on a grid of `apiProbeSeconds` steps, each step added to the previous
   * wake time as `timeout(apiProbeSeconds)` would; a wake where nothing can change is skipped, so a
   * steady cluster costs one event per due task rather than one per probe. A wake is due when the
   * node lifecycle, the scheduler retry (while the API serves) or the load sample is due, or when
   * something the probe reads changed since the last wake (`pokeControlLoop`: node power, apiserver,
   * API availability). Skipped wakes are those whose probe would have found nothing to do.
   */
  private *controlLoop(): ProcessGenerator<void> {
    let nextLifecycle = 0;
    let nextRetry = 0;
    let nextSample = 0;
    const probeSeconds = this.kube.apiProbeSeconds;
    for (;;) {
      if (this.scenario.nodes.every((n) => this.power.state(n.name) === 'off')) {
        this.updateApi();
        yield this.powerSignal;
        continue;
      }
      const base = this.sim.now;
      let hop = base;
      let wake = base + probeSeconds;
      if (!this.loopDirty) {
        const apiUp = this.api.available;
        while (wake < nextLifecycle && !(apiUp && wake >= nextRetry) && wake < nextSample) {
          hop = wake;
          wake += probeSeconds;
        }
      }
      this.loopGridBase = base;
      this.loopHopSeconds = hop;
      this.loopWakeSeconds = wake;
      for (;;) {
        try {
          // The wake itself is scheduled one probe ahead, from the grid time before it, as it was
          // when every probe ran: events due at the same instant keep their order around it.
          if (this.sim.now < this.loopHopSeconds) {
            yield this.sim.timeoutAt(this.loopHopSeconds);
            continue;
          }
          yield this.sim.timeoutAt(this.loopWakeSeconds);
          break;
        } catch (error) {
          // pokeControlLoop moved the wake earlier.
          if (!(error instanceof Interrupt)) throw error;
        }
      }
      this.loopWakeSeconds = Number.POSITIVE_INFINITY;
      this.loopDirty = false;
      const now = this.sim.now;
      this.updateApi();
      const apiUp = this.api.available;
      if (now >= nextLifecycle) {
        nextLifecycle = now + this.kube.nodeMonitorPeriodSeconds;
        // A kubelet cut off from the API's side renews no lease (kube node-monitor-grace-period).
        this.lifecycle.tick(now, apiUp, (node) => this.isRunning(node) && apiUp && this.onApiSide(node));
        this.announceReadyAfterPowerOn();
        if (apiUp) {
          this.workloads.reconcile(
            now,
            (node) => this.lifecycle.unknownForSeconds(node, now),
            (r) => this.place(r),
          );
        }
        this.rancher.reconcile();
      }
      if (apiUp && now >= nextRetry) {
        nextRetry = now + this.kube.schedulerRetrySeconds;
        this.fleet.retryPending();
      }
      if (now >= nextSample) {
        nextSample = now + this.kube.loadSampleSeconds;
        if (this.kubeRecord.enabled) this.sampleLoad(now);
      }
    }
  }

  /**
   * Something the control loop's probe reads changed: it must wake at the first grid time after now.
   * A change at a grid time itself comes after that time's wake, as it did when every wake ran: the
   * wake had been scheduled a probe earlier, before the plan step or model event that caused the
   * change (the plan runner and the loop step on the same grid from the world's start).
   */
  private pokeControlLoop(): void {
    this.loopDirty = true;
    const loop = this.loop;
    if (loop === null || this.loopWakeSeconds === Number.POSITIVE_INFINITY) return;
    const probeSeconds = this.kube.apiProbeSeconds;
    const now = this.sim.now;
    let hop = this.loopGridBase;
    let wake = hop + probeSeconds;
    while (wake <= now) {
      hop = wake;
      wake += probeSeconds;
    }
    if (wake >= this.loopWakeSeconds) return;
    this.loopHopSeconds = hop;
    this.loopWakeSeconds = wake;
    loop.interrupt('poke');
  }

  /** The current etcd leader, or the last one seen (an operator's note from `endpoint status`). */
  lastKnownLeader(): string | null {
    const leader = this.etcd.leader();
    if (leader !== null) this.lastLeader = leader;
    return this.lastLeader;
  }

  private updateApi(): void {
    this.lastKnownLeader();
    const wasUp = this.api.available;
    const vip = this.api.vipHolder;
    this.api.update();
    if (this.api.available !== wasUp || this.api.vipHolder !== vip) this.pokeControlLoop();
  }

  private sampleLoad(now: number): void {
    sampleControllerLoad(this.kubeRecord, {
      scenario: this.scenario,
      workloads: this.workloads,
      nowSeconds: now,
      sampleSeconds: this.kube.loadSampleSeconds,
      apiUp: this.api.available,
      failingSinceSeconds: this.fleet.failingSince(),
      capacities: this.capacities(),
      isRunning: (node) => this.isRunning(node),
    });
  }

  private onShuttingDown(node: string): void {
    this.capacityTable.invalidate(node);
    this.pokeControlLoop();
    // The API's view of the node changed; it re-reads it at etcd's next Ready (as it always did).
    this.etcd.listenersDue();
    for (const o of this.observers) o.nodeShuttingDown?.(node);
  }

  /**
   * kubelet graceful node shutdown (off in Harvester: shutdownGracePeriod 0): non-critical pods,
   * the virt-launchers among them, get shutdownGracePeriod − shutdownGracePeriodCriticalPods.
   */
  private onKubeletShutdown(node: string): number {
    const k = this.scenario.settings.kubernetes;
    if (k.shutdownGracePeriodSeconds <= 0) return 0;
    const budget = k.shutdownGracePeriodSeconds - k.shutdownGracePeriodCriticalPodsSeconds;
    return this.fleet.terminateForNodeShutdown(node, budget, k.vmTerminationGracePeriodSeconds);
  }

  private onServicesStopping(node: string): void {
    this.pokeControlLoop();
    this.runningSince.set(node, Number.POSITIVE_INFINITY);
    this.apiserverServing.delete(node);
    this.deploymentsReady.delete(node);
    if (this.isMember(node) && this.etcd.view(node).status !== 'down') this.etcd.stopGraceful(node);
    this.updateApi();
    // systemd stops the pod scopes with rke2: QEMU gets SIGTERM and exits without a guest shutdown
    // (kubevirt/kubevirt:docs/graceful-shutdown.md, "the virtual machine will be forced off").
    this.fleet.nodeLost(node, 'graceful');
  }

  private onPoweredOff(node: string, mode: ShutdownMode): void {
    this.capacityTable.invalidate(node);
    this.pokeControlLoop();
    this.runningSince.set(node, Number.POSITIVE_INFINITY);
    this.deploymentsReady.delete(node);
    this.apiserverServing.delete(node);
    this.powerOffOrder.push(node);
    if (this.isMember(node) && this.etcd.view(node).status !== 'down') this.etcd.powerLoss(node);
    this.updateApi();
    this.fleet.nodeLost(node, mode);
    for (const o of this.observers) o.nodePoweredOff?.(node, mode);
    if (this.scenario.nodes.every((n) => this.power.state(n.name) === 'off'))
      this.allOffSinceSeconds = this.sim.now;
  }

  private onPoweringOn(node: string): void {
    this.capacityTable.invalidate(node);
    this.pokeControlLoop();
    this.powerOnOrder.push(node);
    this.awaitingReady.add(node);
    if (this.allOffSinceSeconds !== null) {
      for (const expired of expiredAtRestart(
        this.scenario,
        this.sim.now - this.allOffSinceSeconds,
        this.sim.now,
      )) {
        this.kubeRecord.emit('certificate.expired', expired);
        // rke2 does not start with leaf certificates that expired while it was down (rancher/rke2#8318).
        if (expired.staysExpired === true && expired.certainty === 'certain')
          this.rke2Refuses = expired.consequence;
      }
      this.allOffSinceSeconds = null;
    }
    for (const o of this.observers) o.nodePoweringOn?.(node);
    const signal = this.powerSignal;
    this.powerSignal = this.sim.event<void>();
    signal.succeed();
  }

  private onRunning(node: string, addressChanged: boolean): void {
    this.capacityTable.invalidate(node);
    this.pokeControlLoop();
    this.etcd.listenersDue();
    const since = this.sim.now;
    this.runningSince.set(node, since);
    this.sim.process(
      (function* (world: World) {
        yield world.sim.timeout(world.apiserverStartSeconds);
        if (world.runningSince.get(node) !== since || !world.isRunning(node)) return;
        world.apiserverServing.add(node);
        world.updateApi();
      })(this),
      `apiserver ${node}`,
    );
    if (this.isMember(node)) {
      if (this.rke2Refuses !== null && !this.blockedMembers.has(node)) {
        this.blockedMembers.add(node);
        this.kubeRecord.emit('etcd.member-blocked', { node, reason: this.rke2Refuses });
      } else if (addressChanged) {
        this.blockedMembers.add(node);
        this.kubeRecord.emit('etcd.member-blocked', {
          node,
          reason:
            'the node came back with another address; the etcd peer URL no longer matches the member list',
        });
      } else if (!this.blockedMembers.has(node)) {
        this.etcd.start(node);
      }
    }
    this.fleet.nodeBack(node);
    const spec = this.node(node);
    const random = this.sim.rng.stream(`deployments.${node}`);
    this.sim.process(
      (function* (world: World) {
        yield world.sim.timeout(drawSeconds(spec.deploymentsReady, random));
        if (!world.isRunning(node)) return;
        world.deploymentsReady.add(node);
        world.nodeRecord.emit('node.deployments-ready', { node });
      })(this),
      `deployments ${node}`,
    );
  }

  /**
   * After a whole-cluster restart the API was down while the node was off, so its Ready condition
   * never turned Unknown and never turns True again: the kubelet's first post is what tells.
   */
  private announceReadyAfterPowerOn(): void {
    if (!this.api.available) return;
    for (const node of [...this.awaitingReady]) {
      if (!this.isRunning(node) || !this.lifecycle.isReady(node)) continue;
      this.nodeRecord.emit('node.ready', { node, status: 'True' });
      this.onReady(node);
    }
  }

  private onReady(node: string): void {
    this.awaitingReady.delete(node);
    for (const o of this.observers) o.nodeReady?.(node);
  }

  private isMember(node: string): boolean {
    return this.node(node).role !== 'worker';
  }
}
