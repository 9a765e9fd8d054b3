/**
 * The scenario document as written in YAML (before defaults): field names, types and units.
 * docs/scenario-format.md describes every field; scenarios/scenario.schema.json is generated from this.
 */
import { z } from 'zod';
import { knownHarvesterVersions } from '../profiles/profile.ts';
import { infrastructureSchema } from './infrastructure.ts';
import { limits } from './limits.ts';
import {
  bandwidthField,
  bytesField,
  coresField,
  durationFieldWithBareUnit,
  secondsField,
} from './unit-fields.ts';

export const dnsLabel = (what: string) =>
  z
    .string()
    .max(63, { error: `a ${what} of at most 63 characters` })
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
      error: `a ${what}: lower-case letters, digits and "-", starting and ending with a letter or digit`,
    });

export const objectName = (what: string) =>
  z
    .string()
    .max(253, { error: `a ${what} of at most 253 characters` })
    .regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, {
      error: `a ${what}: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit`,
    });

const ipv4 = z.string().regex(/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, {
  error: 'an IPv4 address such as "192.168.122.141"',
});

const cidr = z
  .string()
  .regex(
    /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/([0-9]|[12]\d|3[0-2])$/,
    {
      error: 'an IPv4 CIDR such as "10.0.100.0/24"',
    },
  );

const vlan = z.number().int().min(1).max(4094);

export const distributionSchema = z.discriminatedUnion('distribution', [
  z.strictObject({ distribution: z.literal('fixed'), value: secondsField(limits.scenarioSeconds) }),
  z.strictObject({
    distribution: z.literal('uniform'),
    min: secondsField(limits.scenarioSeconds),
    max: secondsField(limits.scenarioSeconds),
  }),
  z.strictObject({
    distribution: z.literal('lognormal'),
    median: secondsField(limits.scenarioSeconds),
    sigma: z.number().min(0).max(5),
    max: secondsField(limits.scenarioSeconds),
  }),
]);

const diskSchema = z.strictObject({
  name: z.string().min(1),
  size: bytesField(limits.storageBytes),
  kind: z.enum(['nvme', 'ssd', 'hdd']).default('ssd'),
  writeRate: bandwidthField().optional(),
  longhorn: z.boolean().default(true),
  /** Longhorn disk tags (`node.longhorn.io` spec.disks[].tags); a volume's diskSelector must match them all. */
  tags: z.array(z.string().min(1).max(63)).max(limits.listItems).default([]),
});

const ipSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('static'), address: ipv4 }),
  z.strictObject({
    mode: z.literal('dhcp'),
    address: ipv4,
    lease: secondsField().optional(),
    fixedBinding: z.boolean(),
  }),
]);

const nodeSchema = z.strictObject({
  name: dnsLabel('node name'),
  role: z.enum(['management', 'worker', 'witness']),
  cpu: coresField(limits.cores),
  memory: bytesField(limits.memoryBytes),
  nic: bandwidthField().optional(),
  disks: z.array(diskSchema).min(1).max(limits.listItems),
  ip: ipSchema,
  zone: z.string().min(1).optional(),
  /** Longhorn node tags (`node.longhorn.io` spec.tags); a volume's nodeSelector must match them all. */
  longhornTags: z.array(z.string().min(1).max(63)).max(limits.listItems).default([]),
  boot: distributionSchema.optional(),
  deploymentsReady: distributionSchema.optional(),
});

const fstrimSchema = z.union([
  z.literal('none'),
  z.strictObject({
    every: secondsField(limits.fstrimEverySeconds),
    first: secondsField(limits.scenarioSeconds).optional(),
  }),
]);

const guestSchema = z.strictObject({
  dirtyRate: bandwidthField().optional(),
  workingSet: bytesField().optional(),
  /** Memory written at least once; the rest migrates as zero pages (docs/model/migration.md). */
  touchedMemory: bytesField().optional(),
  /** Kernel pages rewritten in every dirty-sync interval besides the working set. */
  hotSet: bytesField().optional(),
  writeRate: bandwidthField().optional(),
  fstrim: fstrimSchema.optional(),
  os: z.enum(['linux', 'windows']).optional(),
  /** systemd fstrim.timer (weekly, Monday 00:00); its fields override the util-linux unit's. */
  fstrimTimer: z
    .strictObject({
      enabled: z.boolean().default(true),
      accuracy: secondsField().optional(),
      randomizedDelay: secondsField().optional(),
      persistent: z.boolean().optional(),
    })
    .optional(),
  /** Filesystems mounted with `discard` (trim on every delete). */
  discardMount: z.boolean().optional(),
  /** Windows `fsutil behavior set DisableDeleteNotify 1`. */
  disableDeleteNotify: z.boolean().optional(),
  shutdown: distributionSchema.optional(),
  boot: distributionSchema.optional(),
});

