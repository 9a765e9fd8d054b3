import {
  type Event,
  Interrupt,
  type Process,
  type ProcessGenerator,
  type Simulation,
} from '../../sim/index.ts';
import type { ShutdownMode } from '../cluster/observer.ts';
import type { Scenario, ScenarioNode } from '../scenario/types.ts';
import type { NodePowerState } from '../trace/nodes.ts';
import { Recorder } from '../trace/recorder.ts';
import type { NodeDefaults } from './defaults.ts';
import { drawSeconds } from './duration-draw.ts';

/** What the world does when a node's power changes. */
export interface PowerHooks {
  /** A graceful shutdown begins (kubelet and rke2 stop, then power goes). */
  shuttingDown(node: string): void;
  /**
   * kubelet graceful node shutdown, when configured: the kubelet terminates the node's pods while
   * its inhibitor lock holds systemd back; returns how long that takes (0 when the feature is off).
   */
  kubeletShutdown(node: string): number;
  /** rke2 stops during a graceful shutdown: etcd gets SIGTERM. */
  servicesStopping(node: string): void;
  poweredOff(node: string, mode: ShutdownMode): void;
  poweringOn(node: string): void;
  /** OS and rke2 are up: etcd member, kubelet and (on management nodes) the apiserver start. */
  running(node: string, addressChanged: boolean): void;
}

interface NodeRuntime {
  readonly spec: ScenarioNode;
  state: NodePowerState;
  address: string;
  poweredOffAtSeconds: number | null;
  /** The boot or shutdown in progress. */
  transition: Process<void> | null;
  /** Succeeds when the node next reaches `running` (or `off`). */
  waiters: { running: Event<void>[]; off: Event<void>[] };
  /** Power-on was asked for during a graceful shutdown: boot once off. */
  bootWhenOff: boolean;
}

/**
 * Power states of every node: off → booting → running → shutting-down → off, or straight to off on
 * power loss. Boot and shutdown durations are drawn from the scenario's distributions with the
 * `nodes` random stream.
 */
export class NodePower {
  private readonly nodes = new Map<string, NodeRuntime>();
  private readonly record: Recorder<'nodes'>;
  private readonly random;
  private addressSequence = 0;

  constructor(
    private readonly sim: Simulation,
    scenario: Scenario,
    private readonly defaults: NodeDefaults,
    private readonly hooks: PowerHooks,
  ) {
    this.record = new Recorder(sim, 'nodes');
    this.random = sim.rng.stream('nodes');
    for (const spec of scenario.nodes) {
      this.nodes.set(spec.name, {
        spec,
        state: 'running',
        address: spec.ip.address,
        poweredOffAtSeconds: null,
        transition: null,
        waiters: { running: [], off: [] },
        bootWhenOff: false,
      });
    }
  }

  state(node: string): NodePowerState {
    return this.runtime(node).state;
  }

  address(node: string): string {
    return this.runtime(node).address;
  }

  names(): string[] {
    return [...this.nodes.keys()];
  }

  /** Starts a shutdown; the event succeeds when the node is off. Shutting down an off node is a no-op. */
  shutdown(node: string, mode: ShutdownMode): Event<void> {
    const runtime = this.runtime(node);
    const off = this.sim.event<void>();
    if (runtime.state === 'off') return off.succeed();
    runtime.waiters.off.push(off);
    if (mode === 'power-loss') {
      runtime.transition?.interrupt('power-loss');
      runtime.transition = null;
      this.powerOff(runtime, 'power-loss');
    } else if (runtime.state !== 'shutting-down') {
      runtime.transition?.interrupt('shutdown');
      runtime.transition = this.sim.process(this.gracefulShutdown(runtime), `shutdown ${node}`);
    }
    return off;
  }

  /**
   * Applies power; the event succeeds when the node is running. A node shutting down finishes its
   * shutdown first, then boots.
   */
  powerOn(node: string): Event<void> {
    const runtime = this.runtime(node);
    const running = this.sim.event<void>();
    if (runtime.state === 'running') return running.succeed();
    runtime.waiters.running.push(running);
    // A boot asked for at this instant has not run its first line yet (the node still reads `off`):
    // a second power-on joins it rather than starting another boot (swarm seed 14).
    if (runtime.state === 'off' && runtime.transition === null)
      runtime.transition = this.sim.process(this.boot(runtime), `boot ${node}`);
    if (runtime.state === 'shutting-down') runtime.bootWhenOff = true;
    return running;
  }

