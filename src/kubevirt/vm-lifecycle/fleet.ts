import {
  type Event,
  Interrupt,
  type Process,
  type ProcessGenerator,
  type Simulation,
} from '../../../sim/index.ts';
import type { ShutdownMode, WorldObserver } from '../../cluster/observer.ts';
import type { NodeCapacity, Placement, PodRequest } from '../../kube/scheduler.ts';
import { drawSeconds } from '../../nodes/duration-draw.ts';
import type { Scenario, ScenarioVm, VmRef } from '../../scenario/types.ts';
import type { VmPhase } from '../../trace/kubevirt.ts';
import { Recorder } from '../../trace/recorder.ts';
import { vmPodRequest } from './requests.ts';
import { vmKey } from './vm-key.ts';

/** What the fleet needs to know of the rest of the cluster. */
export interface FleetView {
  apiAvailable(): boolean;
  nodeRunning(node: string): boolean;
  place(request: PodRequest, exclude?: string): Placement;
  capacities(): readonly NodeCapacity[];
  /** The VMs `requestedOn(node)` counts changed (a scheduler's node cache must update that node). */
  requestsChanged?(node: string): void;
}

export interface VmRuntime {
  readonly spec: ScenarioVm;
  readonly key: string;
  phase: VmPhase;
  node: string | null;
  /** The VMI still exists in the API but its node lost power: the guest is gone. */
  lost: boolean;
  /** When the VMI started failing (lost with its node, or Pending), for controller retries; else null. */
  failingSinceSeconds: number | null;
  /** runStrategy intent: true while the VM should run (Always, RerunOnFailure after a start). */
  wanted: boolean;
  transition: Process<void> | null;
  /** The scheduler's reason this VMI last failed to schedule (reported once per reason); null once placed. */
  scheduleFailure: string | null;
}

interface NodeRequests {
  cpuMillicores: number;
  memoryBytes: number;
  pods: number;
}

const restartsOnFailure = (vm: ScenarioVm) =>
  vm.runStrategy === 'Always' || vm.runStrategy === 'RerunOnFailure';

/**
 * VirtualMachines and their VMIs: start, stop, loss with their node, Harvester's force reset and the
 * restart that runStrategy asks for (controlplane.md §5: Harvester's default runStrategy is
 * RerunOnFailure, pkg/builder/vm.go; a guest shutdown stays off, a Failed VMI restarts).
 */
export class VmFleet {
  private readonly vms = new Map<string, VmRuntime>();
  /** The same VMs by their scenario object: most refs are those objects (no key string to build). */
  private readonly bySpec = new Map<VmRef, VmRuntime>();
  /** Per node, the VMs `requestedOn` counts, in fleet order; and the sums, until they change. */
  private readonly placedOn = new Map<string, VmRuntime[]>();
  private readonly requested = new Map<string, NodeRequests>();
  /** Each VM's position in the fleet (scenario order). */
  private readonly order = new Map<VmRuntime, number>();
  /** How many VMs are Pending, and how many have `failingSinceSeconds` set (scans skip when none). */
  private pendingCount = 0;
  private failingCount = 0;
  private readonly record: Recorder<'kubevirt'>;
  private readonly kubeRecord: Recorder<'kube'>;
  private readonly random;

  constructor(
    private readonly sim: Simulation,
    private readonly scenario: Scenario,
    private readonly view: FleetView,
    private readonly observers: readonly WorldObserver[],
  ) {
    this.record = new Recorder(sim, 'kubevirt');
    this.kubeRecord = new Recorder(sim, 'kube');
    this.random = sim.rng.stream('vms');
    for (const spec of scenario.vms) {
      const key = vmKey(spec);
      const vm: VmRuntime = {
        spec,
        key,
        phase: 'Stopped',
        node: null,
        lost: false,
        failingSinceSeconds: null,
        wanted: false,
        transition: null,
        scheduleFailure: null,
      };
      this.vms.set(key, vm);
    }
    // After every key is set: two specs with one key find the VM the key finds.
    for (const spec of scenario.vms) this.bySpec.set(spec, this.vms.get(vmKey(spec)) as VmRuntime);
  }