const labelsSchema = z.record(z.string().min(1).max(317), z.string().max(63));

const vmSchema = z.strictObject({
  namespace: dnsLabel('namespace'),
  name: objectName('VM name'),
  cpu: coresField(limits.cores),
  memory: bytesField(limits.memoryBytes),
  labels: labelsSchema.default({}),
  runStrategy: z.enum(['Always', 'RerunOnFailure', 'Manual', 'Halted', 'Once']).optional(),
  evictionStrategy: z.enum(['LiveMigrate', 'LiveMigrateIfPossible', 'External', 'None']).optional(),
  maintainModeStrategy: z
    .enum(['Migrate', 'ShutdownAndRestartAfterEnable', 'ShutdownAndRestartAfterDisable', 'Shutdown'])
    .optional(),
  volumes: z.array(objectName('volume name')).default([]),
  node: dnsLabel('node name').optional(),
  guest: guestSchema.default({}),
});

const volumeSchema = z.strictObject({
  namespace: dnsLabel('namespace'),
  name: objectName('volume name'),
  size: bytesField(limits.storageBytes),
  used: bytesField(limits.storageBytes).optional(),
  accessMode: z.enum(['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany']).default('ReadWriteMany'),
  storageClass: z.string().min(1).optional(),
  provisioner: z.enum(['longhorn', 'external']).default('longhorn'),
  replicas: z.number().int().min(1).max(20).optional(),
  dataLocality: z.enum(['disabled', 'best-effort', 'strict-local']).optional(),
  /** StorageClass parameters `nodeSelector` / `diskSelector` (Longhorn tags every replica's node / disk must carry). */
  nodeSelector: z.array(z.string().min(1).max(63)).max(limits.listItems).optional(),
  diskSelector: z.array(z.string().min(1).max(63)).max(limits.listItems).optional(),
  driver: z.string().min(1).optional(),
});

const addonSchema = z.strictObject({
  namespace: dnsLabel('namespace'),
  name: objectName('addon name'),
  enabled: z.boolean(),
  pvcs: z.array(z.strictObject({ name: objectName('PVC name'), size: bytesField() })).default([]),
});

/** "namespace/name" of a VM. */
const vmRefSchema = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, {
  error: 'a VM reference "namespace/name"',
});

const rancherSchema = z.strictObject({
  importedIntoRancherManager: z.boolean(),
  rancherManagerVersion: z.string().min(1).optional(),
  scaleAvailable: z.number().int().min(1).max(10).optional(),
  downstreamClusters: z
    .array(
      z.strictObject({
        name: dnsLabel('cluster name'),
        machines: z.array(vmRefSchema).min(1),
        autoReplaceAfter: z.union([secondsField(), z.null()]).default(null),
      }),
    )
    .default([]),
});

const networksSchema = z.strictObject({
  management: z.strictObject({ vlan: vlan.optional(), bandwidth: bandwidthField().optional() }).default({}),
  storage: z.strictObject({ vlan: vlan.optional(), cidr, bandwidth: bandwidthField() }).optional(),
  /** Harvester's `vm-migration-network` setting: live migrations cross it instead of the management network. */
  migration: z.strictObject({ vlan: vlan.optional(), cidr, bandwidth: bandwidthField() }).optional(),
});

/** A MigrationPolicy as `kubectl get migrationpolicy -o yaml` shows its name and spec. */
const migrationPolicySchema = z.strictObject({
  name: objectName('MigrationPolicy name'),
  /** Absent: the policy matches no VMI (upstream `matchPolicy`). */
  selectors: z
    .strictObject({
      namespaceSelector: labelsSchema.optional(),
      virtualMachineInstanceSelector: labelsSchema.optional(),
    })
    .optional(),
  allowAutoConverge: z.boolean().optional(),
  bandwidthPerMigration: bandwidthField().optional(),
  completionTimeoutPerGiB: secondsField().optional(),
  allowPostCopy: z.boolean().optional(),
  allowWorkloadDisruption: z.boolean().optional(),
});

/**
 * A user PodDisruptionBudget. Only an integer `minAvailable`: virt-launcher pods are owned by a VMI,
 * which has no scale subresource, so the disruption controller cannot compute the expected count a
 * `maxUnavailable` or a percentage needs (kubernetes/kubernetes:pkg/controller/disruption/disruption.go
 * getExpectedPodCount / getExpectedScale).
 */
