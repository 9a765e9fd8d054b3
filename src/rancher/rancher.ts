import type { Scenario } from '../scenario/types.ts';
import type { Recorder } from '../trace/recorder.ts';
import { rancherDefaults } from './defaults.ts';

export interface RancherView {
  apiAvailable(): boolean;
  /** Nodes matching deployment/rancher's nodeSelector (control-plane nodes), whatever their state. */
  matchingNodes(): number;
  /** A node that can run rancher pods is up. */
  anyManagementNodeRunning(): boolean;
  /** How long a VM has been stopped and whether Rancher Manager was connected when it stopped; null when it runs. */
  stopped(vm: string): { forSeconds: number; whileConnected: boolean } | null;
  /** Rancher replaces a downstream machine: a new VM takes its place and starts. */
  replaceMachine(vm: string): void;
}

/**
 * The embedded rancher on Harvester (KB shutdown step 2):
 * - its scale-available controller keeps `deployment/rancher` at
 *   max(1, min(annotation, matching nodes)) unless the annotation is "" — "3", or "2" with a witness
 *   (rancher/rancher:pkg/controllers/dashboard/scaleavailable/scale.go, OnChange);
 * - while it runs it scales `cattle-cluster-agent` back up (its template carries scale-available "2",
 *   rancher/rancher:pkg/systemtemplate/template.go);
 * - Rancher Manager shows Harvester Unavailable while the agent is down;
 * - downstream-cluster machine VMs stopped from Harvester are replaced per auto-replace.
 */