  /** Places the VMs that run at the start (runStrategy Always, RerunOnFailure, Once) without a boot. */
  placeInitial(): void {
    for (const vm of this.vms.values()) {
      if (vm.spec.runStrategy === 'Halted' || vm.spec.runStrategy === 'Manual') continue;
      vm.wanted = true;
      const placement: Placement =
        vm.spec.nodeName === null ? this.view.place(this.request(vm)) : { node: vm.spec.nodeName };
      const node = placement.node;
      if (node === null) {
        // Reported as schedule.failed when the trace starts (recordState): this is before it.
        vm.scheduleFailure = placement.reason;
        this.setPhase(vm, 'Pending', null, 'unschedulable at start');
        continue;
      }
      this.setPhase(vm, 'Running', node, 'initial');
      for (const o of this.observers) o.vmStarted?.(vm.spec, node);
    }
  }

  /**
   * The trace starts: VMIs left Pending since the start because no node fits are reported as
   * schedule.failed with the scheduler's reason (issue 11: they were counted as 0 unschedulable).
   */
  recordState(): void {
    for (const vm of this.vms.values()) {
      if (vm.phase === 'Pending' && vm.scheduleFailure !== null)
        this.kubeRecord.emit('schedule.failed', { object: `vmi/${vm.key}`, reason: vm.scheduleFailure });
    }
  }

  all(): readonly VmRuntime[] {
    return [...this.vms.values()];
  }

  /** The VMs running on `node` (not lost), in fleet order: `all()` filtered, from the node's own list. */
  runningOn(node: string): VmRuntime[] {
    const running: VmRuntime[] = [];
    for (const vm of this.placedOn.get(node) ?? []) if (vm.phase === 'Running' && !vm.lost) running.push(vm);
    return running;
  }

  get(ref: VmRef): VmRuntime {
    const vm = this.bySpec.get(ref) ?? this.vms.get(vmKey(ref));
    if (vm === undefined) throw new Error(`unknown VM '${vmKey(ref)}'`);
    return vm;
  }

  /** VMIs that exist in the API (anything but Stopped, or lost with a node). */
  vmiCount(): number {
    let count = 0;
    for (const vm of this.vms.values()) if (vm.phase !== 'Stopped' || vm.lost) count++;
    return count;
  }

  isRunning(ref: VmRef): boolean {
    const vm = this.get(ref);
    return vm.phase === 'Running' && !vm.lost;
  }

  /**
   * Requested resources of the VMs placed on each node (not Stopped). Kept per node as VMs move
   * (`setPhase`) and summed again only for a node whose VMs changed, in fleet order, so the sums are
   * the same floating-point additions as a scan of the whole fleet.
   */
  requestedOn(node: string): Readonly<NodeRequests> {
    let sum = this.requested.get(node);
    if (sum !== undefined) return sum;
    sum = { cpuMillicores: 0, memoryBytes: 0, pods: 0 };
    for (const vm of this.placedOn.get(node) ?? []) {
      const request = this.request(vm);
      sum.cpuMillicores += request.cpuMillicores;
      sum.memoryBytes += request.memoryBytes;
      sum.pods++;
    }
    this.requested.set(node, sum);
    return sum;
  }

  /** Bookkeeping for `requestedOn` when a VM's node or phase changes. */
  private movePlaced(vm: VmRuntime, phase: VmPhase, node: string | null): void {
    const was = vm.node !== null && vm.phase !== 'Stopped' ? vm.node : null;
    const now = node !== null && phase !== 'Stopped' ? node : null;
    if (was === now) return;
    if (was !== null) {
      const list = this.placedOn.get(was) as VmRuntime[];
      list.splice(list.indexOf(vm), 1);
      this.requested.delete(was);
      this.view.requestsChanged?.(was);
    }
    if (now !== null) {
      if (this.order.size !== this.vms.size) {
        for (const v of this.vms.values()) this.order.set(v, this.order.size);
      }
      const list = this.placedOn.get(now) ?? [];
      const position = this.order.get(vm) as number;
      let i = list.length;
      while (i > 0 && (this.order.get(list[i - 1]) as number) > position) i--;
      list.splice(i, 0, vm);
      this.placedOn.set(now, list);
      this.requested.delete(now);
      this.view.requestsChanged?.(now);
    }
  }