const podDisruptionBudgetSchema = z.strictObject({
  namespace: dnsLabel('namespace'),
  name: objectName('PodDisruptionBudget name'),
  /** `spec.selector.matchLabels` over the VMs' labels in the same namespace. */
  selector: z.strictObject({ matchLabels: labelsSchema }),
  minAvailable: z.number().int().min(0).max(limits.listItems),
});

/** Overrides of cluster settings, named as on the cluster (`kubectl get settings…`, KubeVirt CR, etcd-arg). */
const settingsSchema = z.strictObject({
  kubevirt: z
    .strictObject({
      migrations: z
        .strictObject({
          bandwidthPerMigration: bandwidthField().optional(),
          completionTimeoutPerGiB: secondsField().optional(),
          progressTimeout: secondsField().optional(),
          parallelMigrationsPerCluster: z.number().int().min(1).optional(),
          parallelOutboundMigrationsPerNode: z.number().int().min(1).optional(),
          allowAutoConverge: z.boolean().optional(),
          allowPostCopy: z.boolean().optional(),
          allowWorkloadDisruption: z.boolean().optional(),
        })
        .default({}),
      /**
       * `migrations.kubevirt.io/v1alpha1` MigrationPolicy objects: each VMI takes the one whose
       * selectors match best (src/kubevirt/policy/match.ts); the fields it sets replace the cluster's.
       */
      migrationPolicies: z.array(migrationPolicySchema).max(limits.listItems).default([]),
    })
    .default({ migrations: {}, migrationPolicies: [] }),
  longhorn: z
    .strictObject({
      'default-replica-count': z.number().int().min(1).max(20).optional(),
      'replica-replenishment-wait-interval': secondsField().optional(),
      'concurrent-replica-rebuild-per-node-limit': z.number().int().min(0).optional(),
      'replica-soft-anti-affinity': z.boolean().optional(),
      'replica-zone-soft-anti-affinity': z.boolean().optional(),
      'replica-disk-soft-anti-affinity': z.boolean().optional(),
      'storage-over-provisioning-percentage': z.number().int().min(0).optional(),
      'storage-minimal-available-percentage': z.number().int().min(0).max(100).optional(),
      'storage-reserved-percentage-for-default-disk': z.number().int().min(0).max(100).optional(),
      staleReplicaTimeout: durationFieldWithBareUnit(
        60,
        'minutes (as the StorageClass parameter)',
      ).optional(),
      'node-down-pod-deletion-policy': z
        .enum([
          'do-nothing',
          'delete-statefulset-pod',
          'delete-deployment-pod',
          'delete-both-statefulset-and-deployment-pod',
        ])
        .optional(),
      'node-drain-policy': z
        .enum([
          'block-for-eviction',
          'block-for-eviction-if-contains-last-replica',
          'block-if-contains-last-replica',
          'allow-if-replica-is-stopped',
          'always-allow',
        ])
        .optional(),
      'fast-replica-rebuild-enabled': z.boolean().optional(),
      'engine-replica-timeout': secondsField().optional(),
      'disable-scheduling-on-cordoned-node': z.boolean().optional(),
      'auto-salvage': z.boolean().optional(),
      'default-data-locality': z.enum(['disabled', 'best-effort', 'strict-local']).optional(),
    })
    .default({}),
  harvester: z
    .strictObject({
      'vm-force-reset-policy': z
        .strictObject({
          enable: z.boolean().optional(),
          period: secondsField().optional(),
          vmMigrationTimeout: secondsField().optional(),
        })
        .optional(),
      'auto-rotate-rke2-certs': z
        .strictObject({
          enable: z.boolean().optional(),
          expiringInHours: durationFieldWithBareUnit(3600, 'hours').optional(),
        })
        .optional(),
      'overcommit-config': z
        .strictObject({
          cpu: z.number().int().min(100).optional(),
          memory: z.number().int().min(100).optional(),
          storage: z.number().int().min(100).optional(),
        })
        .optional(),
      'additional-guest-memory-overhead-ratio': z
        .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)], { error: 'a ratio such as "1.5"' })
        .transform(Number)
        .optional(),
      'support-bundle-namespaces': z.array(dnsLabel('namespace')).optional(),
      'default-termination-grace-period-seconds': secondsField().optional(),
    })
    .default({}),
  /** As RKE2's `kubelet-arg` would pass them (Harvester passes none of these). */
  kubelet: z
    .strictObject({
      'shutdown-grace-period': secondsField().optional(),
      'shutdown-grace-period-critical-pods': secondsField().optional(),
    })
    .default({}),
  /** As RKE2's `etcd-arg` passes them to etcd: milliseconds when bare numbers. */
  etcd: z
    .strictObject({
      'heartbeat-interval': durationFieldWithBareUnit(1e-3, 'milliseconds (as etcd flags)').optional(),
      'election-timeout': durationFieldWithBareUnit(1e-3, 'milliseconds (as etcd flags)').optional(),
      'pre-vote': z.boolean().optional(),
    })
    .default({}),
});