  private *gracefulShutdown(runtime: NodeRuntime): ProcessGenerator<void> {
    const name = runtime.spec.name;
    this.setState(runtime, 'shutting-down', 'graceful');
    this.hooks.shuttingDown(name);
    const total = drawSeconds(this.defaults.gracefulShutdown, this.random);
    const servicesAt = Math.min(this.defaults.etcdStopAfterShutdownSeconds, total);
    // The kubelet's phase comes first: logind delays the shutdown until the kubelet releases its
    // inhibitor lock (kubernetes/kubernetes:pkg/kubelet/nodeshutdown/nodeshutdown_manager_linux.go).
    const kubeletSeconds = this.hooks.kubeletShutdown(name);
    try {
      if (kubeletSeconds > 0) yield this.sim.timeout(kubeletSeconds);
      yield this.sim.timeout(servicesAt);
      this.hooks.servicesStopping(name);
      yield this.sim.timeout(total - servicesAt);
    } catch (error) {
      if (error instanceof Interrupt) return;
      throw error;
    }
    runtime.transition = null;
    this.powerOff(runtime, 'graceful');
  }

  private *boot(runtime: NodeRuntime): ProcessGenerator<void> {
    const name = runtime.spec.name;
    this.setState(runtime, 'booting');
    this.hooks.poweringOn(name);
    try {
      yield this.sim.timeout(drawSeconds(runtime.spec.boot, this.random));
    } catch (error) {
      if (error instanceof Interrupt) return;
      throw error;
    }
    runtime.transition = null;
    const changed = this.renewAddress(runtime);
    this.setState(runtime, 'running');
    this.hooks.running(name, changed);
    for (const waiter of runtime.waiters.running.splice(0)) waiter.succeed();
  }

  /**
   * A DHCP node without a fixed binding whose lease ran out while it was off gets another address
   * (KB: "stable node IPs and VIP" are a precondition of the procedure).
   */
  private renewAddress(runtime: NodeRuntime): boolean {
    const ip = runtime.spec.ip;
    const offSeconds = runtime.poweredOffAtSeconds === null ? 0 : this.sim.now - runtime.poweredOffAtSeconds;
    const changed = ip.mode === 'dhcp' && !ip.fixedBinding && offSeconds > ip.leaseSeconds;
    if (changed) runtime.address = `${ip.address}~lease${++this.addressSequence}`;
    this.record.emit('node.address', { node: runtime.spec.name, address: runtime.address, changed });
    return changed;
  }

  private powerOff(runtime: NodeRuntime, mode: ShutdownMode): void {
    this.setState(runtime, 'off', mode);
    runtime.poweredOffAtSeconds = this.sim.now;
    this.hooks.poweredOff(runtime.spec.name, mode);
    for (const waiter of runtime.waiters.off.splice(0)) waiter.succeed();
    // A power-on asked for during a graceful shutdown applies now that the node is off (the
    // operator's `power on` is not lost): without this its waiter never succeeded and the plan hung
    // (issue 11). A power cut cancels it.
    const boot = runtime.bootWhenOff && mode === 'graceful';
    runtime.bootWhenOff = false;
    if (boot) runtime.transition = this.sim.process(this.boot(runtime), `boot ${runtime.spec.name}`);
  }

  private setState(runtime: NodeRuntime, to: NodePowerState, mode?: ShutdownMode): void {
    const from = runtime.state;
    runtime.state = to;
    this.record.emit(
      'node.power',
      mode === undefined
        ? { node: runtime.spec.name, from, to }
        : { node: runtime.spec.name, from, to, mode },
    );
  }

  private runtime(node: string): NodeRuntime {
    const runtime = this.nodes.get(node);
    if (runtime === undefined) throw new Error(`unknown node '${node}'`);
    return runtime;
  }
}