  /** virtctl start (or UI Start): the VM should run; the event succeeds once it is Running. */
  start(ref: VmRef): Event<void> {
    const vm = this.get(ref);
    vm.wanted = true;
    const done = this.sim.event<void>();
    if (vm.phase === 'Running' && !vm.lost) return done.succeed();
    // A VMI takes its VM's name (kubevirt/kubevirt:pkg/virt-controller/watch/vm.go, the VMI is made
    // from the VM's template under the VM's name), so a new one is created only once the old VMI is
    // gone: a VM still shutting down starts when its shutdown ends (`shutdown`/`terminate` relaunch
    // a wanted VM), not at once on another node.
    const shuttingDown = vm.phase === 'Stopping' && vm.transition !== null && !vm.lost;
    if (vm.phase === 'Stopped' || (vm.phase === 'Stopping' && !shuttingDown)) this.launch(vm);
    this.whenPhase(vm, 'Running', done);
    return done;
  }

  /**
   * Stops a VM. `guest` runs shutdown inside the guest (a VM whose runStrategy is Always comes back),
   * `virtctl` and `guest-then-virtctl` also clear the run intent. Succeeds when the VMI is gone.
   */
  stop(ref: VmRef, method: 'guest' | 'virtctl' | 'guest-then-virtctl'): Event<void> {
    const vm = this.get(ref);
    const done = this.sim.event<void>();
    if (method !== 'guest' || vm.spec.runStrategy !== 'Always') vm.wanted = false;
    if (vm.lost) {
      if (method !== 'guest' && this.view.apiAvailable()) this.deleteLost(vm, 'stopped');
    } else if (vm.phase === 'Pending') {
      this.setPhase(vm, 'Stopped', null, 'stop requested');
    } else if (vm.phase === 'Running' || vm.phase === 'Starting') {
      vm.transition?.interrupt('stop');
      vm.transition = this.sim.process(this.shutdown(vm), `stop ${vm.key}`);
    }
    if (vm.phase === 'Stopped' && !vm.lost) return done.succeed();
    this.whenPhase(vm, 'Stopped', done);
    return done;
  }

  /**
   * kubelet graceful node shutdown: each running VMI's virt-launcher pod gets SIGTERM with
   * min(the VM's termination grace, the kubelet's budget for non-critical pods); virt-handler asks the
   * guest to shut down (kubevirt/kubevirt:docs/graceful-shutdown.md). A guest that powers off in time
   * leaves a Succeeded VMI (runStrategy RerunOnFailure keeps it off, Always starts it elsewhere); one
   * still running at the end of its grace is killed, the VMI fails and RerunOnFailure restarts it
   * elsewhere. Returns how long the kubelet waits for them.
   */
  terminateForNodeShutdown(node: string, budgetSeconds: number, vmGraceSeconds: number): number {
    const grace = Math.min(budgetSeconds, vmGraceSeconds);
    let longest = 0;
    for (const vm of this.vms.values()) {
      if (vm.node !== node || vm.lost || (vm.phase !== 'Running' && vm.phase !== 'Starting')) continue;
      const guestSeconds = drawSeconds(vm.spec.guest.shutdown, this.random);
      longest = Math.max(longest, Math.min(guestSeconds, grace));
      vm.transition?.interrupt('node shutdown');
      vm.transition = this.sim.process(this.terminate(vm, guestSeconds, grace), `node shutdown ${vm.key}`);
    }
    return longest;
  }

  private *terminate(vm: VmRuntime, guestSeconds: number, graceSeconds: number): ProcessGenerator<void> {
    const node = vm.node as string;
    this.setPhase(vm, 'Stopping', node, 'node shutting down (kubelet graceful node shutdown)');
    const clean = guestSeconds <= graceSeconds;
    try {
      yield this.sim.timeout(clean ? guestSeconds : graceSeconds);
    } catch (error) {
      if (error instanceof Interrupt) return;
      throw error;
    }
    vm.transition = null;
    if (clean) {
      if (vm.spec.runStrategy !== 'Always') vm.wanted = false;
      this.setPhase(vm, 'Stopped', null, 'guest powered off (node shutdown)');
      for (const o of this.observers) o.vmStopped?.(vm.spec, node, 'stopped');
      if (vm.wanted) this.launch(vm);
      return;
    }
    this.setPhase(vm, 'Stopped', null, 'killed at the end of its grace period (node shutdown)');
    for (const o of this.observers) o.vmStopped?.(vm.spec, node, 'node-lost');
    if (vm.wanted && restartsOnFailure(vm.spec)) this.launch(vm);
  }

