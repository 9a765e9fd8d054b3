/**
 * Node-level defaults the scenario does not carry: the shutdown and start sequence of a node and
 * Harvester's kubelet CPU reservation. Each entry names its source; "unverified" marks a value chosen
 * for the model where no source gives one.
 */
import { type SourcedFields, valuesOf } from '../profiles/sourced.ts';
import type { DurationDistribution } from '../profiles/types.ts';

export interface NodeDefaults {
  /**
   * systemd's part of `sudo -i shutdown`, until power is off: it stops every unit, rke2 and the pod
   * scopes among them, then the machine. With kubelet graceful node shutdown on, the kubelet's phase
   * comes before it (PowerHooks.kubeletShutdown).
   */
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
      'systemd stops units in parallel, each bounded by DefaultTimeoutStopSec=90s before SIGKILL (systemd-system.conf(5)), so 90 s bounds it; VMs do not lengthen it with Harvester\'s kubelet configuration (graceful node shutdown off): their QEMU processes get SIGTERM when systemd stops their pod scope and exit without a guest shutdown (kubevirt/kubevirt:docs/graceful-shutdown.md: "If the virt-launcher pod terminates first, the virtual machine will be forced off"). The lower bound (20 s) is unverified',
  },
  etcdStopAfterShutdownSeconds: {
    value: 5,
    source: 'unverified: rke2-server.service stops early in shutdown (k3s/rke2 killall order not modelled)',
  },
  apiserverStartSeconds: {
    value: 20,
    source:
      'unverified: kube-apiserver readiness after etcd quorum takes seconds to tens of seconds (k3s-io/k3s:pkg/daemons/control/server.go waitForAPIServerInBackground); 20 s chosen in that range',
  },
};

export function nodeDefaults(): NodeDefaults {
  return valuesOf(nodeDefaultsTable);
}

/**
 * Harvester's kubelet CPU reservation, `calculateCPUReservedInMilliCPU` (GKE-style): a rate per core
 * that falls with the core's number, a fixed extra above a pod count, the sum multiplied and split
 * between system-reserved and kube-reserved.
 */
export interface CpuReservation {
  /** Cores up to and including `throughCore` (after the previous tier's) reserve `millicoresPerCore` each. */
  readonly tiers: readonly { readonly throughCore: number; readonly millicoresPerCore: number }[];
  /** Above this max-pods the extra is added. */
  readonly manyPodsAbove: number;
  readonly manyPodsExtraMillicores: number;
  readonly multiplier: number;
  /** system-reserved : kube-reserved. */
  readonly systemParts: number;
  readonly kubeParts: number;
}

const CPU_RESERVATION = 'harvester/harvester:pkg/installer/config/config.go (calculateCPUReservedInMilliCPU';

export const cpuReservationTable: SourcedFields<CpuReservation> = {
  tiers: {
    value: [
      { throughCore: 1, millicoresPerCore: 60 },
      { throughCore: 2, millicoresPerCore: 10 },
      { throughCore: 4, millicoresPerCore: 5 },
      { throughCore: Number.POSITIVE_INFINITY, millicoresPerCore: 2.5 },
    ],
    source: `${CPU_RESERVATION}: 6 % of core 1, 1 % of core 2, 0.5 % of cores 3-4, 0.25 % of each further core)`,
  },
  manyPodsAbove: { value: 110, source: `${CPU_RESERVATION}: max-pods > 110)` },
  manyPodsExtraMillicores: { value: 400, source: `${CPU_RESERVATION}: +400 m)` },
  multiplier: { value: 2, source: `${CPU_RESERVATION}: the sum is doubled; 16 cores: 1020 m)` },
  systemParts: { value: 2, source: `${CPU_RESERVATION}: split 2:3 into system-reserved / kube-reserved)` },
  kubeParts: { value: 3, source: `${CPU_RESERVATION}: split 2:3 into system-reserved / kube-reserved)` },
};

export const cpuReservation: CpuReservation = valuesOf(cpuReservationTable);
