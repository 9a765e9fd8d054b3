/**
 * Which components each Harvester release ships. One row per release the knowledge base and
 * Harvester's chart distinguish. Every value carries its source; a value no source gives is marked
 * "unverified" and holds only the precision we are confident of (often the minor version).
 */
import type { ComponentVersions, Sourced } from './types.ts';
import { coreVersion } from './version.ts';

export type SourcedComponents = { readonly [K in keyof ComponentVersions]: Sourced<ComponentVersions[K]> };

export interface HarvesterRelease {
  readonly harvesterVersion: string;
  readonly components: SourcedComponents;
}

const longhornChart = (harvester: string) =>
  `harvester/harvester:deploy/charts/harvester/Chart.yaml@v${harvester} (longhorn dependency)`;
const kb =
  'harvester/harvesterhci.io:kb/2024-07-22/harvester_cluster_shutdown_and_restart.md (KB, written for v1.3)';
const unverified = 'unverified: no source checked; minor version from Harvester release notes as recalled';

interface Row {
  readonly harvester: string;
  readonly rke2: string;
  readonly etcd: string;
  readonly kubevirt: string;
  readonly longhorn: string;
  readonly rancher: string;
  /** Rows whose rke2/etcd come from the KB rather than recollection. */
  readonly rke2FromKb?: boolean;
}

/** Kubernetes is the rke2 version without its `+rke2rN` suffix. */
function release(row: Row): HarvesterRelease {
  const rke2Source = row.rke2FromKb === true ? kb : unverified;
  return {
    harvesterVersion: row.harvester,
    components: {
      rke2: { value: row.rke2, source: rke2Source },
      kubernetes: {
        value: coreVersion(row.rke2),
        source: `${rke2Source} (from the rke2 version)`,
      },
      etcd: { value: row.etcd, source: rke2Source },
      kubevirt: { value: row.kubevirt, source: unverified },
      longhorn: { value: row.longhorn, source: longhornChart(row.harvester) },
      rancher: { value: row.rancher, source: unverified },
    },
  };
}

/** Ordered oldest first. */
export const harvesterReleases: readonly HarvesterRelease[] = [
  { harvester: '1.2.0', rke2: 'v1.25', etcd: '3.5', kubevirt: '0.54', longhorn: '1.4.3', rancher: '2.7' },
  { harvester: '1.2.1', rke2: 'v1.25', etcd: '3.5', kubevirt: '0.54', longhorn: '1.4.3', rancher: '2.7' },
  { harvester: '1.2.2', rke2: 'v1.25', etcd: '3.5', kubevirt: '0.54', longhorn: '1.5.5', rancher: '2.7' },
  {
    harvester: '1.3.0',
    rke2: 'v1.27.10+rke2r1',
    etcd: '3.5.9',
    rke2FromKb: true,
    kubevirt: '1.1',
    longhorn: '1.6.0',
    rancher: '2.8',
  },
  { harvester: '1.3.1', rke2: 'v1.27', etcd: '3.5', kubevirt: '1.1', longhorn: '1.6.2', rancher: '2.8' },
  { harvester: '1.3.2', rke2: 'v1.27', etcd: '3.5', kubevirt: '1.1', longhorn: '1.6.2', rancher: '2.8' },
  { harvester: '1.4.0', rke2: 'v1.29', etcd: '3.5', kubevirt: '1.3', longhorn: '1.7.2', rancher: '2.9' },
  { harvester: '1.4.1', rke2: 'v1.29', etcd: '3.5', kubevirt: '1.3', longhorn: '1.7.2', rancher: '2.10' },
  { harvester: '1.4.2', rke2: 'v1.29', etcd: '3.5', kubevirt: '1.3', longhorn: '1.7.2', rancher: '2.10' },
  { harvester: '1.4.3', rke2: 'v1.29', etcd: '3.5', kubevirt: '1.3', longhorn: '1.7.3', rancher: '2.10' },
  { harvester: '1.5.0', rke2: 'v1.32', etcd: '3.5', kubevirt: '1.4', longhorn: '1.8.1', rancher: '2.11' },
  { harvester: '1.5.1', rke2: 'v1.32', etcd: '3.5', kubevirt: '1.4', longhorn: '1.8.2', rancher: '2.11' },
  { harvester: '1.5.2', rke2: 'v1.32', etcd: '3.5', kubevirt: '1.4', longhorn: '1.8.2', rancher: '2.11' },
  { harvester: '1.6.0', rke2: 'v1.33', etcd: '3.5', kubevirt: '1.5', longhorn: '1.9.1', rancher: '2.12' },
  { harvester: '1.6.1', rke2: 'v1.33', etcd: '3.5', kubevirt: '1.5', longhorn: '1.9.2', rancher: '2.12' },
  { harvester: '1.7.0', rke2: 'v1.34', etcd: '3.6', kubevirt: '1.6', longhorn: '1.10.1', rancher: '2.13' },
  { harvester: '1.7.1', rke2: 'v1.34', etcd: '3.6', kubevirt: '1.6', longhorn: '1.10.2', rancher: '2.13' },
  { harvester: '1.7.2', rke2: 'v1.34', etcd: '3.6', kubevirt: '1.6', longhorn: '1.10.2', rancher: '2.13' },
  { harvester: '1.7.3', rke2: 'v1.34', etcd: '3.6', kubevirt: '1.6', longhorn: '1.10.2', rancher: '2.13' },
  { harvester: '1.8.0', rke2: 'v1.35', etcd: '3.6', kubevirt: '1.7', longhorn: '1.11.1', rancher: '2.14' },
  { harvester: '1.8.1', rke2: 'v1.35', etcd: '3.6', kubevirt: '1.7', longhorn: '1.11.2', rancher: '2.14' },
  { harvester: '1.8.2', rke2: 'v1.35', etcd: '3.6', kubevirt: '1.7', longhorn: '1.11.2', rancher: '2.14' },
].map(release);