  /**
   * The launcher pod was evicted (kubectl drain): virt-launcher shuts the guest down, and the pod
   * is killed when `graceSeconds` (the drain's --grace-period; undefined: the pod's own) runs out
   * first. Then, as for a guest shutdown, runStrategy Always starts the VM again (elsewhere if
   * its node is cordoned); RerunOnFailure and Manual leave it stopped.
   */
  evict(ref: VmRef, graceSeconds: number | undefined): Event<void> {
    const vm = this.get(ref);
    if (vm.phase !== 'Running' || vm.lost) return this.stop(ref, 'guest');
    const done = this.sim.event<void>();
    if (vm.spec.runStrategy !== 'Always') vm.wanted = false;
    vm.transition?.interrupt('evicted');
    vm.transition = this.sim.process(this.shutdown(vm, graceSeconds), `evict ${vm.key}`);
    this.whenPhase(vm, 'Stopped', done);
    return done;
  }

  /** The node lost power: its VMIs' guests are gone; the VMI objects remain until reset. */
  nodeLost(node: string, mode: ShutdownMode): void {
    for (const vm of this.vms.values()) {
      if (vm.node !== node || vm.phase === 'Stopped' || vm.lost) continue;
      vm.transition?.interrupt('node lost');
      vm.transition = null;
      vm.lost = true;
      this.setFailingSince(vm, this.sim.now);
      this.record.emit('vm.lost-with-node', { vm: vm.key, node, mode });
      for (const o of this.observers) o.vmStopped?.(vm.spec, node, 'node-lost');
    }
  }

  /**
   * The force reset is about to delete the VMIs of `node`, which a network partition cut off while
   * its guests run: the API loses them (as for a lost node), the guests do not stop until the
   * kubelet there hears of the deletion, after the partition heals.
   */
  orphanRunning(node: string): void {
    for (const vm of this.vms.values()) {
      if (vm.node !== node || vm.phase === 'Stopped' || vm.lost) continue;
      vm.transition?.interrupt('node cut off');
      vm.transition = null;
      vm.lost = true;
      this.setFailingSince(vm, this.sim.now);
      this.record.emit('vm.split-brain', { vm: vm.key, node });
      for (const o of this.observers) o.vmStopped?.(vm.spec, node, 'force-reset');
    }
  }

  /** Harvester's out-of-service taint force-deleted the VMIs of `node`; runStrategy restarts them. */
  forceReset(node: string): void {
    for (const vm of this.vms.values()) {
      if (vm.node !== node || !vm.lost) continue;
      this.deleteLost(vm, 'force-reset');
    }
  }

  /** The node runs again: virt-handler finds its VMIs' domains gone, they fail and may restart. */
  nodeBack(node: string): void {
    for (const vm of this.vms.values()) if (vm.node === node && vm.lost) this.deleteLost(vm, 'node-back');
  }

  /** A live migration moved the running VMI to `to`. */
  migrated(ref: VmRef, to: string): void {
    const vm = this.get(ref);
    const from = vm.node;
    if (from === null || vm.lost) return;
    this.setPhase(vm, vm.phase, to, `migrated from ${from}`);
    for (const o of this.observers) o.vmMigrated?.(vm.spec, from, to);
  }

  /** Retries Pending VMs; called periodically while the API serves. */
  retryPending(): void {
    if (this.pendingCount === 0) return;
    for (const vm of this.vms.values()) {
      if (vm.phase === 'Pending' && vm.wanted && vm.transition === null) this.launch(vm);
    }
  }

  private deleteLost(vm: VmRuntime, why: 'force-reset' | 'node-back' | 'stopped'): void {
    const from = vm.node as string;
    vm.lost = false;
    this.setPhase(
      vm,
      'Stopped',
      null,
      why === 'force-reset' ? 'VMI force-deleted (out-of-service)' : `VMI gone (${why})`,
    );
    if (why === 'stopped' || !vm.wanted || !restartsOnFailure(vm.spec)) {
      if (why === 'force-reset') this.record.emit('vm.force-restarted', { vm: vm.key, from, to: null });
      return;
    }
    const placement = this.launch(vm);
    if (why === 'force-reset') this.record.emit('vm.force-restarted', { vm: vm.key, from, to: placement });
  }

