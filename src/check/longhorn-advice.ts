/**
 * Longhorn's best practices (as Harvester's documentation quotes them) that a scenario contradicts:
 * advice beside the check's problems, not problems of the plan.
 */
import { SEED_FACTS } from '../evaluate/kb-sentences.ts';
import type { Scenario } from '../scenario/types.ts';
import type { reporter } from './procedure-rules.ts';

type Report = ReturnType<typeof reporter>;

export const LONGHORN_BEST_PRACTICE = {
  /** "Set the default replica count to "2"". */
  replicaCount: 2,
  /** "10 Gbps network bandwidth between nodes". */
  networkBitsPerSecond: 10e9,
  dataLocality: 'best-effort',
} as const;

const BITS_PER_BYTE = 8;

export function longhornAdvice(scenario: Scenario, report: Report): void {
  const longhorn = scenario.settings.longhorn;
  if (longhorn.defaultReplicaCount !== LONGHORN_BEST_PRACTICE.replicaCount)
    report(
      null,
      'longhorn.best-practice.replica-count',
      `default-replica-count is ${longhorn.defaultReplicaCount}`,
      SEED_FACTS.longhornReplicaCount,
    );
  if (longhorn.defaultDataLocality !== LONGHORN_BEST_PRACTICE.dataLocality)
    report(
      null,
      'longhorn.best-practice.data-locality',
      `default-data-locality is ${longhorn.defaultDataLocality}`,
      SEED_FACTS.longhornDataLocality,
    );
  for (const node of scenario.nodes) {
    const used = node.disks.filter((d) => d.longhorn);
    if (used.length > 0 && node.disks.length === 1)
      report(
        null,
        'longhorn.best-practice.dedicated-disk',
        `${node.name} keeps Longhorn data on its only disk, ${node.disks[0].name} (the root disk)`,
        SEED_FACTS.longhornDedicatedDisk,
      );
    const hdd = used.filter((d) => d.kind === 'hdd');
    if (hdd.length > 0)
      report(
        null,
        'longhorn.best-practice.disk-kind',
        `${node.name} gives Longhorn HDD disk${hdd.length === 1 ? '' : 's'} ${hdd.map((d) => d.name).join(', ')}`,
        SEED_FACTS.longhornDiskKind,
      );
  }
  const network = scenario.networks.storage ?? scenario.networks.management;
  const slowest = Math.min(
    network.bandwidthBytesPerSecond,
    ...scenario.nodes.map((n) => n.nicBandwidthBytesPerSecond),
  );
  if (slowest * BITS_PER_BYTE < LONGHORN_BEST_PRACTICE.networkBitsPerSecond)
    report(
      null,
      'longhorn.best-practice.network',
      `replication traffic has ${((slowest * BITS_PER_BYTE) / 1e9).toFixed(1)} Gbps between nodes`,
      SEED_FACTS.longhornNetwork,
    );
}
