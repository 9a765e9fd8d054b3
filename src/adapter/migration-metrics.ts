/**
 * KubeVirt's live-migration gauges, scraped from virt-handler's `/metrics` through the API server's
 * pod proxy (`pods/proxy` get; virt-handler serves HTTPS on 8443), for the migrations a replay
 * starts. The gauges are those of `kubevirt/kubevirt:pkg/monitoring/metrics/virt-handler/domainstats/
 * migration_metrics.go`, labelled `namespace` and `name` (the VMI) and reported by virt-handler on
 * the source node while the migration job runs:
 * - `kubevirt_vmi_migration_data_remaining_bytes`, `kubevirt_vmi_migration_data_processed_bytes`;
 * - `kubevirt_vmi_migration_dirty_memory_rate_bytes`: libvirt's `memory_dirty_rate`, which libvirt
 *   counts in pages per second (KubeVirt's own migration log multiplies it by the page size);
 * - the memory transfer rate (libvirt `memory_bps`): `kubevirt_vmi_migration_memory_transfer_rate_bytes`,
 *   which some KubeVirt releases export under `kubevirt_vmi_migration_disk_transfer_rate_bytes`
 *   (the two names were swapped in `migration_metrics.go`); the memory name wins when both appear.
 * A cluster that exposes none of these (no virt-handler pods, a proxy refused by RBAC or a network
 * policy) gives no samples; the replay goes on without them.
 */
import type { KubeClient } from './kube-client.ts';

/** x86-64 guest page size: libvirt's dirty rate is in these pages per second. */
export const GUEST_PAGE_BYTES = 4096;
const VIRT_HANDLER_METRICS_PORT = 8443;

export interface MigrationSample {
  readonly namespace: string;
  readonly name: string;
  readonly dataRemainingBytes: number | null;
  readonly dataProcessedBytes: number | null;
  readonly dirtyRateBytesPerSecond: number | null;
  readonly transferRateBytesPerSecond: number | null;
}

interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The series of a Prometheus text exposition (comments and unparsable lines skipped). */
export function parseExposition(text: string): Series[] {
  const out: Series[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (m === null) continue;
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    const labels: Record<string, string> = {};
    const labelText = m[2] ?? '';
    for (const l of labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1], labels, value });
  }
  return out;
}

const PREFIX = 'kubevirt_vmi_migration_';

/** The migration samples in one exposition, per VMI. */
export function migrationSamples(text: string): MigrationSample[] {
  const byVmi = new Map<string, Map<string, number>>();
  for (const s of parseExposition(text)) {
    if (!s.name.startsWith(PREFIX)) continue;
    const namespace = s.labels.namespace;
    const name = s.labels.name;
    if (namespace === undefined || name === undefined) continue;
    const key = `${namespace}/${name}`;
    const values = byVmi.get(key) ?? new Map<string, number>();
    values.set(s.name.slice(PREFIX.length), s.value);
    byVmi.set(key, values);
  }
  return [...byVmi].map(([key, v]) => {
    const [namespace, name] = key.split('/');
    const dirtyPages = v.get('dirty_memory_rate_bytes');
    return {
      namespace,
      name,
      dataRemainingBytes: v.get('data_remaining_bytes') ?? null,
      dataProcessedBytes: v.get('data_processed_bytes') ?? null,
      dirtyRateBytesPerSecond: dirtyPages === undefined ? null : dirtyPages * GUEST_PAGE_BYTES,
      transferRateBytesPerSecond:
        v.get('memory_transfer_rate_bytes') ?? v.get('disk_transfer_rate_bytes') ?? null,
    };
  });
}

type PodObject = { metadata: { name: string }; status?: { phase?: string } };

/** Scrapes every running virt-handler's metrics; a pod that does not answer is skipped. */
export async function scrapeMigrations(client: KubeClient, namespace: string): Promise<MigrationSample[]> {
  let pods: PodObject[];
  try {
    pods = await client.list<PodObject>(
      `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent('kubevirt.io=virt-handler')}`,
    );
  } catch {
    return [];
  }
  const samples: MigrationSample[] = [];
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running') continue;
    try {
      const text = await client.getText(
        `/api/v1/namespaces/${namespace}/pods/https:${pod.metadata.name}:${VIRT_HANDLER_METRICS_PORT}/proxy/metrics`,
      );
      samples.push(...migrationSamples(text));
    } catch {
      // Not exposed here (RBAC, network policy, the pod restarting): no sample from this node.
    }
  }
  return samples;
}
