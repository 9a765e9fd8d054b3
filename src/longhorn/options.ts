/**
 * What the Longhorn model takes beyond the scenario: fields the scenario format lacks today (data
 * engine, tags, selectors, throughput overrides). Every field is optional; absent means the
 * defaults table (src/longhorn/defaults.ts) or the rule named in the comment.
 */
import type { Scenario } from '../scenario/types.ts';
import type { DataEngine } from './defaults.ts';

export interface VolumeSelectors {
  readonly nodeSelector?: readonly string[];
  readonly diskSelector?: readonly string[];
}

export interface LonghornModelOptions {
  /** StorageClass `dataEngine`; v1 unless given. */
  readonly dataEngine?: DataEngine;
  /** Per-rebuild throughput cap (one sync stream); defaults.rebuildStreamBytesPerSecond otherwise. */
  readonly rebuildStreamBytesPerSecond?: number;
  readonly rebuildSetupSeconds?: number;
  readonly deltaHashBytesPerSecond?: number;
  /** LH 1.11+ `replica-rebuild-concurrent-sync-limit` (1-5). */
  readonly rebuildConcurrentSyncLimit?: number;
  /** v2 `replica-rebuilding-bandwidth-limit` (LH 1.10+), bytes/s; 0 = unlimited. */
  readonly rebuildBandwidthLimitBytesPerSecond?: number;
  /** `offline-replica-rebuilding` (LH 1.9+). */
  readonly offlineRebuilding?: boolean;
  /** Longhorn node tags, by node name. */
  readonly nodeTags?: Readonly<Record<string, readonly string[]>>;
  /** Longhorn disk tags, by `node/disk`. */
  readonly diskTags?: Readonly<Record<string, readonly string[]>>;
  /** StorageClass `nodeSelector` / `diskSelector`, by volume `namespace/name`. */
  readonly volumeSelectors?: Readonly<Record<string, VolumeSelectors>>;
  /**
   * The disk that gets storage-reserved-percentage-for-default-disk, by node. Absent: the node's first
   * Longhorn disk (Harvester's `/var/lib/harvester/defaultdisk`); other disks reserve 0.
   */
  readonly defaultDisk?: Readonly<Record<string, string>>;
  /** Filesystem bytes used by something other than replicas, by `node/disk`. Absent: 0. */
  readonly diskOtherUsedBytes?: Readonly<Record<string, number>>;
  /** Share of its VM's disk write rate each volume receives. Absent: split evenly over the VM's Longhorn volumes. */
  readonly writeShare?: Readonly<Record<string, number>>;
  /** Volume head (written since the last snapshot) at the start. Absent: 0. */
  readonly initialHeadBytes?: number;
  /** The world's "is this node running (OS and rke2 up)" probe, polled after a power-on. */
  readonly nodeIsRunning?: (node: string) => boolean;
  /** The world's "does the Kubernetes API serve" probe; longhorn-manager reconciles only then. */
  readonly controlPlaneAvailable?: () => boolean;
  /**
   * The engine of `volume` started or stopped failing I/O (faulted, or salvaged) while `vms`
   * (`namespace/name`) write to it: the world tells their guests.
   */
  readonly onIoFailing?: (volume: string, vms: readonly string[], failing: boolean) => void;
  /** External CSI drivers whose cluster is unreachable at the start. */
  readonly unreachableExternalDrivers?: readonly string[];
}

/**
 * Tags and selectors as the scenario states them (node `longhornTags`, disk `tags`, a volume's
 * `nodeSelector` / `diskSelector`); those given in `options` win.
 */
export function withScenarioTags(options: LonghornModelOptions, scenario: Scenario): LonghornModelOptions {
  const nodeTags: Record<string, readonly string[]> = {};
  const diskTags: Record<string, readonly string[]> = {};
  for (const node of scenario.nodes) {
    nodeTags[node.name] = node.longhornTags;
    for (const disk of node.disks) diskTags[`${node.name}/${disk.name}`] = disk.tags;
  }
  const volumeSelectors: Record<string, VolumeSelectors> = {};
  for (const v of scenario.volumes) {
    if (v.provisioner.kind !== 'longhorn') continue;
    volumeSelectors[`${v.namespace}/${v.name}`] = {
      nodeSelector: v.provisioner.nodeSelector,
      diskSelector: v.provisioner.diskSelector,
    };
  }
  return {
    ...options,
    nodeTags: { ...nodeTags, ...options.nodeTags },
    diskTags: { ...diskTags, ...options.diskTags },
    volumeSelectors: { ...volumeSelectors, ...options.volumeSelectors },
  };
}
