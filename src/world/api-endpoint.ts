import type { Scenario } from '../scenario/types.ts';
import type { Recorder } from '../trace/recorder.ts';

/** What the API endpoint reads of the rest of the world. */
export interface ApiEndpointView {
  isRunning(node: string): boolean;
  /** The node's apiserver has started (its services ran for the apiserver's start time) and runs. */
  apiserverServing(node: string): boolean;
  etcdCanWrite(): boolean;
  etcdHasQuorum(): boolean;
  /** The node reaches the side of a network partition that holds etcd's leader (always without one). */
  onApiSide(node: string): boolean;
}

/**
 * The Kubernetes API as clients reach it: it serves iff etcd has quorum and an apiserver runs on a
 * running management node whose apiserver had time to start; kube-vip binds the VIP on such a node
 * and keeps it there while that node runs (controlplane.md §1). The world calls `update` at every
 * change of etcd, node power and apiserver start (issue 15 §2: availability changes are events, not
 * samples), so an outage lasts exactly as long as its cause.
 */
export class ApiEndpoint {
  private up = false;
  /** The current outage began as a leadership transfer (etcd had quorum, its leader dropped writes). */
  private transferring = false;
  private vipNode: string | null;

  constructor(
    private readonly scenario: Scenario,
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
      this.transferring = false;
      if (up) this.record.emit('api.available', { via: apiserver as string });
      else {
        this.transferring = apiserver !== null && this.view.etcdHasQuorum();
        this.record.emit('api.unavailable', {
          reason:
            apiserver === null
              ? 'no-apiserver'
              : this.transferring
                ? 'leadership-transfer'
                : 'no-etcd-quorum',
        });
      }
    }
    // kube-vip keeps the address while its lease holds; a leadership transfer's milliseconds of
    // dropped writes do not make it give the VIP up (it does when the API stays down).
    // A holder cut off by a partition renews no lease: kube-vip's leader election moves the VIP.
    const holderRuns =
      this.vipNode !== null && this.view.isRunning(this.vipNode) && this.view.onApiSide(this.vipNode);
    const vip =
      up || (this.transferring && apiserver !== null) ? (holderRuns ? this.vipNode : apiserver) : null;
    if (vip !== this.vipNode) {
      if (vip === null)
        this.record.emit('vip.unbound', { reason: 'no apiserver to hold the kube-vip lease' });
      else this.record.emit('vip.bound', { node: vip, address: this.scenario.vip.address });
      this.vipNode = vip;
    }
  }

  /** A management node whose apiserver has had time to start. */
  private firstApiNode(): string | null {
    for (const node of this.scenario.nodes) {
      if (node.role !== 'management' || !this.view.isRunning(node.name) || !this.view.onApiSide(node.name))
        continue;
      if (this.view.apiserverServing(node.name)) return node.name;
    }
    return null;
  }
}
