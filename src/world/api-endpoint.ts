import type { Scenario } from '../scenario/types.ts';
import type { Recorder } from '../trace/recorder.ts';

/** What the API endpoint reads of the rest of the world. */
export interface ApiEndpointView {
  isRunning(node: string): boolean;
  /** Simulated seconds since the node's services started (Infinity-safe: -Infinity when not running). */
  runningSinceSeconds(node: string): number;
  etcdCanWrite(): boolean;
  now(): number;
}

/**
 * The Kubernetes API as clients reach it: it serves iff etcd has quorum and an apiserver runs on a
 * running management node whose apiserver had time to start; kube-vip binds the VIP on such a node
 * and keeps it there while that node runs (controlplane.md §1).
 */
export class ApiEndpoint {
  private up = false;
  private vipNode: string | null;

  constructor(
    private readonly scenario: Scenario,
    private readonly apiserverStartSeconds: number,
    private readonly view: ApiEndpointView,
    private readonly record: Recorder<'kube'>,
  ) {
    this.vipNode = this.firstApiNode();
  }

  get available(): boolean {
    return this.up;
  }

  /** The node holding the VIP, or null. */
  get vipHolder(): string | null {
    return this.vipNode;
  }

  /** Re-reads the cluster and writes what changed. */
  update(): void {
    const apiserver = this.firstApiNode();
    const up = apiserver !== null && this.view.etcdCanWrite();
    if (up !== this.up) {
      this.up = up;
      if (up) this.record.emit('api.available', { via: apiserver as string });
      else
        this.record.emit('api.unavailable', {
          reason: apiserver === null ? 'no-apiserver' : 'no-etcd-quorum',
        });
    }
    const vip = up
      ? this.vipNode !== null && this.view.isRunning(this.vipNode)
        ? this.vipNode
        : apiserver
      : null;
    if (vip !== this.vipNode) {
      if (vip === null)
        this.record.emit('vip.unbound', { reason: 'no apiserver to hold the kube-vip lease' });
      else this.record.emit('vip.bound', { node: vip, address: this.scenario.vip.address });
      this.vipNode = vip;
    }
  }

  /** A management node whose apiserver has had time to start. */
  private firstApiNode(): string | null {
    const readyBefore = this.view.now() - this.apiserverStartSeconds;
    for (const node of this.scenario.nodes) {
      if (node.role !== 'management' || !this.view.isRunning(node.name)) continue;
      if (this.view.runningSinceSeconds(node.name) <= readyBefore) return node.name;
    }
    return null;
  }
}