  /** Schedules and boots a VMI; returns the chosen node or null when it stays Pending. */
  private launch(vm: VmRuntime): string | null {
    if (!this.view.apiAvailable()) {
      this.setPhase(vm, 'Pending', null, 'API unavailable');
      return null;
    }
    const placement = this.view.place(this.request(vm));
    if (placement.node === null) {
      // Once per reason: a VMI Pending first for the API, then for lack of room, is reported too.
      if (vm.scheduleFailure !== placement.reason)
        this.kubeRecord.emit('schedule.failed', { object: `vmi/${vm.key}`, reason: placement.reason });
      vm.scheduleFailure = placement.reason;
      this.setPhase(vm, 'Pending', null, placement.reason);
      return null;
    }
    vm.scheduleFailure = null;
    vm.transition?.interrupt('relaunch');
    // Bound now, not when the boot process first runs: kube-scheduler assumes a pod on its node in
    // its cache as soon as it is chosen (kubernetes/kubernetes:pkg/scheduler/schedule_one.go, assume
    // before the asynchronous bind), so the next launch at the same instant sees it.
    this.setPhase(vm, 'Starting', placement.node, 'scheduled');
    for (const o of this.observers) o.vmStarted?.(vm.spec, placement.node);
    vm.transition = this.sim.process(this.boot(vm, placement.node), `start ${vm.key}`);
    return placement.node;
  }

  private *boot(vm: VmRuntime, node: string): ProcessGenerator<void> {
    try {
      yield this.sim.timeout(drawSeconds(vm.spec.guest.boot, this.random));
    } catch (error) {
      if (error instanceof Interrupt) return;
      throw error;
    }
    vm.transition = null;
    this.setPhase(vm, 'Running', node, 'guest booted');
  }

  private *shutdown(vm: VmRuntime, graceSeconds?: number): ProcessGenerator<void> {
    const node = vm.node as string;
    this.setPhase(vm, 'Stopping', node, 'shutdown');
    const guestSeconds = drawSeconds(vm.spec.guest.shutdown, this.random);
    const killed = graceSeconds !== undefined && graceSeconds < guestSeconds;
    try {
      yield this.sim.timeout(killed ? graceSeconds : guestSeconds);
    } catch (error) {
      if (error instanceof Interrupt) return;
      throw error;
    }
    vm.transition = null;
    this.setPhase(
      vm,
      'Stopped',
      null,
      killed ? 'killed at the end of the grace period' : 'guest powered off',
    );
    for (const o of this.observers) o.vmStopped?.(vm.spec, node, 'stopped');
    // Wanted: runStrategy Always after a guest shutdown, or a start asked for while it stopped.
    if (vm.wanted) this.launch(vm);
  }

  private waiters = new Map<VmRuntime, { phase: VmPhase; event: Event<void> }[]>();

  private whenPhase(vm: VmRuntime, phase: VmPhase, event: Event<void>): void {
    const list = this.waiters.get(vm) ?? [];
    list.push({ phase, event });
    this.waiters.set(vm, list);
  }

  private setPhase(vm: VmRuntime, phase: VmPhase, node: string | null, reason: string): void {
    const failing = vm.lost || phase === 'Pending';
    if (!failing) this.setFailingSince(vm, null);
    else if (vm.failingSinceSeconds === null) this.setFailingSince(vm, this.sim.now);
    if (vm.phase === 'Pending') this.pendingCount--;
    if (phase === 'Pending') this.pendingCount++;
    this.movePlaced(vm, phase, node);
    vm.phase = phase;
    vm.node = node;
    this.record.emit('vm.phase', { vm: vm.key, phase, node, reason });
    const list = this.waiters.get(vm);
    if (list === undefined || vm.lost) return;
    const remaining = list.filter((w) => {
      if (w.phase !== phase) return true;
      w.event.succeed();
      return false;
    });
    this.waiters.set(vm, remaining);
  }

  private setFailingSince(vm: VmRuntime, seconds: number | null): void {
    if ((vm.failingSinceSeconds === null) !== (seconds === null))
      this.failingCount += seconds === null ? -1 : 1;
    vm.failingSinceSeconds = seconds;
  }

  /** When each failing VMI (lost with its node, or Pending) began failing, in fleet order. */
  failingSince(): number[] {
    const since: number[] = [];
    if (this.failingCount === 0) return since;
    for (const vm of this.vms.values())
      if (vm.failingSinceSeconds !== null) since.push(vm.failingSinceSeconds);
    return since;
  }

  private request(vm: VmRuntime): PodRequest {
    return vmPodRequest(vm.spec, this.scenario.settings.harvester);
  }
}
