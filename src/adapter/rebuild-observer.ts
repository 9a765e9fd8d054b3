/**
 * Longhorn rebuilds as the cluster publishes them, written as `longhorn/rebuild.*` records of the
 * observed trace. longhorn-manager reports a rebuild in the volume's Engine CR
 * (longhorn/longhorn-manager:k8s/pkg/apis/longhorn/v1beta2/engine.go): `status.rebuildStatus`,
 * keyed by the rebuilding replica's address, holds `isRebuilding` and `progress` (whole percent),
 * and `status.replicaModeMap` the replica's mode (WO while it rebuilds, RW once it is healthy, ERR
 * when it failed); `currentReplicaAddressMap` maps replica names to those addresses.
 *
 * Only rebuilds into new replicas are written: their Replica CR has no `spec.healthyAt` yet, and a
 * full rebuild sends the volume's actual size (Volume `status.actualSize`, the bytes of every
 * snapshot file). A rebuild into a reused replica sends only what the replica missed, which no CR
 * states, so it is not written. Times are those of the polls: a rebuild's start and end are each
 * observed at most one poll period late, so its duration is known to within one period.
 */

import type { KubeClient } from './kube-client.ts';
import type { ObservedTrace } from './observed-trace.ts';
import { PATHS } from './snapshot.ts';

type EngineObject = {
  metadata: { name: string };
  spec?: { volumeName?: string };
  status?: {
    currentReplicaAddressMap?: Record<string, string> | null;
    replicaModeMap?: Record<string, string> | null;
    rebuildStatus?: Record<
      string,
      { isRebuilding?: boolean; progress?: number; fromReplicaAddressList?: string[] | null } | null
    > | null;
  };
};
type ReplicaObject = {
  metadata: { name: string };
  spec?: { volumeName?: string; nodeID?: string; diskID?: string; healthyAt?: string };
};
type VolumeObject = {
  metadata: { name: string };
  status?: { actualSize?: number | string; kubernetesStatus?: { pvcName?: string; namespace?: string } };
};

interface Running {
  /** `namespace/pvc`, as the trace names volumes. */
  readonly volume: string;
  /** The Longhorn Volume CR's name. */
  readonly longhornVolume: string;
  readonly destination: string;
  readonly bytes: number;
  readonly startedSeconds: number;
  progressPercent: number;
}

export class RebuildObserver {
  private readonly running = new Map<string, Running>();
  /** Replicas already written (one rebuild each: a new replica rebuilds once). */
  private readonly done = new Set<string>();

  constructor(
    private readonly trace: ObservedTrace,
    private readonly client: KubeClient,
  ) {}

  /** One poll: writes the rebuilds that started or ended since the last one. */
  async observe(): Promise<void> {
    let engines: EngineObject[];
    let replicas: ReplicaObject[];
    let volumes: VolumeObject[];
    try {
      engines = await this.client.list<EngineObject>(PATHS.engines);
      replicas = await this.client.list<ReplicaObject>(PATHS.replicas);
      volumes = await this.client.list<VolumeObject>(PATHS.volumes);
    } catch {
      return; // No Longhorn CRs readable this time: nothing is known, nothing is written.
    }
    const replicaByName = new Map(replicas.map((r) => [r.metadata.name, r]));
    const volumeByName = new Map(volumes.map((v) => [v.metadata.name, v]));
    const seen = new Set<string>();
    for (const engine of engines) {
      const status = engine.status ?? {};
      const names = new Map(Object.entries(status.currentReplicaAddressMap ?? {}).map(([n, a]) => [a, n]));
      for (const [address, rebuild] of Object.entries(status.rebuildStatus ?? {})) {
        const name = names.get(address);
        if (rebuild?.isRebuilding !== true || name === undefined || this.done.has(name)) continue;
        seen.add(name);
        const known = this.running.get(name);
        if (known !== undefined) {
          known.progressPercent = rebuild.progress ?? known.progressPercent;
          continue;
        }
        const replica = replicaByName.get(name);
        const volume = volumeByName.get(engine.spec?.volumeName ?? '');
        if (replica === undefined || volume === undefined || (replica.spec?.healthyAt ?? '') !== '') continue;
        const k8s = volume.status?.kubernetesStatus;
        const key =
          k8s?.pvcName !== undefined && k8s.namespace !== undefined
            ? `${k8s.namespace}/${k8s.pvcName}`
            : volume.metadata.name;
        const bytes = Number(volume.status?.actualSize ?? 0);
        const sources = (rebuild.fromReplicaAddressList ?? [])
          .map((a) => replicaByName.get(names.get(a) ?? '')?.spec?.nodeID)
          .filter((n): n is string => n !== undefined && n !== '');
        const destination = replica.spec?.nodeID ?? '';
        const started: Running = {
          volume: key,
          longhornVolume: volume.metadata.name,
          destination,
          bytes,
          startedSeconds: this.trace.nowSeconds,
          progressPercent: rebuild.progress ?? 0,
        };
        this.running.set(name, started);
        this.trace.emit('longhorn', 'rebuild.started', {
          volume: key,
          replica: name,
          kind: 'full',
          sources,
          destination,
          disk: replica.spec?.diskID ?? '',
          bytesToSend: bytes,
          hashBytes: 0,
          // Neither the path nor a cap is published in the CRs; the management network and "no cap" are what Harvester has by default.
          network: 'management',
          rateCapBytesPerSecond: 0,
        });
      }
    }
    // A rebuild no longer reported has ended: RW in its engine = completed; ERR, or gone = failed;
    // still WO (the status between two engine updates) = not ended yet.
    const engineOf = new Map(engines.map((e) => [e.spec?.volumeName ?? '', e]));
    for (const [name, r] of [...this.running]) {
      if (seen.has(name)) continue;
      const mode = engineOf.get(r.longhornVolume)?.status?.replicaModeMap?.[name];
      if (mode === 'WO') continue;
      this.running.delete(name);
      this.done.add(name);
      const seconds = this.trace.nowSeconds - r.startedSeconds;
      if (mode === 'RW')
        this.trace.emit('longhorn', 'rebuild.completed', {
          volume: r.volume,
          replica: name,
          kind: 'full',
          destination: r.destination,
          bytesSent: r.bytes,
          seconds,
        });
      else
        this.trace.emit('longhorn', 'rebuild.failed', {
          volume: r.volume,
          replica: name,
          kind: 'full',
          destination: r.destination,
          reason: mode === 'ERR' || replicaByName.has(name) ? 'destination-lost' : 'engine-lost',
          bytesSent: Math.round((r.bytes * r.progressPercent) / 100),
          seconds,
        });
    }
  }
}
