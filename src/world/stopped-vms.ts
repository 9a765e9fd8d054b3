import type { WorldObserver } from '../cluster/observer.ts';

/** When each VM stopped, and whether Rancher Manager was connected then (Rancher's auto-replace reads it). */
export class StoppedVms implements WorldObserver {
  private readonly since = new Map<string, { seconds: number; whileConnected: boolean }>();

  constructor(
    private readonly now: () => number,
    private readonly rancherConnected: () => boolean,
  ) {}

  vmStopped(vm: { namespace: string; name: string }, _node: string, reason: string): void {
    if (reason !== 'stopped') return;
    this.since.set(`${vm.namespace}/${vm.name}`, {
      seconds: this.now(),
      whileConnected: this.rancherConnected(),
    });
  }

  vmStarted(vm: { namespace: string; name: string }): void {
    this.since.delete(`${vm.namespace}/${vm.name}`);
  }

  /** How long `namespace/name` has been stopped, or null if it runs. */
  stopped(vm: string): { forSeconds: number; whileConnected: boolean } | null {
    const since = this.since.get(vm);
    return since === undefined
      ? null
      : { forSeconds: this.now() - since.seconds, whileConnected: since.whileConnected };
  }
}