export class RancherModel {
  annotation: string;
  rancherReplicas: number;
  agentReplicas: number;
  connection: 'Active' | 'Unavailable';
  /** Rancher pods scaled away keep running for their termination grace period. */
  private podsAliveUntilSeconds = Number.NEGATIVE_INFINITY;
  private importRemoved = false;
  /** What `rancher.disconnect` wrote down. */
  recorded: { annotation: string; replicas: number } | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly view: RancherView,
    private readonly record: Recorder<'rancher'>,
    private readonly clock: () => number,
    /** How long rancher pods scaled away keep running (default: the pod default, from the profile). */
    private readonly terminationGraceSeconds = scenario.settings.kubernetes.terminationGracePeriodSeconds,
  ) {
    this.annotation = String(scenario.rancher.scaleAvailable);
    this.rancherReplicas = scaleAvailableReplicas(scenario.rancher.scaleAvailable, view.matchingNodes());
    this.agentReplicas = scenario.rancher.importedIntoRancherManager ? this.agentTarget() : 0;
    this.connection = scenario.rancher.importedIntoRancherManager ? 'Active' : 'Unavailable';
  }

  /** KB step 2 (a)-(b): record the annotation, clear it, scale rancher to 0. */
  scaleDown(options: {
    recordScaleAvailable: boolean;
    clearScaleAvailable: boolean;
    scaleRancherToZero: boolean;
  }): void {
    if (options.recordScaleAvailable)
      this.recorded = { annotation: this.annotation, replicas: this.rancherReplicas };
    if (options.clearScaleAvailable) this.setAnnotation('');
    if (options.scaleRancherToZero && this.rancherReplicas > 0) {
      this.podsAliveUntilSeconds = this.clock() + this.terminationGraceSeconds;
      this.setReplicas('rancher', 0, 'kubectl scale');
    }
    // The scale-available controller runs in the rancher pods still terminating: it sees the change.
    this.reconcile();
  }

  /** Seconds until the rancher pods are gone (0 when none runs or is terminating). */
  podsGoneInSeconds(): number {
    if (this.rancherReplicas > 0) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.podsAliveUntilSeconds - this.clock());
  }

  /** KB step 2 (c): scale cattle-cluster-agent to 0 (a running embedded rancher scales it back). */
  scaleAgentDown(): void {
    this.setReplicas('cattle-cluster-agent', 0, 'kubectl scale');
    this.reconcile();
  }

  /**
   * Removing the import: a later import gets a new driver id, and the downstream clusters stay bound
   * to the old one (KB: "DO NOT remove this imported Harvester from the Rancher Manager").
   */
  removeImport(): void {
    this.importRemoved = true;
    this.record.emit('rancher.import-removed', {
      newDriverId: true,
      orphanedClusters: this.scenario.rancher.downstreamClusters.map((c) => c.name),
    });
    this.updateConnection();
  }

  /** KB restart step 8: restore the annotation, scale rancher back; rancher restores the agent. */
  reconnect(options: {
    scaleAvailable: 'recorded' | number | null;
    rancherReplicas: 'recorded' | number;
  }): string | null {
    let problem: string | null = null;
    if (options.scaleAvailable === 'recorded') {
      if (this.recorded === null) problem = 'no scale-available value was recorded before it was changed';
      else this.setAnnotation(this.recorded.annotation);
    } else if (options.scaleAvailable !== null) {
      this.setAnnotation(String(options.scaleAvailable));
    }
    const replicas =
      options.rancherReplicas === 'recorded'
        ? (this.recorded?.replicas ?? this.defaultReplicas())
        : options.rancherReplicas;
    this.setReplicas('rancher', replicas, 'kubectl scale');
    this.reconcile();
    return problem;
  }

  /** Rancher's controllers, run periodically; they need the API and a running rancher pod. */
  reconcile(): void {
    if (!this.view.apiAvailable()) {
      this.updateConnection();
      return;
    }
    const running =
      (this.rancherReplicas > 0 || this.clock() < this.podsAliveUntilSeconds) &&
      this.view.anyManagementNodeRunning();
    if (running && this.annotation !== '') {
      const wanted = scaleAvailableReplicas(Number(this.annotation), this.view.matchingNodes());
      if (wanted !== this.rancherReplicas) this.setReplicas('rancher', wanted, 'scale-available controller');
    }
    if (running && this.scenario.rancher.importedIntoRancherManager && this.agentReplicas === 0) {
      this.setReplicas('cattle-cluster-agent', this.agentTarget(), 'embedded rancher');
    }
    this.updateConnection();
    if (this.connection === 'Active') this.autoReplace();
  }

  private autoReplace(): void {
    for (const cluster of this.scenario.rancher.downstreamClusters) {
      const after = cluster.autoReplaceAfterSeconds;
      if (after === null) continue;
      for (const machine of cluster.machines) {
        const key = `${machine.namespace}/${machine.name}`;
        const stopped = this.view.stopped(key);
        if (stopped === null || stopped.forSeconds < after) continue;
        this.record.emit('rancher.machine-replaced', {
          cluster: cluster.name,
          vm: key,
          afterSeconds: stopped.forSeconds,
          stoppedWhileConnected: stopped.whileConnected,
        });
        this.view.replaceMachine(key);
      }
    }
  }

  private updateConnection(): void {
    const active =
      this.scenario.rancher.importedIntoRancherManager &&
      !this.importRemoved &&
      this.agentReplicas > 0 &&
      this.view.apiAvailable();
    const status = active ? 'Active' : 'Unavailable';
    if (status === this.connection) return;
    this.connection = status;
    this.record.emit('rancher.connection', { status });
  }

  private setAnnotation(value: string): void {
    if (value === this.annotation) return;
    this.record.emit('rancher.annotation', { value, previous: this.annotation });
    this.annotation = value;
  }

  private setReplicas(deployment: 'rancher' | 'cattle-cluster-agent', replicas: number, by: string): void {
    if (deployment === 'rancher') this.rancherReplicas = replicas;
    else this.agentReplicas = replicas;
    this.record.emit('rancher.replicas', { deployment, replicas, by });
  }

  private defaultReplicas(): number {
    return scaleAvailableReplicas(this.scenario.rancher.scaleAvailable, this.view.matchingNodes());
  }

  private agentTarget(): number {
    return scaleAvailableReplicas(rancherDefaults.agentScaleAvailable, this.view.matchingNodes());
  }
}

/** The scale-available controller's replica count: max(1, min(annotation, matching nodes)). */
function scaleAvailableReplicas(annotation: number, matchingNodes: number): number {
  return Math.max(rancherDefaults.scaleAvailableMinReplicas, Math.min(annotation, matchingNodes));
}
