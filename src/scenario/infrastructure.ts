/**
 * `infrastructure:` in a scenario: facts of the knowledge base's other articles that the models do
 * not simulate but `harvester-sim check` checks (issue 12): RKE2 cluster-token rotation, the HTTP
 * proxy's noProxy, nodes that boot from an iSCSI target, VM disks on an external Ceph (Rook)
 * cluster, and the `csi-driver-config` setting for snapshots of such disks.
 * docs/scenario-format.md describes the fields.
 */
import { z } from 'zod';

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
  error: 'a name: lower-case letters, digits and "-"',
});

export const infrastructureSchema = z.strictObject({
  /** `rke2 token rotate` was run on this cluster (Harvester does not support it). */
  rke2TokenRotated: z.boolean().default(false),
  /** Harvester setting `http-proxy`. */
  httpProxy: z
    .strictObject({
      httpProxy: z.string().min(1).optional(),
      httpsProxy: z.string().min(1).optional(),
      /** Entries as in the setting: host names, IPv4 addresses, CIDRs. */
      noProxy: z.array(z.string().min(1)).default([]),
      /** Set in files under /oem on each node instead of the setting, so the webhook never saw it. */
      fromOemFiles: z.boolean().default(false),
    })
    .optional(),
  /** Storage outside the cluster: iSCSI targets nodes boot from, external Ceph clusters holding VM disks. */
  externalSystems: z
    .array(
      z.discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('iscsi-target'),
          name,
          /** Nodes whose boot disk is a LUN of this target (iBFT boot through a converged NIC). */
          bootsNodes: z.array(name).min(1),
          /**
           * `rd.iscsi.firmware rd.iscsi.ibft` on the kernel command line: `persisted` in grub.cfg,
           * `first-boot-only` (typed at the GRUB prompt), or `lost-by-upgrade` (an upgrade rewrote grub.cfg).
           */
          grubParameters: z.enum(['persisted', 'first-boot-only', 'lost-by-upgrade']).default('persisted'),
        }),
        z.strictObject({
          kind: z.literal('ceph'),
          name,
          /** The CSI driver of its volumes (volumes[].driver). */
          driver: z.string().min(1).default('rook-ceph.rbd.csi.ceph.com'),
        }),
      ]),
    )
    .default([]),
  /** Harvester setting `csi-driver-config`: per CSI driver, the VolumeSnapshotClass for snapshots and backups. */
  csiDriverConfig: z
    .record(z.string().min(1), z.strictObject({ volumeSnapshotClassName: z.string().min(1) }))
    .default({}),
});

export type InfrastructureDocument = z.output<typeof infrastructureSchema>;

export type ExternalSystem = InfrastructureDocument['externalSystems'][number];

export interface Infrastructure {
  readonly rke2TokenRotated: boolean;
  readonly httpProxy: {
    readonly noProxy: readonly string[];
    readonly fromOemFiles: boolean;
  } | null;
  readonly externalSystems: readonly ExternalSystem[];
  readonly csiDriverConfig: Readonly<Record<string, { readonly volumeSnapshotClassName: string }>>;
}

// Without zod, for the models' modules (normalize.ts): infrastructure-normalize.ts.
export { NO_INFRASTRUCTURE, normalizeInfrastructure } from './infrastructure-normalize.ts';
