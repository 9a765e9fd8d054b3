/**
 * Node-level defaults the scenario does not carry. Each entry names its source; "unverified" marks
 * a value chosen for the model where no source gives one (override it in the scenario's code path).
 */
import { type SourcedFields, valuesOf } from '../profiles/sourced.ts';
import type { DurationDistribution } from '../scenario/types.ts';

export interface NodeDefaults {
  /** `sudo -i shutdown` until power is off: systemd stops rke2 (pods, etcd) then the machine. */
  readonly gracefulShutdown: DurationDistribution;
  /** rke2 stop: etcd receives SIGTERM this long after the shutdown begins. */
  readonly etcdStopAfterShutdownSeconds: number;
  /** kube-apiserver ready after rke2 runs and etcd has quorum. */
  readonly apiserverStartSeconds: number;
}

export const nodeDefaultsTable: SourcedFields<NodeDefaults> = {
  gracefulShutdown: {
    value: { distribution: 'uniform', minSeconds: 20, maxSeconds: 90 },
    source:
      'systemd DefaultTimeoutStopSec=90s bounds each unit stop (systemd-system.conf(5)); the lower bound is unverified',
  },
  etcdStopAfterShutdownSeconds: {
    value: 5,
    source: 'unverified: rke2-server.service stops early in shutdown (k3s/rke2 killall order not modelled)',
  },
  apiserverStartSeconds: {
    value: 20,
    source:
      'controlplane.md §1: "plus seconds to tens of seconds for kube-apiserver readiness" [inf]; 20 s chosen in that range',
  },
};

export function nodeDefaults(): NodeDefaults {
  return valuesOf(nodeDefaultsTable);
}
