/** From the validated document to the typed Scenario: defaults applied, units already plain numbers. */
import { scenarioDefaults as d } from '../profiles/scenario-defaults.ts';
import type { VersionProfile } from '../profiles/types.ts';
import { normalizeInfrastructure } from './infrastructure-normalize.ts';
import type { ScenarioDocument } from './schema.ts';
import { applySettingOverrides } from './settings-overrides.ts';
import type {
  DurationDistribution,
  GuestProfile,
  NodeAddress,
  Scenario,
  ScenarioNode,
  ScenarioVm,
  ScenarioVolume,
} from './types.ts';

type DocumentDistribution = NonNullable<ScenarioDocument['nodes'][number]['boot']>;

export function toDistribution(
  input: DocumentDistribution | undefined,
  fallback: DurationDistribution,
): DurationDistribution {
  if (input === undefined) return fallback;
  switch (input.distribution) {
    case 'fixed':
      return { distribution: 'fixed', valueSeconds: input.value };
    case 'uniform':
      return { distribution: 'uniform', minSeconds: input.min, maxSeconds: input.max };
    case 'lognormal':
      return {
        distribution: 'lognormal',
        medianSeconds: input.median,
        sigma: input.sigma,
        maxSeconds: input.max,
      };
  }
}

export function normalizeScenario(
  document: ScenarioDocument,
  profile: VersionProfile,
  fileName: string,
  warnings: readonly string[],
): Scenario {
  const effective = applySettingOverrides(profile.settings, document.settings);
  const stated = document.certificates ?? {};
  // RKE2's lifetime is Harvester's CATTLE_NEW_SIGNED_CERT_EXPIRATION_DAYS when the scenario states it.
  const settings =
    stated.rke2Validity === undefined
      ? effective.settings
      : {
          ...effective.settings,
          certificates: { ...effective.settings.certificates, rke2LeafValiditySeconds: stated.rke2Validity },
        };
  const overriddenSettings =
    stated.rke2Validity === undefined
      ? effective.overridden
      : [...effective.overridden, 'certificates.rke2LeafValiditySeconds'];
  const managementBandwidth = document.networks.management.bandwidth ?? d.nicBandwidthBytesPerSecond.value;

  const nodes: ScenarioNode[] = document.nodes.map((node, joinOrder) => {
    const ip: NodeAddress =
      node.ip.mode === 'static'
        ? { mode: 'static', address: node.ip.address }
        : {
            mode: 'dhcp',
            address: node.ip.address,
            leaseSeconds: node.ip.lease ?? d.dhcpLeaseSeconds.value,
            fixedBinding: node.ip.fixedBinding,
          };
    return {
      name: node.name,
      role: node.role,
      cpuCores: node.cpu,
      memoryBytes: node.memory,
      nicBandwidthBytesPerSecond: node.nic ?? d.nicBandwidthBytesPerSecond.value,
      disks: node.disks.map((disk) => ({
        name: disk.name,
        sizeBytes: disk.size,
        kind: disk.kind,
        writeBytesPerSecond: disk.writeRate ?? d.diskWriteBytesPerSecond.value[disk.kind],
        longhorn: disk.longhorn,
        tags: disk.tags,
      })),
      ip,
      zone: node.zone ?? null,
      longhornTags: node.longhornTags,
      boot: toDistribution(node.boot, d.nodeBoot.value),
      deploymentsReady: toDistribution(node.deploymentsReady, d.nodeDeploymentsReady.value),
      joinOrder,
    };
  });

  const vms: ScenarioVm[] = document.vms.map((vm) => {
    const guest: GuestProfile = {
      dirtyRateBytesPerSecond: vm.guest.dirtyRate ?? d.guestDirtyRateBytesPerSecond.value,
      workingSetBytes: vm.guest.workingSet ?? Math.round(vm.memory * d.guestWorkingSetFraction.value),
      // Every page written once (a long-running guest's page cache fills its memory) unless given.
      touchedMemoryBytes: Math.min(vm.memory, vm.guest.touchedMemory ?? vm.memory),
      hotSetBytes: vm.guest.hotSet ?? null,
      diskWriteBytesPerSecond: vm.guest.writeRate ?? d.guestDiskWriteBytesPerSecond.value,
      fstrim:
        vm.guest.fstrim === 'none'
          ? null
          : vm.guest.fstrim === undefined
            ? {
                periodSeconds: d.guestFstrimPeriodSeconds.value,
                firstRunSeconds: d.guestFstrimPeriodSeconds.value,
              }
            : {
                periodSeconds: vm.guest.fstrim.every,
                firstRunSeconds: vm.guest.fstrim.first ?? vm.guest.fstrim.every,
              },
      trim: {
        os: vm.guest.os ?? 'linux',
        fstrimTimer:
          vm.guest.fstrimTimer === undefined
            ? null
            : {
                enabled: vm.guest.fstrimTimer.enabled,
                accuracySeconds: vm.guest.fstrimTimer.accuracy ?? null,
                randomizedDelaySeconds: vm.guest.fstrimTimer.randomizedDelay ?? null,
                persistent: vm.guest.fstrimTimer.persistent ?? null,
              },
        discardMount: vm.guest.discardMount ?? false,
        disableDeleteNotify: vm.guest.disableDeleteNotify ?? false,
      },
      shutdown: toDistribution(vm.guest.shutdown, d.guestShutdown.value),
      boot: toDistribution(vm.guest.boot, d.guestBoot.value),
    };
    return {
      namespace: vm.namespace,
      name: vm.name,
      cpuCores: vm.cpu,
      memoryBytes: vm.memory,
      labels: vm.labels,
      runStrategy: vm.runStrategy ?? d.vmRunStrategy.value,
      evictionStrategy: vm.evictionStrategy ?? d.vmEvictionStrategy.value,
      maintainModeStrategy: vm.maintainModeStrategy ?? d.vmMaintainModeStrategy.value,
      volumeNames: vm.volumes,
      nodeName: vm.node ?? null,
      guest,
    };
  });

  const volumes: ScenarioVolume[] = document.volumes.map((volume) => ({
    namespace: volume.namespace,
    name: volume.name,
    sizeBytes: volume.size,
    usedBytes: volume.used ?? Math.round(volume.size * d.volumeUsedFraction.value),
    accessMode: volume.accessMode,
    storageClass: volume.storageClass ?? d.volumeStorageClass.value,
    provisioner:
      volume.provisioner === 'longhorn'
        ? {
            kind: 'longhorn',
            replicas: volume.replicas ?? settings.longhorn.defaultReplicaCount,
            dataLocality: volume.dataLocality ?? settings.longhorn.defaultDataLocality,
            nodeSelector: volume.nodeSelector ?? [],
            diskSelector: volume.diskSelector ?? [],
          }
        : { kind: 'external', driver: volume.driver ?? '' },
  }));

  const hasWitness = document.nodes.some((node) => node.role === 'witness');
  return {
    fileName,
    name: document.name,
    description: document.description,
    harvesterVersion: profile.harvesterVersion,
    startEpochSeconds: document.startTime === undefined ? null : Date.parse(document.startTime) / 1000,
    profile,
    nodes,
    vip: { address: document.vip.address, mode: document.vip.mode },
    networks: {
      management: {
        vlan: document.networks.management.vlan ?? null,
        bandwidthBytesPerSecond: managementBandwidth,
      },
      storage:
        document.networks.storage === undefined
          ? null
          : {
              vlan: document.networks.storage.vlan ?? null,
              cidr: document.networks.storage.cidr,
              bandwidthBytesPerSecond: document.networks.storage.bandwidth,
            },
      migration:
        document.networks.migration === undefined
          ? null
          : {
              vlan: document.networks.migration.vlan ?? null,
              cidr: document.networks.migration.cidr,
              bandwidthBytesPerSecond: document.networks.migration.bandwidth,
            },
    },
    vms,
    volumes,
    addons: document.addons.map((addon) => ({
      namespace: addon.namespace,
      name: addon.name,
      enabled: addon.enabled,
      pvcs: addon.pvcs.map((pvc) => ({ name: pvc.name, sizeBytes: pvc.size })),
    })),
    infrastructure: normalizeInfrastructure(document.infrastructure),
    rancher: {
      importedIntoRancherManager: document.rancher.importedIntoRancherManager,
      rancherManagerVersion: document.rancher.rancherManagerVersion ?? null,
      scaleAvailable:
        document.rancher.scaleAvailable ??
        (hasWitness ? d.scaleAvailable.value.withWitness : d.scaleAvailable.value.withoutWitness),
      downstreamClusters: document.rancher.downstreamClusters.map((cluster) => ({
        name: cluster.name,
        machines: cluster.machines.map((reference) => {
          const [namespace, name] = reference.split('/');
          return { namespace, name };
        }),
        autoReplaceAfterSeconds: cluster.autoReplaceAfter,
      })),
    },
    settings,
    migrationPolicies: document.settings.kubevirt.migrationPolicies.map((policy) => ({
      name: policy.name,
      ...(policy.selectors === undefined ? {} : { selectors: policy.selectors }),
      ...defined('allowAutoConverge', policy.allowAutoConverge),
      ...defined('bandwidthPerMigrationBytesPerSecond', policy.bandwidthPerMigration),
      ...defined('completionTimeoutPerGiBSeconds', policy.completionTimeoutPerGiB),
      ...defined('allowPostCopy', policy.allowPostCopy),
      ...defined('allowWorkloadDisruption', policy.allowWorkloadDisruption),
    })),
    namespaces: Object.fromEntries(
      Object.entries(document.namespaces ?? {}).map(([name, ns]) => [name, namespaceLabels(name, ns.labels)]),
    ),
    overriddenSettings,
    certificateAges: {
      rke2IssuedSecondsAgo: stated.rke2LastRotated ?? stated.installed ?? null,
      rancherTokenIssuedSecondsAgo: stated.rancherTokenIssued ?? null,
    },
    migrationUncertainty:
      document.migrationUncertainty === undefined ? null : { runs: document.migrationUncertainty.runs },
    podDisruptionBudgets: document.podDisruptionBudgets.map((pdb) => ({
      namespace: pdb.namespace,
      name: pdb.name,
      matchLabels: pdb.selector.matchLabels,
      minAvailable: pdb.minAvailable,
    })),
    calibration: {
      longhornRebuildStreamBytesPerSecond: document.calibration?.longhornRebuildStream ?? null,
    },
    warnings,
  };
}

/** A field only when it is set, so that an unset policy field keeps the cluster's value. */
function defined<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

/** Kubernetes labels every namespace with `kubernetes.io/metadata.name` (its name); the rest are the scenario's. */
export function namespaceLabels(
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Readonly<Record<string, string>> {
  return { ...labels, 'kubernetes.io/metadata.name': name };
}