export const scenarioDocumentSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  harvesterVersion: z
    .union([z.string(), z.number()], { error: 'a Harvester version such as "1.3.0"' })
    .transform(String)
    .meta({ description: `Harvester release: ${knownHarvesterVersions().join(', ')}` }),
  /** Wall-clock time of simulated second 0 (calendar timers such as fstrim.timer need it). */
  startTime: z.iso
    .datetime({ offset: true, error: 'an ISO 8601 date and time such as "2024-07-21T23:00:00Z"' })
    .optional(),
  vip: z.strictObject({ address: ipv4, mode: z.enum(['static', 'dhcp']).default('static') }),
  networks: networksSchema.default({ management: {} }),
  nodes: z.array(nodeSchema).min(1).max(limits.nodes),
  vms: z.array(vmSchema).max(limits.vms).default([]),
  volumes: z.array(volumeSchema).max(limits.volumes).default([]),
  addons: z.array(addonSchema).max(limits.addons).default([]),
  rancher: rancherSchema.default({ importedIntoRancherManager: false, downstreamClusters: [] }),
  settings: settingsSchema.default({
    kubevirt: { migrations: {}, migrationPolicies: [] },
    longhorn: {},
    harvester: {},
    kubelet: {},
    etcd: {},
  }),
  /**
   * Namespace labels, for MigrationPolicy namespace selectors. Every namespace also carries
   * `kubernetes.io/metadata.name: <name>` (Kubernetes sets it on every namespace).
   */
  namespaces: z
    .record(dnsLabel('namespace'), z.strictObject({ labels: labelsSchema.default({}) }))
    .optional(),
  /** Facts `harvester-sim check` checks and the models do not simulate (src/scenario/infrastructure.ts). */
  infrastructure: infrastructureSchema.optional(),
  /** The certificates' age when the plan starts (issue 15 §4; docs/scenario-format.md). */
  certificates: z
    .strictObject({
      /** The cluster was installed this long before the plan starts. */
      installed: secondsField(limits.certificateAgeSeconds).optional(),
      /** RKE2 last issued or renewed its certificates this long before the plan starts (default: `installed`). */
      rke2LastRotated: secondsField(limits.certificateAgeSeconds).optional(),
      /** RKE2 certificate lifetime: `CATTLE_NEW_SIGNED_CERT_EXPIRATION_DAYS` (365 d; 1000 d with harvester/harvester PR #11107). */
      rke2Validity: secondsField(limits.certificateAgeSeconds).optional(),
      /** A Rancher cloud-credential token was issued this long before the plan starts. */
      rancherTokenIssued: secondsField(limits.certificateAgeSeconds).optional(),
    })
    .optional(),
  /**
   * Each live migration of the run is also run `runs` times alone, the guest's dirty rate drawn from the
   * measured variability (`migrate --runs`): `metrics.migration` then gives its completion probability
   * and p10/p50/p90 (docs/model/migration.md, "Uncertainty").
   */
  migrationUncertainty: z
    .strictObject({ runs: z.number().int().min(1).max(limits.migrationUncertaintyRuns) })
    .optional(),
  /**
   * `policy/v1` PodDisruptionBudgets over VMs' virt-launcher pods (a launcher pod carries its VM's
   * labels): an eviction that would leave fewer than `minAvailable` matching pods running is refused
   * with 429 (docs/model/drain.md).
   */
  podDisruptionBudgets: z.array(podDisruptionBudgetSchema).max(limits.listItems).default([]),
  /**
   * Figures measured on the cluster that replace model defaults no cluster setting holds
   * (`harvester-sim calibrate` writes them): `longhornRebuildStream` is the throughput of one
   * Longhorn rebuild stream (src/longhorn/defaults.ts `rebuildStreamBytesPerSecond`).
   */
  calibration: z.strictObject({ longhornRebuildStream: bandwidthField().optional() }).optional(),
});

export type ScenarioDocument = z.output<typeof scenarioDocumentSchema>;
