/**
 * Node-level defaults the scenario does not carry: the shutdown and start sequence of a node and
 * Harvester's kubelet CPU reservation. Each entry names its source; "unverified" marks a value chosen
 * for the model where no source gives one.
 */
import { type SourcedFields, valuesOf } from '../profiles/sourced.ts';
import type { DurationDistribution } from '../profiles/types.ts';

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
